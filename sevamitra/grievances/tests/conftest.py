import datetime as dt

import pytest
from django.utils import timezone

from sevamitra.grievances.tests import factories as f


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def provider():
    return f.new_provider()


@pytest.fixture
def officer(provider):
    return f.officer_of(provider.district, name="Officer Verma")


@pytest.fixture
def booking(provider):
    return f.new_booking(provider)


@pytest.fixture
def customer(booking):
    return booking.customer


@pytest.fixture
def complaint(booking, now):
    return f.filed(booking, now=now)


def later(now, **delta):
    return now + dt.timedelta(**delta)


def en(messages):
    """Form error messages as English text: lazy ones are read in the test's own language
    (Hindi by default), not in the language of the request that produced them."""
    from django.utils import translation

    with translation.override("en"):
        return [str(message) for message in messages]
