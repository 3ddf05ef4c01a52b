"""HTTP-level tests of /api/v1/auth/*."""

import json
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from sevamitra.accounts import ratelimit
from sevamitra.accounts.models import OtpChallenge, Role
from sevamitra.accounts.tests.conftest import sent_code
from sevamitra.accounts.tests.factories import RoleGrantFactory, UserFactory
from sevamitra.sms.backends import locmem

pytestmark = pytest.mark.django_db
PHONE = "9876543210"
REQUEST_URL = "/api/v1/auth/otp/request"
VERIFY_URL = "/api/v1/auth/otp/verify"
LOGOUT_URL = "/api/v1/auth/logout"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def post(client, url, payload, **extra):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(url, body, content_type="application/json", **EN, **extra)


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def ask(phone=PHONE, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, REQUEST_URL, {"phone": phone}, **extra)
        assert response.status_code == 202, response.content
        return sent_code()

    return ask


def test_urls_are_named():
    assert reverse("accounts_api:otp_request") == REQUEST_URL
    assert reverse("accounts_api:otp_verify") == VERIFY_URL
    assert reverse("accounts_api:logout") == LOGOUT_URL
    assert reverse("accounts_api:csrf") == "/api/v1/auth/csrf"


def test_request_sends_a_code(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, REQUEST_URL, {"phone": "+91 98765 43210"})

    assert response.status_code == 202
    assert response.json() == {"status": "sent", "expires_in": 300}
    assert [m.to for m in locmem.outbox] == ["+919876543210"]
    assert OtpChallenge.objects.get().requested_ip == "127.0.0.1"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        (
            "5876543210",
            "Enter a valid Indian mobile number: 10 digits starting with 6, 7, 8 or 9 "
            "(a +91 or 0 in front is fine).",
        ),
        ("", "Enter a mobile number."),
        (None, "Enter a mobile number."),
        (9876543210, "Enter a mobile number."),
        (["9876543210"], "Enter a mobile number."),
    ],
)
def test_request_refuses_a_bad_number_naming_the_field(client, phone, message):
    response = post(client, REQUEST_URL, {"phone": phone})

    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "invalid_phone", "message": message, "field": "phone"}
    }
    assert OtpChallenge.objects.count() == 0


@pytest.mark.parametrize("url", [REQUEST_URL, VERIFY_URL])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "The request body must be JSON."),
        (b"{not json", "The request body must be JSON."),
        (b"\xff\xfe", "The request body must be JSON."),
        (b"[1, 2]", "The request body must be a JSON object."),
        (b'"9876543210"', "The request body must be a JSON object."),
        (b"null", "The request body must be a JSON object."),
    ],
)
def test_bad_json_is_a_400_not_a_500(client, url, body, message):
    response = post(client, url, body)

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "bad_json", "message": message}}


@pytest.mark.parametrize("url", [REQUEST_URL, VERIFY_URL, LOGOUT_URL])
def test_endpoints_only_take_post(client, url):
    assert client.get(url).status_code == 405


def test_verify_signs_in_and_returns_the_user(client, ask):
    code = ask()

    response = post(client, VERIFY_URL, {"phone": PHONE, "code": code})

    assert response.status_code == 200
    user_id = response.json()["user"]["id"]
    assert response.json() == {
        "user": {"id": user_id, "phone_masked": "XXXXXX3210", "roles": [Role.CITIZEN]}
    }
    assert client.session["_auth_user_id"] == str(user_id)


def test_verify_lists_every_role(client, ask):
    user = UserFactory(phone=PHONE)
    RoleGrantFactory(user=user, role=Role.AUDITOR)
    RoleGrantFactory(user=user, role=Role.AGENT)
    code = ask()

    response = post(client, VERIFY_URL, {"phone": PHONE, "code": code})

    assert response.json()["user"]["roles"] == ["agent", "auditor"]


def test_wrong_code_is_a_401_that_counts_down_then_a_423(client, ask):
    code = ask()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    responses = [post(client, VERIFY_URL, {"phone": PHONE, "code": wrong}) for _ in range(5)]
    after = post(client, VERIFY_URL, {"phone": PHONE, "code": code})

    assert [r.status_code for r in responses] == [401, 401, 401, 401, 423]
    assert responses[0].json() == {
        "error": {"code": "otp_wrong", "message": "Wrong code. 4 tries left."}
    }
    assert responses[3].json()["error"]["message"] == "Wrong code. 1 try left."
    assert (after.status_code, after.json()["error"]["code"]) == (423, "otp_locked")
    assert "_auth_user_id" not in client.session


def test_expired_code_is_a_401(client, ask):
    code = ask()
    OtpChallenge.objects.update(expires_at=OtpChallenge.objects.get().created_at)

    response = post(client, VERIFY_URL, {"phone": PHONE, "code": code})

    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "otp_expired", "message": "This code has expired. Request a new code."}
    }


def test_verify_without_a_request_is_a_401(client):
    response = post(client, VERIFY_URL, {"phone": PHONE, "code": "123456"})

    assert (response.status_code, response.json()["error"]["code"]) == (401, "otp_missing")


@pytest.mark.parametrize("code", ["12345", "abcdef", "", None, 123456, ["123456"]])
def test_malformed_code_is_a_400_naming_the_field(client, ask, code):
    ask()

    response = post(client, VERIFY_URL, {"phone": PHONE, "code": code})

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_code",
            "message": "Enter the 6-digit code from the SMS.",
            "field": "code",
        }
    }


def test_verify_refuses_a_bad_number(client):
    response = post(client, VERIFY_URL, {"phone": "12345", "code": "123456"})

    assert (response.status_code, response.json()["error"]["field"]) == (400, "phone")


def test_disabled_account_is_a_403(client, ask):
    UserFactory(phone=PHONE, is_active=False)
    code = ask()

    response = post(client, VERIFY_URL, {"phone": PHONE, "code": code})

    assert (response.status_code, response.json()["error"]["code"]) == (403, "account_disabled")


def test_too_many_requests_for_a_number_is_a_429_with_retry_after(client, settings, ask):
    settings.OTP_RATE_PER_PHONE = "3/900"
    with mock.patch.object(ratelimit, "_now", return_value=1_000_000.0):
        for _ in range(3):
            ask()
        response = post(client, REQUEST_URL, {"phone": PHONE})

    assert response.status_code == 429
    assert response["Retry-After"] == "800"
    assert response.json() == {
        "error": {
            "code": "rate_limited",
            "message": "Too many code requests. Try again in 14 minutes.",
        }
    }
    assert len(locmem.outbox) == 3


def test_too_many_requests_from_an_address_is_a_429(client, settings, ask):
    settings.OTP_RATE_PER_IP = "2/3600"
    ask("9000000001", REMOTE_ADDR="198.51.100.4")
    ask("9000000002", REMOTE_ADDR="198.51.100.4")

    response = post(client, REQUEST_URL, {"phone": "9000000003"}, REMOTE_ADDR="198.51.100.4")
    other = post(client, REQUEST_URL, {"phone": "9000000003"}, REMOTE_ADDR="198.51.100.5")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert other.status_code == 202


def test_logout_ends_the_session(client):
    client.force_login(UserFactory())

    response = client.post(LOGOUT_URL)

    assert response.status_code == 200
    assert response.json() == {"status": "signed_out"}
    assert "_auth_user_id" not in client.session


def test_errors_follow_the_language_of_the_request(client):
    response = client.post(
        REQUEST_URL, b"x", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response["Content-Language"] == "en"


def test_csrf_is_enforced(django_capture_on_commit_callbacks):
    browser = Client(enforce_csrf_checks=True)

    for url in (REQUEST_URL, VERIFY_URL, LOGOUT_URL):
        response = post(browser, url, {"phone": PHONE, "code": "123456"})
        assert response.status_code == 403, url
    assert OtpChallenge.objects.count() == 0


def test_a_browser_page_with_the_csrf_token_signs_in_and_out(django_capture_on_commit_callbacks):
    browser = Client(enforce_csrf_checks=True)
    token_response = browser.get("/api/v1/auth/csrf")
    token = token_response.json()["csrf_token"]
    assert browser.cookies["csrftoken"].value

    with django_capture_on_commit_callbacks(execute=True):
        requested = post(browser, REQUEST_URL, {"phone": PHONE}, HTTP_X_CSRFTOKEN=token)
    verified = post(
        browser, VERIFY_URL, {"phone": PHONE, "code": sent_code()}, HTTP_X_CSRFTOKEN=token
    )
    # Signing in rotates the token: the page reads the new one from the cookie.
    new_token = browser.cookies["csrftoken"].value
    stale = post(browser, LOGOUT_URL, {}, HTTP_X_CSRFTOKEN=token)
    logged_out = post(browser, LOGOUT_URL, {}, HTTP_X_CSRFTOKEN=new_token)

    assert (requested.status_code, verified.status_code) == (202, 200)
    assert stale.status_code == 403
    assert logged_out.status_code == 200
    assert "_auth_user_id" not in browser.session
