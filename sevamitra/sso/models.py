"""Single sign-on for the state's sibling portals (docs/sso.md).

A sibling portal is a client: django-oauth-toolkit's `Application` (client id, secret,
redirect URIs) with our `ClientPolicy` beside it (its Hindi and English names and the scopes it
may ask for). A person's `Consent` to a portal is stored the first time and withdrawn from
/my/connected-portals/. `RedeemedCode` remembers which tokens an authorization code gave, so a
replayed code revokes them (RFC 6749 §4.1.2).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ClientPolicy(models.Model):
    """What the administrator decided about one sibling portal, beside DOT's Application."""

    application = models.OneToOneField(
        "oauth2_provider.Application",
        on_delete=models.CASCADE,
        related_name="sevamitra_policy",
        verbose_name=_("sibling portal (client)"),
    )
    name_hi = models.CharField(_("portal's name (Hindi)"), max_length=120)
    name_en = models.CharField(_("portal's name (English)"), max_length=120)
    allowed_scopes = models.CharField(
        _("allowed scopes"),
        max_length=200,
        help_text=_("What this portal may ask people to share. It cannot ask for anything else."),
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        verbose_name = _("sibling portal's policy")
        verbose_name_plural = _("sibling portals' policies")
        constraints = [
            models.CheckConstraint(condition=~Q(allowed_scopes=""), name="clientpolicy_has_scopes"),
            models.CheckConstraint(
                condition=~Q(name_hi="") & ~Q(name_en=""), name="clientpolicy_has_names"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_hi if (get_language() or "hi").startswith("hi") else self.name_en

    @property
    def scope_list(self) -> list[str]:
        return self.allowed_scopes.split()


class Consent(models.Model):
    """A person's consent to share the named scopes with one sibling portal. One active consent
    per person and portal; a withdrawn one stays as a record (withdrawn_at set)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_consents"
    )
    application = models.ForeignKey(
        "oauth2_provider.Application",
        on_delete=models.CASCADE,
        related_name="sevamitra_consents",
        verbose_name=_("portal"),
    )
    scopes = models.CharField(_("shared"), max_length=200)
    granted_at = models.DateTimeField(_("allowed on"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent to a sibling portal")
        verbose_name_plural = _("consents to sibling portals")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "application"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_user_and_portal",
            ),
            models.CheckConstraint(condition=~Q(scopes=""), name="consent_has_scopes"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | Q(withdrawn_at__gte=models.F("granted_at")),
                name="consent_withdrawn_after_granted",
            ),
        ]
        indexes = [models.Index(fields=["user", "-granted_at"], name="consent_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.application_id}"

    @property
    def scope_set(self) -> set[str]:
        return set(self.scopes.split())

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class RedeemedCode(models.Model):
    """An authorization code that has been exchanged, by its SHA-256 (never the code itself),
    and the tokens it gave: if it comes back, they are revoked."""

    code_hash = models.CharField(max_length=64, unique=True)
    application = models.ForeignKey("oauth2_provider.Application", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_family = models.UUIDField(null=True, blank=True)
    access_token = models.ForeignKey(
        "oauth2_provider.AccessToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    redeemed_at = models.DateTimeField(default=timezone.now, db_index=True)
    replayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("redeemed authorization code")
        verbose_name_plural = _("redeemed authorization codes")

    def __str__(self) -> str:
        return f"{self.code_hash[:12]}…"
