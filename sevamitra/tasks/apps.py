from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "sevamitra.tasks"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Every app's tasks.py registers its handlers with @job(...): import them all, so the
        # web process can check names at enqueue time and the worker can run them.
        autodiscover_modules("tasks")
