import pytest

from sevamitra.notifications.backends import locmem
from sevamitra.sms.backends import locmem as sms_locmem

LOCMEM = "sevamitra.notifications.backends.locmem.Backend"


@pytest.fixture(autouse=True)
def _outbox(settings, tmp_path):
    """Messages go to the locmem backend (emptied); files, if any, to the test's folder."""
    settings.NOTIFICATIONS_BACKEND = LOCMEM
    settings.NOTIFICATIONS_FILE_PATH = tmp_path / "notifications"
    settings.NOTIFICATIONS_EMAIL_FROM = "Sevamitra <noreply@sevamitra.localhost>"
    settings.TASKS_MAX_ATTEMPTS = 8
    settings.TASKS_RETRY_BASE_SECONDS = 10.0
    settings.TASKS_RETRY_MAX_SECONDS = 1000.0
    settings.TASKS_LEASE_SECONDS = 300
    locmem.clear()
    sms_locmem.outbox.clear()
    yield
    locmem.clear()
    sms_locmem.outbox.clear()
