"""Shared test set-up: fixed clock helpers and isolation from the outside world."""

import pytest


@pytest.fixture(autouse=True)
def _isolate_side_effects(settings, tmp_path):
    # Tests never send real SMS and never write outside their temporary folder.
    settings.SMS_BACKEND = "sevamitra.sms.backends.locmem.SmsBackend"
    settings.NOTIFICATIONS_BACKEND = "sevamitra.notifications.backends.locmem.Backend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_configure(config):
    # The SQLite test database is a file under var/ (config/settings.py).
    from pathlib import Path

    (Path(__file__).parent / "var").mkdir(exist_ok=True)
