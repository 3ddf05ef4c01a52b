"""Reading badges: the live verdict of a token, a provider's current card, their uniforms."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sevamitra.badges import tokens
from sevamitra.badges.models import Badge, UniformIssue
from sevamitra.providers.models import Provider, VerificationStatus


class Verdict:
    VALID = "valid"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    NOT_VALID = "not_valid"


VERDICT_LABELS = {
    Verdict.VALID: _("VALID"),
    Verdict.EXPIRED: _("EXPIRED"),
    Verdict.SUSPENDED: _("SUSPENDED"),
    Verdict.NOT_VALID: _("NOT VALID"),
}
VERDICT_EXPLANATIONS = {
    Verdict.VALID: _("This Sevamitra is verified by the Labour Department and the card is valid."),
    Verdict.EXPIRED: _("This card has expired. Do not rely on it."),
    Verdict.SUSPENDED: _("This Sevamitra is suspended. Do not let them work on this card."),
    Verdict.NOT_VALID: _(
        "This is not a genuine Sevamitra card, or it has been replaced. Do not rely on it."
    ),
}


@dataclass(frozen=True)
class BadgeCheck:
    verdict: str
    claims: tokens.BadgeClaims | None = None
    badge: Badge | None = None

    @property
    def provider(self) -> Provider | None:
        return self.badge.provider if self.badge else None


def offline_verdict(claims: tokens.BadgeClaims | None, *, today: dt.date | None = None) -> str:
    """What the signature and the dates alone say (no database)."""
    if claims is None:
        return Verdict.NOT_VALID
    today = today or timezone.localdate()
    if today < claims.issued_on:
        return Verdict.NOT_VALID
    return Verdict.EXPIRED if today > claims.valid_until else Verdict.VALID


def badge_check(token: str) -> BadgeCheck:
    """The live verdict of a token, read from the database now. Never raises for bad input."""
    claims = tokens.verify(token)
    if claims is None:
        return BadgeCheck(Verdict.NOT_VALID)
    badge = (
        Badge.objects.select_related("provider", "provider__district")
        .filter(pk=claims.badge_number, provider_id=claims.provider_id)
        .first()
    )
    if badge is None or badge.claims != claims:
        return BadgeCheck(Verdict.NOT_VALID, claims)
    # The provider's standing now overrides the card's dates: a suspended provider's card
    # says so (even a card since replaced); a verification that lapsed (re-verification
    # overdue, back to pending or asked for changes) makes it expired; a rejection, not valid.
    status = badge.provider.verification_status
    if status == VerificationStatus.SUSPENDED:
        return BadgeCheck(Verdict.SUSPENDED, claims, badge)
    if status == VerificationStatus.REJECTED:
        return BadgeCheck(Verdict.NOT_VALID, claims, badge)
    if status != VerificationStatus.VERIFIED:
        return BadgeCheck(Verdict.EXPIRED, claims, badge)
    verdict = offline_verdict(claims)
    if badge.revoked_at is not None or verdict == Verdict.NOT_VALID:
        return BadgeCheck(Verdict.NOT_VALID, claims, badge)
    return BadgeCheck(verdict, claims, badge)


def badge_current(provider: Provider) -> Badge | None:
    """The provider's card in force (not replaced), if any."""
    return (
        Badge.objects.select_related("provider", "provider__district")
        .filter(provider=provider, revoked_at__isnull=True)
        .order_by("-pk")
        .first()
    )


def provider_categories(provider: Provider) -> list:
    from sevamitra.catalog.models import Category

    return list(
        Category.objects.filter(offers__provider=provider, offers__is_active=True)
        .distinct()
        .order_by("sort_order", "name_en")
    )


def uniforms_for_provider(provider: Provider) -> QuerySet[UniformIssue]:
    """What the provider has received, newest first (for templates/badges/_uniforms.html)."""
    return UniformIssue.objects.filter(provider=provider).select_related("issued_by")
