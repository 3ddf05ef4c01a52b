"""The unified landing page in a real browser, in Hindi and in English: one search for
"प्लंबर" finds the plumber service and plumbers' job openings on one page; the service leads
to the booking search, a job to its page with the link to the portal that published it.

Every page on the way passes audit_page (area "jobs"): axe, weight, no untranslated text in
Hindi, nothing wider than a phone; screenshots var/screenshots/jobs-<page>-<lang>-*.png.
"""

import re

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override

from sevamitra.core.tests.browser import MOBILE, audit_page
from sevamitra.jobs.services import jobs_import
from sevamitra.jobs.tests.factories import fair, opening, write_feed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_jobs(reference_data, tmp_path):
    """A feed like the demo's, dated from today: four plumbers' openings (two in Lucknow
    paying 15,000 or more), a job fair for plumbers and electricians, a cook, a welder."""
    rows = [
        opening(1, salary_min=14000, salary_max=18000),
        opening(2, title={"hi": "प्लंबर — होटल", "en": "Plumber, hotel"}, salary_max=20000),
        opening(3, salary_min=9000, salary_max=11000, place="Aliganj"),
        opening(4, district="Varanasi", employer="Kashi Builders", place="Lanka"),
        fair(1, skills=["plumbing", "wiring"]),
        opening(5, title={"hi": "रसोइया", "en": "Cook"}, skills=["cooking"]),
        opening(6, title={"en": "Welder"}, skills=["welding"], district="Agra"),
    ]
    return jobs_import(
        source="rojgar_sangam", location=str(write_feed(tmp_path / "feed.jsonl", rows))
    )


@pytest.mark.parametrize("language", ["hi", "en"])
def test_one_search_from_the_landing_page_finds_a_service_and_a_job(open_page, demo_jobs, language):
    page = open_page(language=language, viewport=MOBILE)
    with override(language):
        page.goto("/")
        assert page.get_by_role("link", name=_("Find a job")).first.is_visible()
        assert page.locator(".ways").get_by_role("link", name=_("Become a Sevamitra")).count() == 1
        audit_page(page, area="jobs", name="landing", language=language)

        page.get_by_label(_("What are you looking for?")).fill("प्लंबर")
        with page.expect_navigation():
            page.get_by_label(_("What are you looking for?")).press("Enter")
        assert re.search(r"/search/\?q=", page.url)

        # One page: the service to book, and the openings.
        services = page.locator(".service-hits li")
        assert services.count() == 1
        assert ("प्लंबर" if language == "hi" else "Plumber") in services.inner_text()
        word = "प्लंबर" if language == "hi" else "Plumber"
        assert page.locator("ul.jobs > li").count() == 5  # four openings, a fair for plumbers
        plumber_jobs = page.locator("ul.jobs > li", has=page.locator("h3", has_text=word))
        assert plumber_jobs.count() == 4
        job = plumber_jobs.first.inner_text()
        assert "₹" in job and _("another portal") in job
        audit_page(page, area="jobs", name="search", language=language)

        # A job's page, with the link to the portal that published it.
        with page.expect_navigation():
            plumber_jobs.first.locator("h3 a").click()
        assert re.search(r"/jobs/\d+/$", page.url)
        apply = page.locator("a.apply")
        assert apply.get_attribute("rel") == "noopener noreferrer"
        assert apply.get_attribute("href").startswith("https://rojgar-sangam.example/jobs/")
        audit_page(page, area="jobs", name="posting", language=language)

        # All jobs, searched by district and salary.
        with page.expect_navigation():
            page.get_by_role("link", name=_("← All jobs and job fairs")).click()
        page.get_by_label(_("Skill, job or employer")).fill("nal wala")
        page.get_by_label(_("District")).select_option("LUCKNOW")
        page.get_by_label(_("Salary at least (₹ a month)")).fill("15000")
        with page.expect_navigation():
            page.get_by_role("button", name=_("Search jobs")).click()
        assert page.locator("ul.jobs > li").count() == 2  # Lucknow's plumbers paying 15,000+
        audit_page(page, area="jobs", name="list", language=language)

        # Back to the results: the service leads to the booking search for it.
        page.go_back()
        page.go_back()
        page.go_back()
        assert "/search/" in page.url
        with page.expect_navigation():
            page.locator(".service-hits a").first.click()
        assert page.get_by_label(_("Which service?")).input_value() == (
            "प्लंबर" if language == "hi" else "Plumber"
        )
        assert page.get_by_label(_("Pincode or locality")).is_visible()
