"""What every page shares: Indian formats in both languages, security headers, the language
switch remembered for a signed-in person, production settings that pass `check --deploy`."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from sevamitra.accounts.tests.factories import UserFactory

IST = ZoneInfo("Asia/Kolkata")
ROOT = Path(__file__).resolve().parents[3]


def render(source: str, **context) -> str:
    return Template("{% load money %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("hi", "28/11/2026 · 2:30 अपराह्न · 9:05 पूर्वाह्न · 28 नवंबर · ₹1,23,456.50"),
        ("en", "28/11/2026 · 2:30 PM · 9:05 AM · 28 November · ₹1,23,456.50"),
    ],
)
def test_dates_times_and_money_in_indian_formats(language, expected):
    afternoon = dt.datetime(2026, 11, 28, 14, 30, tzinfo=IST)
    morning = dt.datetime(2026, 11, 28, 9, 5, tzinfo=IST)
    with translation.override(language):
        text = render(
            '{{ a|date:"SHORT_DATE_FORMAT" }} · {{ a|time:"TIME_FORMAT" }} · '
            '{{ m|time:"TIME_FORMAT" }} · {{ a|date:"MONTH_DAY_FORMAT" }} · {{ amount|inr }}',
            a=afternoon,
            m=morning,
            amount="123456.5",
        )
    assert text == expected


def test_hindi_month_names_are_spelled_right():
    with translation.override("hi"):
        months = [render('{{ d|date:"F" }}', d=dt.date(2026, m, 1)) for m in (9, 11, 12)]
    assert months == ["सितंबर", "नवंबर", "दिसंबर"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/signin/"])
def test_pages_carry_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Permissions-Policy"].startswith("geolocation=(self)")


@pytest.mark.django_db
def test_every_page_form_has_a_csrf_token(client):
    html = client.get("/").content.decode()
    assert html.count('name="csrfmiddlewaretoken"') == html.count('method="post"')


@pytest.mark.django_db
def test_the_page_has_a_skip_link_landmarks_and_a_language_switch(client):
    html = client.get("/").content.decode()
    assert '<a class="skip" href="#main">' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert 'name="language" value="en"' in html
    assert html.startswith("<!doctype html>") and '<html lang="hi">' in html


@pytest.mark.django_db
def test_switching_language_signed_in_also_becomes_the_persons_preference(client):
    person = UserFactory(preferred_language="hi")
    client.force_login(person)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    person.refresh_from_db()
    assert person.preferred_language == "en"


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(client):
    person = UserFactory(preferred_language="hi")
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == "hi"


def _check_deploy(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _check_deploy(
        DJANGO_HTTPS="1",
        DJANGO_SECRET_KEY="x7Gq2LmN8vR4tY6uW1zA3bC5dE7fH9jK0pS2xV4nM6qT8rY1uZ3wB5cD7eF9gH",
        DJANGO_ALLOWED_HOSTS="sevamitra.up.gov.in",
        BADGE_SIGNING_PRIVATE_KEY="AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
        OIDC_ISSUER="https://sevamitra.up.gov.in",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_of_an_unset_oidc_issuer_behind_tls():
    result = _check_deploy(
        DJANGO_HTTPS="1",
        DJANGO_SECRET_KEY="x7Gq2LmN8vR4tY6uW1zA3bC5dE7fH9jK0pS2xV4nM6qT8rY1uZ3wB5cD7eF9gH",
        DJANGO_ALLOWED_HOSTS="sevamitra.up.gov.in",
        BADGE_SIGNING_PRIVATE_KEY="AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
    )
    assert "sso.W002" in result.stdout + result.stderr


def test_check_deploy_refuses_plain_http_and_the_development_key():
    result = _check_deploy(DJANGO_ALLOWED_HOSTS="sevamitra.up.gov.in")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for check in ("security.W004", "security.W008", "security.W009", "security.W012"):
        assert check in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "back_to"),
    [
        ("/admin/login/?next=/admin/providers/provider/", "/admin/providers/provider/"),
        ("/admin/login/", "/admin/"),
        ("/admin/login/?next=https://evil.example/", "/admin/"),
        ("/admin/login/?next=/my/bookings/", "/admin/"),
    ],
)
def test_the_back_office_signs_in_with_mobile_and_code(client, asked, back_to):
    from urllib.parse import urlencode

    response = client.get(asked)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/?" + urlencode({"next": back_to})


@pytest.mark.django_db
def test_an_anonymous_visit_to_the_admin_ends_at_the_code_sign_in(client):
    response = client.get("/admin/providers/provider/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/signin/?next=")
    assert response.status_code == 200
