"""The landing page and the health check, over HTTP."""

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from sevamitra.providers.tests.factories import ProviderFactory, next_weekday

pytestmark = pytest.mark.django_db


def test_healthz_says_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch(
        "sevamitra.core.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_home_shows_every_category_in_hindi_by_default(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="hi">' in html
    assert "प्लंबर" in html
    assert "Plumber" in html  # the English name under each tile
    assert html.count('class="icon"') >= 17


def test_home_in_english_when_chosen(client):
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert '<html lang="en">' in response.content.decode()
    assert "Find a Sevamitra" in response.content.decode()


def test_language_switch_is_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_home_search_lists_free_providers_with_price(client):
    provider = ProviderFactory(offers=[("gardener", "400", "50")])
    day = next_weekday(0)
    response = client.get(
        "/",
        {
            "q": "maali",
            "pincode": "226001",
            "date": day.isoformat(),
            "from": "10:00",
            "to": "12:00",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert provider.name_hi in html
    assert "₹450.00" in html


def test_home_search_shows_field_errors_not_a_crash(client):
    yesterday = timezone.localdate() - dt.timedelta(days=2)
    response = client.get(
        "/",
        {
            "q": "maali",
            "pincode": "12",
            "date": yesterday.isoformat(),
            "from": "10:00",
            "to": "09:00",
        },
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_a_refused_csrf_check_is_json_for_the_api_and_html_for_pages():
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    api = client.post(
        "/api/v1/auth/otp/request", {"phone": "9876543210"}, content_type="application/json"
    )
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "csrf_failed"
    page = client.post("/accounts/signin/", {"phone": "9876543210"})
    assert page.status_code == 403
    assert page["Content-Type"].startswith("text/html")
