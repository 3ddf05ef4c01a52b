from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sevamitra.badges import tokens


class Badge(models.Model):
    """An ID card issued to a Sevamitra. Its number is its primary key; issuing a new card
    replaces (revokes) the provider's earlier ones."""

    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="badges",
        verbose_name=_("Sevamitra"),
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("replaced on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("ID badge")
        verbose_name_plural = _("ID badges")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("issued_on")),
                name="badge_valid_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"SM-{self.pk:07d}"

    @property
    def claims(self) -> tokens.BadgeClaims:
        return tokens.BadgeClaims(
            provider_id=self.provider_id,
            badge_number=self.pk,
            issued_on=self.issued_on,
            valid_until=self.valid_until,
        )

    @property
    def token(self) -> str:
        return tokens.sign(self.claims)


class TshirtSize(models.TextChoices):
    XS = "XS", "XS"
    S = "S", "S"
    M = "M", "M"
    L = "L", "L"
    XL = "XL", "XL"
    XXL = "XXL", "XXL"
    XXXL = "XXXL", "3XL"


class CapSize(models.TextChoices):
    S = "S", "S"
    M = "M", "M"
    L = "L", "L"
    FREE = "free", _("Free size")


class UniformIssue(models.Model):
    """A uniform (T-shirt and cap) handed to a Sevamitra by a district officer."""

    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="uniform_issues",
        verbose_name=_("Sevamitra"),
    )
    tshirt_size = models.CharField(_("T-shirt size"), max_length=5, choices=TshirtSize.choices)
    cap_size = models.CharField(_("cap size"), max_length=5, choices=CapSize.choices)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuing officer"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("uniform issue")
        verbose_name_plural = _("uniform issues")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.provider_id} · {self.tshirt_size}/{self.cap_size} · {self.issued_on}"
