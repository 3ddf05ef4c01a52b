import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.providers.tests.factories import (
    ProviderFactory,
    local,
    next_weekday,
    police_document,
)


@pytest.fixture
def customer():
    return UserFactory(name="Asha")


@pytest.fixture
def day():
    """A Monday at least two days ahead."""
    return next_weekday(0, after_days=2)


@pytest.fixture
def electrician():
    """Auto-accepting electrician at ₹300 + ₹50 per visit, free cancellation up to 2 hours,
    ₹100 after."""
    provider = ProviderFactory(
        auto_accept=True,
        cancellation_fee=Decimal("100"),
        free_cancellation_hours=2,
        offers=[("electrician", "300", "50")],
    )
    return provider.offers.get()


@pytest.fixture
def manual_electrician():
    provider = ProviderFactory(
        auto_accept=False, accept_within_minutes=30, offers=[("electrician", "250", "0")]
    )
    return provider.offers.get()


@pytest.fixture
def babysitter():
    provider = ProviderFactory(auto_accept=True, offers=[("babysitter", "150", "0")])
    police_document(provider, timezone.localdate() + dt.timedelta(days=200))
    return provider.offers.get()


def at(day, hhmm):
    return local(day, hhmm)
