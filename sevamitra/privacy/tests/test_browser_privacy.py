"""/my/data/ in a real browser, in Hindi and in English: download the data file, then ask for
erasure (refused without the tick), confirm, and be signed out with the account erased.
Screenshots var/screenshots/privacy-<page>-<lang>-<360|desktop>.png; axe, weight, and no
untranslated text on the Hindi pages."""

import json
from pathlib import Path

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override

from sevamitra.accounts.models import User
from sevamitra.core.tests.browser import MOBILE, audit_page, sign_in
from sevamitra.privacy.services import erased_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONES = {"hi": "9876502001", "en": "9876502002"}


@pytest.mark.parametrize("language", ["hi", "en"])
def test_download_then_erase(open_page, language):
    phone = PHONES[language]
    with override(language):
        names = {
            "download": _("Download my data"),
            "ask": _("Ask to erase my data"),
            "confirm": _("I understand: this cannot be undone."),
            "erase": _("Yes, erase my data"),
            "tick": _("Tick the box to confirm that you want your data erased."),
            "done": _("Your data has been erased and you have been signed out."),
        }
    page = open_page(language=language, viewport=MOBILE)
    sign_in(page, phone, "/my/data/")
    assert page.url.endswith("/my/data/")
    audit_page(page, area="privacy", name="my-data", language=language, allowed={"JSON"})

    with page.expect_download() as info:
        page.get_by_role("button", name=names["download"]).click()
    download = info.value
    assert download.suggested_filename.startswith("sevamitra-my-data-")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["account"]["mobile_number"] == phone

    with page.expect_navigation():
        page.get_by_role("link", name=names["ask"]).click()
    audit_page(page, area="privacy", name="erase", language=language)
    with page.expect_navigation():
        page.get_by_role("button", name=names["erase"]).click()
    assert page.get_by_role("alert").get_by_text(names["tick"]).count() == 1
    assert User.objects.get(phone=phone).is_active

    page.get_by_label(names["confirm"]).check()
    with page.expect_navigation():
        page.get_by_role("button", name=names["erase"]).click()
    assert page.get_by_role("status").get_by_text(names["done"]).count() == 1
    assert not User.objects.filter(phone=phone).exists()
    user = User.objects.get(phone__startswith="E")
    assert (user.phone, user.name, user.is_active) == (erased_phone(user.pk), "", False)
