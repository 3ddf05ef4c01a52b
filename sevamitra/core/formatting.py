"""Indian formats: ₹ with lakh/crore grouping (₹1,23,456.00)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_noop


def group_indian(integer_digits: str) -> str:
    """'1234567' -> '12,34,567': the last three digits, then groups of two."""
    if len(integer_digits) <= 3:
        return integer_digits
    head, tail = integer_digits[:-3], integer_digits[-3:]
    pairs = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    if head:
        pairs.insert(0, head)
    return ",".join([*pairs, tail])


def format_inr(amount: Decimal | int | str) -> str:
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    rupees, paise = f"{abs(value):.2f}".split(".")
    return f"{sign}₹{group_indian(rupees)}.{paise}"


# Words Django's date formats use whose Hindi in Django's own catalogue is wrong or missing:
# "A" (AM/PM) is "बजे" for both there, and three month names lack their virama. Our catalogue
# (LOCALE_PATHS) takes precedence; listing them here keeps them in it.
DATE_FORMAT_WORDS = (
    gettext_noop("AM"),
    gettext_noop("PM"),
    gettext_noop("a.m."),
    gettext_noop("p.m."),
    gettext_noop("September"),
    gettext_noop("November"),
    gettext_noop("December"),
)
