"""Full Aadhaar numbers are refused in every free-text field people type, by the form (a
message in the person's language) and by the service behind it; nothing is written."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from sevamitra.accounts.models import Address
from sevamitra.accounts.services import address_create, address_update
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.bookings import services as booking_services
from sevamitra.bookings.models import Booking, Rating
from sevamitra.bookings.tests.conftest import at
from sevamitra.bookings.web import forms as booking_forms
from sevamitra.callcentre import forms as call_forms
from sevamitra.core.errors import DomainError
from sevamitra.privacy.aadhaar import (
    find_aadhaar,
    is_aadhaar,
    reject_aadhaar,
    verhoeff_check_digit,
    verhoeff_valid,
)
from sevamitra.providers import services as provider_services
from sevamitra.providers.web import forms as provider_forms

EN = "Do not type an Aadhaar number. We never keep it: remove the 12-digit number and try again."
HI = "आधार नंबर न लिखें। हम इसे नहीं रखते: 12 अंकों वाला नंबर हटाकर फिर से भेजें।"


def aadhaar(first11: str) -> str:
    return first11 + str(verhoeff_check_digit(first11))


VALID = aadhaar("23456789012")  # a number of the right shape with its check digit
WRONG_CHECK = VALID[:11] + str((int(VALID[11]) + 1) % 10)


# --- the algorithm ---------------------------------------------------------------------------


def test_verhoeff_matches_the_published_example():
    # Verhoeff's worked example (and Wikipedia's): the check digit of 236 is 3.
    assert verhoeff_check_digit("236") == 3
    assert verhoeff_valid("2363") is True
    assert verhoeff_valid("2364") is False


@pytest.mark.parametrize("first11", ["23456789012", "98765432109", "50000000000", "77777777777"])
def test_every_single_digit_error_and_adjacent_swap_is_caught(first11):
    number = aadhaar(first11)
    assert verhoeff_valid(number)
    for i in range(12):
        for d in "0123456789":
            if d != number[i]:
                assert not verhoeff_valid(number[:i] + d + number[i + 1 :])
    for i in range(11):
        if number[i] != number[i + 1]:
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
            assert not verhoeff_valid(swapped)


def test_numbers_starting_with_0_or_1_are_not_aadhaar():
    assert is_aadhaar(aadhaar("23456789012"))
    assert not is_aadhaar(aadhaar("03456789012"))
    assert not is_aadhaar(aadhaar("13456789012"))


@pytest.mark.parametrize(
    "text",
    [
        VALID,
        f"{VALID[:4]} {VALID[4:8]} {VALID[8:]}",
        f"{VALID[:4]}-{VALID[4:8]}-{VALID[8:]}",
        f"मेरा आधार {VALID} है",
        f"Aadhaar: {VALID[:4]} {VALID[4:8]} {VALID[8:]}.",
        f"House 12 {VALID[:4]} {VALID[4:8]} {VALID[8:]}",
        # Devanagari digits, as a Hindi keyboard types them
        VALID.translate(str.maketrans("0123456789", "०१२३४५६७८९")),
    ],
)
def test_found_as_typed_or_printed(text):
    assert find_aadhaar(text) == [VALID]


@pytest.mark.parametrize(
    "text",
    [
        WRONG_CHECK,  # 12 digits with a wrong check digit: ordinary text
        VALID[:11],  # 11 digits
        VALID + "5",  # 13 digits
        "5" + VALID,
        aadhaar("13456789012"),
        "Call 9876543210 after 5 pm, flat 226010",
        "",
    ],
)
def test_other_numbers_are_ordinary_text(text):
    assert find_aadhaar(text) == []
    reject_aadhaar(text)  # does not raise


def test_two_numbers_are_both_found():
    other = aadhaar("98765432109")
    assert find_aadhaar(f"{VALID} and {other}") == [VALID, other]


# --- the forms: every wired field refuses, in Hindi and in English -------------------------

FORM_FIELDS = [
    (
        "booking line",
        lambda: booking_forms.BookingForm(
            data={"address": "new", "line": "", "pincode": "226010", "kind": "visit"},
            addresses=[],
            kinds=[("visit", "visit")],
            first_day=timezone.localdate(),
        ),
        "line",
    ),
    (
        "booking locality",
        lambda: booking_forms.BookingForm(
            data={"address": "new", "line": "B-12", "pincode": "226010", "kind": "visit"},
            addresses=[],
            kinds=[("visit", "visit")],
            first_day=timezone.localdate(),
        ),
        "locality",
    ),
    (
        "booking notes",
        lambda: booking_forms.BookingForm(
            data={"address": "new", "line": "B-12", "pincode": "226010", "kind": "visit"},
            addresses=[],
            kinds=[("visit", "visit")],
            first_day=timezone.localdate(),
        ),
        "notes",
    ),
    ("rating text", lambda: booking_forms.RatingForm(data={"stars": "5"}), "text"),
    (
        "cancel details",
        lambda: booking_forms.CancelForm(data={"reason": "other", "fee_seen": "0"}),
        "details",
    ),
    ("address line", lambda: _address_form(), "line"),
    ("address locality", lambda: _address_form(), "locality"),
    (
        "provider included",
        lambda: provider_forms.PricesForm(
            data={"free_cancellation_hours": "2", "cancellation_fee": "0"}, categories=[]
        ),
        "included",
    ),
    (
        "leave reason",
        lambda: provider_forms.LeaveForm(data={"starts_on": "2026-12-01", "ends_on": "2026-12-02"}),
        "reason",
    ),
    ("decline reason", lambda: provider_forms.DeclineForm(data={}), "reason"),
    ("call notes", lambda: call_forms.CloseForm(data={"outcome": "enquiry"}), "notes"),
    (
        "call booking note",
        lambda: call_forms.BookForm(data={"offer": "1", "address": "new"}, addresses=[]),
        "notes",
    ),
    (
        "call booking address",
        lambda: call_forms.BookForm(data={"offer": "1", "address": "new"}, addresses=[]),
        "address_line",
    ),
]


def _address_form():
    from sevamitra.accounts.forms import AddressForm

    return AddressForm(data={"label": "Home", "line": "B-12", "pincode": "226010"})


@pytest.mark.parametrize(("language", "message"), [("hi", HI), ("en", EN)])
@pytest.mark.parametrize(("name", "make", "field"), FORM_FIELDS, ids=[f[0] for f in FORM_FIELDS])
def test_form_field_refuses_an_aadhaar_number(name, make, field, language, message):
    with translation.override(language):
        form = make()
        form.data = {**form.data, field: f"ID {VALID[:4]} {VALID[4:8]} {VALID[8:]} ok"}
        assert not form.is_valid()
        assert form.errors[field][0] == message


@pytest.mark.parametrize(("name", "make", "field"), FORM_FIELDS, ids=[f[0] for f in FORM_FIELDS])
def test_form_field_takes_other_numbers(name, make, field):
    form = make()
    form.data = {**form.data, field: f"ref {WRONG_CHECK}, call 9876543210"}
    form.is_valid()
    assert field not in form.errors


# --- the services: the same refusal behind the forms, nothing written ------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["address", "notes"])
def test_booking_create_refuses_and_writes_nothing(electrician, customer, day, field):
    text = {"address": "B-12, Gomti Nagar", "notes": ""}
    text[field] = f"{text[field]} {VALID}"
    with pytest.raises(DomainError) as refused, translation.override("en"):
        booking_services.booking_create(
            offer=electrician,
            customer=customer,
            start=at(day, "10:00"),
            end=at(day, "11:00"),
            kind="visit",
            channel="web",
            address=text["address"],
            notes=text["notes"],
            acting_user=customer,
        )
    assert (refused.value.code, refused.value.field, str(refused.value.message)) == (
        "aadhaar_number",
        field,
        EN,
    )
    assert Booking.objects.count() == 0
    assert not electrician.provider.calendar_blocks.exists()


@pytest.mark.django_db
def test_rating_add_refuses_and_writes_nothing(electrician, customer, day):
    placed = booking_services.booking_create(
        offer=electrician,
        customer=customer,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        kind="visit",
        channel="web",
        address="B-12",
        acting_user=customer,
    )
    booking, worker = placed.booking, electrician.provider.user
    booking_services.booking_mark_en_route(booking=booking, acting_user=worker)
    booking_services.booking_start(booking=booking, code=placed.codes.start, acting_user=worker)
    booking_services.booking_finish(booking=booking, code=placed.codes.end, acting_user=worker)
    with pytest.raises(DomainError) as refused:
        booking_services.rating_add(
            booking=booking, stars=5, text=f"good {VALID}", acting_user=customer
        )
    assert (refused.value.code, refused.value.field) == ("aadhaar_number", "text")
    assert not Rating.objects.exists()
    booking.refresh_from_db()
    assert booking.status == "completed"
    electrician.provider.refresh_from_db()
    assert electrician.provider.rating_count == 20


@pytest.mark.django_db
def test_provider_terms_refuse_and_keep_the_old_terms(electrician):
    provider = electrician.provider
    with pytest.raises(DomainError) as refused:
        provider_services.provider_set_terms(
            provider=provider,
            free_cancellation_hours=5,
            cancellation_fee=Decimal("10"),
            included=f"Labour only. {VALID}",
            acting_user=provider.user,
        )
    assert (refused.value.code, refused.value.field) == ("aadhaar_number", "included")
    provider.refresh_from_db()
    terms = (provider.free_cancellation_hours, provider.cancellation_fee, provider.terms_included)
    assert terms == (2, Decimal("100.00"), "")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["line", "locality"])
def test_address_services_refuse_and_write_nothing(field):
    user = UserFactory()
    fields = {"label": "Home", "line": "B-12", "locality": "Gomti Nagar", "pincode": "226010"}
    with pytest.raises(DomainError) as refused:
        address_create(user=user, acting_user=user, **{**fields, field: VALID})
    assert (refused.value.code, refused.value.field) == ("aadhaar_number", field)
    assert not Address.objects.exists()

    address = address_create(user=user, acting_user=user, **fields)
    with pytest.raises(DomainError):
        address_update(address=address, acting_user=user, **{field: f"x {VALID}"})
    address.refresh_from_db()
    assert (address.line, address.locality) == ("B-12", "Gomti Nagar")


@pytest.mark.django_db
def test_address_page_shows_the_refusal_in_hindi(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/my/addresses/new/",
        {"label": "Home", "line": f"मकान 12 {VALID}", "pincode": "226010"},
    )
    assert response.status_code == 200
    assert HI in response.content.decode()
    assert not Address.objects.exists()
