from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _hindi() -> bool:
    return (get_language() or "hi").startswith("hi")


class Department(models.Model):
    """A government department (e.g. the Labour Department) whose offices order services."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=160)
    name_hi = models.CharField(_("name (Hindi)"), max_length=160)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_hi if _hindi() else self.name_en


class Office(models.Model):
    """An office of a department. Approving officers of an office also see the offices under it
    (`parent` tree)."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="offices", verbose_name=_("department")
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200)
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    address = models.TextField(_("address"))
    pincode = models.CharField(_("pincode"), max_length=6)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    ddo_code = models.CharField(_("treasury/DDO code"), max_length=20)
    gstin = models.CharField(
        _("GSTIN"), max_length=15, blank=True, help_text=_("Empty where not registered.")
    )
    state_code = models.CharField(_("GST state code"), max_length=2, default="09")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("office above"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state_code__regex=r"^[0-9]{2}$"), name="office_state_code_two_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_hi if _hindi() else self.name_en

    def ancestors(self) -> list["Office"]:
        """This office and every office above it, nearest first (loops are cut)."""
        chain: list[Office] = []
        seen: set[int] = set()
        office: Office | None = self
        while office is not None and office.pk not in seen:
            chain.append(office)
            seen.add(office.pk)
            office = office.parent
        return chain


class OfficerPost(models.TextChoices):
    INDENTING = "indenting", _("Indenting officer")
    APPROVING = "approving", _("Approving officer")
    FINANCE = "finance", _("Finance / drawing officer")


class OfficePost(models.Model):
    """A person holding a post in an office. Granting one ensures the department officer role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="office_posts",
        verbose_name=_("officer"),
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="posts", verbose_name=_("office")
    )
    post = models.CharField(_("post"), max_length=12, choices=OfficerPost.choices)
    active = models.BooleanField(_("active"), default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("officer post")
        verbose_name_plural = _("officer posts")
        ordering = ["office_id", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "office", "post"], name="office_post_unique_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_post_display()} — {self.office}"
