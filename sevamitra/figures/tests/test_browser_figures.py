"""The public figures in a real browser, in Hindi and English, without signing in: the
hand-built world of fixtures.py, the shared page checks (axe, weight, untranslated text,
360 px), and the filter form."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from sevamitra.core.tests.browser import audit_page
from sevamitra.figures import selectors
from sevamitra.figures.tests.fixtures import NOW, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["hi", "en"])
def test_figures_page(open_page, monkeypatch, language):
    monkeypatch.setattr(selectors, "current_time", lambda: NOW)
    build_world()
    page = open_page(language=language)
    page.goto("/figures/")
    with translation.override(language):
        assert page.get_by_role("heading", level=1).inner_text() == _("Sevamitra in figures")
        assert page.locator("#fig-registered").inner_text() == "7"
        assert page.locator("#fig-verified").inner_text() == _("hidden")
        assert page.locator("#fig-median_earnings_30d").inner_text() == "₹700.00"
        # Three charts; the districts' one has no bar: both districts' counts are hidden.
        assert page.locator("figure.chart").count() == 3
        assert page.locator("figure.chart svg[role=img]").count() == 2
        audit_page(page, area="figures", name="page", language=language)

        # The same figures by district, for Agra only.
        page.locator("select[name=district]").select_option("AGRA")
        page.locator("select[name=by]").select_option("district")
        with page.expect_navigation():
            page.get_by_role("button", name=_("Show figures")).click()
        assert "district=AGRA" in page.url
        assert page.locator("#fig-table-district tbody tr").count() == 1
        # Agra: P5 P6 P7 registered (3: hidden); B6–B9 completed (4: hidden).
        assert page.locator("#fig-registered").inner_text() == _("hidden")
        assert page.locator("#fig-no_shows_by_sevamitra").inner_text() == _("hidden")
        audit_page(page, area="figures", name="district", language=language)
