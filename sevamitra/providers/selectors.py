"""Reads for the Sevamitra's own pages: registration progress, price guidance, the agenda of
jobs, what a provider may see of a customer, earnings, leave and documents.

Something a user may not see is returned as None, exactly like something that does not
exist: the pages answer 404 for both.
"""

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts import permissions
from sevamitra.accounts.models import User
from sevamitra.bookings.models import Booking, BookingEvent, BookingStatus
from sevamitra.catalog.models import Category
from sevamitra.core.errors import DomainError
from sevamitra.geo import pincodes
from sevamitra.geo.models import District
from sevamitra.providers.models import (
    Document,
    DocumentKind,
    Leave,
    Offer,
    Provider,
    VerificationStatus,
)

S = BookingStatus
# Primary keys are 64-bit: a larger number cannot name a row (and must not reach the driver).
MAX_ID = 2**63 - 1
# The provider sees the customer's exact address and (masked) phone only while the job is
# on: confirmed, on the way, in progress. Before (a request) and after (finished,
# cancelled) only the pincode.
CONTACT_STATUSES = frozenset({S.CONFIRMED, S.EN_ROUTE, S.IN_PROGRESS})
ACTIVE_JOB_STATUSES = (S.CONFIRMED, S.EN_ROUTE, S.IN_PROGRESS)
ENDED_STATUSES = (S.COMPLETED, S.RATED, S.CANCELLED, S.DECLINED, S.NO_SHOW)
EARNING_STATUSES = (S.COMPLETED, S.RATED)
# Price guidance needs this many offers, and looks at no more than the newest MAX of them.
PRICE_RANGE_MIN_OFFERS = 5
PRICE_RANGE_MAX_OFFERS = 2000
AGENDA_LIMIT = 50


def _is_id(pk: object) -> bool:
    return isinstance(pk, int) and not isinstance(pk, bool) and 0 < pk <= MAX_ID


def provider_of(user: User) -> Provider | None:
    """The signed-in person's own Sevamitra profile, if they registered."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Provider.objects.select_related("district").filter(user=user).first()


# --- registration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeLocation:
    lat: float
    lng: float
    pincode: str
    district: District


def home_location(
    *, pincode: str = "", lat: float | None = None, lng: float | None = None
) -> HomeLocation:
    """Where a provider lives, from the phone's location (lat, lng) or else a pincode, with the
    district the point belongs to. Raises a DomainError on the field to correct."""
    if lat is not None and lng is not None:
        near = pincodes.nearest_pincode(lat, lng)
        if near is None:
            raise DomainError(
                _("We could not place this location. Enter your pincode instead."),
                code="unknown_location",
                field="pincode",
            )
        info = pincodes.pincode_info(near)
        point = (lat, lng)
    else:
        pincode = (pincode or "").strip()
        if not pincode:
            raise DomainError(
                _("Enter your home pincode, or use your location."),
                code="location_required",
                field="pincode",
            )
        info = pincodes.pincode_info(pincode)
        if info is None:
            raise DomainError(
                _("This is not a valid pincode."), code="invalid_pincode", field="pincode"
            )
        point = (info.lat, info.lng)
    district = District.objects.filter(code=info.district).first() if info else None
    if info is None or district is None:
        raise DomainError(
            _("This place is not in Uttar Pradesh. Sevamitra works in Uttar Pradesh only."),
            code="outside_state",
            field="pincode",
        )
    return HomeLocation(lat=point[0], lng=point[1], pincode=info.pincode, district=district)


@dataclass(frozen=True)
class RegistrationState:
    offer_category_ids: frozenset[int]
    has_hours: bool
    has_identity: bool
    has_valid_police: bool


def registration_state(*, provider: Provider) -> RegistrationState:
    """What a registered provider has filled in so far (steps 5–7)."""
    today = timezone.localdate()
    return RegistrationState(
        offer_category_ids=frozenset(
            provider.offers.filter(is_active=True).values_list("category_id", flat=True)
        ),
        has_hours=provider.weekly_windows.exists(),
        has_identity=provider.documents.filter(kind=DocumentKind.IDENTITY).exists(),
        has_valid_police=provider.documents.filter(
            kind=DocumentKind.POLICE_VERIFICATION, expires_on__gt=today
        ).exists(),
    )


def categories_by_slug(slugs: Iterable[str]) -> list[Category]:
    return list(Category.objects.filter(slug__in=list(slugs), is_active=True))


def provider_offers(*, provider: Provider) -> list[Offer]:
    return list(
        provider.offers.filter(is_active=True)
        .select_related("category")
        .order_by("category__sort_order", "category__name_en")
    )


def provider_documents(*, provider: Provider) -> list[Document]:
    return list(provider.documents.order_by("kind", "-created_at"))


@dataclass(frozen=True)
class PriceRange:
    low: Decimal  # 25th percentile
    high: Decimal  # 75th percentile
    offers: int


def price_ranges(
    *, district: District, categories: Iterable[Category]
) -> dict[int, PriceRange | None]:
    """The typical price (25th to 75th percentile) of each category in the district, among
    the active offers of verified Sevamitras; None where fewer than 5 offers exist."""
    ranges: dict[int, PriceRange | None] = {}
    for category in categories:
        prices = list(
            Offer.objects.filter(
                category=category,
                is_active=True,
                provider__district=district,
                provider__verification_status=VerificationStatus.VERIFIED,
            )
            .order_by("-pk")
            .values_list("price", flat=True)[:PRICE_RANGE_MAX_OFFERS]
        )
        if len(prices) < PRICE_RANGE_MIN_OFFERS:
            ranges[category.pk] = None
            continue
        q1, _median, q3 = statistics.quantiles(sorted(prices), n=4, method="inclusive")
        ranges[category.pk] = PriceRange(
            low=Decimal(q1).quantize(Decimal("1")),
            high=Decimal(q3).quantize(Decimal("1")),
            offers=len(prices),
        )
    return ranges


# --- jobs ------------------------------------------------------------------------------------


def _jobs(provider: Provider) -> QuerySet[Booking]:
    return Booking.objects.filter(provider=provider).select_related("category", "customer")


@dataclass(frozen=True)
class Agenda:
    requests: list[Booking]  # waiting for the provider's answer, soonest deadline first
    today: list[Booking]  # confirmed, on the way or in progress, starting today or earlier
    upcoming: list[Booking]  # confirmed, starting after today
    recent: list[Booking]  # ended in the last 7 days


def provider_agenda(*, provider: Provider, now: dt.datetime | None = None) -> Agenda:
    now = now or timezone.now()
    local = timezone.localtime(now)
    tomorrow = timezone.make_aware(
        dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time.min)
    )
    jobs = _jobs(provider)
    active = jobs.filter(status__in=ACTIVE_JOB_STATUSES)
    return Agenda(
        requests=list(
            jobs.filter(status=S.REQUESTED).order_by("accept_deadline", "starts_at")[:AGENDA_LIMIT]
        ),
        today=list(active.filter(starts_at__lt=tomorrow).order_by("starts_at")[:AGENDA_LIMIT]),
        upcoming=list(active.filter(starts_at__gte=tomorrow).order_by("starts_at")[:AGENDA_LIMIT]),
        recent=list(
            jobs.filter(
                status__in=ENDED_STATUSES, updated_at__gte=now - dt.timedelta(days=7)
            ).order_by("-starts_at")[:10]
        ),
    )


def job_get_for_provider(*, user: User, booking_id: int) -> Booking | None:
    """One of the signed-in provider's own jobs; None for anyone else's (or none)."""
    if not _is_id(booking_id) or not getattr(user, "is_authenticated", False):
        return None
    return (
        Booking.objects.select_related("category", "customer", "provider")
        .filter(pk=booking_id, provider__user=user)
        .first()
    )


@dataclass(frozen=True)
class JobContact:
    address: str
    phone: str  # masked: the last four digits only


def job_contact(*, booking: Booking) -> JobContact | None:
    """The customer's exact address and masked phone, only while the job is on."""
    if booking.status not in CONTACT_STATUSES:
        return None
    return JobContact(address=booking.address, phone=booking.customer.masked_phone)


def pincode_district(pincode: str) -> District | None:
    """The district of a pincode (what a provider sees of a request before accepting)."""
    info = pincodes.pincode_info(pincode) if pincode else None
    return District.objects.filter(code=info.district).first() if info else None


# --- earnings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EarningsRow:
    starts_on: dt.date
    ends_on: dt.date
    jobs: int
    total: Decimal


def _period_start(day: dt.date, by: str) -> dt.date:
    return day - dt.timedelta(days=day.weekday()) if by == "week" else day.replace(day=1)


def _period_end(start: dt.date, by: str) -> dt.date:
    if by == "week":
        return start + dt.timedelta(days=6)
    following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def provider_earnings(
    *, provider: Provider, by: str, periods: int, today: dt.date | None = None
) -> list[EarningsRow]:
    """Totals of completed (and rated) jobs per week (Monday to Sunday) or calendar month, by
    the day the job was finished (the end code entered), newest period first: the last
    `periods` periods, empty ones included. One bounded query, grouped here so that SQLite
    and PostgreSQL agree on local days."""
    if by not in ("week", "month"):
        raise ValueError(f"by must be 'week' or 'month', got {by!r}")
    today = today or timezone.localdate()
    starts = [_period_start(today, by)]
    for _i in range(periods - 1):
        starts.append(_period_start(starts[-1] - dt.timedelta(days=1), by))
    since = timezone.make_aware(dt.datetime.combine(starts[-1], dt.time.min))
    jobs = dict.fromkeys(starts, 0)
    totals = dict.fromkeys(starts, Decimal("0.00"))
    # A completed booking has exactly one "completed" event (completed → rated only).
    done = BookingEvent.objects.filter(
        booking__provider=provider,
        action="completed",
        booking__status__in=EARNING_STATUSES,
        at__gte=since,
    ).values_list("at", "booking__total")
    for done_at, total in done:
        start = _period_start(timezone.localtime(done_at).date(), by)
        if start in jobs:
            jobs[start] += 1
            totals[start] += total
    return [
        EarningsRow(starts_on=s, ends_on=_period_end(s, by), jobs=jobs[s], total=totals[s])
        for s in starts
    ]


# --- leave and documents ---------------------------------------------------------------------


def leaves_upcoming(*, provider: Provider, today: dt.date | None = None) -> list[Leave]:
    today = today or timezone.localdate()
    return list(provider.leaves.filter(ends_on__gte=today).order_by("starts_on")[:100])


def leave_get_for_provider(*, user: User, leave_id: int) -> Leave | None:
    if not _is_id(leave_id) or not getattr(user, "is_authenticated", False):
        return None
    return Leave.objects.select_related("provider").filter(pk=leave_id, provider__user=user).first()


def document_get_for_viewer(*, user: User, document_id: int) -> Document | None:
    """A document with a file, for the provider themself, the district officer of their
    district and administrators; None for anyone else."""
    if not _is_id(document_id):
        return None
    document = Document.objects.select_related("provider").filter(pk=document_id).first()
    if document is None or not document.file:
        return None
    provider = document.provider
    if permissions.can_edit_provider(user, provider) or permissions.can_verify_provider(
        user, provider
    ):
        return document
    return None
