"""Full Aadhaar numbers are refused wherever a person can type free text (DPDP Act 2023:
collect the minimum; we keep an ID's last four characters only).

An Aadhaar number has 12 digits, does not start with 0 or 1, and its last digit is a Verhoeff
check digit (J. Verhoeff, "Error Detecting Decimal Codes", 1969: the dihedral group D5 with a
permutation applied by position). Printed cards group it as "2345 6789 0123".
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.phone import ascii_digits
from sevamitra.core.errors import DomainError

# d: multiplication in D5; p: the permutation applied to a digit by its position (mod 8);
# inv: the inverse in D5.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

# Twelve digits, alone or grouped 4-4-4 by single spaces or hyphens, with no digit touching
# either end: 11- and 13-digit numbers are not Aadhaar numbers. A number typed after another
# one and a space ("House 12 2345 6789 0124") is still found: refusing too much is safer.
_CANDIDATE = re.compile(r"(?<![0-9])([2-9][0-9]{3})[ \-]?([0-9]{4})[ \-]?([0-9]{4})(?![0-9])")

MESSAGE = _(
    "Do not type an Aadhaar number. We never keep it: remove the 12-digit number and try again."
)


def verhoeff_check_digit(digits: str) -> int:
    """The digit to append to `digits` so that the whole passes the Verhoeff check."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[(i + 1) % 8][int(ch)]]
    return _INV[c]


def verhoeff_valid(digits: str) -> bool:
    """Whether a string of ASCII digits ends in its Verhoeff check digit."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


def is_aadhaar(digits: str) -> bool:
    return len(digits) == 12 and digits[0] not in "01" and verhoeff_valid(digits)


def find_aadhaar(text: str) -> list[str]:
    """The Aadhaar numbers in `text` (12 digits each), in any digits a keyboard types."""
    if not text:
        return []
    found = []
    for match in _CANDIDATE.finditer(ascii_digits(str(text))):
        digits = "".join(match.groups())
        if is_aadhaar(digits):
            found.append(digits)
    return found


def reject_aadhaar(value: str) -> None:
    """Django validator for free-text form fields."""
    if find_aadhaar(value):
        raise ValidationError(MESSAGE, code="aadhaar_number")


class AadhaarRefused(DomainError):
    code = "aadhaar_number"


def refuse_aadhaar(value: str, *, field: str) -> None:
    """The same rule in services (defence in depth): raises a DomainError on `field`."""
    if find_aadhaar(value):
        raise AadhaarRefused(str(MESSAGE), field=field)
