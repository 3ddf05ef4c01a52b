"""HTTP-level tests of the sign-in pages, in Hindi (the default) and English."""

import pytest
from django.test import Client

from sevamitra.accounts.models import OtpChallenge
from sevamitra.accounts.tests.conftest import sent_code
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.accounts.views import SESSION_PHONE
from sevamitra.sms.backends import locmem

pytestmark = pytest.mark.django_db
URL = "/accounts/signin/"
PHONE = "9876543210"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    def submit(data, url=URL):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return submit


def test_phone_step_opens_in_hindi_by_default(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Language"] == "hi"
    html = response.content.decode()
    assert '<html lang="hi">' in html
    assert '<label for="id_phone">' in html
    assert 'type="tel"' in html and 'autocomplete="tel-national"' in html
    assert 'aria-describedby="id_phone_help"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_phone_step_in_english(english):
    response = english.get(URL)

    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<title>Sign in · Sevamitra</title>" in html
    assert "Mobile number</label>" in html
    assert ">Send code</button>" in html


@pytest.mark.parametrize("language", ["hi", "en"])
def test_full_sign_in_in_each_language(client, submit, language):
    client.cookies["django_language"] = language

    first = submit({"action": "request", "phone": "+91 98765 43210", "next": "/bookings/"})
    code_page = client.get(first["Location"])
    done = submit({"action": "verify", "code": sent_code(), "next": "/bookings/"})

    assert first.status_code == 302
    assert first["Location"] == "/accounts/signin/?next=%2Fbookings%2F"
    assert len(locmem.outbox) == 1
    assert code_page["Content-Language"] == language
    html = code_page.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert "+91 98765 43210" in html
    assert 'name="next" value="/bookings/"' in html
    assert (done.status_code, done["Location"]) == (302, "/bookings/")
    assert client.session["_auth_user_id"]
    assert SESSION_PHONE not in client.session


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_unsafe_next_goes_home(client, submit, next_url):
    submit({"action": "request", "phone": PHONE, "next": next_url})

    done = submit({"action": "verify", "code": sent_code(), "next": next_url})

    assert (done.status_code, done["Location"]) == (302, "/")


def test_a_bad_number_is_explained_next_to_the_field(english):
    response = english.post(URL, {"action": "request", "phone": "12345"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid Indian mobile number" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_phone_help id_phone_errors"' in html
    assert OtpChallenge.objects.count() == 0


def test_a_wrong_code_is_explained_and_counts_down(english, submit):
    submit({"action": "request", "phone": PHONE})
    wrong = f"{(int(sent_code()) + 1) % 1_000_000:06d}"

    response = submit({"action": "verify", "code": wrong})

    assert response.status_code == 200
    assert "Wrong code. 4 tries left." in response.content.decode()
    assert "_auth_user_id" not in english.session


def test_too_many_requests_are_explained(english, submit, settings):
    settings.OTP_RATE_PER_PHONE = "1/900"
    submit({"action": "request", "phone": PHONE})
    submit({"action": "change"})

    response = submit({"action": "request", "phone": PHONE})

    assert response.status_code == 200
    assert "Too many code requests. Try again in" in response.content.decode()
    assert len(locmem.outbox) == 1


def test_resend_sends_a_new_code_and_the_old_one_stops_working(client, submit):
    submit({"action": "request", "phone": PHONE})
    old = sent_code()

    resent = submit({"action": "resend"})
    new = sent_code()
    with_old = submit({"action": "verify", "code": old}) if old != new else None
    with_new = submit({"action": "verify", "code": new})

    assert resent.status_code == 302
    assert len(locmem.outbox) == 2
    if with_old is not None:
        assert with_old.status_code == 200
    assert with_new.status_code == 302
    assert client.session["_auth_user_id"]


def test_change_number_goes_back_to_the_phone_step(client, submit):
    submit({"action": "request", "phone": PHONE})

    response = submit({"action": "change"})

    assert response.status_code == 302
    assert SESSION_PHONE not in client.session
    assert 'name="phone"' in client.get(URL).content.decode()


def test_a_signed_in_visitor_is_sent_on(client):
    client.force_login(UserFactory())

    response = client.get(URL, {"next": "/bookings/"})

    assert (response.status_code, response["Location"]) == (302, "/bookings/")


def test_signout_needs_post_and_ends_the_session(client):
    client.force_login(UserFactory())

    assert client.get("/accounts/signout/").status_code == 405
    response = client.post("/accounts/signout/")

    assert (response.status_code, response["Location"]) == (302, "/")
    assert "_auth_user_id" not in client.session


def test_forms_need_the_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(URL)
    token = page.context["csrf_token"]

    refused = browser.post(URL, {"action": "request", "phone": PHONE})
    accepted = browser.post(
        URL, {"action": "request", "phone": PHONE, "csrfmiddlewaretoken": str(token)}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302
