from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sevamitra.employment"
    verbose_name = _("Employment exchange: linked profiles")
