"""Erasure on request: personal fields gone from every table, bookings kept with their
prices and references, the account closed; refused while bookings are live; nobody else
touched. Over HTTP: /my/data/erase/ asks first, then erases and signs out."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone, translation
from oauth2_provider.models import AccessToken, RefreshToken

from sevamitra.accounts.models import Address, User
from sevamitra.accounts.services import address_create, otp_request, otp_verify
from sevamitra.accounts.tests.conftest import sent_code
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.bookings import services as bs
from sevamitra.bookings.models import Booking
from sevamitra.core.errors import DomainError
from sevamitra.ondc.models import OndcTransaction
from sevamitra.privacy.selectors import person_data
from sevamitra.privacy.services import erased_phone, person_erase
from sevamitra.privacy.tests.conftest import PHONE, book
from sevamitra.providers.models import Document, Leave, Provider
from sevamitra.sms.backends import locmem
from sevamitra.sso import services as sso
from sevamitra.sso.models import Consent
from sevamitra.sso.tests.factories import portal_client

pytestmark = pytest.mark.django_db


def _rows(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_every_personal_field_of_a_citizen_is_gone(person, electrician):
    totals = list(Booking.objects.order_by("pk").values_list("pk", "status", "total"))
    person_erase(user=person, acting_user=person)

    placeholder = erased_phone(person.pk)
    assert _rows(
        "SELECT phone, name, is_active, preferred_language FROM accounts_user WHERE id = %s",
        person.pk,
    ) == [(placeholder, "", False, "hi")]
    assert _rows("SELECT COUNT(*) FROM accounts_user WHERE phone = %s", PHONE) == [(0,)]
    assert _rows("SELECT COUNT(*) FROM accounts_address WHERE user_id = %s", person.pk) == [(0,)]
    assert _rows("SELECT COUNT(*) FROM accounts_otpchallenge WHERE phone = %s", PHONE) == [(0,)]
    assert (
        _rows(
            "SELECT address, notes, lat, lng FROM bookings_booking WHERE customer_id = %s",
            person.pk,
        )
        == [("", "", None, None)] * 2
    )
    assert _rows("SELECT stars, text FROM bookings_rating") == [(4, "")]
    assert _rows("SELECT phone, notes, outcome FROM callcentre_call") == [
        (placeholder, "", "enquiry")
    ]
    assert _rows("SELECT transaction_id FROM ondc_ondctransaction") == [("T-42",)]
    assert OndcTransaction.objects.get().order == {
        "item_id": "I1",
        "contact": {},
        "billing": {},
        "location": {},
        "person": {},
        "instructions": {},
    }
    # Nothing anywhere still holds the name or the number.
    for table, column in [
        ("accounts_user", "name"),
        ("bookings_booking", "notes"),
        ("bookings_booking", "address"),
        ("bookings_rating", "text"),
        ("callcentre_call", "notes"),
        ("callcentre_call", "phone"),
    ]:
        assert _rows(
            f"SELECT COUNT(*) FROM {table} WHERE {column} LIKE %s OR {column} LIKE %s",  # noqa: S608
            "%Asha%",
            f"%{PHONE}%",
        ) == [(0,)], table
    # Bookings stay, with their references, statuses and prices.
    assert list(Booking.objects.order_by("pk").values_list("pk", "status", "total")) == totals
    assert totals[0][1:] == ("rated", Decimal("350.00"))


def test_a_sevamitra_is_erased_too(worker, django_capture_on_commit_callbacks):
    photo, scan = worker.photo.name, worker.documents.get(kind="police").file.name
    assert default_storage.exists(photo) and default_storage.exists(scan)
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=worker.user, acting_user=worker.user)

    worker.refresh_from_db()
    assert (worker.name_hi, worker.name_latin, worker.photo.name, worker.gstin) == (
        "Erased",
        "Erased",
        "",
        "",
    )
    assert (worker.terms_included, worker.is_active) == ("", False)
    assert (worker.business_line1, worker.business_pincode, worker.business_district_id) == (
        "",
        "",
        None,
    )
    assert (worker.home_lat, worker.home_lng) == (26.85, 80.95)
    assert not default_storage.exists(photo) and not default_storage.exists(scan)
    assert list(Document.objects.values_list("kind", "id_type", "last4", "reference", "file")) == [
        ("police", "", "", "ERASED", "")
    ]
    assert list(Leave.objects.values_list("reason", flat=True)) == [""]
    assert list(worker.offers.values_list("is_active", flat=True)) == [False]
    assert _rows("SELECT COUNT(*) FROM providers_document WHERE last4 = '4321'") == [(0,)]


def test_the_person_can_no_longer_sign_in(person, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "sevamitra.sms.backends.locmem.SmsBackend"
    person_erase(user=person, acting_user=person)
    person.refresh_from_db()
    assert person.is_active is False and not person.has_usable_password()
    # The old number now leads to a new, empty account, never to the erased one.
    locmem.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        otp_request(phone=PHONE, ip=None)
    code = sent_code()
    again = otp_verify(phone=PHONE, code=code)
    assert again.pk != person.pk
    assert not Booking.objects.filter(customer=again).exists()


def test_signed_in_session_ends(client, person):
    client.force_login(person)
    assert client.get("/my/data/").status_code == 200
    person_erase(user=person, acting_user=person)
    assert client.get("/my/data/").status_code == 302


def test_other_people_are_untouched(person, worker, electrician, day):
    other = UserFactory(phone="9876500009", name="Ravi Kumar")
    address_create(user=other, acting_user=other, label="Home", line="C-4", pincode="226010")
    theirs = book(electrician, other, day, "16:00", "17:00").booking
    bs.booking_cancel(booking=theirs, by="customer", reason="x", acting_user=other)
    before = (
        list(User.objects.exclude(pk=person.pk).order_by("pk").values()),
        list(Address.objects.exclude(user=person).values()),
        list(Booking.objects.filter(customer=other).values()),
        list(Provider.objects.values()),
        list(Document.objects.values()),
    )
    person_erase(user=person, acting_user=person)
    after = (
        list(User.objects.exclude(pk=person.pk).order_by("pk").values()),
        list(Address.objects.exclude(user=person).values()),
        list(Booking.objects.filter(customer=other).values()),
        list(Provider.objects.values()),
        list(Document.objects.values()),
    )
    assert after == before


@pytest.mark.parametrize("as_worker", [False, True])
def test_refused_while_a_booking_is_live(electrician, customer, day, as_worker):
    placed = book(electrician, customer, day, "10:00", "11:00")  # confirmed at once
    user = electrician.provider.user if as_worker else customer
    before = (list(User.objects.values()), list(Booking.objects.values()))
    with pytest.raises(DomainError) as refused, translation.override("en"):
        person_erase(user=user, acting_user=user)
    assert refused.value.code == "live_bookings"
    assert "Cancel them" in str(refused.value.message)
    assert (list(User.objects.values()), list(Booking.objects.values())) == before
    bs.booking_cancel(booking=placed.booking, by="customer", reason="x", acting_user=customer)
    person_erase(user=user, acting_user=user)


def test_nobody_else_may_erase_a_person(person):
    stranger = UserFactory()
    with pytest.raises(DomainError) as refused:
        person_erase(user=person, acting_user=stranger)
    assert refused.value.code == "permission_denied"
    person.refresh_from_db()
    assert (person.phone, person.is_active) == (PHONE, True)


def test_twice_is_refused(person):
    person_erase(user=person, acting_user=person)
    with pytest.raises(DomainError) as refused:
        person_erase(user=User.objects.get(pk=person.pk), acting_user=person)
    assert refused.value.code in {"already_erased", "permission_denied"}


# --- over HTTP -------------------------------------------------------------------------------


def test_pages_need_sign_in(client):
    for path in ("/my/data/", "/my/data/erase/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/signin/")
    assert client.post("/my/data/download/").status_code == 302


def test_erase_page_asks_in_hindi_and_refuses_without_the_tick(client, person):
    client.force_login(person)
    page = client.get("/my/data/erase/").content.decode()
    assert "मेरा डेटा मिटाएँ?" in page and 'name="confirm"' in page
    response = client.post("/my/data/erase/", {})
    assert response.status_code == 200
    assert "पुष्टि करने के लिए बॉक्स पर सही का निशान लगाएँ" in response.content.decode()
    person.refresh_from_db()
    assert (person.phone, person.is_active) == (PHONE, True)


def test_erase_page_says_to_cancel_live_bookings_first(client, customer, electrician, day):
    book(electrician, customer, day, "10:00", "11:00")
    client.force_login(customer)
    page = client.get("/my/data/erase/").content.decode()
    assert "आपकी कुछ बुकिंग अभी पूरी नहीं हुई हैं" in page
    assert 'name="confirm"' not in page
    response = client.post("/my/data/erase/", {"confirm": "on"})
    assert "आपकी कुछ बुकिंग अभी पूरी नहीं हुई हैं" in response.content.decode()
    customer.refresh_from_db()
    assert customer.is_active


def test_erase_happy_path_signs_out(client, person):
    client.force_login(person)
    response = client.post("/my/data/erase/", {"confirm": "on"})
    assert (response.status_code, response["Location"]) == (302, "/")
    person.refresh_from_db()
    assert (person.phone, person.name, person.is_active) == (erased_phone(person.pk), "", False)
    assert "_auth_user_id" not in client.session


def test_the_erasure_is_audited_by_reference_only(person):
    from sevamitra.audit.models import AuditEntry

    person_erase(user=person, acting_user=person)
    entry = AuditEntry.objects.get(action="person.erased")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        person.pk,
        "accounts.user",
        str(person.pk),
    )
    assert entry.before == {"is_active": True}
    assert entry.after == {
        "is_active": False,
        "addresses_deleted": 1,
        "bookings_anonymised": 2,
        "provider": None,
    }
    assert PHONE not in json.dumps([entry.before, entry.after])


def test_a_refused_erasure_is_not_audited(customer):
    from sevamitra.audit.models import AuditEntry

    with pytest.raises(DomainError):
        person_erase(user=customer, acting_user=UserFactory())
    assert not AuditEntry.objects.filter(action="person.erased").exists()


@pytest.mark.parametrize(
    ("pk", "placeholder"), [(1, "E000000001"), (123456789, "E123456789"), (10**9, "E000GJDGXS")]
)
def test_placeholder_is_unique_short_and_never_a_mobile_number(pk, placeholder):
    assert erased_phone(pk) == placeholder
    assert len(placeholder) <= 10 and not placeholder[0].isdigit()


def test_consents_to_sibling_portals_are_downloaded_then_withdrawn_with_their_tokens(person):
    """Sign-in portals: the download lists what the person allowed; erasure withdraws it and
    revokes every token any portal holds (one without a consent record too)."""
    app, _secret = portal_client()
    other, _secret = portal_client(name_en="Sewayojan", client_id="sewayojan")
    sso.consent_grant(user=person, application=app, scopes=["openid", "phone"], acting_user=person)
    for application, token in ((app, "a-1"), (other, "a-2")):
        access = AccessToken.objects.create(
            user=person,
            application=application,
            token=token,
            expires=timezone.now() + dt.timedelta(minutes=10),
        )
        RefreshToken.objects.create(
            user=person, application=application, token="r" + token, access_token=access
        )
    [portal] = person_data(person)["sign_in_portals"]
    assert (portal["portal"], portal["shared"], portal["withdrawn_on"]) == (
        "Rojgar Sangam",
        ["openid", "phone"],
        None,
    )

    person_erase(user=person, acting_user=person)

    assert Consent.objects.get(user=person).withdrawn_at is not None
    assert not AccessToken.objects.filter(user=person).exists()
    assert not RefreshToken.objects.filter(user=person, revoked__isnull=True).exists()
