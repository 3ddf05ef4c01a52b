from decimal import Decimal

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class PricingUnit(models.TextChoices):
    VISIT = "visit", _("per visit")
    HOUR = "hour", _("per hour")
    DAY = "day", _("per day")
    MONTH = "month", _("per month")
    EVENT = "event", _("per event")


class CategoryGroup(models.TextChoices):
    TRADE = "trade", _("Trades")
    DOMESTIC = "domestic", _("Domestic help")


class Category(models.Model):
    """A kind of service a Sevamitra offers. Shipped by a data migration, edited in the admin."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    group = models.CharField(_("group"), max_length=16, choices=CategoryGroup.choices)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_hi = models.CharField(_("name (Hindi)"), max_length=80)
    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_("Other words people use, in Hindi or Latin letters, one per line."),
    )
    pricing_unit = models.CharField(_("pricing unit"), max_length=8, choices=PricingUnit.choices)
    police_verification_required = models.BooleanField(
        _("police verification mandatory"), default=False
    )
    ondc_category_code = models.CharField(
        _("ONDC category code"),
        max_length=32,
        blank=True,
        help_text=_("Empty where ONDC has no code for this service yet."),
    )
    gem_available = models.BooleanField(_("offered on GeM"), default=False)
    sac_code = models.CharField(
        _("SAC code"),
        max_length=8,
        blank=True,
        db_default="",
        help_text=_("GST services accounting code printed on invoices (6 digits)."),
    )
    gst_rate_percent = models.DecimalField(
        _("GST rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("18.00"),
        db_default=Decimal("18.00"),
    )
    icon = models.CharField(_("icon"), max_length=8, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["sort_order", "name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_hi if (get_language() or "hi").startswith("hi") else self.name_en

    @property
    def synonym_list(self) -> list[str]:
        return [s.strip() for s in self.synonyms.replace(",", "\n").splitlines() if s.strip()]
