"""Writes of the booking engine: holds, bookings, their life cycle, money, ratings.

Every function runs in one transaction, checks the acting user through
accounts.permissions-style rules in `bookings.permissions`, changes status only along
BOOKING_TRANSITIONS, records a BookingEvent and queues notifications in the same transaction.

The audit trail: every BookingEvent is mirrored by an audit entry "booking.<event action>"
(`_record`, the one choke point), in the capacity the actor acted in (customer → citizen,
the booking's Sevamitra → provider, nobody → system, anyone else → the roles they hold).
Entries hold references and amounts, never the address, notes or the text of a reason.
Holds are not audited (see hold_release): a few minutes' reservation, the booking is.

Lock order: the audit append holds a lock until commit, so a service takes every row lock it
needs (booking, then the provider's calendar) before its first audit entry; where a service
must lock more after recording an event (a declined request passed on to another Sevamitra)
it records the event's audit entry at its end. The busiest services (booking_create,
booking_accept) also append theirs last, after the codes and notifications, to keep the
serialised part of every booking transaction (append → commit) short.
"""

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, FloatField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.accounts.permissions import require
from sevamitra.audit.services import audit_record
from sevamitra.bookings import jobs, notify
from sevamitra.bookings import permissions as can
from sevamitra.bookings.calendar import (
    calendar_lock,
    calendar_move,
    calendar_take,
    check_bookable,
)
from sevamitra.bookings.errors import (
    BookingError,
    HoldInvalid,
    IllegalTransition,
    PaymentMismatch,
    TooManyTries,
    WrongCode,
)
from sevamitra.bookings.models import (
    BOOKING_TRANSITIONS,
    Booking,
    BookingEvent,
    BookingKind,
    BookingStatus,
    CancelledBy,
    Channel,
    Payment,
    PaymentMethod,
    Rating,
    RatingDirection,
)
from sevamitra.bookings.pricing import (
    Quote,
    TermsSnapshot,
    cancellation_fee_due,
    quote_for_slot,
)
from sevamitra.core.errors import DomainError, PermissionDenied
from sevamitra.privacy.aadhaar import refuse_aadhaar
from sevamitra.providers.models import BlockKind, CalendarBlock, Offer, Provider
from sevamitra.search.params import slot_errors
from sevamitra.tasks.services import job_enqueue

S = BookingStatus
CODE_DIGITS = 4


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _check_times(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> None:
    errors = slot_errors(start, end, now)
    if errors:
        raise errors[0]


# Event details copied into the audit trail. Not "reason": free text (only whether one was
# given is recorded).
_AUDITED_DETAIL = ("channel", "auto_accept", "by", "fee", "method", "amount", "stars")


def _audit_event(
    booking: Booking,
    event: BookingEvent,
    *,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """The audit entry of a BookingEvent: "booking.<action>", the status before and after
    (when it changed), the event's amounts and references, and what the caller adds."""
    old: dict[str, Any] = dict(before or {})
    new: dict[str, Any] = {}
    if event.from_status != event.to_status:
        if event.from_status:
            old["status"] = event.from_status
        new["status"] = event.to_status
    new.update({key: event.detail[key] for key in _AUDITED_DETAIL if key in event.detail})
    if "reason" in event.detail:
        new["reason_given"] = bool(str(event.detail["reason"]).strip())
    new.update(after or {})
    actor, role = event.actor, ""
    if actor is not None:
        role = can.capacity(
            actor, customer_id=booking.customer_id, provider_user_id=booking.provider.user_id
        )
    audit_record(
        actor=actor,
        role=role,
        action=f"booking.{event.action}",
        obj=booking,
        before=old or None,
        after=new or None,
    )


# Events after which a government order's visit needs someone else.
GOVERNMENT_VISIT_LOST = frozenset({"declined", "request_expired", "cancelled"})


def _record(
    booking: Booking,
    *,
    actor: User | None,
    action: str,
    from_status: str = "",
    detail: dict | None = None,
    audit: bool = True,
    audit_before: dict | None = None,
    audit_after: dict | None = None,
) -> BookingEvent:
    """Record a BookingEvent and (unless `audit` is False: then the caller calls
    _audit_event itself, later) its audit entry."""
    event = BookingEvent.objects.create(
        booking=booking,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=booking.status,
        detail=detail or {},
    )
    if booking.channel == Channel.ONDC:
        # The buyer app hears of every change (unsolicited on_status/on_cancel/on_update): the
        # ONDC app's job, named rather than imported, so the engine knows no protocol.
        job_enqueue(
            name="ondc.booking_changed",
            payload={"booking_id": booking.pk, "event_id": event.pk},
            dedupe_key=f"ondc.booking_changed:{event.pk}",
        )
    elif (
        booking.channel == Channel.GOVERNMENT
        and action in GOVERNMENT_VISIT_LOST
        and (detail or {}).get("by") != CancelledBy.CUSTOMER
    ):
        # A visit of a government order fell through (not by the office): the procurement
        # app's job, named rather than imported, tells the office (and counts the visits that
        # need a replacement).
        job_enqueue(
            name="procurement.visit_lost",
            payload={"booking_id": booking.pk, "event_id": event.pk},
            dedupe_key=f"procurement.visit_lost:{event.pk}",
        )
    if audit:
        _audit_event(booking, event, before=audit_before, after=audit_after)
    return event


def _move(
    booking: Booking,
    to: str,
    *,
    actor: User | None,
    action: str,
    detail: dict | None = None,
    audit: bool = True,
    audit_after: dict | None = None,
) -> BookingEvent:
    """Change status along the transition table, and record it."""
    current = booking.status
    if to not in BOOKING_TRANSITIONS[current]:
        raise IllegalTransition(
            _("A booking that is “%(current)s” cannot become “%(new)s”.")
            % {"current": S(current).label, "new": S(to).label}
        )
    booking.status = to
    booking.save(update_fields=["status", "updated_at"])
    return _record(
        booking,
        actor=actor,
        action=action,
        from_status=current,
        detail=detail,
        audit=audit,
        audit_after=audit_after,
    )


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("provider", "customer", "category")
        .get(pk=booking.pk)
    )


def _release(booking: Booking) -> None:
    if booking.block_id:
        CalendarBlock.objects.filter(pk=booking.block_id).delete()
        booking.block = None
        booking.save(update_fields=["block", "updated_at"])


# --- codes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Codes:
    start: str
    end: str


def _hash_code(booking: Booking, which: str, code: str) -> str:
    return salted_hmac(
        "sevamitra.bookings.code", f"{booking.pk}:{which}:{code}:{booking.code_salt}"
    ).hexdigest()


def _issue_codes(booking: Booking, *, send: bool = True) -> Codes:
    codes = Codes(*(f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}" for _ in range(2)))
    booking.code_salt = secrets.token_hex(8)
    booking.start_code_hash = _hash_code(booking, "start", codes.start)
    booking.end_code_hash = _hash_code(booking, "end", codes.end)
    booking.code_attempts = 0
    booking.save(
        update_fields=[
            "code_salt",
            "start_code_hash",
            "end_code_hash",
            "code_attempts",
            "updated_at",
        ]
    )
    if send:
        notify.codes_to_customer(booking, codes)
    return codes


def _check_code(booking: Booking, which: str, code: str) -> None:
    limit = settings.BOOKING_CODE_MAX_ATTEMPTS
    if booking.code_attempts >= limit:
        raise TooManyTries(_("Too many wrong codes. The customer can get new codes."))
    expected = booking.start_code_hash if which == "start" else booking.end_code_hash
    if not constant_time_compare(expected, _hash_code(booking, which, (code or "").strip())):
        Booking.objects.filter(pk=booking.pk).update(code_attempts=F("code_attempts") + 1)
        left = limit - booking.code_attempts - 1
        raise WrongCode(
            _("Wrong code. %(left)d tries left.") % {"left": max(left, 0)}, field="code"
        )


# --- holds and bookings ---------------------------------------------------------------------


@transaction.atomic
def hold_place(
    *,
    offer: Offer,
    customer: User,
    start: dt.datetime,
    end: dt.datetime,
    acting_user: User,
    now: dt.datetime | None = None,
) -> CalendarBlock:
    """Keep a slot for a few minutes while the customer decides (BOOKING_HOLD_MINUTES)."""
    now = _now(now)
    require(can.book_for(acting_user, customer))
    if not offer.is_active:
        raise BookingError(_("This service is no longer offered."), code="offer_withdrawn")
    _check_times(start, end, now)
    check_bookable(provider=offer.provider, category=offer.category, start=start, end=end, now=now)
    hold = calendar_take(
        provider=offer.provider,
        start=start,
        end=end,
        kind=BlockKind.HOLD,
        now=now,
        held_by=customer,
    )
    return hold


@transaction.atomic
def hold_release(*, hold: CalendarBlock, acting_user: User) -> None:
    """Give a held slot back before it expires by itself.

    Holds are not audited: a hold is a few minutes' reservation while a customer decides
    (every visit to a booking page places one), it expires by itself, and the booking it may
    become is audited (booking.created). Writing each one would put every page view through
    the audit chain's lock."""
    require(hold.kind == BlockKind.HOLD and can.book_for(acting_user, hold.held_by))
    calendar_lock(provider=hold.provider)
    CalendarBlock.objects.filter(pk=hold.pk, kind=BlockKind.HOLD).delete()


@dataclass(frozen=True)
class Placed:
    booking: Booking
    codes: Codes | None  # shown once to the customer when the booking is confirmed


def _terms_of(provider: Provider) -> TermsSnapshot:
    return TermsSnapshot(
        free_cancellation_hours=provider.free_cancellation_hours,
        cancellation_fee=provider.cancellation_fee,
        included=provider.terms_included,
    )


@transaction.atomic
def booking_create(
    *,
    offer: Offer,
    customer: User,
    start: dt.datetime,
    end: dt.datetime,
    kind: str,
    channel: str,
    address: str,
    pincode: str = "",
    lat: float | None = None,
    lng: float | None = None,
    notes: str = "",
    hold: CalendarBlock | None = None,
    discount: Decimal = Decimal("0"),
    series=None,  # type: ignore[no-untyped-def]
    replaces: Booking | None = None,
    acting_user: User,
    now: dt.datetime | None = None,
    quiet: bool = False,
    unit_price: Decimal | None = None,
) -> Placed:
    """Book a slot: confirmed at once if the provider accepts automatically, else requested
    with an answer deadline. With `hold`, the customer's hold becomes the booking's block.
    `unit_price` replaces the offer's price for one occurrence of a month-priced series."""
    now = _now(now)
    require(can.book_for(acting_user, customer))
    if kind not in BookingKind.values:
        raise BookingError(_("Unknown kind of booking."), code="invalid_kind", field="kind")
    if not offer.is_active:
        raise BookingError(_("This service is no longer offered."), code="offer_withdrawn")
    if not address.strip():
        raise BookingError(
            _("Give the address where the work is."), code="address_required", field="address"
        )
    refuse_aadhaar(address, field="address")
    refuse_aadhaar(notes, field="notes")
    _check_times(start, end, now)
    provider = offer.provider
    check_bookable(provider=provider, category=offer.category, start=start, end=end, now=now)
    if hold is not None:
        calendar_lock(provider=provider)  # as calendar_take does: writers take turns
        block = CalendarBlock.objects.select_for_update().filter(pk=hold.pk).first()
        if (
            block is None
            or block.kind != BlockKind.HOLD
            or block.held_by_id != customer.pk
            or block.provider_id != provider.pk
            or block.starts_at != start
            or block.ends_at != end
            or block.expires_at is None
            or block.expires_at <= now
        ):
            raise HoldInvalid(_("The hold on this time has expired. Please choose again."))
        block.kind, block.expires_at = BlockKind.BOOKING, None
        block.save(update_fields=["kind", "expires_at"])
    else:
        block = calendar_take(
            provider=provider, start=start, end=end, kind=BlockKind.BOOKING, now=now
        )
    try:
        quote = quote_for_slot(
            unit=offer.category.pricing_unit,
            unit_price=offer.price if unit_price is None else unit_price,
            visiting_charge=offer.visiting_charge,
            gst_registered=bool(provider.gstin),
            start=start,
            end=end,
            discount=discount,
        )
    except ValueError as exc:
        raise BookingError(
            _("The discount cannot be negative or more than the price."),
            code="invalid_discount",
            field="discount",
        ) from exc
    auto = provider.auto_accept
    booking = Booking.objects.create(
        customer=customer,
        provider=provider,
        category=offer.category,
        kind=kind,
        channel=channel,
        series=series,
        starts_at=start,
        ends_at=end,
        status=S.CONFIRMED if auto else S.REQUESTED,
        block=block,
        address=address.strip(),
        pincode=pincode,
        lat=lat,
        lng=lng,
        notes=notes.strip(),
        quote=quote.as_dict(),
        total=quote.total,
        terms=_terms_of(provider).as_dict(),
        replaces=replaces,
        accept_deadline=None
        if auto
        else now + dt.timedelta(minutes=provider.accept_within_minutes),
        created_by=acting_user,
        created_at=now,
    )
    event = _record(
        booking,
        actor=acting_user,
        action="created",
        detail={"channel": channel, "auto_accept": auto},
        audit=False,  # last, below: the audit lock is held from the append to the commit
    )
    codes = None
    if auto:
        codes = _issue_codes(booking, send=not quiet)
        if not quiet:
            notify.booking_confirmed(booking)
    elif not quiet:
        notify.booking_requested(booking)
    if not auto:
        jobs.schedule_request_expiry(booking)
    _audit_event(
        booking,
        event,
        after={
            "customer": customer.pk,
            "provider": provider.pk,
            "offer": offer.pk,
            "category": offer.category_id,
            "kind": kind,
            "starts_at": start,
            "ends_at": end,
            "total": quote.total,
            "discount": discount,
            "accept_deadline": booking.accept_deadline,
            "hold": hold.pk if hold is not None else None,
            "series": booking.series_id,
            "replaces": booking.replaces_id,
        },
    )
    return Placed(booking, codes)


@transaction.atomic
def booking_accept(
    *, booking: Booking, acting_user: User, now: dt.datetime | None = None
) -> Placed:
    now = _now(now)
    booking = _locked(booking)
    require(can.act_as_provider(acting_user, booking))
    if booking.status == S.REQUESTED and booking.accept_deadline and booking.accept_deadline <= now:
        raise IllegalTransition(_("The time to accept this request has passed."))
    event = _move(booking, S.CONFIRMED, actor=acting_user, action="accepted", audit=False)
    # Through ONDC the buyer app carries the codes to its customer (on_status): no SMS of ours.
    codes = _issue_codes(booking, send=booking.channel != Channel.ONDC)
    notify.booking_confirmed(booking)
    _audit_event(booking, event)
    return Placed(booking, codes)


@transaction.atomic
def booking_decline(
    *, booking: Booking, reason: str, acting_user: User | None, now: dt.datetime | None = None
) -> Booking | None:
    """The provider says no (or, with acting_user None, the answer deadline passed): the
    request goes to the next best free provider. Returns the new request, if any."""
    now = _now(now)
    booking = _locked(booking)
    if acting_user is not None:
        require(can.act_as_provider(acting_user, booking))
    elif not (
        booking.status == S.REQUESTED and booking.accept_deadline and booking.accept_deadline <= now
    ):
        return None  # answered meanwhile, or not due yet: nothing to do (idempotent job)
    # Audited at the end: passing the request on locks another Sevamitra's calendar, which
    # must not wait behind the audit lock (see the module's docstring).
    event = _move(
        booking,
        S.DECLINED,
        actor=acting_user,
        action="declined" if acting_user else "request_expired",
        detail={"reason": reason},
        audit=False,
    )
    _release(booking)
    if booking.channel in (Channel.ONDC, Channel.GOVERNMENT):
        # The buyer app chose this provider from our catalogue: it hears of the refusal
        # (on_cancel) and lets its customer choose again; we do not book someone else. A
        # government office chose (and approved) its Sevamitras and their prices: it is told
        # (procurement.visit_lost) and books a replacement itself.
        _audit_event(booking, event)
        return None
    from sevamitra.bookings.substitutes import pass_on  # substitutes imports this module

    passed_to = pass_on(booking, now=now)
    _audit_event(booking, event, after={"passed_to": passed_to.pk if passed_to else None})
    return passed_to


@transaction.atomic
def booking_mark_arrived(*, booking: Booking, acting_user: User) -> Booking:
    """The provider is at the door. The status stays "on the way" until the customer's start
    code; the event tells the customer (and, through ONDC, the buyer app: At-Location)."""
    booking = _locked(booking)
    require(can.act_as_provider(acting_user, booking))
    if booking.status != S.EN_ROUTE:
        raise IllegalTransition(_("Say you are on the way before you say you have arrived."))
    _record(booking, actor=acting_user, action="arrived", from_status=booking.status)
    return booking


@transaction.atomic
def booking_mark_en_route(*, booking: Booking, acting_user: User) -> Booking:
    booking = _locked(booking)
    require(can.act_as_provider(acting_user, booking))
    _move(booking, S.EN_ROUTE, actor=acting_user, action="en_route")
    notify.provider_on_the_way(booking)
    return booking


def _with_code(
    booking: Booking,
    *,
    which: str,
    code: str,
    to: str,
    action: str,
    acting_user: User,
    then: Callable[[Booking], None] | None = None,
) -> Booking:
    """Move to `to` if `code` is the customer's start/end code. A wrong code is counted in a
    transaction of its own that commits, then refused: the count of tries survives."""
    refusal: DomainError | None = None
    with transaction.atomic():
        booking = _locked(booking)
        require(can.act_as_provider(acting_user, booking))
        if to not in BOOKING_TRANSITIONS[booking.status]:
            _move(booking, to, actor=acting_user, action=action)  # raises IllegalTransition
        try:
            _check_code(booking, which, code)
        except (WrongCode, TooManyTries) as exc:
            refusal = exc
        else:
            _move(booking, to, actor=acting_user, action=action)
            if then is not None:
                then(booking)
    if refusal is not None:
        raise refusal
    return booking


def booking_start(*, booking: Booking, code: str, acting_user: User) -> Booking:
    """The provider starts the work with the customer's start code."""
    return _with_code(
        booking,
        which="start",
        code=code,
        to=S.IN_PROGRESS,
        action="started",
        acting_user=acting_user,
    )


def booking_finish(*, booking: Booking, code: str, acting_user: User) -> Booking:
    """The provider finishes the work with the customer's end code."""
    return _with_code(
        booking,
        which="end",
        code=code,
        to=S.COMPLETED,
        action="completed",
        acting_user=acting_user,
        then=notify.booking_completed,
    )


@transaction.atomic
def booking_codes_reissue(*, booking: Booking, acting_user: User, quiet: bool = False) -> Codes:
    """New start and end codes (the old ones stop working), sent by SMS unless `quiet` (a
    government office's printed attendance sheet carries them instead)."""
    booking = _locked(booking)
    require(can.act_as_customer(acting_user, booking))
    if booking.status not in (S.CONFIRMED, S.EN_ROUTE, S.IN_PROGRESS):
        raise IllegalTransition(_("Codes are only for confirmed bookings."))
    _record(booking, actor=acting_user, action="codes_reissued", from_status=booking.status)
    return _issue_codes(booking, send=not quiet)


@transaction.atomic
def booking_cancel(
    *,
    booking: Booking,
    by: str,
    reason: str,
    acting_user: User | None,
    now: dt.datetime | None = None,
    waive_fee: bool = False,
) -> Booking:
    """Cancel by the customer (fee by the provider's terms at booking), the provider (no fee;
    counted against them) or the system. A reason is always required."""
    now = _now(now)
    booking = _locked(booking)
    if by == CancelledBy.CUSTOMER:
        require(acting_user is not None and can.act_as_customer(acting_user, booking))
    elif by == CancelledBy.PROVIDER:
        require(acting_user is not None and can.act_as_provider(acting_user, booking))
    elif by != CancelledBy.SYSTEM:
        raise BookingError(_("Say who cancels."), code="invalid_canceller", field="by")
    if not reason.strip():
        raise BookingError(
            _("Give a reason for the cancellation."), code="reason_required", field="reason"
        )
    fee = Decimal("0.00")
    if by == CancelledBy.CUSTOMER and not waive_fee:
        fee = cancellation_fee_due(
            terms=TermsSnapshot.from_dict(booking.terms),
            starts_at=booking.starts_at,
            cancelled_at=now,
        )
    booking.cancelled_by, booking.cancel_reason = by, reason.strip()
    booking.cancellation_fee = fee
    booking.save(update_fields=["cancelled_by", "cancel_reason", "cancellation_fee"])
    if by == CancelledBy.PROVIDER:  # before the audited move: it locks the provider's row
        Provider.objects.filter(pk=booking.provider_id).update(
            cancelled_by_provider_count=F("cancelled_by_provider_count") + 1
        )
    _move(
        booking,
        S.CANCELLED,
        actor=acting_user,
        action="cancelled",
        detail={"by": by, "reason": reason.strip(), "fee": str(fee)},
    )
    _release(booking)
    notify.booking_cancelled(booking)
    if by == CancelledBy.PROVIDER and booking.channel != Channel.GOVERNMENT:
        # The customer is offered the best free verified substitutes, or keeps the visit
        # cancelled at no cost. (A government office books its replacement itself, within the
        # approved amount: procurement.visit_lost.)
        from sevamitra.bookings.substitutes import substitutes_for  # imports this module

        names = [offer.provider.display_name for offer in substitutes_for(booking, now=now)]
        notify.substitutes_offered(booking, names)
    return booking


def _requote(booking: Booking, *, start: dt.datetime, end: dt.datetime) -> Quote:
    """The booking's quote for a new slot: same unit price, visiting charge, discount and tax
    status as agreed, quantity for the new length."""
    agreed = Quote.from_dict(booking.quote)
    by_code = {line.code: line for line in agreed.lines}
    return quote_for_slot(
        unit=booking.category.pricing_unit,
        unit_price=by_code["service"].unit_price,
        visiting_charge=by_code["visiting_charge"].amount
        if "visiting_charge" in by_code
        else Decimal("0"),
        gst_registered="cgst" in by_code,
        discount=-by_code["discount"].amount if "discount" in by_code else Decimal("0"),
        start=start,
        end=end,
    )


def cancellation_fee_preview(*, booking: Booking, now: dt.datetime | None = None) -> Decimal:
    """What cancelling now would cost the customer (shown before they confirm)."""
    return cancellation_fee_due(
        terms=TermsSnapshot.from_dict(booking.terms),
        starts_at=booking.starts_at,
        cancelled_at=_now(now),
    )


@transaction.atomic
def booking_report_no_show(
    *, booking: Booking, acting_user: User, now: dt.datetime | None = None
) -> Booking:
    """The provider did not come: counts against them; the customer pays nothing."""
    now = _now(now)
    booking = _locked(booking)
    require(can.act_as_customer(acting_user, booking))
    grace = dt.timedelta(minutes=settings.BOOKING_NO_SHOW_GRACE_MINUTES)
    if now < booking.starts_at + grace:
        raise BookingError(
            _("You can report a no-show %(minutes)d minutes after the start time.")
            % {"minutes": settings.BOOKING_NO_SHOW_GRACE_MINUTES},
            code="too_early",
        )
    # The provider's count first: it locks the provider's row, before the audited move.
    Provider.objects.filter(pk=booking.provider_id).update(no_show_count=F("no_show_count") + 1)
    _move(booking, S.NO_SHOW, actor=acting_user, action="no_show")
    _release(booking)
    return booking


# The reason recorded when the provider found nobody (figures count these as customer no-shows).
CUSTOMER_ABSENT = "customer_absent"


@transaction.atomic
def booking_report_customer_absent(
    *, booking: Booking, acting_user: User, now: dt.datetime | None = None
) -> Booking:
    """The provider came and the customer was not there (the customer's no-show): the booking
    ends as cancelled on the customer's side, with the fee the provider's terms set for a late
    cancellation; it does not count against the provider. Only after the start time and the
    same grace the customer has to report the provider's no-show; a customer who disagrees
    complains (grievances)."""
    now = _now(now)
    booking = _locked(booking)
    require(can.act_as_provider(acting_user, booking))
    if booking.status not in (S.CONFIRMED, S.EN_ROUTE):
        raise BookingError(
            _("Only a confirmed booking that has not started can be reported like this."),
            code="invalid_status",
        )
    grace = dt.timedelta(minutes=settings.BOOKING_NO_SHOW_GRACE_MINUTES)
    if now < booking.starts_at + grace:
        raise BookingError(
            _(
                "You can report that the customer was not there %(minutes)d minutes after the "
                "start time."
            )
            % {"minutes": settings.BOOKING_NO_SHOW_GRACE_MINUTES},
            code="too_early",
        )
    fee = cancellation_fee_due(
        terms=TermsSnapshot.from_dict(booking.terms), starts_at=booking.starts_at, cancelled_at=now
    )
    reason = CUSTOMER_ABSENT
    booking.cancelled_by, booking.cancel_reason = CancelledBy.CUSTOMER, reason
    booking.cancellation_fee = fee
    booking.save(update_fields=["cancelled_by", "cancel_reason", "cancellation_fee"])
    _move(
        booking,
        S.CANCELLED,
        actor=acting_user,
        action="customer_absent",
        detail={"by": CancelledBy.CUSTOMER, "reason": reason, "fee": str(fee)},
    )
    _release(booking)
    notify.booking_customer_absent(booking)
    return booking


@transaction.atomic
def booking_reschedule(
    *,
    booking: Booking,
    start: dt.datetime,
    end: dt.datetime,
    acting_user: User,
    now: dt.datetime | None = None,
) -> Booking:
    """Move a live booking to another time with the same provider, re-priced for the new
    length at the provider's price at booking."""
    now = _now(now)
    booking = _locked(booking)
    require(can.act_as_customer(acting_user, booking))
    if booking.status not in (S.REQUESTED, S.CONFIRMED):
        raise IllegalTransition(_("Only a booking not yet started can be moved."))
    _check_times(start, end, now)
    check_bookable(
        provider=booking.provider, category=booking.category, start=start, end=end, now=now
    )
    if booking.block is None:
        raise IllegalTransition(_("This booking holds no time to move."))
    old = {"start": booking.starts_at.isoformat(), "end": booking.ends_at.isoformat()}
    old_start, old_end, old_total = booking.starts_at, booking.ends_at, booking.total
    calendar_move(block=booking.block, start=start, end=end, now=now)
    quote = _requote(booking, start=start, end=end)
    booking.starts_at, booking.ends_at = start, end
    booking.quote, booking.total = quote.as_dict(), quote.total
    booking.save(update_fields=["starts_at", "ends_at", "quote", "total", "updated_at"])
    _record(
        booking,
        actor=acting_user,
        action="rescheduled",
        from_status=booking.status,
        detail={"from": old},
        audit_before={"starts_at": old_start, "ends_at": old_end, "total": old_total},
        audit_after={"starts_at": start, "ends_at": end, "total": quote.total},
    )
    notify.booking_rescheduled(booking)
    return booking


# --- money and ratings ----------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *, booking: Booking, method: str, amount: Decimal, reference: str = "", acting_user: User
) -> Payment:
    """Record that the customer paid the provider (cash or UPI). Nothing is processed."""
    booking = _locked(booking)
    require(can.act_as_provider(acting_user, booking) or can.act_as_customer(acting_user, booking))
    if method not in PaymentMethod.values:
        raise BookingError(_("Choose cash or UPI."), code="invalid_method", field="method")
    due = booking.cancellation_fee if booking.status == S.CANCELLED else booking.total
    if booking.status not in (S.COMPLETED, S.RATED, S.CANCELLED) or not due:
        raise IllegalTransition(_("Nothing is due for this booking yet."))
    if Decimal(str(amount)).quantize(Decimal("0.01")) != due:
        raise PaymentMismatch(
            _("The amount must be exactly the amount due: ₹%(due)s.") % {"due": due},
            field="amount",
        )
    if booking.payments.filter(status="paid").exists():
        raise BookingError(_("This booking is already paid."), code="already_paid")
    payment = Payment.objects.create(
        booking=booking,
        method=method,
        amount=due,
        reference=reference.strip()[:64],
        recorded_by=acting_user,
    )
    _record(
        booking,
        actor=acting_user,
        action="payment_recorded",
        from_status=booking.status,
        detail={"method": method, "amount": str(due)},
        audit_after={"payment": payment.pk},
    )
    return payment


@transaction.atomic
def rating_add(*, booking: Booking, stars: int, text: str = "", acting_user: User) -> Rating:
    """After completion only, once each way. The customer's rating updates the provider's
    average in one UPDATE, so concurrent ratings never lose a count."""
    booking = _locked(booking)
    if can.act_as_customer(acting_user, booking):
        direction = RatingDirection.CUSTOMER_RATES_PROVIDER
    elif can.act_as_provider(acting_user, booking):
        direction = RatingDirection.PROVIDER_RATES_CUSTOMER
    else:
        raise PermissionDenied(_("You are not allowed to do this."))
    if booking.status not in (S.COMPLETED, S.RATED):
        raise IllegalTransition(_("You can rate only after the work is completed."))
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise DomainError(_("Give 1 to 5 stars."), code="invalid_stars", field="stars")
    if booking.ratings.filter(direction=direction).exists():
        raise BookingError(_("You have already rated this booking."), code="already_rated")
    refuse_aadhaar(text, field="text")
    rating = Rating.objects.create(
        booking=booking, direction=direction, stars=stars, text=text.strip()
    )
    if direction == RatingDirection.CUSTOMER_RATES_PROVIDER:
        Provider.objects.filter(pk=booking.provider_id).update(
            rating_sum=F("rating_sum") + stars,
            rating_count=F("rating_count") + 1,
            rating_avg=Cast(F("rating_sum") + stars, FloatField()) / (F("rating_count") + 1),
        )
        _move(
            booking,
            S.RATED,
            actor=acting_user,
            action="rated",
            detail={"stars": stars},
            audit_after={"rating": rating.pk, "with_text": bool(rating.text)},
        )
    else:
        _record(
            booking,
            actor=acting_user,
            action="customer_rated",
            from_status=booking.status,
            detail={"stars": stars},
            audit_after={"rating": rating.pk, "with_text": bool(rating.text)},
        )
    return rating
