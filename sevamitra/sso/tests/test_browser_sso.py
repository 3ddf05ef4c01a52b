"""Single sign-on in a real browser: the consent screen and the connected-portals page in Hindi
and in English (axe, weight, nothing untranslated, screenshots
var/screenshots/sso-<page>-<lang>-<360|desktop>.png); and the whole "sign in once" journey with
the browser's Content-Security-Policy enforced, the portal on another origin."""

from urllib.parse import quote, urlsplit

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override

from sevamitra.core.tests.browser import CHROMIUM, MOBILE, audit_page, last_sms_code, sign_in
from sevamitra.sso.models import Consent
from sevamitra.sso.tests.factories import portal_client
from sevamitra.sso.tests.oidc import Portal, query_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONES = {"hi": "9876503001", "en": "9876503002", "csp": "9876503003"}


def _portal(live_server, callback: str) -> Portal:
    application, secret = portal_client(redirect_uris=[callback])
    return Portal(live_server.url, application.client_id, secret, callback)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.mark.parametrize("language", ["hi", "en"])
def test_consent_screen_and_connected_portals(open_page, live_server, language):
    with override(language):
        allow, withdraw = _("Allow"), _("Withdraw")
    portal = _portal(live_server, f"{live_server.url}/healthz")
    page = open_page(language=language, viewport=MOBILE)

    sign_in(page, PHONES[language], quote(_path(portal.authorization_url()), safe=""))

    assert urlsplit(page.url).path == "/o/authorize/"
    audit_page(page, area="sso", name="consent", language=language)
    assert page.get_by_role("heading", level=1).count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name=allow, exact=True).click()
    assert "code" in query_of(page.url)
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() == 1

    page.goto("/my/connected-portals/")
    audit_page(page, area="sso", name="connected-portals", language=language)
    with page.expect_navigation():
        page.get_by_role("button", name=withdraw).click()
    assert page.get_by_role("status").count() == 1
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() == 0


def test_sign_in_once_with_the_csp_enforced(browser, live_server, reference_data):
    """The portal lives on another origin (127.0.0.1 vs localhost). First time: sign in,
    consent, back at the portal. Signed out and back: sign in and straight on to the portal,
    no consent screen, although the browser checks our sign-in form's form-action."""
    from sevamitra.sms.backends import locmem

    locmem.outbox.clear()
    port = urlsplit(live_server.url).port
    portal = _portal(live_server, f"http://127.0.0.1:{port}/healthz")
    context = browser.new_context(base_url=live_server.url, locale="en-IN", bypass_csp=False)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    context.set_default_timeout(10_000)
    page = context.new_page()
    phone = PHONES["csp"]
    assert CHROMIUM

    def sign_in_from_portal() -> None:
        page.goto(portal.authorization_url())
        assert urlsplit(page.url).path == "/accounts/signin/"
        page.locator("input[name=phone]").fill(phone)
        with page.expect_navigation():
            page.locator("input[name=phone]").press("Enter")
        page.locator("input[name=code]").fill(last_sms_code(phone))
        with page.expect_navigation():
            page.locator("input[name=code]").press("Enter")
        page.wait_for_load_state()

    try:
        sign_in_from_portal()
        assert urlsplit(page.url).path == "/o/authorize/"  # the consent screen
        with page.expect_navigation():
            page.get_by_role("button", name="Allow", exact=True).click()
        assert page.url.startswith(portal.redirect_uri + "?code=")
        assert portal.fetch_token(page.url)["access_token"]

        page.goto("/")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign out").click()
        sign_in_from_portal()
        page.wait_for_url(portal.redirect_uri + "?code=*")
        assert portal.fetch_token(page.url)["access_token"]
        assert Consent.objects.count() == 1
    finally:
        context.close()
