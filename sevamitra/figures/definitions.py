"""What each public figure is: its key (as in the CSV and the JSON), its kind, the section of
the page it belongs to, its name and its definition for people. The precise definitions, as
computed, are in figures.selectors' docstring; the keys here are the ones it computes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

COUNT, MONEY, DAYS, PERCENT = "count", "money", "days", "percent"


@dataclass(frozen=True)
class Measure:
    key: str
    kind: str  # COUNT, MONEY (₹ median), DAYS (median or average), PERCENT
    section: str
    label: Any  # lazy text
    definition: Any  # lazy text
    stock: bool = False  # as at the computation time: no month rows
    calls: bool = False  # a call figure: no gender
    basis: str = ""  # statistics: the count of the people or items it is computed from


SEVAMITRAS, BOOKINGS, CALLS, COMPLAINTS, GOVERNMENT = (
    "sevamitras",
    "bookings",
    "calls",
    "complaints",
    "government",
)
SECTIONS = {
    SEVAMITRAS: _("Sevamitras"),
    BOOKINGS: _("Bookings"),
    CALLS: _("Call centre"),
    COMPLAINTS: _("Complaints"),
    GOVERNMENT: _("Government orders"),
}

MEASURES: tuple[Measure, ...] = (
    Measure(
        "registered",
        COUNT,
        SEVAMITRAS,
        _("Registered Sevamitras"),
        _("Sevamitras registered on the portal, whatever their verification status."),
        stock=True,
    ),
    Measure(
        "verified",
        COUNT,
        SEVAMITRAS,
        _("Verified Sevamitras"),
        _("Registered Sevamitras whose verification is complete and in force now."),
        stock=True,
    ),
    Measure(
        "earned_30d",
        COUNT,
        SEVAMITRAS,
        _("Sevamitras who earned in the last 30 days"),
        _(
            "Sevamitras with at least one paid booking completed in the 30 days before the "
            "figures were computed. By service: bookings of that service only."
        ),
        stock=True,
    ),
    Measure(
        "median_earnings_30d",
        MONEY,
        SEVAMITRAS,
        _("Median earnings in the last 30 days"),
        _(
            "Half of the Sevamitras who earned in the last 30 days earned more than this, half "
            "less: the amounts of their bookings completed in those 30 days."
        ),
        stock=True,
        basis="earned_30d",
    ),
    Measure(
        "new_registrations",
        COUNT,
        SEVAMITRAS,
        _("New registrations"),
        _("Sevamitras who registered in the period."),
    ),
    Measure(
        "bookings_completed",
        COUNT,
        BOOKINGS,
        _("Bookings completed"),
        _("Bookings due in the period whose work was completed (with the customer's code)."),
    ),
    Measure(
        "cancelled_by_customer",
        COUNT,
        BOOKINGS,
        _("Cancelled by the customer"),
        _("Bookings due in the period that the customer cancelled."),
    ),
    Measure(
        "cancelled_by_sevamitra",
        COUNT,
        BOOKINGS,
        _("Cancelled by the Sevamitra"),
        _("Bookings due in the period that the Sevamitra cancelled."),
    ),
    Measure(
        "no_shows_by_sevamitra",
        COUNT,
        BOOKINGS,
        _("Sevamitra did not come"),
        _("Bookings due in the period that the customer reported the Sevamitra did not come to."),
    ),
    Measure(
        "no_shows_by_customer",
        COUNT,
        BOOKINGS,
        _("Customer was not there"),
        _("Bookings due in the period where the Sevamitra came and the customer was not there."),
    ),
    Measure(
        "calls",
        COUNT,
        CALLS,
        _("Calls"),
        _(
            "Finished calls to the call centre that started in the period. Calls have no "
            "Sevamitra, so they are not counted by gender."
        ),
        calls=True,
    ),
    Measure(
        "calls_booked",
        COUNT,
        CALLS,
        _("Calls that became bookings"),
        _("Of those calls, the ones in which a booking was made."),
        calls=True,
    ),
    Measure(
        "call_conversion_percent",
        PERCENT,
        CALLS,
        _("Calls that became bookings (%)"),
        _("Calls that became bookings, per 100 calls."),
        calls=True,
        basis="calls",
    ),
    Measure(
        "complaints",
        COUNT,
        COMPLAINTS,
        _("Complaints made"),
        _("Complaints made about bookings in the period."),
    ),
    Measure(
        "complaints_resolved",
        COUNT,
        COMPLAINTS,
        _("Complaints decided"),
        _("Complaints decided in the period (not counting complaints the customer closed)."),
    ),
    Measure(
        "median_days_to_resolve",
        DAYS,
        COMPLAINTS,
        _("Median days to decide a complaint"),
        _("For the complaints decided in the period: days from the complaint to the decision."),
        basis="complaints_resolved",
    ),
    Measure(
        "government_orders",
        COUNT,
        GOVERNMENT,
        _("Government orders"),
        _(
            "Orders of government offices approved and booked in the period. By district, "
            "service and gender an order counts for each of its Sevamitras' rows."
        ),
    ),
    Measure(
        "invoices_paid",
        COUNT,
        GOVERNMENT,
        _("Invoices paid in full"),
        _("Sevamitras' invoices for government orders paid in full in the period."),
    ),
    Measure(
        "median_days_to_payment",
        DAYS,
        GOVERNMENT,
        _("Median days to payment"),
        _("For those invoices: days from the office's acceptance of the work to full payment."),
        basis="invoices_paid",
    ),
    Measure(
        "average_days_to_payment",
        DAYS,
        GOVERNMENT,
        _("Average days to payment"),
        _("The same days, averaged."),
        basis="invoices_paid",
    ),
)
MEASURE = {m.key: m for m in MEASURES}
# Rule 3 of figures.suppression: (whole, part) pairs shown in one row.
NESTED = (("registered", "verified"), ("calls", "calls_booked"))
