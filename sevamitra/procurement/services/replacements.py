"""Replacements: when a Sevamitra declines visits of a booked order, lets the requests expire
or cancels them, the order is short (selectors.uncovered_visits); the indenting officer books
another verified Sevamitra for those visits.

A replacement is booked through the booking engine at once, all or none (one daily series per
run of consecutive uncovered days), when its value keeps the order within its approved amount
(what the order's bookings commit the office to, selectors.committed_spend, plus the
replacement, at most the estimated value that was approved). One that would exceed it is
refused: a booked order is not sent for approval a second time; the message says to choose a
Sevamitra whose value fits or to raise a new requisition for those visits."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.audit.services import audit_record
from sevamitra.bookings.models import BookingKind, Channel, SeriesFrequency
from sevamitra.bookings.series import series_create
from sevamitra.core.errors import DomainError, PermissionDenied
from sevamitra.procurement import permissions as can
from sevamitra.procurement import selectors
from sevamitra.procurement.errors import (
    IllegalTransition,
    ProcurementError,
    ProvidersUnavailable,
    RuleBroken,
)
from sevamitra.procurement.models import Requisition, RequisitionProvider, RequisitionStatus
from sevamitra.providers.models import Offer


def _over_amount(*, value: Decimal, left: Decimal, approved: Decimal) -> RuleBroken:
    return RuleBroken(
        _(
            "This replacement would cost ₹%(value)s, but only ₹%(left)s of the approved "
            "₹%(approved)s is left on this order, and a booked order cannot go for approval "
            "again. Choose a Sevamitra whose value fits, or raise a new requisition for these "
            "visits."
        )
        % {"value": value, "left": max(left, Decimal("0.00")), "approved": approved},
        code="over_approved_amount",
        field="offer",
    )


@transaction.atomic
def requisition_replacement_book(
    *,
    requisition: Requisition,
    offer: Offer,
    acting_user: User,
    now: dt.datetime | None = None,
) -> list[RequisitionProvider]:
    """Book `offer`'s Sevamitra for every uncovered visit of the order, all or none.

    Refused (nothing written): not an indenting officer of the office; the order is not booked;
    nothing is uncovered; the Sevamitra is not free on every uncovered visit; the value would
    take the order over its approved amount; the engine cannot book one of the visits."""
    now = now or timezone.now()
    # The order first: two replacements for one order take turns (then the engine's calendar
    # locks, then the audit entries).
    requisition = (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("category", "created_by")
        .get(pk=requisition.pk)
    )
    if not can.can_book_replacement(acting_user, requisition):
        raise PermissionDenied(_("You are not allowed to do this."))
    if requisition.status != RequisitionStatus.BOOKED:
        raise IllegalTransition(_("A replacement can be booked only for a booked order."))
    bookings = selectors.bookings_of(requisition)
    visits = selectors.uncovered_visits(requisition, now=now, bookings=bookings)
    if not visits:
        raise ProcurementError(
            _("Every visit of this order is covered: there is nothing to replace."),
            code="nothing_uncovered",
        )
    candidate = next(
        (
            c
            for c in selectors.replacement_candidates(requisition, visits, now=now)
            if c.offer.pk == offer.pk
        ),
        None,
    )
    if candidate is None:
        raise ProcurementError(
            _("This Sevamitra is not free on every uncovered visit; choose another."),
            code="provider_not_available",
            field="offer",
        )
    approved = requisition.estimated_value
    spent = selectors.committed_spend(bookings)
    if spent + candidate.estimate > approved:
        raise _over_amount(value=candidate.estimate, left=approved - spent, approved=approved)
    rows: list[RequisitionProvider] = []
    for run in selectors.day_runs([visit.day for visit in visits]):
        try:
            with transaction.atomic():
                series, placed = series_create(
                    offer=candidate.offer,
                    customer=requisition.created_by,
                    kind=BookingKind.ENGAGEMENT,
                    frequency=SeriesFrequency.DAILY,
                    starts_on=run[0],
                    ends_on=run[-1],
                    start_time=requisition.start_time,
                    end_time=requisition.end_time,
                    channel=Channel.GOVERNMENT,
                    address=requisition.place_address,
                    pincode=requisition.place_pincode,
                    lat=requisition.lat,
                    lng=requisition.lng,
                    notes=_("Government order %(number)s (replacement)")
                    % {"number": requisition.number},
                    acting_user=requisition.created_by,
                    now=now,
                )
        except DomainError as exc:  # raising rolls back the runs already booked: all or none
            raise ProvidersUnavailable(
                _(
                    "%(name)s could not be booked on every uncovered visit, so nothing was "
                    "booked: %(reason)s"
                )
                % {"name": candidate.offer.provider.display_name, "reason": exc.message},
                extra={"code": exc.code},
            ) from exc
        rows.append(
            RequisitionProvider.objects.create(
                requisition=requisition,
                provider=candidate.offer.provider,
                offer=candidate.offer,
                unit_price=candidate.offer.price,
                estimated_value=sum((p.booking.total for p in placed), Decimal("0.00")),
                series=series,
                replacement=True,
                booked_at=now,
            )
        )
    value = sum((row.estimated_value for row in rows), Decimal("0.00"))
    if spent + value > approved:  # the engine's price differs from the estimate shown
        raise _over_amount(value=value, left=approved - spent, approved=approved)
    audit_record(
        actor=acting_user,
        action="requisition.replacement_booked",
        obj=requisition,
        before={"uncovered": sum(visit.missing for visit in visits), "committed": spent},
        after={
            "provider": candidate.offer.provider_id,
            "offer": candidate.offer.pk,
            "series": [row.series_id for row in rows],
            "days": [visit.day for visit in visits],
            "value": value,
            "committed": spent + value,
            "approved": approved,
        },
    )
    return rows
