"""How money and history read on the citizen's pages: price lines with their arithmetic in
words, and a booking's history as sentences."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sevamitra.bookings.models import BookingEvent, BookingStatus
from sevamitra.bookings.pricing import SERVICE, Quote
from sevamitra.catalog.models import PricingUnit
from sevamitra.core.formatting import format_inr


def _number(quantity: Decimal) -> str:
    return format(quantity.normalize(), "f")


def units(unit: str, quantity: Decimal) -> str:
    """ "2 hours", "1 visit", "3 days" in the reader's language."""
    n = _number(quantity)
    count = int(quantity) if quantity == quantity.to_integral_value() else 2
    if unit == PricingUnit.HOUR:
        text = ngettext("%(n)s hour", "%(n)s hours", count)
    elif unit == PricingUnit.DAY:
        text = ngettext("%(n)s day", "%(n)s days", count)
    elif unit == PricingUnit.MONTH:
        text = ngettext("%(n)s month", "%(n)s months", count)
    elif unit == PricingUnit.EVENT:
        text = ngettext("%(n)s event", "%(n)s events", count)
    else:
        text = ngettext("%(n)s visit", "%(n)s visits", count)
    return text % {"n": n}


@dataclass(frozen=True)
class PriceLine:
    label: str | Promise
    note: str  # "₹300.00 × 2 hours" for the service line, else ""
    amount: Decimal
    code: str


def price_lines(quote: Quote, unit: str) -> list[PriceLine]:
    """The quote's lines as a table shows them; the total is `quote.total`."""
    lines = []
    for line in quote.lines:
        note = ""
        if line.code == SERVICE:
            note = f"{format_inr(line.unit_price)} × {units(unit, line.quantity)}"
        lines.append(PriceLine(line.label, note, line.amount, line.code))
    return lines


EVENT_LABELS: dict[str, str | Promise] = {
    "created": _("Booked"),
    "accepted": _("Accepted by the Sevamitra"),
    "declined": _("The Sevamitra could not take it"),
    "request_expired": _("No answer in time"),
    "en_route": _("The Sevamitra is on the way"),
    "started": _("Work started"),
    "completed": _("Work completed"),
    "cancelled": _("Cancelled"),
    "rescheduled": _("Moved to a new time"),
    "codes_reissued": _("New codes sent to you"),
    "payment_recorded": _("Payment recorded"),
    "rated": _("You rated the work"),
    "customer_rated": _("The Sevamitra rated the visit"),
    "no_show": _("Reported: the Sevamitra did not come"),
    "customer_absent": _("The Sevamitra came and found nobody there"),
}


def event_label(event: BookingEvent) -> str | Promise:
    if event.action in EVENT_LABELS:
        return EVENT_LABELS[event.action]
    if event.to_status in BookingStatus.values:
        return BookingStatus(event.to_status).label
    return event.action
