"""HTTP tests: /verify/<token>, /verify/offline/, the ID card PDF, the badge_verify command."""

import io
import re
import shutil
import subprocess
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from PIL import Image

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.badges import tokens
from sevamitra.badges.tests.factories import backdate, issued_badge
from sevamitra.providers.models import Provider, VerificationStatus
from sevamitra.providers.tests.factories import district

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (120, 90, 60)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def badge():
    badge = issued_badge()
    provider = badge.provider
    provider.name_hi = "श्री क्षितिज त्रिपाठी"
    provider.name_latin = "Shri Kshitij Tripathi"
    provider.photo.save("p.jpg", ContentFile(_jpeg()), save=True)
    return badge


def _get(client, token, language="hi"):
    client.cookies["django_language"] = language
    return client.get(reverse("badges:verify", args=[token]))


def test_a_valid_card_in_hindi_shows_both_languages_and_the_person(client, badge):
    response = _get(client, badge.token)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="hi">' in html
    assert '<span lang="hi">मान्य</span>' in html
    assert '<span lang="en">VALID</span>' in html
    assert "श्री क्षितिज त्रिपाठी" in html
    assert "Shri Kshitij Tripathi" in html
    assert badge.number in html
    assert badge.valid_until.strftime("%d/%m/%Y") in html
    assert reverse("providers:photo", args=[badge.provider_id]) in html
    assert "Electrician" in html
    assert "no-cache" in response["Cache-Control"]


def test_the_same_card_in_english(client, badge):
    html = _get(client, badge.token, "en").content.decode()
    assert '<html lang="en">' in html
    assert "Check a Sevamitra ID card" in html
    assert '<span lang="hi">मान्य</span>' in html


def test_suspended_and_expired_verdicts_are_live(client, badge):
    Provider.objects.filter(pk=badge.provider_id).update(
        verification_status=VerificationStatus.SUSPENDED
    )
    response = _get(client, badge.token, "en")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<span lang="en">SUSPENDED</span>' in html
    assert "निलंबित" in html
    assert reverse("providers:photo", args=[badge.provider_id]) not in html
    Provider.objects.filter(pk=badge.provider_id).update(
        verification_status=VerificationStatus.VERIFIED
    )
    backdate(badge, issued_days_ago=400, valid_days=300)
    html = _get(client, badge.token, "en").content.decode()
    assert '<span lang="en">EXPIRED</span>' in html


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1],
        lambda t: t[:40],
        lambda t: t[:10] + ("A" if t[10] != "A" else "B") + t[11:],
        lambda t: t + "AA",
        lambda t: "x",
        lambda t: "%00",
        lambda t: "a" * 3000,
    ],
)
def test_a_forged_or_truncated_token_says_not_valid_with_404_never_an_error(client, badge, mangle):
    response = _get(client, mangle(badge.token), "en")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<span lang="en">NOT VALID</span>' in html
    assert '<span lang="hi">अमान्य</span>' in html
    assert "Kshitij" not in html


def test_offline_page_embeds_the_public_key_and_loads_the_script(client):
    client.cookies["django_language"] = "hi"
    response = client.get(reverse("badges:offline"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-key="{tokens.public_key_b64url()}"' in html
    assert "js/badge-verify.js" in html
    assert "<script>" not in html
    assert 'data-label-not_valid-hi="अमान्य"' in html


def test_the_offline_form_without_javascript_goes_to_the_live_check(client, badge):
    url = "https://example.org/verify/" + badge.token
    response = client.get(reverse("badges:verify_form"), {"token": url})
    assert response.status_code == 302
    assert response["Location"] == reverse("badges:verify", args=[badge.token])
    response = client.get(reverse("badges:verify_form"), {"token": ""})
    assert response["Location"] == reverse("badges:offline")


# --- The ID card ------------------------------------------------------------------------------


def _pdf_inflated(content: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        end = content.find(b"endstream", match.end())
        try:
            parts.append(zlib.decompressobj().decompress(content[match.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _pdf_title(inflated: bytes) -> str:
    found = re.search(rb"/Title\s*<([0-9A-Fa-f]+)>", inflated)
    if found:
        return bytes.fromhex(found[1].decode()).decode("utf-16")
    return re.search(rb"/Title\s*\((.*?)\)", inflated)[1].decode("latin-1")


def test_the_provider_downloads_a_one_page_card(client, badge, tmp_path):
    client.force_login(badge.provider.user)
    response = client.get(reverse("badges:card", args=[badge.provider_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    inflated = _pdf_inflated(content)
    assert re.findall(rb"/Count (\d+)", inflated) == [b"1"]  # one page
    box = re.search(rb"/MediaBox \[\s*([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\s*\]", inflated)
    width_mm, height_mm = (round(float(box[i]) / 72 * 25.4, 1) for i in (3, 4))
    assert (width_mm, height_mm) == (85.6, 54.0)
    assert badge.number in _pdf_title(inflated)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler-utils, where installed: the printed text itself
        path = tmp_path / "card.pdf"
        path.write_bytes(content)
        text = subprocess.run(  # noqa: S603 (a fixed program on our own file)
            [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert badge.number in text
        assert "Shri Kshitij Tripathi" in text
        assert badge.valid_until.strftime("%d/%m/%Y") in text


def test_the_card_layout_holds_every_field_in_both_languages(badge):
    from weasyprint import HTML

    from sevamitra.badges import cards

    document = HTML(string=cards.card_html(badge, verify_url="https://x/verify/t")).render()
    assert len(document.pages) == 1

    def texts(box):
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", []):
            yield from texts(child)

    text = "".join(texts(document.pages[0]._page_box))
    for expected in (
        badge.number,
        "श्री क्षितिज त्रिपाठी",
        "Shri Kshitij Tripathi",
        "Electrician",
        "Lucknow",
        badge.valid_until.strftime("%d/%m/%Y"),
        "Badge no.",
        "Valid until",
    ):
        assert expected in text, expected


def test_the_district_officer_and_an_administrator_may_download_the_card(client, badge):
    for user in (
        user_with_roles(Role.DISTRICT_OFFICER, district=badge.provider.district),
        user_with_roles(Role.ADMINISTRATOR),
    ):
        client.force_login(user)
        response = client.get(reverse("badges:card", args=[badge.provider_id]))
        assert response.status_code == 200


def test_anyone_else_gets_404_for_the_card(client, badge):
    url = reverse("badges:card", args=[badge.provider_id])
    assert client.get(url).status_code == 404  # anonymous
    for user in (
        user_with_roles(Role.CITIZEN),
        user_with_roles(Role.AGENT),
        user_with_roles(Role.AUDITOR),
        user_with_roles(Role.DISTRICT_OFFICER, district=district("AGRA")),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(badge.provider.user)
    assert client.get(reverse("badges:card", args=[badge.provider_id + 999])).status_code == 404


def test_no_card_before_a_badge_is_issued(client):
    from sevamitra.providers.tests.factories import ProviderFactory

    provider = ProviderFactory()
    client.force_login(provider.user)
    assert client.get(reverse("badges:card", args=[provider.pk])).status_code == 404


# --- manage.py badge_verify -------------------------------------------------------------------


def _command(*args):
    out = io.StringIO()
    try:
        call_command("badge_verify", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


def test_badge_verify_command(badge):
    out, error = _command(badge.token)
    assert error is None
    assert "signature: genuine" in out
    assert f"badge number: {badge.number}" in out
    assert "offline verdict: VALID" in out
    assert "live verdict: VALID" in out

    Provider.objects.filter(pk=badge.provider_id).update(
        verification_status=VerificationStatus.SUSPENDED
    )
    out, error = _command("https://x.example/verify/" + badge.token)
    assert "offline verdict: VALID" in out
    assert "live verdict: SUSPENDED" in out
    assert error == "card is SUSPENDED"

    out, error = _command("--offline", badge.token)
    assert "live verdict" not in out
    assert error is None

    out, error = _command(badge.token[:-2] + "AA")
    assert "signature: NOT VALID" in out
    assert error == "card is NOT VALID"
