"""Requisitions: the indenting officer's order (create, change, submit with chosen providers,
cancel). Submission applies the rules in force and, when no approval is needed, books at once.

Every refusal raises before anything is written (or rolls back what was)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.audit.services import audit_change, audit_record, snapshot
from sevamitra.bookings.models import BookingStatus
from sevamitra.bookings.series import series_cancel
from sevamitra.catalog.models import Category
from sevamitra.core.errors import PermissionDenied
from sevamitra.geo import pincodes
from sevamitra.privacy.aadhaar import refuse_aadhaar
from sevamitra.procurement import permissions as can
from sevamitra.procurement import selectors
from sevamitra.procurement.errors import IllegalTransition, ProcurementError, RuleBroken
from sevamitra.procurement.models import (
    REQUISITION_TRANSITIONS,
    Office,
    Requisition,
    RequisitionProvider,
    RequisitionStatus,
    RuleSet,
)
from sevamitra.procurement.models.orders import EDITABLE_STATUSES
from sevamitra.procurement.services.booking import book_chosen, check_ceiling
from sevamitra.providers.models import Offer

R = RequisitionStatus
FIELDS = (
    "status",
    "office_id",
    "category_id",
    "place_pincode",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "workers",
)


def move(requisition: Requisition, to: str) -> None:
    """Check the transition table and set the new status (the caller saves)."""
    if to not in REQUISITION_TRANSITIONS[requisition.status]:
        raise IllegalTransition(
            _("This order is %(status)s; that cannot be done now.")
            % {"status": requisition.get_status_display()}
        )
    requisition.status = to


def _rules_in_force(today: dt.date) -> RuleSet:
    rule_set = selectors.current_rule_set(today)
    if rule_set is None:
        raise RuleBroken(
            _("No rules for government orders are in force yet. Ask the administrator."),
            code="no_rules",
        )
    return rule_set


def _check_order(
    *,
    rule_set: RuleSet,
    category: Category,
    starts_on: dt.date,
    ends_on: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    workers: int,
    now: dt.datetime,
) -> None:
    today = timezone.localdate(now)
    if starts_on < today or (starts_on == today and start_time <= timezone.localtime(now).time()):
        raise RuleBroken(
            _("The first day cannot be in the past."), code="date_in_past", field="starts_on"
        )
    if ends_on < starts_on:
        raise RuleBroken(
            _("The last day cannot be before the first day."),
            code="dates_out_of_order",
            field="ends_on",
        )
    days = (ends_on - starts_on).days + 1
    if days > rule_set.max_duration_days:
        raise RuleBroken(
            _("An order can last at most %(days)d days under %(go)s.")
            % {"days": rule_set.max_duration_days, "go": rule_set.go_reference},
            code="too_long",
            field="ends_on",
        )
    # The providers' calendars take bookings this far ahead (the engine refuses later visits).
    horizon = timezone.localtime(now) + dt.timedelta(days=settings.SEARCH_MAX_DAYS_AHEAD)
    last_day = horizon.date() if end_time <= horizon.time() else horizon.date() - dt.timedelta(1)
    if ends_on > last_day:
        raise RuleBroken(
            _(
                "Sevamitras can be booked up to %(days)d days ahead: the last day can be "
                "%(last)s at the latest."
            )
            % {"days": settings.SEARCH_MAX_DAYS_AHEAD, "last": last_day.strftime("%d/%m/%Y")},
            code="beyond_horizon",
            field="ends_on",
        )
    if end_time <= start_time:
        raise RuleBroken(
            _("The daily end time must be after the start time."),
            code="hours_out_of_order",
            field="end_time",
        )
    if not 1 <= workers <= 50:
        raise RuleBroken(_("Ask for 1 to 50 workers."), code="invalid_workers", field="workers")
    permission = selectors.category_permission(rule_set, category)
    if not permission.allowed:
        if category.gem_available:
            message = _(
                "%(service)s is offered on GeM: order it there, or ask the administrator "
                "for an exception with a written justification."
            )
        else:
            message = _("%(service)s may not be ordered under the rules in force.")
        raise RuleBroken(
            message % {"service": category.name}, code="category_not_allowed", field="category"
        )


def _clean_place(address: str, pincode: str) -> tuple[str, str, float, float]:
    address = address.strip()
    if not address:
        raise ProcurementError(
            _("Give the address where the work is."), code="address_required", field="place_address"
        )
    refuse_aadhaar(address, field="place_address")
    info = pincodes.pincode_info(pincode.strip())
    if info is None:
        raise ProcurementError(
            _("Enter a valid 6-digit pincode."), code="invalid_pincode", field="place_pincode"
        )
    return address, info.pincode, info.lat, info.lng


def _cleaned_details(
    *,
    office: Office,
    category: Category,
    starts_on: dt.date,
    ends_on: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    workers: int,
    purpose: str,
    place_address: str,
    place_pincode: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """The one check of an order's details, for creating and for changing a draft: the rules in
    force, a purpose, a real place (the office's when none is given). The fields to store."""
    rule_set = _rules_in_force(timezone.localdate(now))
    _check_order(
        rule_set=rule_set,
        category=category,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        workers=workers,
        now=now,
    )
    if not purpose.strip():
        raise ProcurementError(
            _("Say what the work is for."), code="purpose_required", field="purpose"
        )
    refuse_aadhaar(purpose, field="purpose")
    address, pincode, lat, lng = _clean_place(
        place_address or office.address, place_pincode or office.pincode
    )
    return {
        "category": category,
        "place_address": address,
        "place_pincode": pincode,
        "lat": lat,
        "lng": lng,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "start_time": start_time,
        "end_time": end_time,
        "workers": workers,
        "purpose": purpose.strip(),
    }


@transaction.atomic
def requisition_create(
    *,
    office: Office,
    category: Category,
    starts_on: dt.date,
    ends_on: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    workers: int,
    purpose: str,
    place_address: str = "",
    place_pincode: str = "",
    acting_user: User,
    now: dt.datetime | None = None,
) -> Requisition:
    """A draft order; the place defaults to the office's address. The rules in force are
    checked now and again on submission."""
    now = now or timezone.now()
    if not can.can_create_requisition(acting_user, office):
        raise PermissionDenied(_("You are not allowed to do this."))
    details = _cleaned_details(
        office=office,
        category=category,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        workers=workers,
        purpose=purpose,
        place_address=place_address,
        place_pincode=place_pincode,
        now=now,
    )
    requisition = Requisition.objects.create(
        office=office, status=R.DRAFT, created_by=acting_user, created_at=now, **details
    )
    audit_change(actor=acting_user, action="requisition.created", obj=requisition, fields=FIELDS)
    return requisition


# Changing one of these makes the Sevamitras chosen at an earlier submission (and their
# estimates) stale: the maker chooses again.
MATCHING_FIELDS = (
    "category_id",
    "place_pincode",
    "lat",
    "lng",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "workers",
)


@transaction.atomic
def requisition_update(
    *,
    requisition: Requisition,
    category: Category,
    starts_on: dt.date,
    ends_on: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    workers: int,
    purpose: str,
    place_address: str = "",
    place_pincode: str = "",
    acting_user: User,
    now: dt.datetime | None = None,
) -> Requisition:
    """Change a draft or sent-back order (its maker), checked exactly as a new one is
    (_cleaned_details). Not after submission. When what the Sevamitras were matched on
    changes, the earlier choice is dropped and the maker chooses again on submission."""
    now = now or timezone.now()
    requisition = (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=requisition.pk)
    )
    if not can.can_edit_requisition(acting_user, requisition):
        raise PermissionDenied(_("You are not allowed to do this."))
    if requisition.status not in EDITABLE_STATUSES:
        raise IllegalTransition(
            _(
                "This order has been submitted and can no longer be changed. If it must "
                "change, the approving officer can send it back to you."
            )
        )
    details = _cleaned_details(
        office=requisition.office,
        category=category,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        workers=workers,
        purpose=purpose,
        place_address=place_address,
        place_pincode=place_pincode,
        now=now,
    )
    recorded = tuple(f for f in FIELDS if f != "status" and f != "office_id")
    before = snapshot(requisition, (*recorded, "estimated_value"))
    old_matching = snapshot(requisition, MATCHING_FIELDS)
    old_text = (requisition.purpose, requisition.place_address)
    if details["place_pincode"] == requisition.place_pincode:
        del details["lat"], details["lng"]  # the same place keeps its point
    for name, value in details.items():
        setattr(requisition, name, value)
    rematch = snapshot(requisition, MATCHING_FIELDS) != old_matching
    text_changed = (requisition.purpose, requisition.place_address) != old_text
    if not rematch and not text_changed:
        return requisition  # nothing changed: nothing written
    dropped: list[int] = []
    if rematch:
        dropped = sorted(requisition.chosen.values_list("provider_id", flat=True))
        requisition.chosen.all().delete()
        requisition.estimated_value = Decimal("0.00")
    requisition.save()
    after = snapshot(requisition, (*recorded, "estimated_value"))
    changed = [key for key in before if before[key] != after[key]]
    # The purpose and the address are free text: only whether they changed.
    audit_record(
        actor=acting_user,
        action="requisition.updated",
        obj=requisition,
        before={key: before[key] for key in changed},
        after={
            **{key: after[key] for key in changed},
            "purpose_changed": old_text[0] != requisition.purpose,
            "place_address_changed": old_text[1] != requisition.place_address,
            "providers_dropped": dropped,
        },
    )
    return requisition


@transaction.atomic
def requisition_submit(
    *,
    requisition: Requisition,
    offers: list[Offer],
    acting_user: User,
    now: dt.datetime | None = None,
) -> Requisition:
    """Submit with the chosen providers (one offer per worker). The rules in force are applied
    and kept with the order; at or below the approval threshold the providers are booked at
    once, otherwise the order waits for one or two approvals."""
    now = now or timezone.now()
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    if not can.can_edit_requisition(acting_user, requisition):
        raise PermissionDenied(_("You are not allowed to do this."))
    if requisition.status not in EDITABLE_STATUSES:
        raise IllegalTransition(_("This order has been submitted already."))
    rule_set = _rules_in_force(timezone.localdate(now))
    _check_order(
        rule_set=rule_set,
        category=requisition.category,
        starts_on=requisition.starts_on,
        ends_on=requisition.ends_on,
        start_time=requisition.start_time,
        end_time=requisition.end_time,
        workers=requisition.workers,
        now=now,
    )
    if len(offers) != requisition.workers:
        raise ProcurementError(
            _("Choose exactly %(n)d Sevamitra(s), one for each worker.")
            % {"n": requisition.workers},
            code="wrong_count",
            field="offers",
        )
    if len({offer.provider_id for offer in offers}) != len(offers):
        raise ProcurementError(
            _("Choose each Sevamitra once."), code="duplicate_provider", field="offers"
        )
    candidates = {c.offer.pk: c for c in selectors.matching_offers(requisition, now=now)}
    missing = [offer for offer in offers if offer.pk not in candidates]
    if missing:
        raise ProcurementError(
            _("%(n)d of the chosen Sevamitras can no longer do this work; choose again.")
            % {"n": len(missing)},
            code="provider_not_available",
            field="offers",
            extra={"offers": [offer.pk for offer in missing]},
        )
    chosen = [candidates[offer.pk] for offer in offers]
    value = sum((c.estimate for c in chosen), Decimal("0.00"))
    check_ceiling(requisition=requisition, rule_set=rule_set, value=value)
    before = {"status": requisition.status, "estimated_value": requisition.estimated_value}
    requisition.chosen.all().delete()
    RequisitionProvider.objects.bulk_create(
        RequisitionProvider(
            requisition=requisition,
            provider=c.offer.provider,
            offer=c.offer,
            unit_price=c.offer.price,
            estimated_value=c.estimate,
        )
        for c in chosen
    )
    requisition.estimated_value = value
    requisition.rule_set = rule_set
    requisition.round += 1
    requisition.submitted_at = now
    if value <= rule_set.approval_threshold:
        requisition.approvals_needed = 0
    elif value <= rule_set.second_approval_threshold:
        requisition.approvals_needed = 1
    else:
        requisition.approvals_needed = 2
    booked = requisition.approvals_needed == 0
    move(requisition, R.BOOKED if booked else R.SUBMITTED)
    if booked:
        book_chosen(requisition=requisition, now=now)
        requisition.booked_at = now
    requisition.save()
    after = {
        "status": R.SUBMITTED,
        "estimated_value": value,
        "rule_set": rule_set.pk,
        "approvals_needed": requisition.approvals_needed,
        "round": requisition.round,
        "providers": sorted(c.offer.provider_id for c in chosen),
    }
    audit_record(
        actor=acting_user,
        action="requisition.submitted",
        obj=requisition,
        before=before,
        after=after,
    )
    if booked:
        audit_record(
            actor=acting_user,
            action="requisition.booked",
            obj=requisition,
            before={"status": R.SUBMITTED},
            after={"status": R.BOOKED, "series": _series_ids(requisition)},
        )
    return requisition


def _series_ids(requisition: Requisition) -> list[int]:
    return sorted(requisition.chosen.exclude(series=None).values_list("series_id", flat=True))


@transaction.atomic
def requisition_cancel(
    *, requisition: Requisition, reason: str, acting_user: User, now: dt.datetime | None = None
) -> Requisition:
    """Withdraw a draft or sent-back order (its maker), or cancel a booked order before any of
    its visits has started (the office): the providers' visits still to come are cancelled."""
    now = now or timezone.now()
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    booked = requisition.status == R.BOOKED
    allowed = (
        can.can_act_for_office(acting_user, requisition)
        if booked
        else can.can_edit_requisition(acting_user, requisition)
    )
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))
    if not reason.strip():
        raise ProcurementError(
            _("Give a reason for the cancellation."), code="reason_required", field="reason"
        )
    old = requisition.status
    move(requisition, R.CANCELLED)
    if booked:
        bookings = selectors.bookings_of(requisition)
        if any(
            b.status not in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED) for b in bookings
        ):
            raise IllegalTransition(
                _("Work on this order has started; it can no longer be cancelled here.")
            )
        for chosen in requisition.chosen.select_related("series").order_by("provider_id"):
            if chosen.series is None:
                continue
            # The order's bookings are the indenting officer's (the customer).
            series_cancel(
                series=chosen.series, reason=reason, acting_user=requisition.created_by, now=now
            )
    requisition.cancelled_at = now
    requisition.save(update_fields=["status", "cancelled_at"])
    audit_record(
        actor=acting_user,
        action="requisition.cancelled",
        obj=requisition,
        before={"status": old},
        after={"status": requisition.status, "reason_given": True},
    )
    return requisition
