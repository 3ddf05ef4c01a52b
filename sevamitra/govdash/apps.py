from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovdashConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sevamitra.govdash"
    verbose_name = _("Government orders: dashboards")
