"""Shared test set-up: isolation from the outside world, and the browser-test fixtures."""

import importlib
import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _static_without_collectstatic():
    """Tests render pages without `collectstatic`: the plain static storage, and WhiteNoise
    serving from the source folders (what DJANGO_STATIC_MANIFEST=0 does in settings)."""
    from django.conf import settings
    from django.test.utils import override_settings

    plain = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
    )
    plain.enable()
    yield
    plain.disable()


@pytest.fixture(autouse=True)
def _isolate_side_effects(settings, tmp_path):
    # Tests never send real SMS and never write outside their temporary folder.
    settings.SMS_BACKEND = "sevamitra.sms.backends.locmem.SmsBackend"
    settings.NOTIFICATIONS_BACKEND = "sevamitra.notifications.backends.locmem.Backend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    settings.MEDIA_ROOT = tmp_path / "media"
    # Workers in tests run only the jobs a test queues, not the periodic sweeps.
    settings.TASKS_PERIODIC = False


def pytest_configure(config):
    # The SQLite test database is a file under var/ (config/settings.py).
    from pathlib import Path

    (Path(__file__).parent / "var").mkdir(exist_ok=True)
    config.addinivalue_line(
        "markers", "browser: drives Debian's Chromium against the live test server"
    )


# --- Browser tests (sevamitra/core/tests/browser.py) -------------------------------------------


@pytest.fixture
def reference_data(transactional_db):
    """Districts and categories come from data migrations; a transactional test's flush empties
    them, so tests on the live server seed them again."""
    from django.apps import apps

    importlib.import_module("sevamitra.geo.migrations.0002_up_districts").seed_districts(apps, None)
    importlib.import_module("sevamitra.catalog.migrations.0002_seed_categories").seed_categories(
        apps, None
    )
    from sevamitra.catalog.matching import invalidate_catalog_index

    invalidate_catalog_index()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from sevamitra.core.tests.browser import CHROMIUM, CHROMIUM_ARGS

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_server, reference_data):
    """open_page(language="hi", viewport=MOBILE) → a Page in a fresh context (no cache, no
    cookies) whose relative URLs go to the live server. English is chosen the way a person
    does: the language cookie that the switch sets."""
    from django.core.cache import caches

    from sevamitra.core.tests.browser import MOBILE
    from sevamitra.sms.backends import locmem

    locmem.outbox.clear()
    # Rate-limit counters live in the cache, which a transactional test's flush leaves alone:
    # every journey signs in from 127.0.0.1, so start each with fresh counters.
    caches["default"].clear()
    contexts = []

    def make(language: str = "hi", viewport: dict | None = None):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or MOBILE,
            locale="hi-IN" if language == "hi" else "en-IN",
            timezone_id="Asia/Kolkata",
            bypass_csp=True,  # lets the tests inject axe-core; the pages themselves keep CSP
        )
        context.set_default_timeout(10_000)
        if language != "hi":
            cookie = {"name": "django_language", "value": language, "url": live_server.url}
            context.add_cookies([cookie])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
