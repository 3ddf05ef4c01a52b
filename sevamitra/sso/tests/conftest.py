"""Fixtures of the single sign-on tests: http redirect URIs on loopback are allowed (as with
DJANGO_DEBUG or OIDC_ALLOW_HTTP_LOOPBACK), fresh rate-limit counters and SMS outbox, and the
live-server drivers (tests/oidc.py)."""

from __future__ import annotations

import uuid

import pytest

from sevamitra.sms.backends import locmem
from sevamitra.sso.tests.factories import PHONE, portal_client
from sevamitra.sso.tests.oidc import Browser, Portal


@pytest.fixture(autouse=True)
def _loopback_and_fresh_counters(settings):
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"],
    }
    # Each test its own cache key prefix (sign-in rate limits), never a flush of a shared Redis.
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for alias, config in settings.CACHES.items()
    }
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


@pytest.fixture
def callback(live_server) -> str:
    """The portal's redirect URI: a page of the live server itself (any page answers)."""
    return f"{live_server.url}/healthz"


@pytest.fixture
def registered(transactional_db, callback):
    """A confidential sibling portal allowed every scope: (application, secret)."""
    return portal_client(redirect_uris=[callback])


@pytest.fixture
def portal(live_server, registered, callback) -> Portal:
    application, secret = registered
    return Portal(live_server.url, application.client_id, secret, callback)


@pytest.fixture
def browser_at(live_server):
    browsers: list[Browser] = []

    def make() -> Browser:
        browsers.append(Browser(live_server.url))
        return browsers[-1]

    yield make
    for browser in browsers:
        browser.close()


@pytest.fixture
def person(transactional_db):
    """A person who has signed in before (a citizen with a name)."""
    from sevamitra.accounts.tests.factories import user_with_roles

    return user_with_roles("citizen", phone=PHONE, name="Asha Verma", preferred_language="en")
