"""Indian mobile numbers: one normal form (10 digits, first digit 6-9)."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-().]")
_MOBILE = re.compile(r"[6-9][0-9]{9}")


def ascii_digits(value: str) -> str:
    """Replace any decimal digit (say Devanagari, from a Hindi keyboard) by ASCII 0-9."""
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in value
    )


def normalize_phone(raw: str) -> str:
    """Return the 10-digit national number or raise ValidationError.

    Accepts "+91 98765 43210", "91-9876543210", "09876543210", "9876543210", and the same
    written in Devanagari digits.
    """
    if not isinstance(raw, str):
        raise ValidationError(_("Enter a mobile number."), code="required")
    value = _SEPARATORS.sub("", ascii_digits(raw.strip()))
    if not value:
        raise ValidationError(_("Enter a mobile number."), code="required")
    if value.startswith("+91"):
        value = value[3:]
    elif value.startswith("91") and len(value) == 12:
        value = value[2:]
    elif value.startswith("0") and len(value) == 11:
        value = value[1:]
    if not _MOBILE.fullmatch(value):
        raise ValidationError(
            _(
                "Enter a valid Indian mobile number: 10 digits starting with 6, 7, 8 or 9 "
                "(a +91 or 0 in front is fine)."
            ),
            code="invalid_phone",
        )
    return value
