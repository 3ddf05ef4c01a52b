"""The /employment/ pages over HTTP, and the registration wizard prefilled from a link."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sevamitra.employment import selectors
from sevamitra.employment.models import EmploymentLink, WorkHistoryShare
from sevamitra.employment.tests.conftest import NUMBER, OTHER_NUMBER
from sevamitra.providers.models import Provider

pytestmark = pytest.mark.django_db

PREFILLED = "Prefilled from your employment-exchange registration."


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def signed_in(english, person):
    english.force_login(person)
    return english


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize(
    "name, method", [("overview", "get"), ("link", "get"), ("unlink", "get"), ("share", "get"),
                     ("withdraw", "post"), ("record", "post")]
)  # fmt: skip
def test_every_page_needs_sign_in(client, name, method):
    response = getattr(client, method)(reverse(f"employment:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signin"))


def test_the_overview_invites_to_link_and_to_become_a_sevamitra(signed_in):
    page = text(signed_in.get(reverse("employment:overview")))
    assert "Link my employment-exchange registration" in page
    assert "Become a Sevamitra" in page
    assert "Download my signed record" not in page


def test_the_overview_is_hindi_first(client, person):
    client.force_login(person)
    page = text(client.get(reverse("employment:overview")))
    assert "Link my employment-exchange registration" not in page
    assert "सेवामित्र बनें" in page


def test_link_shows_a_preview_then_links_on_confirmation(signed_in, exchange, person):
    response = signed_in.post(
        reverse("employment:link"), {"registration_number": "uplko 2024 000001"}
    )
    assert response.status_code == 200
    page = text(response)
    for shown in ("Is this you?", NUMBER, "सुनीता देवी", "Lucknow", "226010", "Female",
                  "15/04/2001", "ITI · Electrician", "Electrician, Cook"):  # fmt: skip
        assert shown in page, shown
    assert EmploymentLink.objects.count() == 0  # nothing saved before the person confirms

    response = signed_in.post(
        reverse("employment:link"), {"registration_number": NUMBER, "confirm": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("employment:overview")
    made = EmploymentLink.objects.get()
    assert (made.user, made.registration_number) == (person, NUMBER)
    page = text(signed_in.get(reverse("employment:overview")))
    assert "Your registration is linked to your account." in page
    assert "My linked registration" in page and NUMBER in page and "सुनीता देवी" in page
    # Linked: the link page leads back to the overview.
    assert signed_in.get(reverse("employment:link"))["Location"] == reverse("employment:overview")


@pytest.mark.parametrize(
    "number, mode, message",
    [
        (OTHER_NUMBER, "ok", "This registration has a different mobile number."),
        ("UPLKO1999999999", "ok", "The employment exchange has no registration with this number."),
        (NUMBER, "error", "The employment exchange is not answering. Please try again later."),
        ("#!", "ok", "Enter your registration number as it is on your employment-exchange card"),
    ],
)
def test_a_refusal_is_shown_on_the_form_and_nothing_is_linked(
    signed_in, exchange, number, mode, message
):
    exchange.mode = mode
    for data in ({"registration_number": number}, {"registration_number": number, "confirm": "1"}):
        response = signed_in.post(reverse("employment:link"), data)
        assert response.status_code == 200
        assert message in text(response)
    assert EmploymentLink.objects.count() == 0


def test_an_empty_number_is_a_form_error(signed_in, exchange):
    response = signed_in.post(reverse("employment:link"), {"registration_number": ""})
    assert "Enter your registration number." in text(response)
    assert exchange.received == []


def test_another_persons_link_is_never_shown(english, exchange, link, other):
    english.force_login(other)
    page = text(english.get(reverse("employment:overview")))
    assert NUMBER not in page and "सुनीता" not in page
    assert "Link my employment-exchange registration" in page
    assert english.get(reverse("employment:unlink"))["Location"] == reverse("employment:overview")
    english.post(reverse("employment:withdraw"))
    assert text(english.get(reverse("employment:share"))).count(NUMBER) == 0


def test_unlink_asks_first(signed_in, link):
    page = text(signed_in.get(reverse("employment:unlink")))
    assert "Unlink this registration?" in page and NUMBER in page
    response = signed_in.post(reverse("employment:unlink"))
    assert response["Location"] == reverse("employment:overview")
    link.refresh_from_db()
    assert link.unlinked_at is not None


def test_the_share_page_tells_a_non_sevamitra_to_register_first(signed_in, link):
    page = text(signed_in.get(reverse("employment:share")))
    assert "What is shared" in page and "What is never shared" in page
    assert "Only a Sevamitra has a work history to share." in page
    response = signed_in.post(reverse("employment:share"), {"consent": "on"})
    assert "Only a Sevamitra has a work history to share." in text(response)
    assert WorkHistoryShare.objects.count() == 0


def test_share_needs_the_tick_then_can_be_withdrawn(signed_in, link, sevamitra):
    response = signed_in.post(reverse("employment:share"), {})
    assert "Tick the box to agree to share your work history." in text(response)
    assert WorkHistoryShare.objects.count() == 0

    response = signed_in.post(reverse("employment:share"), {"consent": "on"})
    assert response["Location"] == reverse("employment:share")
    made = WorkHistoryShare.objects.get()
    page = text(signed_in.get(reverse("employment:share")))
    assert "You are sharing" in page and "It will be sent shortly." in page

    response = signed_in.post(reverse("employment:withdraw"))
    assert response["Location"] == reverse("employment:share")
    made.refresh_from_db()
    assert made.withdrawn_at is not None
    page = text(signed_in.get(reverse("employment:share")))
    assert "You have withdrawn your consent." in page
    assert "I agree: Sevamitra may send my work-history record" in page


def test_withdraw_needs_post(signed_in):
    assert signed_in.get(reverse("employment:withdraw")).status_code == 405


def test_download_my_signed_record(signed_in, link, sevamitra):
    response = signed_in.post(reverse("employment:record"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="sevamitra-work-history-'
    )
    body = json.loads(response.content)
    assert selectors.record_claims(body["record"]) == body["claims"]
    assert body["claims"]["registration_number"] == NUMBER
    assert body["header"]["typ"] == "sevamitra-work-history+jwt"
    assert body["jwks_uri"] == "http://testserver" + reverse("oauth2_provider:jwks-info")


def test_no_record_to_download_without_a_sevamitra_profile(signed_in, link):
    response = signed_in.post(reverse("employment:record"))
    assert response["Location"] == reverse("employment:overview")


# --- the Sevamitra registration, prefilled -----------------------------------------------------


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


def checked(response, name: str) -> set[str]:
    html = response.content.decode()
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return {re.search(r'value="([^"]*)"', i).group(1) for i in inputs if " checked" in i}


def value(response, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', response.content.decode())
    match = re.search(r'value="([^"]*)"', found.group(0)) if found else None
    return match.group(1) if match else ""


def step(name: str) -> str:
    return reverse("providers:register_step", args=[name])


def test_the_wizard_shows_what_the_registration_says(signed_in, link):
    about = signed_in.get(step("about"))
    assert PREFILLED in text(about)
    assert value(about, "name_hi") == "सुनीता देवी"
    assert value(about, "name_latin") == ""  # not written in Latin letters at the exchange
    assert checked(about, "gender") == {"female"}

    signed_in.post(
        step("about"),
        {"name_hi": "सुनीता देवी", "name_latin": "Sunita Devi", "gender": "female",
         "languages": ["hi"], "photo": photo()},
    )  # fmt: skip
    services = signed_in.get(step("services"))
    assert PREFILLED in text(services)
    assert checked(services, "categories") == {"electrician", "cook"}  # ITI trade, skill
    assert value(services, "experience_years") == "2"

    signed_in.post(step("services"), {"categories": ["electrician"], "experience_years": 3})
    area = signed_in.get(step("area"))
    assert PREFILLED in text(area)
    assert value(area, "pincode") == "226010"
    # The person's own answers win over the registration's.
    services = signed_in.get(step("services"))
    assert PREFILLED not in text(services)
    assert checked(services, "categories") == {"electrician"}
    assert value(services, "experience_years") == "3"

    signed_in.post(step("area"), {"pincode": "226010", "service_radius_km": 5})
    assert Provider.objects.get(user=link.user).name_hi == "सुनीता देवी"
    # Registered: the profile pages show the profile, not the registration.
    assert PREFILLED not in text(signed_in.get(reverse("providers:profile_edit", args=["about"])))


def test_without_a_link_the_wizard_is_as_before(signed_in):
    about = signed_in.get(step("about"))
    assert PREFILLED not in text(about)
    assert value(about, "name_hi") == ""


def test_the_employment_page_leads_into_the_wizard(signed_in, link):
    page = signed_in.get(reverse("employment:overview")).content.decode()
    assert f'href="{reverse("providers:register")}"' in page
    assert "Your name, area, services and experience are filled in from your registration." in text(
        signed_in.get(reverse("employment:overview"))
    )


def test_the_share_page_says_when_the_exchange_was_not_reached(signed_in, link, sevamitra):
    signed_in.post(reverse("employment:share"), {"consent": "on"})
    WorkHistoryShare.objects.update(last_error="the employment exchange is not answering")
    page = text(signed_in.get(reverse("employment:share")))
    assert "The employment exchange could not be reached yet. We keep trying." in page
    assert "the employment exchange is not answering" not in page  # the detail is for operators
