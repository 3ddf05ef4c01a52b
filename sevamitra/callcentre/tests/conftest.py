import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Address, Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.providers.tests.factories import ProviderFactory, local, next_weekday

GOMTI_NAGAR = "226010"


@pytest.fixture
def agent():
    return user_with_roles(Role.AGENT, name="Agent Meera", phone="9000000001")


@pytest.fixture
def other_agent():
    return user_with_roles(Role.AGENT, name="Agent Ravi", phone="9000000002")


@pytest.fixture
def caller():
    user = UserFactory(name="Asha Verma", phone="9811112222", preferred_language="hi")
    Address.objects.create(
        user=user,
        label="Home",
        line="B-12, Vipin Khand",
        locality="Gomti Nagar",
        pincode=GOMTI_NAGAR,
        lat=26.852,
        lng=81.0,
    )
    return user


@pytest.fixture
def home(caller):
    return caller.addresses.get()


@pytest.fixture
def plumber():
    """An auto-accepting plumber at Hazratganj (covers Gomti Nagar): ₹300 + ₹50 a visit,
    free cancellation up to 2 hours before, ₹100 after."""
    provider = ProviderFactory(
        name_hi="सुनीता देवी",
        name_latin="Sunita Devi",
        auto_accept=True,
        cancellation_fee=Decimal("100"),
        free_cancellation_hours=2,
        offers=[("plumber", "300", "50")],
    )
    return provider.offers.get()


@pytest.fixture
def day():
    """A Monday at least two days ahead."""
    return next_weekday(0, after_days=2)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return local(day, hhmm)


def now_local(hhmm: str = "11:00") -> dt.datetime:
    """Today at this India time."""
    return local(timezone.localdate(), hhmm)
