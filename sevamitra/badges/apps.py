from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sevamitra.badges"
    verbose_name = _("ID badges and uniforms")

    def ready(self) -> None:
        from sevamitra.badges import checks  # noqa: F401  (registers the deploy check)
