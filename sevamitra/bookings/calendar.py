"""The one calendar per provider: taking and releasing time, and why a slot cannot be had.

Every channel (web, phone, ONDC, government orders) books through `calendar_take`, inside the
caller's transaction. The database refuses overlapping blocks by itself (migration
providers/0004): an exclusion constraint on PostgreSQL, triggers on SQLite, where write
transactions are also serialised (BEGIN IMMEDIATE, config/settings.py). The checks here only
turn a refusal into a clear error with alternatives.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.bookings.errors import NotBookable, OnLeave, OutsideHours, SlotTaken
from sevamitra.catalog.models import Category
from sevamitra.providers.models import (
    BlockKind,
    CalendarBlock,
    Document,
    DocumentKind,
    Leave,
    Provider,
    VerificationStatus,
    WeeklyWindow,
)
from sevamitra.search.selectors import DaySegment, day_segments

STEP = dt.timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Slot:
    start: dt.datetime
    end: dt.datetime

    def as_dict(self) -> dict[str, str]:
        return {
            "start": timezone.localtime(self.start).isoformat(),
            "end": timezone.localtime(self.end).isoformat(),
        }


def _covered(windows: list[tuple[int, int, int]], segments: list[DaySegment]) -> bool:
    return all(
        any(w == s.weekday and a <= s.start_minute and b >= s.end_minute for w, a, b in windows)
        for s in segments
    )


def _on_leave(leaves: list[tuple[dt.date, dt.date]], segments: list[DaySegment]) -> bool:
    first, last = segments[0].date, segments[-1].date
    return any(a <= last and b >= first for a, b in leaves)


def _overlaps(
    blocks: list[tuple[dt.datetime, dt.datetime]],
    start: dt.datetime,
    end: dt.datetime,
    buffer: dt.timedelta,
) -> bool:
    return any(s < end + buffer and start < until for s, until in blocks)


def _live_blocks(
    provider: Provider, since: dt.datetime, until: dt.datetime, now: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    rows = CalendarBlock.objects.filter(
        provider=provider, starts_at__lt=until, busy_until__gt=since
    ).values_list("starts_at", "busy_until", "kind", "expires_at")
    return [(s, u) for s, u, kind, exp in rows if kind != BlockKind.HOLD or (exp and exp > now)]


def check_bookable(
    *,
    provider: Provider,
    category: Category,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
) -> None:
    """Raise the first reason the provider cannot do this slot (not the calendar itself)."""
    if provider.verification_status != VerificationStatus.VERIFIED or not provider.is_active:
        raise NotBookable(_("This Sevamitra cannot be booked now."))
    segments = day_segments(start, end)
    windows = list(
        WeeklyWindow.objects.filter(provider=provider).values_list(
            "weekday", "start_minute", "end_minute"
        )
    )
    if not _covered(windows, segments):
        raise OutsideHours(_("This Sevamitra does not work at this time."))
    leaves = list(
        Leave.objects.filter(provider=provider, ends_on__gte=segments[0].date).values_list(
            "starts_on", "ends_on"
        )
    )
    if _on_leave(leaves, segments):
        raise OnLeave(_("This Sevamitra is on leave that day."))
    if (
        category.police_verification_required
        and not Document.objects.filter(
            provider=provider,
            kind=DocumentKind.POLICE_VERIFICATION,
            expires_on__gte=segments[-1].date,
        ).exists()
    ):
        raise NotBookable(
            _("This Sevamitra's police verification is not valid for that day."),
            code="police_verification_lapsed",
        )


def free_alternatives(
    *, provider: Provider, start: dt.datetime, end: dt.datetime, now: dt.datetime, count: int = 3
) -> list[Slot]:
    """The nearest slots of the same length, in half-hour steps up to two days either way,
    that the provider works, is not on leave and has free."""
    length, buffer = end - start, dt.timedelta(minutes=provider.travel_buffer_minutes)
    horizon = dt.timedelta(days=2)
    windows = list(
        WeeklyWindow.objects.filter(provider=provider).values_list(
            "weekday", "start_minute", "end_minute"
        )
    )
    leaves = list(
        Leave.objects.filter(
            provider=provider,
            ends_on__gte=timezone.localdate(start - horizon),
            starts_on__lte=timezone.localdate(end + horizon),
        ).values_list("starts_on", "ends_on")
    )
    blocks = _live_blocks(provider, start - horizon - length - buffer, end + horizon + buffer, now)
    found: list[Slot] = []
    for k in range(1, int(horizon / STEP) + 1):
        for candidate in (start - k * STEP, start + k * STEP):
            if candidate < now:
                continue
            segments = day_segments(candidate, candidate + length)
            if (
                _covered(windows, segments)
                and not _on_leave(leaves, segments)
                and not _overlaps(blocks, candidate, candidate + length, buffer)
            ):
                found.append(Slot(candidate, candidate + length))
                if len(found) == count:
                    return sorted(found, key=lambda s: s.start)
    return sorted(found, key=lambda s: s.start)


def calendar_lock(*, provider: Provider) -> None:
    """Writers of one provider's calendar take turns: lock the provider's row first (STYLE §8).

    Without it, PostgreSQL's exclusion check lets concurrent inserts of overlapping blocks wait
    on each other and abort one with "deadlock detected". The lock is FOR NO KEY UPDATE, so
    it does not block inserts elsewhere that reference the provider. (SQLite serialises all
    writes already: BEGIN IMMEDIATE.) Callers booking several providers lock them in id order.

    Take it before anything in the same transaction writes the audit trail: the audit append
    holds a lock until commit (audit.services), and a transaction that waits for a row lock
    after taking it could deadlock with one that holds the row and waits for the audit lock.
    Calendar writes that may follow an audited write in the caller's transaction (a caller
    registered first, a hold released first) lock the calendar up front with this.
    """
    Provider.objects.select_for_update(no_key=True).filter(pk=provider.pk).values_list(
        "pk", flat=True
    ).first()


def _prepare(
    provider: Provider, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dt.timedelta:
    """Lock the calendar and remove expired holds in the way; return the travel buffer."""
    calendar_lock(provider=provider)
    buffer = dt.timedelta(minutes=provider.travel_buffer_minutes)
    CalendarBlock.objects.filter(
        provider=provider,
        kind=BlockKind.HOLD,
        expires_at__lte=now,
        starts_at__lt=end + buffer,
        busy_until__gt=start,
    ).delete()
    return buffer


def _slot_taken(
    provider: Provider, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> SlotTaken:
    alternatives = free_alternatives(provider=provider, start=start, end=end, now=now)
    return SlotTaken(
        _("This time is no longer free."),
        extra={"alternatives": [s.as_dict() for s in alternatives]},
    )


def calendar_take(
    *,
    provider: Provider,
    start: dt.datetime,
    end: dt.datetime,
    kind: str,
    now: dt.datetime,
    held_by=None,  # type: ignore[no-untyped-def]
) -> CalendarBlock:
    """Take [start, end) on the provider's calendar, or raise SlotTaken with alternatives.

    Must run inside the caller's transaction.atomic(). Expired holds in the way are removed
    first: a hold frees its slot the moment it expires, with no clean-up job.
    """
    buffer = _prepare(provider, start, end, now)
    busy_from, busy_until = start - buffer, end + buffer
    expires_at = (
        now + dt.timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
        if kind == BlockKind.HOLD
        else None
    )
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the caller's work intact
            return CalendarBlock.objects.create(
                provider=provider,
                kind=kind,
                starts_at=start,
                ends_at=end,
                busy_from=busy_from,
                busy_until=busy_until,
                expires_at=expires_at,
                held_by=held_by,
            )
    except IntegrityError as exc:
        raise _slot_taken(provider, start, end, now) from exc


def calendar_move(
    *, block: CalendarBlock, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> CalendarBlock:
    """Move a booking's block to a new slot (reschedule), refusing overlaps the same way."""
    provider = block.provider
    buffer = _prepare(provider, start, end, now)
    block.starts_at, block.ends_at = start, end
    block.busy_from, block.busy_until = start - buffer, end + buffer
    try:
        with transaction.atomic():
            block.save(update_fields=["starts_at", "ends_at", "busy_from", "busy_until"])
    except IntegrityError as exc:
        raise _slot_taken(provider, start, end, now) from exc
    return block
