from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OndcConfig(AppConfig):
    name = "sevamitra.ondc"
    verbose_name = _("ONDC seller node")

    def ready(self) -> None:
        # Register the protocol handlers (handlers/*.py) and the background jobs (tasks.py).
        from sevamitra.ondc import handlers, tasks, unsolicited  # noqa: F401
