"""Fixtures of the employment tests: the stand-in exchange on loopback, the person whose
registration it holds (same mobile), and that person as a Sevamitra."""

import pytest

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.employment.models import Portal
from sevamitra.employment.services import employment_link
from sevamitra.employment.tests.exchange import TOKEN, FakeExchange, registration
from sevamitra.providers.tests.factories import ProviderFactory
from sevamitra.tasks.worker import Worker

PHONE, OTHER_PHONE = "9876511001", "9876511002"
NUMBER, OTHER_NUMBER = "UPLKO2024000001", "UPLKO2024000002"
SEWAYOJAN = Portal.SEWAYOJAN


@pytest.fixture
def exchange(settings):
    """The exchange holds NUMBER (mobile PHONE) and OTHER_NUMBER (mobile OTHER_PHONE)."""
    with FakeExchange() as fake:
        fake.add(registration(NUMBER, mobile=PHONE))
        fake.add(
            registration(
                OTHER_NUMBER,
                mobile=OTHER_PHONE,
                name="Arjun Yadav",
                gender="male",
                skills=["wiring"],
                certificates=[],
            )
        )
        settings.SEWAYOJAN_API_URL = fake.url
        settings.SEWAYOJAN_API_TOKEN = TOKEN
        settings.SEWAYOJAN_API_TIMEOUT_SECONDS = 3
        yield fake


@pytest.fixture
def person(db):
    return UserFactory(phone=PHONE, name="Sunita")


@pytest.fixture
def other(db):
    return UserFactory(phone=OTHER_PHONE, name="Arjun")


@pytest.fixture
def link(exchange, person):
    return employment_link(
        user=person, portal=SEWAYOJAN, registration_number=NUMBER, acting_user=person
    )


@pytest.fixture
def sevamitra(person):
    """The person is a verified Sevamitra (electrician)."""
    return ProviderFactory(user=person, offers=[("electrician", "300", "50")])


def run_jobs() -> int:
    """Run every job that is due now, as `manage.py worker --once` would; how many ran."""
    return Worker(once=True, sleep=0).run()
