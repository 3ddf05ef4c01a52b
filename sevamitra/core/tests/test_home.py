"""The landing page over HTTP: the booking search (tiles, places by pincode, name or position,
results with the full price and the provider's terms, suggestions and pages); the three ways
in, the newest jobs, and the one search across services and jobs (/search/)."""

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from sevamitra.catalog.matching import find_matches
from sevamitra.jobs.tests.factories import JobPostingFactory
from sevamitra.providers.tests.factories import ProviderFactory, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return next_weekday(0, after_days=2)


@pytest.fixture
def plumber():
    return ProviderFactory(
        name_hi="रमेश कुमार",
        name_latin="Ramesh Kumar",
        free_cancellation_hours=4,
        cancellation_fee=Decimal("100"),
        terms_included="जाँच और छोटी मरम्मत",
        experience_years=7,
        offers=[("plumber", "300", "50")],
    )


def search(client, day, params=None, **more):
    params = {**(params or {}), **more}
    query = {"q": "प्लंबर", "where": "226010", "date": day.isoformat()}
    query.update({"from": "10:00", "to": "12:00"})
    query.update(params)
    return client.get("/", query)


def test_landing_page_has_a_tile_per_service_with_both_names(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="hi">' in html
    assert html.count('name="service"') == 17
    assert 'value="plumber"' in html
    assert 'प्लंबर<span class="en" lang="en">Plumber</span>' in html
    assert 'name="where"' in html and 'name="lat"' in html and 'name="lng"' in html
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert f'value="{tomorrow.isoformat()}"' in html  # a sensible default day
    assert 'src="/static/js/citizen.js"' in html


def test_landing_page_in_english_puts_the_english_name_first(client):
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert 'Plumber<span class="en" lang="hi">प्लंबर</span>' in html
    assert "Find a Sevamitra" in html


def test_a_tile_without_a_place_opens_the_form_with_the_service_filled_in(client):
    response = client.get("/", {"service": "plumber", "q": "", "where": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="प्लंबर"' in html  # the service is filled in
    assert "आपने प्लंबर चुना।" in html
    assert 'role="alert"' not in html  # a prompt, not an error
    assert "autofocus" in html
    assert 'class="results"' not in html


def test_a_tile_with_a_place_searches_at_once(client, plumber, day):
    response = client.get(
        "/",
        {
            "service": "plumber",
            "q": "",
            "where": "226010",
            "date": day.isoformat(),
            "from": "10:00",
            "to": "12:00",
        },
    )
    assert plumber.name_hi in response.content.decode()


@pytest.mark.parametrize("words", ["प्लंबर", "plumber", "nal wala", "plumbr chahiye"])
def test_results_understand_hindi_latin_and_hinglish(client, plumber, day, words):
    response = search(client, day, q=words)
    html = response.content.decode()
    assert response.status_code == 200
    assert plumber.name_hi in html
    assert html.count('class="result-name"') == 1


def test_a_result_shows_photo_placeholder_badge_rating_distance_price_and_terms(
    client, plumber, day
):
    html = search(client, day).content.decode()
    assert '<span class="avatar avatar-blank" aria-hidden="true">र</span>' in html
    assert "<img" not in html  # no photo: no request at all
    assert "✔ सत्यापित" in html
    assert "4.5" in html and "(20" in html
    assert "किमी" in html
    assert "₹300.00" in html and "₹50.00" in html and "₹350.00" in html
    assert "₹100.00" in html and "जाँच और छोटी मरम्मत" in html
    assert "GST" not in html.split('class="results"')[1]  # not registered: no tax lines


def test_a_gst_registered_provider_shows_cgst_and_sgst_in_the_total(client, day):
    ProviderFactory(gstin="09ABCDE1234F1Z5", offers=[("plumber", "300", "50")])
    html = search(client, day).content.decode()
    # 18% on 350 = 63, split 31.50 + 31.50.
    assert html.count("₹31.50") == 2
    assert "₹413.00" in html


def test_a_provider_photo_is_served_by_the_photo_view(client, plumber, day):
    plumber.photo.name = "providers/photos/ramesh.jpg"
    plumber.save(update_fields=["photo"])
    html = search(client, day).content.decode()
    assert f'src="/sevamitra/{plumber.pk}/photo"' in html


def test_book_links_carry_the_offer_and_slot(client, plumber, day):
    html = search(client, day).content.decode()
    href = html.split('class="btn" href="')[1].split('"')[0].replace("&amp;", "&")
    url = urlparse(href)
    assert url.path == "/book/"
    assert parse_qs(url.query) == {
        "offer": [str(plumber.offers.get().pk)],
        "start": [f"{day.isoformat()}T10:00"],
        "end": [f"{day.isoformat()}T12:00"],
        "pincode": ["226010"],
    }


def test_a_locality_name_is_found(client, plumber, day):
    html = search(client, day, where="गोमती नगर").content.decode()
    assert plumber.name_hi in html
    assert "226010" in html


def test_a_locality_name_in_several_districts_is_asked_back(client, plumber, day):
    html = search(client, day, where="Aliganj").content.decode()
    assert "226024" in html and "207247" in html  # Lucknow's and Etah's
    assert 'class="results"' not in html
    assert "लखनऊ" in html


def test_an_unknown_place_is_a_form_error(client, day):
    response = search(client, day, where="Xqzwvk")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert 'class="results"' not in html


def test_use_my_location_searches_around_the_point(client, plumber, day):
    response = search(client, day, where="", lat="26.8643", lng="81.0006")
    html = response.content.decode()
    assert plumber.name_hi in html
    assert "pincode=226010" in html and "lat=26.8643" in html  # the booking keeps the point


@pytest.mark.parametrize(("lat", "lng"), [("abc", "81"), ("26.8", "nan"), ("95", "81")])
def test_a_point_that_cannot_be_read_is_an_error_on_the_place(client, day, lat, lng):
    html = search(client, day, where="", lat=lat, lng=lng).content.decode()
    assert 'href="#id_where"' in html and 'href="#id_lat"' not in html
    assert 'class="results"' not in html


def test_no_place_at_all_is_a_form_error(client, day):
    html = search(client, day, where="").content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_where"' in html


def test_an_unknown_service_offers_suggestions(client, day):
    html = search(client, day, q="plam").content.decode()
    assert 'role="alert"' in html
    assert "?q=" in html.split("suggestions")[1]
    assert "प्लंबर" in html.split("suggestions")[1]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "10:00", "to": "09:00"}, "id_to"),
        ({"date": "2020-01-01"}, "id_from"),
        ({"date": "kal"}, "id_date"),
        ({"where": "12"}, "id_where"),
        ({"where": "999999"}, "id_where"),
    ],
)
def test_bad_input_is_a_form_error_not_a_crash(client, day, params, field):
    response = search(client, day, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert f'href="#{field}"' in html


def test_results_are_paged(client, day):
    for _ in range(12):
        ProviderFactory(offers=[("plumber", "300", "50")])
    first = search(client, day).content.decode()
    assert first.count('class="result-name"') == 10
    assert 'rel="next"' in first and "page=2" in first
    second = search(client, day, page="2").content.decode()
    assert second.count('class="result-name"') == 2
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_nobody_free_says_so(client, day):
    html = search(client, day).content.decode()
    assert 'class="results"' not in html
    assert 'class="card empty"' in html


def test_results_in_english(client, plumber, day):
    client.cookies["django_language"] = "en"
    html = search(client, day, q="plumber").content.decode()
    assert "Ramesh Kumar" in html
    assert "Zero commission" in html
    assert "Free cancellation up to 4 hours before the start" in html


def test_search_costs_a_fixed_number_of_queries(client, day, django_assert_max_num_queries):
    for _ in range(5):
        ProviderFactory(offers=[("plumber", "300", "50")])
    with django_assert_max_num_queries(4):
        search(client, day)


def test_places_suggests_localities_as_json(client):
    response = client.get("/places/", {"q": "gomti"})
    assert response.status_code == 200
    values = [r["value"] for r in response.json()["results"]]
    assert "Gomti Nagar, 226010" in values


def test_places_answers_empty_for_nothing_useful(client):
    assert client.get("/places/", {"q": "1"}).json() == {"results": []}
    assert client.get("/places/").json() == {"results": []}


# --- the unified landing page: three ways in, one search across services and jobs ------------


def test_landing_page_offers_the_three_ways_in(client):
    html = client.get("/").content.decode()
    ways = html.split('class="ways"')[1].split("</ul>")[0]
    assert '<a href="#search">' in ways and "सेवा बुक करें" in ways
    assert '<a href="/jobs/">' in ways and "नौकरी खोजें" in ways
    assert '<a href="/sevamitra/register/">' in ways and "सेवामित्र बनें" in ways
    assert 'id="search"' in html  # "book a service" leads to the booking search below


def test_landing_page_has_one_search_box_for_services_and_jobs(client):
    html = client.get("/").content.decode()
    box = html.split('class="site-search"')[1].split("</form>")[0]
    assert 'action="/search/"' in box and 'role="search"' in box
    assert '<label for="site-q">' in box and 'name="q"' in box
    assert html.count('action="/search/"') == 1


def test_landing_page_shows_the_newest_jobs(client):
    for n in range(5):
        JobPostingFactory(title_hi=f"नौकरी {n}", posted_on=timezone.localdate())
    html = client.get("/").content.decode()
    block = html.split('id="jobs-heading"')[1]
    assert block.count('class="job-title"') == 4
    assert "नौकरी 4" in block and "नौकरी 0" not in block  # newest first
    assert 'href="/jobs/"' in block


def test_landing_page_costs_two_queries(client, django_assert_num_queries):
    for _ in range(6):
        JobPostingFactory()
    with django_assert_num_queries(2):  # the catalogue, the newest jobs with their districts
        response = client.get("/")
    assert response.status_code == 200


@pytest.fixture
def plumber_job():
    return JobPostingFactory(title_hi="प्लंबर", title_en="Plumber", employer="Awadh Builders")


@pytest.mark.parametrize("words", ["plumber", "प्लंबर", "nal wala", "Plumber job"])
def test_one_search_finds_the_service_and_the_jobs(client, plumber_job, words):
    JobPostingFactory(title_hi="रसोइया", title_en="Cook", skills=["cooking"])
    response = client.get("/search/", {"q": words})
    html = response.content.decode()
    assert response.status_code == 200
    services = html.split('id="services-heading"')[1].split("</section>")[0]
    assert services.count("<li>") == 1
    assert 'href="/?service=plumber#search"' in services and "प्लंबर" in services
    jobs = html.split('id="jobs-heading"')[1].split("</section>")[0]
    assert jobs.count('class="job-title"') == 1
    assert f'href="/jobs/{plumber_job.pk}/"' in jobs and "रसोइया" not in jobs


def test_the_service_found_leads_to_the_booking_search_for_it(client, plumber_job):
    html = client.get("/search/", {"q": "nal wala"}).content.decode()
    href = html.split('class="service-hits"')[1].split('href="')[1].split('"')[0]
    booking = client.get(href.replace("&amp;", "&")).content.decode()
    assert "आपने प्लंबर चुना।" in booking and 'value="प्लंबर"' in booking


def test_a_job_that_is_no_service_is_found_alone(client):
    JobPostingFactory(title_hi="वेल्डर", title_en="Welder", skills=["welding"])
    client.cookies["django_language"] = "en"
    html = client.get("/search/", {"q": "welder"}).content.decode()
    assert "No service of the catalogue matches these words." in html
    assert html.count('class="job-title"') == 1 and "Welder" in html


def test_many_jobs_lead_on_to_the_job_search(client):
    for _ in range(12):
        JobPostingFactory()
    client.cookies["django_language"] = "en"
    html = client.get("/search/", {"q": "plumber"}).content.decode()
    assert html.count('class="job-title"') == 10
    assert 'href="/jobs/?q=plumber"' in html and "More jobs for this search" in html


def test_nothing_found_suggests_services(client):
    html = client.get("/search/", {"q": "plam"}).content.decode()
    assert 'class="job-title"' not in html
    suggestions = html.split('class="suggestions"')[1]
    assert "/search/?q=" in suggestions and "प्लंबर" in suggestions


def test_an_empty_search_shows_the_box(client):
    response = client.get("/search/", {"q": "   "})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="site-q"' in html and 'id="services-heading"' not in html


def test_the_search_page_in_english(client, plumber_job):
    client.cookies["django_language"] = "en"
    html = client.get("/search/", {"q": "plumber"}).content.decode()
    assert '<html lang="en">' in html
    assert "Results for “plumber”" in html and "Book: Plumber" in html
    assert 'value="plumber"' in html  # the box keeps the words


def test_the_search_page_costs_two_queries(client, plumber_job, django_assert_num_queries):
    for _ in range(5):
        JobPostingFactory()
    find_matches("warm the catalogue index")
    with django_assert_num_queries(2):  # the catalogue, the jobs with their districts
        response = client.get("/search/", {"q": "nal wala"})
    assert response.content.decode().count('class="job-title"') == 6
