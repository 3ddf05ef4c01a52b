"""Fixtures of the privacy tests: a citizen and a Sevamitra with data in every table."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from sevamitra.accounts.models import OtpChallenge
from sevamitra.accounts.services import address_create
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings import services as bs
from sevamitra.bookings.tests import conftest as booking_fixtures
from sevamitra.bookings.tests.conftest import at
from sevamitra.callcentre.models import Call
from sevamitra.geo.models import District
from sevamitra.ondc.models import OndcTransaction, TransactionState
from sevamitra.providers.models import Document, DocumentKind, Leave, Provider
from sevamitra.providers.tests.factories import ProviderFactory, police_document

# The booking tests' fixtures, shared.
customer = booking_fixtures.customer
day = booking_fixtures.day
electrician = booking_fixtures.electrician

PHONE, WORKER_PHONE = "9876500001", "9876500002"


def book(offer, customer, day, start, end, **fields):
    return bs.booking_create(
        offer=offer,
        customer=customer,
        start=at(day, start),
        end=at(day, end),
        kind="visit",
        channel="web",
        address="B-12, Vipin Khand, Gomti Nagar",
        pincode="226010",
        lat=26.85123,
        lng=80.99456,
        notes="Ring twice; ask for Asha",
        acting_user=customer,
        **fields,
    )


def finish(placed):
    worker = placed.booking.provider.user
    bs.booking_mark_en_route(booking=placed.booking, acting_user=worker)
    bs.booking_start(booking=placed.booking, code=placed.codes.start, acting_user=worker)
    bs.booking_finish(booking=placed.booking, code=placed.codes.end, acting_user=worker)


@pytest.fixture
def person(electrician, day):
    """A citizen with an address, a rated booking, a cancelled one and a call."""
    user = UserFactory(phone=PHONE, name="Asha Verma")
    address_create(
        user=user,
        acting_user=user,
        label="Home",
        line="B-12, Vipin Khand",
        locality="Gomti Nagar",
        pincode="226010",
    )
    done = book(electrician, user, day, "10:00", "11:00")
    finish(done)
    bs.rating_add(booking=done.booking, stars=4, text="Asha says: neat work", acting_user=user)
    cancelled = book(electrician, user, day, "14:00", "15:00")
    bs.booking_cancel(booking=cancelled.booking, by="customer", reason="Plans", acting_user=user)
    agent = user_with_roles("agent", name="Agent Ravi")
    Call.objects.create(
        agent=agent,
        caller=user,
        phone=PHONE,
        outcome="enquiry",
        notes="Asha asked about cooks",
        started_at=done.booking.created_at,
        ended_at=done.booking.created_at + dt.timedelta(minutes=3),
    )
    OndcTransaction.objects.create(
        bap_id="buyer.example",
        bap_uri="https://buyer.example/ondc",
        transaction_id="T-42",
        state=TransactionState.CANCELLED,
        customer=user,
        order={
            "item_id": "I1",
            "contact": {"phone": PHONE},
            "billing": {"name": "Asha Verma", "phone": PHONE},
            "location": {"address": "B-12, Vipin Khand"},
            "person": {"name": "Asha Verma"},
            "instructions": {"short_desc": "Ring twice"},
        },
    )
    OtpChallenge.objects.create(
        phone=PHONE,
        code_hash="x" * 64,
        salt="s",
        created_at=done.booking.created_at,
        expires_at=done.booking.created_at,
    )
    return user


@pytest.fixture
def worker():
    """A Sevamitra with a photo, an identity document, a police certificate (with a scan),
    leave with a reason and their own terms."""
    provider = ProviderFactory(
        user=UserFactory(phone=WORKER_PHONE, name="Sunita Devi"),
        gstin="09AAAAA0000A1Z5",
        terms_included="Labour only",
        offers=[("cook", "400", "0")],
    )
    provider.photo.save("p.jpg", ContentFile(b"jpeg"), save=True)
    Provider.objects.filter(pk=provider.pk).update(
        business_line1="Shop 4, Kapoorthala Market",
        business_locality="Aliganj",
        business_pincode="226024",
        business_district=District.objects.get(code="LUCKNOW"),
    )
    provider.refresh_from_db()
    Document.objects.create(
        provider=provider, kind=DocumentKind.IDENTITY, id_type="voter_id", last4="4321"
    )
    police = police_document(provider, dt.date(2027, 6, 30))
    police.file.save("c.pdf", ContentFile(b"%PDF"), save=True)
    Leave.objects.create(
        provider=provider,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 1, 2),
        reason="Sister's wedding in Gonda",
    )
    return provider
