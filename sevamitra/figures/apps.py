from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sevamitra.figures"
    verbose_name = _("Public outcome figures")
