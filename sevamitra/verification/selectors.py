"""Reads for verification: the officer's queue, one provider's file for the officer, the
history of decisions, what a Sevamitra is told about their own verification, and the policy.

Something a user may not see is returned as None, exactly like something that does not
exist: the pages answer 404 for both.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from sevamitra.accounts.models import User
from sevamitra.catalog.models import Category
from sevamitra.geo.models import District
from sevamitra.providers.models import (
    Document,
    DocumentKind,
    Offer,
    Provider,
    VerificationStatus,
)
from sevamitra.verification import permissions
from sevamitra.verification.models import (
    Decision,
    VerificationDecision,
    VerificationPolicy,
)

S = VerificationStatus
# Primary keys are 64-bit: a larger number cannot name a row (and must not reach the driver).
MAX_ID = 2**63 - 1
QUEUE_PAGE_SIZE = 50


def verification_policy_get() -> VerificationPolicy:
    """The policy in force: the stored row (created by migration 0002), else the defaults."""
    return VerificationPolicy.objects.filter(pk=VerificationPolicy.SINGLETON_PK).first() or (
        VerificationPolicy(pk=VerificationPolicy.SINGLETON_PK)
    )


# --- the queue -------------------------------------------------------------------------------


class QueueKind:
    """Why a provider is in the queue (the value of the `kind` annotation)."""

    NEW = "new"
    RESUBMITTED = "resubmitted"
    LAPSED = "lapsed"
    REVERIFICATION_DUE = "reverification_due"
    RENEWED_CERTIFICATE = "renewed_certificate"

    ALL = (NEW, RESUBMITTED, LAPSED, REVERIFICATION_DUE, RENEWED_CERTIFICATE)


def _last_decision() -> Subquery:
    return Subquery(
        VerificationDecision.objects.filter(provider=OuterRef("pk"))
        .order_by("-decided_at", "-pk")
        .values("decision")[:1]
    )


def _last_approved_at() -> Subquery:
    return Subquery(
        VerificationDecision.objects.filter(provider=OuterRef("pk"), decision=Decision.APPROVED)
        .order_by("-decided_at", "-pk")
        .values("decided_at")[:1]
    )


def _renewed_certificate() -> Exists:
    """A police certificate added since the provider was last approved (or, for one approved
    before these records existed, since their status last changed): to be checked."""
    return Exists(
        Document.objects.filter(
            provider=OuterRef("pk"),
            kind=DocumentKind.POLICE_VERIFICATION,
            created_at__gt=OuterRef("checked_since"),
        )
    )


def _queue_base(*, today: dt.date) -> QuerySet[Provider]:
    """Every provider annotated with `kind` (QueueKind, or "" when not in the queue),
    `waiting_since` and `has_identity`."""
    return (
        Provider.objects.annotate(
            last_decision=_last_decision(),
            checked_since=Coalesce(_last_approved_at(), "status_changed_at", "created_at"),
        )
        .annotate(
            renewed=_renewed_certificate(),
            has_identity=Exists(
                Document.objects.filter(provider=OuterRef("pk"), kind=DocumentKind.IDENTITY)
            ),
            waiting_since=Coalesce("status_changed_at", "created_at"),
        )
        .annotate(
            kind=Case(
                When(
                    Q(verification_status=S.PENDING, last_decision=Decision.LAPSED),
                    then=Value(QueueKind.LAPSED),
                ),
                When(
                    Q(verification_status=S.PENDING, last_decision=Decision.RESUBMITTED),
                    then=Value(QueueKind.RESUBMITTED),
                ),
                When(verification_status=S.PENDING, then=Value(QueueKind.NEW)),
                When(
                    Q(verification_status=S.VERIFIED, reverification_due_on__lte=today),
                    then=Value(QueueKind.REVERIFICATION_DUE),
                ),
                When(
                    Q(verification_status=S.VERIFIED, renewed=True),
                    then=Value(QueueKind.RENEWED_CERTIFICATE),
                ),
                default=Value(""),
                output_field=CharField(),
            )
        )
    )


@dataclass(frozen=True)
class Queue:
    page: Page
    counts: dict[str, int]  # QueueKind → providers waiting
    total: int
    waiting_for_provider: int  # "changes asked for": the Sevamitra's turn
    districts: list[District]  # the districts the user may filter by
    district: District | None
    kind: str


def verification_queue(
    *,
    user: User,
    district_id: int | None = None,
    kind: str = "",
    page: int = 1,
    today: dt.date | None = None,
) -> Queue:
    """The providers waiting for the user's decision, oldest first (by when they entered
    their status, or registered), with the count of each kind. District officers see their
    districts only; administrators every district (and may filter by one)."""
    today = today or timezone.localdate()
    scope = permissions.queue_districts(user)
    districts = District.objects.order_by("name_en")
    if scope is not None:
        districts = districts.filter(pk__in=scope)
    district_list = list(districts)
    district = next((d for d in district_list if d.pk == district_id), None)

    # Q() for the annotations: the type checker knows the model's fields only.
    providers = _queue_base(today=today).exclude(Q(kind=""))
    waiting = Provider.objects.filter(verification_status=S.CHANGES_REQUESTED)
    if scope is not None:
        providers = providers.filter(district_id__in=scope)
        waiting = waiting.filter(district_id__in=scope)
    if district is not None:
        providers = providers.filter(district=district)
        waiting = waiting.filter(district=district)
    counts: dict[str, int] = providers.aggregate(
        **{key: Count("pk", filter=Q(kind=key)) for key in QueueKind.ALL}
    )
    if kind in QueueKind.ALL:
        providers = providers.filter(Q(kind=kind))
    else:
        kind = ""
    listed = providers.select_related("district").prefetch_related(
        Prefetch(
            "offers",
            queryset=Offer.objects.filter(is_active=True)
            .select_related("category")
            .order_by("category__sort_order"),
            to_attr="active_offers",
        )
    )
    paginator = Paginator(listed.order_by(F("waiting_since").asc(), "pk"), QUEUE_PAGE_SIZE)
    return Queue(
        page=paginator.get_page(page),
        counts=counts,
        total=sum(counts.values()),
        waiting_for_provider=waiting.count(),
        districts=district_list,
        district=district,
        kind=kind,
    )


# --- one provider, for the officer -----------------------------------------------------------


def verification_provider_get(*, user: User, provider_id: int) -> Provider | None:
    """The provider with their queue annotations, if the user may see their verification."""
    if not isinstance(provider_id, int) or not 0 < provider_id <= MAX_ID:
        return None
    provider = (
        _queue_base(today=timezone.localdate())
        .select_related("district", "user")
        .filter(pk=provider_id)
        .first()
    )
    if provider is None or not permissions.can_see_verification(user, provider):
        return None
    return provider


def police_categories(*, provider: Provider) -> list[Category]:
    """The categories the provider offers (active offers) that need police verification."""
    return list(
        Category.objects.filter(
            offers__provider=provider, offers__is_active=True, police_verification_required=True
        )
        .distinct()
        .order_by("sort_order", "name_en")
    )


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    valid: bool  # an identity document always; a police certificate while in date
    checked_before: bool  # ticked in an earlier decision


def documents_for_review(*, provider: Provider, today: dt.date | None = None) -> list[DocumentRow]:
    today = today or timezone.localdate()
    checked = VerificationDecision.documents_checked.through.objects.filter(
        document_id=OuterRef("pk")
    )
    documents = (
        provider.documents.annotate(checked_before=Exists(checked))
        .order_by("kind", "-created_at", "-pk")
        .all()
    )
    return [
        DocumentRow(
            document=document,
            valid=document.kind != DocumentKind.POLICE_VERIFICATION
            or (document.expires_on is not None and document.expires_on >= today),
            checked_before=document.checked_before,  # type: ignore[attr-defined]
        )
        for document in documents
    ]


def verification_history(*, provider: Provider) -> list[VerificationDecision]:
    """Every decision on the provider, newest first, with the documents checked."""
    return list(
        VerificationDecision.objects.filter(provider=provider)
        .select_related("decided_by")
        .prefetch_related("documents_checked")
        .order_by("-decided_at", "-pk")
    )


# --- what the Sevamitra is told --------------------------------------------------------------


@dataclass(frozen=True)
class ProviderVerification:
    """A Sevamitra's own view of their verification."""

    decision: VerificationDecision | None  # the decision behind the present status, if any
    history: list[VerificationDecision]
    police_categories: list[Category]
    police_expires_on: dt.date | None  # the latest certificate's last valid day
    police_lapsed: bool  # needed, and none valid today
    police_expiring: bool  # valid today, but ends within the policy's first reminder
    reverification_due: bool
    reverification_due_on: dt.date | None
    verified_until: dt.date | None

    @property
    def needs_attention(self) -> bool:
        return self.police_lapsed or self.police_expiring or self.reverification_due


# The decision that explains each status to the provider.
_EXPLAINED_BY = {
    S.CHANGES_REQUESTED: {Decision.CHANGES_REQUESTED},
    S.REJECTED: {Decision.REJECTED},
    S.PENDING: {Decision.LAPSED},
}


def provider_verification(
    *, provider: Provider, today: dt.date | None = None
) -> ProviderVerification:
    today = today or timezone.localdate()
    history = verification_history(provider=provider)
    explains = _EXPLAINED_BY.get(S(provider.verification_status), set())
    decision = history[0] if history and history[0].decision in explains else None
    categories = police_categories(provider=provider)
    latest = (
        provider.documents.filter(kind=DocumentKind.POLICE_VERIFICATION)
        .order_by("-expires_on")
        .values_list("expires_on", flat=True)
        .first()
    )
    horizon = max(verification_policy_get().reminder_days)
    lapsed = bool(categories) and (latest is None or latest < today)
    expiring = (
        bool(categories) and latest is not None and today <= latest < today + dt.timedelta(horizon)
    )
    due_on = provider.reverification_due_on
    return ProviderVerification(
        decision=decision,
        history=history,
        police_categories=categories,
        police_expires_on=latest,
        police_lapsed=lapsed,
        police_expiring=expiring,
        reverification_due=provider.verification_status == S.VERIFIED
        and due_on is not None
        and due_on <= today,
        reverification_due_on=due_on,
        verified_until=provider.verified_until,
    )
