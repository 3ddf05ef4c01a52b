"""Showing job postings: salaries in Indian format, and the language of the portal's texts."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sevamitra.core.formatting import group_indian

register = template.Library()


@register.filter
def rupees(value: int | None) -> str:
    """Whole rupees with Indian grouping: 125000 → "₹1,25,000"."""
    return "" if value is None else f"₹{group_indian(str(int(value)))}"


@register.filter
def salary(posting) -> str:  # type: ignore[no-untyped-def]
    low, high = posting.salary_min, posting.salary_max
    if low is not None and high is not None and low != high:
        return _("%(low)s–%(high)s a month") % {"low": rupees(low), "high": rupees(high)}
    if low is not None and high is not None:
        return _("%(amount)s a month") % {"amount": rupees(low)}
    if low is not None:
        return _("from %(amount)s a month") % {"amount": rupees(low)}
    if high is not None:
        return _("up to %(amount)s a month") % {"amount": rupees(high)}
    return _("Salary not stated")


def _script(text: str) -> str:
    if any("\u0900" <= ch <= "\u097f" for ch in text):
        return "hi"
    if any(ch.isascii() and ch.isalpha() for ch in text):
        return "en"
    return ""


@register.filter
def lang_attr(text: str) -> SafeString:
    """' lang="en"' for a Latin text on a Hindi page (and the other way round): the portal's
    texts (employers, places, skills) come in either script; screen readers need to know."""
    script = _script(str(text or ""))
    page = "hi" if (get_language() or "hi").startswith("hi") else "en"
    return mark_safe(f' lang="{script}"') if script and script != page else mark_safe("")  # noqa: S308
