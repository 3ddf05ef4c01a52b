import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sevamitra.accounts.phone import normalize_phone


@pytest.mark.parametrize(
    "raw",
    [
        "9876543210",
        "+91 98765 43210",
        "+919876543210",
        "+91-98765-43210",
        "(+91) 98765 43210",
        "09876543210",
        "919876543210",
        "91 98765 43210",
        "  98765 43210  ",
        "९८७६५४३२१०",  # Devanagari digits, as typed on a Hindi keyboard
        "+९१ ९८७६५ ४३२१०",
    ],
)
def test_normalize_phone_accepts_indian_mobile_numbers(raw):
    assert normalize_phone(raw) == "9876543210"


@pytest.mark.parametrize("raw", ["6000000000", "7000000000", "8999999999", "9999999999"])
def test_normalize_phone_accepts_every_leading_digit_from_6_to_9(raw):
    assert normalize_phone(raw) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "5876543210",  # mobiles start with 6-9
        "0876543210",
        "98765",  # too short
        "98765432101",  # 11 digits without a 0 in front
        "0098765432101",
        "91987654321",  # 91 + 9 digits
        "+1 9876543210",  # not India
        "+91 5876543210",
        "+9109876543210",
        "abcdefghij",
        "98765abcde",
        "9876543210x",
        "+91+919876543210",
    ],
)
def test_normalize_phone_refuses_other_numbers_with_a_clear_message(raw):
    with translation.override("en"), pytest.raises(ValidationError) as info:
        normalize_phone(raw)

    assert info.value.code == "invalid_phone"
    with translation.override("en"):  # the message is lazy: read it in English too
        messages = info.value.messages
    assert messages == [
        "Enter a valid Indian mobile number: 10 digits starting with 6, 7, 8 or 9 "
        "(a +91 or 0 in front is fine)."
    ]


@pytest.mark.parametrize("raw", ["", "   ", " - ", None, 9876543210])
def test_normalize_phone_asks_for_a_number_when_there_is_none(raw):
    with translation.override("en"), pytest.raises(ValidationError) as info:
        normalize_phone(raw)

    assert info.value.code == "required"
    with translation.override("en"):
        messages = info.value.messages
    assert messages == ["Enter a mobile number."]
