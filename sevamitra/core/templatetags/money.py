from decimal import Decimal

from django import template

from sevamitra.core.formatting import format_inr

register = template.Library()


@register.filter
def inr(value: Decimal | int | str | None) -> str:
    return "" if value in (None, "") else format_inr(value)
