from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """A revenue district. `code` is the district's name as the postal data spells it
    (upper-case Latin, e.g. "KANPUR NAGAR"), so pincodes map onto districts without a table."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_hi = models.CharField(_("name (Hindi)"), max_length=100)
    state = models.CharField(_("state"), max_length=64, default="UTTAR PRADESH")

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_hi if (get_language() or "hi").startswith("hi") else self.name_en
