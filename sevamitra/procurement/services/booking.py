"""Booking the chosen providers of an approved order, all or none, and the yearly ceiling.

Helpers of the submission and approval services (they write no audit entry of their own: the
engine's series.created / booking.created entries and the caller's requisition.booked do)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from sevamitra.bookings.models import BookingKind, Channel, SeriesFrequency
from sevamitra.bookings.series import series_create
from sevamitra.core.errors import DomainError
from sevamitra.procurement import selectors
from sevamitra.procurement.errors import ProvidersUnavailable, RuleBroken
from sevamitra.procurement.models import Office, Requisition, RuleSet


def check_ceiling(*, requisition: Requisition, rule_set: RuleSet, value: Decimal) -> None:
    """Refuse when this order would take the office over its yearly ceiling for the category.
    Locks the office row first, so that two approvals in one office take turns."""
    Office.objects.select_for_update().filter(pk=requisition.office_id).first()
    ceiling = selectors.category_permission(rule_set, requisition.category).yearly_ceiling
    if ceiling is None:
        return
    committed = selectors.committed_value(
        office_id=requisition.office_id,
        category_id=requisition.category_id,
        day=requisition.starts_on,
        exclude_pk=requisition.pk,
    )
    if committed + value > ceiling:
        raise RuleBroken(
            _(
                "This order (₹%(value)s) would take the office over its yearly ceiling of "
                "₹%(ceiling)s for this service; ₹%(left)s is left this financial year."
            )
            % {"value": value, "ceiling": ceiling, "left": max(ceiling - committed, Decimal("0"))},
            code="over_ceiling",
        )


def book_chosen(*, requisition: Requisition, now: dt.datetime) -> None:
    """One daily engagement series per chosen provider, in provider order, all or none: if any
    provider cannot take every day, nothing is booked and the error names them. The customer is
    the indenting officer, who holds the start and end codes as a citizen does."""
    failed: list[dict[str, object]] = []
    chosen_rows = list(
        requisition.chosen.filter(replacement=False)
        .select_related("offer", "offer__provider", "offer__category")
        .order_by("provider_id")
    )
    for chosen in chosen_rows:
        try:
            with transaction.atomic():
                series, _placed = series_create(
                    offer=chosen.offer,
                    customer=requisition.created_by,
                    kind=BookingKind.ENGAGEMENT,
                    frequency=SeriesFrequency.DAILY,
                    starts_on=requisition.starts_on,
                    ends_on=requisition.ends_on,
                    start_time=requisition.start_time,
                    end_time=requisition.end_time,
                    channel=Channel.GOVERNMENT,
                    address=requisition.place_address,
                    pincode=requisition.place_pincode,
                    lat=requisition.lat,
                    lng=requisition.lng,
                    notes=_("Government order %(number)s") % {"number": requisition.number},
                    acting_user=requisition.created_by,
                    now=now,
                )
            chosen.series, chosen.booked_at = series, now
            chosen.save(update_fields=["series", "booked_at"])
        except DomainError as exc:
            failed.append(
                {
                    "provider": chosen.provider_id,
                    "name": chosen.offer.provider.display_name,
                    "code": exc.code,
                    "message": str(exc),
                }
            )
    if failed:  # raising rolls back every series already made: all or none
        raise ProvidersUnavailable(
            _("Not every Sevamitra can take the whole order, so nothing was booked: %(names)s.")
            % {"names": ", ".join(str(f["name"]) for f in failed)},
            extra={"failed": failed},
        )
