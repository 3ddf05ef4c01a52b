"""The browser harness itself: Chromium loads our home page from the live server."""

import pytest

from sevamitra.core.tests.browser import axe_violations, page_weight

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_loads_in_hindi_and_switches_to_english(open_page):
    page = open_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "hi"
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"  # remembered
    assert page_weight(page)["total"] > 0
    assert isinstance(axe_violations(page), list)
