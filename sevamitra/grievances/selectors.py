"""Reads for grievances: the rules in force, each person's complaints, the officer's queue,
appeals assigned to an officer, and the facts a decision needs (refund limit, warnings)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role, RoleGrant, User
from sevamitra.accounts.selectors import user_districts
from sevamitra.bookings.models import LIVE_STATUSES, Booking, BookingStatus, PaymentStatus
from sevamitra.grievances.models import (
    OPEN_STATUSES,
    Appeal,
    AppealStatus,
    Complaint,
    ComplaintAttachment,
    ComplaintEntry,
    ComplaintStatus,
    ComplaintType,
    EntryKind,
    GrievanceSettings,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from sevamitra.grievances.permissions import can_view_complaint
from sevamitra.providers.models import Provider

S = BookingStatus
# Booking statuses that show the booking was confirmed (a cancelled booking may have been).
CONFIRMED_OR_LATER = frozenset(
    {S.CONFIRMED, S.EN_ROUTE, S.IN_PROGRESS, S.COMPLETED, S.RATED, S.NO_SHOW}
)
_COMPLAINT_RELATED = ("booking", "booking__category", "customer", "provider", "provider__user")


def _is_id(value: object) -> bool:
    return isinstance(value, int) and 0 < value < 2**63


def grievance_settings() -> GrievanceSettings:
    """The rules in force: the one row, or the defaults when it is missing (a flushed test
    database); never written here."""
    return GrievanceSettings.objects.filter(pk=1).first() or GrievanceSettings(pk=1)


# --- bookings ----------------------------------------------------------------------------------


def booking_was_confirmed(booking: Booking) -> bool:
    if booking.status in CONFIRMED_OR_LATER:
        return True
    return booking.events.filter(to_status=S.CONFIRMED).exists()


def refund_limit(booking: Booking) -> Decimal:
    """The most a refund order may name: what was paid for the booking (recorded payments),
    else what was charged (the cancellation fee of a cancelled booking, the total of work
    done); zero when nothing was paid or charged."""
    paid = booking.payments.filter(status=PaymentStatus.PAID).aggregate(total=Sum("amount"))
    if paid["total"]:
        return Decimal(paid["total"])
    if booking.status == S.CANCELLED:
        return booking.cancellation_fee or Decimal("0.00")
    if booking.status in (S.IN_PROGRESS, S.COMPLETED, S.RATED):
        return booking.total
    return Decimal("0.00")


def upcoming_bookings(*, provider: Provider, now: dt.datetime, days: int) -> list[Booking]:
    """The provider's live bookings starting in the next `days` days."""
    return list(
        Booking.objects.filter(
            provider=provider,
            status__in=LIVE_STATUSES,
            starts_at__gte=now,
            starts_at__lt=now + dt.timedelta(days=days),
        )
        .select_related("customer")
        .order_by("starts_at", "pk")
    )


# --- people ------------------------------------------------------------------------------------


def district_officers(*, district_id: int) -> list[User]:
    """Active district officers of a district (escalations go to each of them)."""
    return list(
        User.objects.filter(
            is_active=True,
            role_grants__role=Role.DISTRICT_OFFICER,
            role_grants__district_id=district_id,
        )
        .distinct()
        .order_by("pk")
    )


def appellate_officer_for(*, sanction: Sanction) -> User | None:
    """Who hears an appeal against `sanction`: an administrator (the state's appellate
    level) if there is one, else another district officer of the provider's district —
    never the officer who decided, never the provider, never a read-only account. Among
    equals, the one with the fewest pending appeals, then the longest-serving (lowest id)."""
    provider = sanction.provider
    excluded = {sanction.imposed_by_id, provider.user_id}
    auditors = RoleGrant.objects.filter(role=Role.AUDITOR).values("user_id")
    pending = Count("appeals_to_decide", filter=Q(appeals_to_decide__status=AppealStatus.PENDING))
    base = User.objects.filter(is_active=True).exclude(pk__in=excluded)
    administrators = base.filter(role_grants__role=Role.ADMINISTRATOR).exclude(pk__in=auditors)
    officers = base.filter(
        role_grants__role=Role.DISTRICT_OFFICER, role_grants__district_id=provider.district_id
    ).exclude(pk__in=auditors)
    for group in (administrators, officers):
        chosen = (
            User.objects.filter(pk__in=group.values("pk"))
            .annotate(pending=pending)
            .order_by("pending", "pk")
            .first()
        )
        if chosen is not None:
            return chosen
    return None


# --- complaints --------------------------------------------------------------------------------


def complaints_of_customer(*, user: User) -> QuerySet[Complaint]:
    return Complaint.objects.filter(customer=user).select_related(*_COMPLAINT_RELATED)


def complaint_get_for_customer(*, user: User, complaint_id: int) -> Complaint | None:
    if not _is_id(complaint_id) or not getattr(user, "is_authenticated", False):
        return None
    return complaints_of_customer(user=user).filter(pk=complaint_id).first()


def complaints_of_provider(*, provider: Provider) -> QuerySet[Complaint]:
    return Complaint.objects.filter(provider=provider).select_related(*_COMPLAINT_RELATED)


def complaint_get_for_provider(*, provider: Provider, complaint_id: int) -> Complaint | None:
    if not _is_id(complaint_id):
        return None
    return complaints_of_provider(provider=provider).filter(pk=complaint_id).first()


def complaint_get_for_viewer(*, user: User, complaint_id: int) -> Complaint | None:
    """The complaint if `user` may see it (permissions.can_view_complaint), else None."""
    if not _is_id(complaint_id) or not getattr(user, "is_authenticated", False):
        return None
    complaint = (
        Complaint.objects.select_related(*_COMPLAINT_RELATED, "provider__district", "decided_by")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None or not can_view_complaint(user, complaint):
        return None
    return complaint


def _officer_scope(user: User) -> Q | None:
    """Complaints an officer's list shows: every district for administrators, else the
    officer's districts; None for anyone else."""
    if permissions.is_administrator(user):
        return Q()
    districts = user_districts(user, Role.DISTRICT_OFFICER)
    if not districts:
        return None
    return Q(provider__district_id__in=districts)


def complaints_for_officer(*, user: User, now: dt.datetime, closed: bool = False) -> QuerySet:
    """The officer's queue: open complaints with safety first, then escalated or overdue,
    then the rest by deadline; or (closed=True) decided and closed ones, newest first."""
    scope = _officer_scope(user)
    if scope is None:
        return Complaint.objects.none()
    queryset = Complaint.objects.filter(scope).select_related(
        *_COMPLAINT_RELATED, "provider__district"
    )
    if closed:
        return queryset.exclude(status__in=OPEN_STATUSES).order_by("-filed_at", "-pk")
    return (
        queryset.filter(status__in=OPEN_STATUSES)
        .annotate(
            priority=Case(
                When(type=ComplaintType.SAFETY, then=Value(0)),
                When(status=ComplaintStatus.ESCALATED, then=Value(1)),
                When(due_at__lt=now, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("priority", "due_at", "pk")
    )


def complaint_entries(*, complaint: Complaint, with_hearings: bool) -> list[ComplaintEntry]:
    """What each side wrote, oldest first; the officer's hearing notes only for officers."""
    entries = complaint.entries.select_related("author")
    if not with_hearings:
        entries = entries.exclude(kind=EntryKind.HEARING)
    return list(entries)


def complaint_attachments(*, complaint: Complaint) -> list[ComplaintAttachment]:
    return list(complaint.attachments.all())


def attachment_get_for_viewer(*, user: User, attachment_id: int) -> ComplaintAttachment | None:
    if not _is_id(attachment_id) or not getattr(user, "is_authenticated", False):
        return None
    attachment = (
        ComplaintAttachment.objects.select_related("complaint", "complaint__provider")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None or not can_view_complaint(user, attachment.complaint):
        return None
    return attachment


# --- sanctions and appeals ---------------------------------------------------------------------


def warning_on_record(*, provider: Provider, now: dt.datetime, days: int) -> Sanction | None:
    """The provider's latest warning of the last `days` days not overturned on appeal."""
    return (
        Sanction.objects.filter(
            provider=provider,
            kind=SanctionKind.WARNING,
            imposed_at__gte=now - dt.timedelta(days=days),
        )
        .exclude(status=SanctionStatus.OVERTURNED)
        .order_by("-imposed_at", "-pk")
        .first()
    )


def sanctions_of_provider(*, provider: Provider) -> list[Sanction]:
    return list(
        Sanction.objects.filter(provider=provider)
        .select_related("complaint", "imposed_by", "appeal", "appeal__appellate_officer")
        .order_by("-imposed_at", "-pk")
    )


def sanctions_of_complaint(*, complaint: Complaint) -> list[Sanction]:
    return list(
        complaint.sanctions.select_related("imposed_by", "appeal", "appeal__appellate_officer")
    )


def sanction_get_for_provider(*, provider: Provider, sanction_id: int) -> Sanction | None:
    if not _is_id(sanction_id):
        return None
    return (
        Sanction.objects.select_related("complaint", "complaint__booking", "imposed_by", "provider")
        .filter(pk=sanction_id, provider=provider)
        .first()
    )


def appeal_of(*, sanction: Sanction) -> Appeal | None:
    return Appeal.objects.select_related("appellate_officer").filter(sanction=sanction).first()


def suspensions_until_review(*, user: User) -> list[Sanction]:
    """Suspensions in force without an end date in the officer's districts: they last until
    an officer lifts them, so the officer's page keeps them in view."""
    scope = _officer_scope(user)
    if scope is None:
        return []
    return list(
        Sanction.objects.filter(
            scope,
            kind=SanctionKind.SUSPENSION,
            status=SanctionStatus.ACTIVE,
            suspended_until__isnull=True,
        )
        .select_related("provider", "complaint")
        .order_by("imposed_at", "pk")
    )


def appeals_for_officer(*, user: User) -> list[Appeal]:
    """Appeals waiting for this officer's decision, the most urgent (overdue) first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Appeal.objects.filter(appellate_officer=user, status=AppealStatus.PENDING)
        .select_related("sanction", "sanction__complaint", "provider")
        .order_by("due_at", "pk")
    )


def appeal_get_for_officer(*, user: User, appeal_id: int) -> Appeal | None:
    """An appeal (pending or decided) if `user` is its named appellate officer."""
    if not _is_id(appeal_id) or not getattr(user, "is_authenticated", False):
        return None
    return (
        Appeal.objects.select_related(
            "sanction",
            "sanction__imposed_by",
            "sanction__provider",
            "sanction__complaint",
            "sanction__complaint__booking",
            "sanction__complaint__booking__category",
            "sanction__complaint__customer",
            "sanction__complaint__provider",
            "sanction__complaint__provider__user",
            "appellate_officer",
        )
        .filter(pk=appeal_id, appellate_officer=user)
        .first()
    )


def overdue_appeals_in_districts(*, user: User, now: dt.datetime) -> list[Appeal]:
    """Pending appeals past their deadline about providers of the officer's districts."""
    scope = _officer_scope(user)
    if scope is None:
        return []
    return list(
        Appeal.objects.filter(scope, status=AppealStatus.PENDING, due_at__lt=now)
        .select_related("provider", "appellate_officer", "sanction")
        .order_by("due_at", "pk")
    )
