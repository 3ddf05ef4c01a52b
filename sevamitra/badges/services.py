"""Issuing ID badges and uniforms; each writes its audit entry last."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.errors import InvalidInput
from sevamitra.accounts.models import User
from sevamitra.accounts.permissions import require
from sevamitra.audit.services import audit_change, audit_record, snapshot
from sevamitra.badges import permissions
from sevamitra.badges.errors import NotVerified
from sevamitra.badges.models import Badge, CapSize, TshirtSize, UniformIssue
from sevamitra.providers.models import Provider, VerificationStatus


@transaction.atomic
def badge_issue(*, provider: Provider, acting_user: User) -> Badge:
    """A new ID card for a verified provider, valid for BADGE_VALID_DAYS; earlier cards of the
    provider are revoked (their QR codes then read "not valid")."""
    require(permissions.can_issue_badge(acting_user, provider))
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.verification_status != VerificationStatus.VERIFIED:
        raise NotVerified()
    today = timezone.localdate()
    replaced = Badge.objects.filter(provider=provider, revoked_at__isnull=True)
    replaced_ids = sorted(replaced.values_list("pk", flat=True))
    replaced.update(revoked_at=timezone.now())
    badge = Badge.objects.create(
        provider=provider,
        issued_on=today,
        valid_until=today + dt.timedelta(days=settings.BADGE_VALID_DAYS - 1),
        issued_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="badge.issued",
        obj=badge,
        after={
            **snapshot(badge, ("provider_id", "issued_on", "valid_until")),
            "replaced_badge_ids": replaced_ids,
        },
    )
    return badge


@transaction.atomic
def uniform_issue(
    *,
    provider: Provider,
    tshirt_size: str,
    cap_size: str,
    issued_on: dt.date | None = None,
    acting_user: User,
) -> UniformIssue:
    """Record a T-shirt and cap handed to a provider by the officer of their district."""
    require(permissions.can_issue_uniform(acting_user, provider))
    if tshirt_size not in TshirtSize.values:
        raise InvalidInput(_("Choose a T-shirt size from the list."), field="tshirt_size")
    if cap_size not in CapSize.values:
        raise InvalidInput(_("Choose a cap size from the list."), field="cap_size")
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        raise InvalidInput(_("The date of issue cannot be in the future."), field="issued_on")
    issue = UniformIssue.objects.create(
        provider=provider,
        tshirt_size=tshirt_size,
        cap_size=cap_size,
        issued_on=issued_on,
        issued_by=acting_user,
    )
    audit_change(
        actor=acting_user,
        action="uniform.issued",
        obj=issue,
        fields=("provider_id", "tshirt_size", "cap_size", "issued_on"),
    )
    return issue
