from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sevamitra.sso"
    verbose_name = _("Single sign-on (OpenID Connect)")

    def ready(self) -> None:
        from sevamitra.sso import checks  # noqa: F401  (registers the deploy checks)
