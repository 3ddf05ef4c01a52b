"""The job pages over HTTP: search by words (Hindi, English, Hinglish), district, salary and
kind; pages; one posting; a Sevamitra's matching openings."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import RoleGrantFactory, UserFactory
from sevamitra.catalog.matching import find_matches
from sevamitra.jobs.tests.factories import JobPostingFactory, district
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def titles(response) -> list[str]:
    """The postings listed, in order (their English titles)."""
    html = response.content.decode()
    return re.findall(r'<h3 class="job-title"><a href="/jobs/\d+/"[^>]*>([^<]+)</a>', html)


def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def postings():
    """A plumber in Lucknow (₹12,000–15,000), a cook in Kanpur (₹9,000–11,000), a driver in
    Lucknow without salary, a job fair in Lucknow, a welder in Agra (₹18,000 and up)."""
    today = TODAY()
    return {
        "plumber": JobPostingFactory(
            title_en="Plumber", title_hi="प्लंबर", posted_on=today - dt.timedelta(days=1)
        ),
        "cook": JobPostingFactory(
            title_en="Cook",
            title_hi="रसोइया",
            skills=["cooking"],
            employer="Hotel Ganga",
            district=district("KANPUR NAGAR"),
            salary_min=9000,
            salary_max=11000,
            posted_on=today - dt.timedelta(days=2),
        ),
        "driver": JobPostingFactory(
            title_en="Driver",
            title_hi="ड्राइवर",
            skills=["driving"],
            salary_min=None,
            salary_max=None,
            posted_on=today - dt.timedelta(days=3),
        ),
        "fair": JobPostingFactory(
            kind="fair",
            title_en="Rozgar Mela",
            title_hi="रोज़गार मेला",
            employer="",
            employers=["Awadh Builders"],
            skills=["electrician"],
            salary_min=None,
            salary_max=None,
            place="ITI Aliganj",
            starts_on=today + dt.timedelta(days=5),
            closes_on=today + dt.timedelta(days=6),
            posted_on=today - dt.timedelta(days=4),
        ),
        "welder": JobPostingFactory(
            title_en="Welder",
            title_hi="वेल्डर",
            skills=["welding"],
            employer="Agra Steel",
            district=district("AGRA"),
            salary_min=18000,
            salary_max=None,
            posted_on=today - dt.timedelta(days=5),
        ),
    }


def test_all_visible_postings_newest_first(client, postings):
    response = en(client).get("/jobs/")
    assert response.status_code == 200
    assert titles(response) == ["Plumber", "Cook", "Driver", "Rozgar Mela", "Welder"]
    assert "5 postings found" in response.content.decode()


def test_closed_and_past_postings_are_not_shown(client, postings):
    JobPostingFactory(title_en="Closed", is_open=False, closed_at=timezone.now())
    JobPostingFactory(title_en="Past", closes_on=TODAY() - dt.timedelta(days=1))
    JobPostingFactory(title_en="Last day today", closes_on=TODAY(), posted_on=None)
    JobPostingFactory(title_en="No last day", closes_on=None, posted_on=None)
    shown = titles(en(client).get("/jobs/"))
    assert "Closed" not in shown and "Past" not in shown
    assert shown[-2:] == ["No last day", "Last day today"]  # undated last, newest id first


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("plumber", ["Plumber"]),
        ("प्लंबर", ["Plumber"]),
        ("nal wala", ["Plumber"]),  # Hinglish, through the catalogue's synonyms
        ("plumbr", ["Plumber"]),  # a typo of a service
        ("रसोइया", ["Cook"]),
        ("khana banane wala", ["Cook"]),
        ("ड्राइवर", ["Driver"]),
        ("chalak", ["Driver"]),
        ("bijli mistri", ["Rozgar Mela"]),  # the fair lists electricians
        ("weld", ["Welder"]),  # not a service: the beginning of a word of the posting
        ("Ganga", ["Cook"]),  # the employer
        ("welder naukri chahiye", ["Welder"]),  # words that say nothing are dropped
        ("astronaut", []),
    ],
)
def test_search_by_words_in_hindi_english_and_hinglish(client, postings, q, expected):
    assert titles(en(client).get("/jobs/", {"q": q})) == expected


def test_search_by_district(client, postings):
    assert titles(en(client).get("/jobs/", {"district": "KANPUR NAGAR"})) == ["Cook"]
    assert titles(en(client).get("/jobs/", {"district": "LUCKNOW", "q": "cook"})) == []


def test_search_by_minimum_salary(client, postings):
    # The most the opening pays must reach the minimum; without a maximum, its minimum.
    assert titles(en(client).get("/jobs/", {"min_salary": "15000"})) == ["Plumber", "Welder"]
    assert titles(en(client).get("/jobs/", {"min_salary": "16000"})) == ["Welder"]
    assert titles(en(client).get("/jobs/", {"min_salary": "१५०००"})) == ["Plumber", "Welder"]
    assert titles(en(client).get("/jobs/", {"min_salary": "0"}))[0] == "Plumber"


def test_search_by_kind(client, postings):
    assert titles(en(client).get("/jobs/", {"kind": "fair"})) == ["Rozgar Mela"]
    assert "Rozgar Mela" not in titles(en(client).get("/jobs/", {"kind": "opening"}))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_salary": "lots"}, "id_min_salary"),
        ({"min_salary": "-1"}, "id_min_salary"),
        ({"district": "ATLANTIS"}, "id_district"),
        ({"kind": "party"}, "id_kind"),
        ({"q": "x" * 101}, "id_q"),
    ],
)
def test_bad_filters_are_form_errors_not_a_crash(client, postings, params, field):
    response = client.get("/jobs/", params)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and f'href="#{field}"' in html
    assert titles(response) == []


def test_a_result_shows_salary_district_last_day_and_the_portal_link(client, postings):
    response = client.get("/jobs/", {"q": "प्लंबर"})
    html = response.content.decode()
    closes = postings["plumber"].closes_on.strftime("%d/%m/%Y")
    assert "₹12,000–₹15,000 प्रति माह" in html
    assert "लखनऊ" in html
    assert f"{closes} तक आवेदन करें" in html
    link = re.search(r'<a class="apply" href="([^"]+)" rel="([^"]+)">(.*?)</a>', html, re.S)
    assert link.group(1) == postings["plumber"].url
    assert link.group(2) == "noopener noreferrer"
    assert "रोज़गार संगम पर आवेदन करें" in link.group(3) and "दूसरा पोर्टल" in link.group(3)


def test_salaries_in_indian_format(client):
    JobPostingFactory(title_en="Manager", salary_min=125000, salary_max=250000)
    JobPostingFactory(title_en="Helper", salary_min=None, salary_max=9000)
    JobPostingFactory(title_en="Guard", salary_min=11000, salary_max=11000)
    html = en(client).get("/jobs/").content.decode()
    assert "₹1,25,000–₹2,50,000 a month" in html
    assert "up to ₹9,000 a month" in html
    assert "₹11,000 a month" in html


def test_results_are_paged(client):
    for n in range(23):
        JobPostingFactory(title_en=f"Job {n:02d}", posted_on=TODAY() - dt.timedelta(days=n))
    first = en(client).get("/jobs/", {"q": "job"})  # "job" says nothing: every posting
    assert len(titles(first)) == 20 and titles(first)[0] == "Job 00"
    html = first.content.decode()
    assert 'rel="next" ' not in html and 'href="?q=job&amp;page=2" rel="next"' in html
    second = en(client).get("/jobs/", {"q": "job", "page": "2"})
    assert titles(second) == ["Job 20", "Job 21", "Job 22"]
    assert 'href="?q=job&amp;page=1" rel="prev"' in second.content.decode()
    assert titles(en(client).get("/jobs/", {"page": "abc"}))[0] == "Job 00"


def test_search_costs_a_fixed_number_of_queries(client, postings, django_assert_num_queries):
    for _ in range(10):
        JobPostingFactory()
    find_matches("warm the catalogue index")
    # districts for the form, the count, the page of postings with their districts
    with django_assert_num_queries(3):
        response = client.get("/jobs/", {"q": "nal wala", "district": "LUCKNOW"})
    assert len(titles(response)) == 11


def test_the_search_page_in_hindi_and_english(client, postings):
    html = client.get("/jobs/").content.decode()
    assert '<html lang="hi">' in html and "नौकरी खोजें" in html
    assert '<a href="/jobs/{}/" lang="en">'.format(postings["welder"].pk) not in html
    assert "प्लंबर" in html
    html = en(client).get("/jobs/").content.decode()
    assert '<html lang="en">' in html and "Find a job" in html


def test_a_title_in_the_other_language_is_marked(client):
    posting = JobPostingFactory(title_hi="", title_en="Plumber", employer="Awadh Builders")
    html = client.get("/jobs/").content.decode()
    assert f'<a href="/jobs/{posting.pk}/" lang="en">Plumber</a>' in html
    assert '<span lang="en">Awadh Builders</span>' in html


def test_a_posting_page(client, postings):
    posting = postings["plumber"]
    response = en(client).get(f"/jobs/{posting.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 lang="en">Plumber</h1>' not in html and "<h1>Plumber</h1>" in html
    assert "प्लंबर" in html  # the other title
    assert "₹12,000–₹15,000 a month" in html and "Awadh Builders" in html
    assert "Lucknow" in html and "Gomti Nagar" in html and "plumbing" in html
    assert posting.closes_on.strftime("%d/%m/%Y") in html
    assert f'href="{posting.url}" rel="noopener noreferrer"' in html
    assert "Apply on Rojgar Sangam" in html and "(another portal" in html
    assert posting.external_id in html


def test_a_fair_page(client, postings):
    the_fair = postings["fair"]
    html = en(client).get(f"/jobs/{the_fair.pk}/").content.decode()
    start, end = the_fair.starts_on, the_fair.closes_on
    assert f"{start:%d/%m/%Y} – {end:%d/%m/%Y}" in html
    assert "ITI Aliganj" in html and "Awadh Builders" in html
    assert "Register on Rojgar Sangam" in html


def test_a_closed_posting_says_so_and_has_no_apply_link(client):
    posting = JobPostingFactory(is_open=False, closed_at=timezone.now())
    html = en(client).get(f"/jobs/{posting.pk}/").content.decode()
    assert "This opening is closed" in html
    assert posting.url not in html


def test_an_unknown_posting_is_404(client):
    assert client.get("/jobs/999999/").status_code == 404


# --- a Sevamitra's matching openings -------------------------------------------------------


@pytest.fixture
def plumber_provider():
    """A plumber and electrician in Lucknow."""
    return ProviderFactory(offers=[("plumber", "300", "50"), ("electrician", "300", "50")])


def test_for_me_lists_openings_in_my_services_my_district_first(client, plumber_provider):
    today = TODAY()
    JobPostingFactory(title_en="Plumber in Agra", district=district("AGRA"), posted_on=today)
    JobPostingFactory(title_en="Plumber in Lucknow", posted_on=today - dt.timedelta(days=9))
    JobPostingFactory(
        title_en="Electrician in Lucknow",
        title_hi="इलेक्ट्रीशियन",
        skills=["wiring"],
        posted_on=today - dt.timedelta(days=3),
    )
    JobPostingFactory(title_en="Cook in Lucknow", title_hi="रसोइया", skills=["cooking"])
    JobPostingFactory(
        title_en="Closed plumber", is_open=False, closed_at=timezone.now(), posted_on=today
    )
    en(client).force_login(plumber_provider.user)
    response = client.get("/jobs/for-me/")
    assert response.status_code == 200
    assert titles(response) == ["Electrician in Lucknow", "Plumber in Lucknow", "Plumber in Agra"]
    html = response.content.decode()
    assert "those in Lucknow first" in html
    assert '<span class="tag">Plumber</span>' in html


def test_for_me_without_services_says_what_to_do(client):
    provider = ProviderFactory()
    JobPostingFactory()
    client.force_login(provider.user)
    response = en(client).get("/jobs/for-me/")
    assert titles(response) == []
    assert "You have not chosen the services you offer yet" in response.content.decode()


def test_for_me_is_for_signed_in_sevamitras(client):
    response = client.get("/jobs/for-me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/signin/")
    client.force_login(UserFactory())
    response = client.get("/jobs/for-me/")
    assert response.status_code == 302 and response["Location"] == "/sevamitra/register/"


def test_for_me_costs_a_fixed_number_of_queries(
    client, plumber_provider, django_assert_num_queries
):
    for _ in range(8):
        JobPostingFactory()
    client.force_login(plumber_provider.user)
    # session, user, the menu's roles, provider, offers with categories, count, page
    with django_assert_num_queries(7):
        response = client.get("/jobs/for-me/")
    assert len(titles(response)) == 8


def test_a_sevamitra_finds_the_link_to_their_matches_on_the_search(client, plumber_provider):
    # Registration gives the Sevamitra role (providers.services); the menu reads it.
    RoleGrantFactory(user=plumber_provider.user, role=Role.PROVIDER)
    client.force_login(plumber_provider.user)
    assert 'href="/jobs/for-me/"' in client.get("/jobs/").content.decode()
    client.logout()
    assert 'href="/jobs/for-me/"' not in client.get("/jobs/").content.decode()
