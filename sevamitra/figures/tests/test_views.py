"""HTTP tests of /figures/, /figures/figures.csv and /figures/figures.json: no sign-in, both
languages, the figures shown, bad filters refused with a message, the downloads' contents, and
the cost of a page served from the cache."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from sevamitra.catalog.models import Category
from sevamitra.figures import selectors
from sevamitra.figures.tests.fixtures import NOW, build_world

pytestmark = pytest.mark.django_db
URL, CSV_URL, JSON_URL = "/figures/", "/figures/figures.csv", "/figures/figures.json"
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _at_now(monkeypatch):
    monkeypatch.setattr(selectors, "current_time", lambda: NOW)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return build_world()


def get(client, url=URL, lang="en", **params):
    client.cookies["django_language"] = lang
    return client.get(url, params)


def test_urls():
    assert reverse("figures:page") == URL
    assert reverse("figures:csv") == CSV_URL
    assert reverse("figures:json") == JSON_URL


def test_page_in_english_without_sign_in(client, world):
    response = get(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sevamitra in figures" in html
    assert "Computed at 15/03/2026, 12:00 PM." in html
    assert "Figures for April 2025 to March 2026" in html
    assert '<strong class="fig-value" id="fig-registered">7</strong>' in html
    assert '<strong class="fig-value fig-hidden" id="fig-verified">hidden</strong>' in html
    assert '<strong class="fig-value" id="fig-median_earnings_30d">₹700.00</strong>' in html
    assert '<strong class="fig-value" id="fig-bookings_completed">9</strong>' in html
    assert '<strong class="fig-value" id="fig-calls">6</strong>' in html
    # The default table is by month: March 2026 has 6 completed bookings.
    assert 'id="fig-table-month"' in html
    assert "Bookings completed, by month" in html
    assert "What each figure means" in html
    assert 'href="/figures/figures.csv"' in html


def test_page_in_hindi(client, world):
    response = get(client, lang="hi")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="hi">' in html
    assert "आँकड़ों में सेवामित्र" in html
    assert '<strong class="fig-value" id="fig-registered">7</strong>' in html
    assert '<strong class="fig-value fig-hidden" id="fig-verified">गोपनीय</strong>' in html
    assert "अप्रैल 2025 से मार्च 2026" in html
    assert "Sevamitra in figures" not in html


def test_table_by_district_in_each_language(client, world):
    html = get(client, by="district").content.decode()
    assert 'id="fig-table-district"' in html
    assert '<th scope="row">Agra</th>' in html
    assert '<th scope="row">District not known</th>' in html
    html = get(client, lang="hi", by="district").content.decode()
    assert '<th scope="row">आगरा</th>' in html


def test_filter_keeps_one_district(client, world):
    response = get(client, district="LUCKNOW", by="category", first="2026-03", last="2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Figures for March 2026" in html
    assert '<p class="fig-chosen" id="fig-chosen">Only: Lucknow</p>' in html
    # Lucknow in March: B1 B2 B5 completed (3: hidden), no no-show (0).
    assert 'id="fig-bookings_completed">hidden</strong>' in html
    assert 'id="fig-no_shows_by_sevamitra">0</strong>' in html
    assert 'id="fig-table-category"' in html
    assert 'href="/figures/figures.csv?district=LUCKNOW&amp;first=2026-03&amp;last=2026-03"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"district": "NOWHERE"}, "Select a valid choice. NOWHERE is not one of the available"),
        ({"gender": "robot"}, "Select a valid choice."),
        ({"first": "2020-01"}, "Select a valid choice. 2020-01 is not one of the available"),
        ({"first": "2026-03", "last": "2026-01"}, "The last month cannot be before the first"),
        ({"by": "planet"}, "Select a valid choice."),
    ],
)
def test_bad_filter_is_refused_with_a_message(client, world, params, message):
    response = get(client, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="fig-registered"' not in html
    csv_response = get(client, CSV_URL, **params)
    assert csv_response.status_code == 400
    assert csv_response["Content-Type"] == "text/plain; charset=utf-8"
    assert csv_response.content.decode().startswith("The filter is not valid.\n")
    json_response = get(client, JSON_URL, **params)
    assert json_response.status_code == 400
    body = json_response.json()
    assert body["error"] == "The filter is not valid."
    assert message in json.dumps(body["fields"])


def test_post_not_allowed(client):
    for url in (URL, CSV_URL, JSON_URL):
        assert client.post(url).status_code == 405


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv(client, world):
    response = get(client, CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="sevamitra-figures-2025-04-2026-03.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == [
        "Breakdown",
        "Group code",
        "Group",
        "Figure code",
        "Figure",
        "Value",
        "Hidden",
        "Computed at",
    ]
    by = {(r[0], r[1], r[3]): r for r in rows[1:]}
    stamp = "2026-03-15T12:00:00+05:30"
    assert by[("total", "total", "registered")] == [
        "total", "total", "All", "registered", "Registered Sevamitras", "7", "false", stamp,
    ]  # fmt: skip
    assert by[("total", "total", "verified")][5:7] == ["", "true"]
    assert by[("total", "total", "median_earnings_30d")][5] == "700.00"
    assert by[("month", "2026-03", "bookings_completed")][2:7] == [
        "March 2026", "bookings_completed", "Bookings completed", "6", "false",
    ]  # fmt: skip
    assert by[("district", "AGRA", "calls")][2] == "Agra"
    # Not applicable figures are left out: no month rows for the figures as of now, no calls
    # by gender.
    assert ("month", "2026-03", "registered") not in by
    assert ("gender", "female", "calls") not in by
    assert ("gender", "female", "registered") in by
    # 1 total + 12 months + 76 districts (one "not known") + services + 4 genders.
    categories = Category.objects.count()
    assert len(rows) - 1 == 20 + 12 * 16 + 76 * 20 + (categories + 1) * 20 + 4 * 17


def test_csv_cells_never_run_as_formulas(client, world):
    Category.objects.filter(slug="cook").update(name_en="=HYPERLINK(1)")
    rows = read_csv(get(client, CSV_URL))
    names = {r[2] for r in rows if r[1] == "cook"}
    assert names == {"'=HYPERLINK(1)"}


def test_json(client, world):
    response = get(client, JSON_URL, gender="female")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["computed_at"] == "2026-03-15T12:00:00+05:30"
    assert body["filter"] == {
        "district": None,
        "category": None,
        "gender": "female",
        "first_month": "2025-04",
        "last_month": "2026-03",
    }
    assert body["suppression"]["threshold"] == 5
    assert [d["key"] for d in body["definitions"]][:3] == ["registered", "verified", "earned_30d"]
    # Female Sevamitras: P1 P2 P5, all verified (nothing hidden by subtraction, but 3 < 5).
    assert body["total"]["registered"] == {"value": None, "suppressed": True, "applicable": True}
    assert body["total"]["bookings_completed"] == {
        "value": 6,
        "suppressed": False,
        "applicable": True,
    }
    assert body["total"]["calls"] == {"value": None, "suppressed": False, "applicable": False}
    assert set(body["breakdowns"]) == {"month", "district", "category", "gender"}
    assert [g["key"] for g in body["breakdowns"]["gender"]] == ["female"]
    agra = next(d for d in body["breakdowns"]["district"] if d["key"] == "AGRA")
    assert (agra["name_en"], agra["name_hi"]) == ("Agra", "आगरा")
    march = next(m for m in body["breakdowns"]["month"] if m["key"] == "2026-03")
    assert (march["name_en"], march["name_hi"]) == ("March 2026", "मार्च 2026")


def test_json_values_are_numbers(client, world):
    body = get(client, JSON_URL).json()
    assert body["total"]["median_earnings_30d"]["value"] == 700.0
    assert body["total"]["registered"]["value"] == 7
    assert body["total"]["government_orders"]["suppressed"] is True


def test_warm_page_asks_the_database_nothing(client, world, settings, django_assert_num_queries):
    settings.CACHES = LOCMEM
    cache.clear()
    assert get(client).status_code == 200  # computes and caches
    for url, params in ((URL, {}), (URL, {"by": "district"}), (CSV_URL, {}), (JSON_URL, {})):
        with django_assert_num_queries(0):
            assert get(client, url, **params).status_code == 200


def test_warm_page_with_the_database_cache_reads_only_it(client, world, django_assert_num_queries):
    # Without Redis the cache is a database table: two reads (names, figures), nothing else.
    assert get(client).status_code == 200
    with django_assert_num_queries(2) as captured:
        assert get(client).status_code == 200
    assert all("sevamitra_cache" in q["sql"] for q in captured.captured_queries)
