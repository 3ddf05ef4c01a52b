"""Becoming a Sevamitra through the web pages, step by step (HTTP level)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from PIL import Image

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.providers.models import Document, DocumentKind, Provider, VerificationStatus
from sevamitra.providers.tests.factories import ProviderFactory, district
from sevamitra.providers.web.wizard import SESSION_DRAFT

pytestmark = pytest.mark.django_db

LUCKNOW_PIN = "226001"


def step_url(step: str) -> str:
    return reverse("providers:register_step", args=[step])


def jpeg(size=(40, 30), color="red", fmt="JPEG", exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif else {}
    Image.new("RGB", size, color).save(out, fmt, **kwargs)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


AT_LEAST = "Ensure this value is greater than or equal to"
AT_MOST = "Ensure this value is less than or equal to"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def errors(response, field: str | None = None) -> list[str]:
    """The form's errors on `field` (None: the non-field errors), in English."""
    form = response.context["form"]
    with override("en"):
        return list(form.non_field_errors() if field is None else form.errors[field])


@pytest.fixture
def person(client):
    user = UserFactory(name="")
    client.force_login(user)
    return user


@pytest.fixture
def english(client):
    """Pages (and the services' messages) in English, to compare messages exactly."""
    client.cookies["django_language"] = "en"


def about(client, **overrides):
    data = {
        "name_hi": "सुनीता देवी",
        "name_latin": "Sunita Devi",
        "gender": "female",
        "languages": ["hi", "awa"],
        "photo": upload("me.jpg", jpeg()),
        **overrides,
    }
    return client.post(step_url("about"), data)


def services(client, slugs=("electrician",), years=3):
    return client.post(step_url("services"), {"categories": list(slugs), "experience_years": years})


def area(client, **overrides):
    data = {"pincode": LUCKNOW_PIN, "service_radius_km": 8, "extra_pincodes": "", **overrides}
    return client.post(step_url("area"), data)


def prices(client, slugs=("electrician",), **overrides):
    data = {"free_cancellation_hours": 3, "cancellation_fee": "50", "included": "Labour only"}
    for slug in slugs:
        data[f"price_{slug}"] = "300"
        data[f"visiting_{slug}"] = "40"
    data.update(overrides)
    return client.post(step_url("prices"), data)


def hours(client, **overrides):
    data = {}
    for day in range(6):
        data.update({f"works_{day}": "on", f"from_{day}": "09:00", f"to_{day}": "18:00"})
    data.update(overrides)
    return client.post(step_url("hours"), data)


def registered(client, slugs=("electrician",)) -> Provider:
    """Steps 2–6 done; the provider exists."""
    assert about(client).status_code == 302
    assert services(client, slugs).status_code == 302
    assert area(client).status_code == 302
    assert prices(client, slugs).status_code == 302
    assert hours(client).status_code == 302
    return Provider.objects.get()


# --- entry and order -------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_first(client):
    for url in (reverse("providers:register"), step_url("about"), reverse("providers:pending")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/signin/?next={url}"


def test_entry_leads_to_the_first_step_and_later_steps_wait(client, person):
    assert client.get(reverse("providers:register"))["Location"] == step_url("about")
    for later in ("services", "area", "prices", "hours", "documents"):
        assert client.get(step_url(later))["Location"] == step_url("about")
    assert client.get(step_url("nonsense")).status_code == 404


def test_first_step_renders_in_hindi_with_progress(client, person):
    response = client.get(step_url("about"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="hi">' in html
    assert "7 में से चरण 2" in html
    assert "आपके बारे में" in html  # "About you"
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html


# --- step 2: about you -----------------------------------------------------------------------


def test_about_keeps_a_draft_and_a_cleaned_photo(client, person):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    response = about(client, photo=upload("me.png", jpeg((1600, 1200), exif=exif.tobytes())))
    assert response.status_code == 302
    assert response["Location"] == step_url("services")
    draft = client.session[SESSION_DRAFT]
    assert draft["name_hi"] == "सुनीता देवी"
    assert draft["name_latin"] == "Sunita Devi"
    assert draft["languages"] == ["hi", "awa"]
    assert draft["photo"].startswith("providers/drafts/") and draft["photo"].endswith(".jpg")
    with default_storage.open(draft["photo"]) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 800  # shrunk
        assert not image.getexif()  # metadata gone
    assert not Provider.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name_hi": "Sunita"}, "name_hi", "Write your name in Hindi (Devanagari) letters."),
        ({"name_latin": "सुनीता"}, "name_latin", "Write your name in English letters (A to Z)."),
        ({"photo": ""}, "photo", "Add your photo."),
        (
            {"photo": upload("me.jpg", b"<?php echo 1; ?>")},
            "photo",
            "The photo must be a picture (JPEG, PNG or WebP).",
        ),
        (
            {"photo": upload("me.jpg", jpeg(fmt="GIF"), "image/gif")},
            "photo",
            "The photo must be a picture (JPEG, PNG or WebP).",
        ),
        ({"languages": []}, "languages", "This field is required."),
    ],
)
def test_about_refuses_bad_input(client, person, english, overrides, field, message):
    response = about(client, **overrides)
    assert response.status_code == 200
    assert errors(response, field) == [message]
    assert 'role="alert"' in response.content.decode()
    assert SESSION_DRAFT not in client.session
    assert not default_storage.exists("providers/drafts")


def test_about_refuses_a_photo_over_the_limit(client, person, english, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = upload("big.jpg", b"\xff\xd8" + b"0" * (1024 * 1024))
    response = about(client, photo=big)
    assert errors(response, "photo") == ["The file is too large: at most 1 MB."]
    assert SESSION_DRAFT not in client.session


def test_a_second_photo_replaces_the_first_draft(client, person):
    about(client)
    first = client.session[SESSION_DRAFT]["photo"]
    about(client, photo=upload("again.jpg", jpeg(color="blue")))
    second = client.session[SESSION_DRAFT]["photo"]
    assert second != first
    assert not default_storage.exists(first)
    assert default_storage.exists(second)


# --- steps 3 and 4: services, area (the provider is created) ---------------------------------


def test_services_need_at_least_one(client, person, english):
    about(client)
    response = services(client, slugs=())
    assert errors(response, "categories") == ["Choose at least one service."]
    client.cookies["django_language"] = "en"
    response = client.get(step_url("services"))
    assert "(police verification needed)" in response.content.decode()


def test_area_creates_the_pending_provider_with_the_photo(
    client, person, django_capture_on_commit_callbacks
):
    about(client)
    draft_photo = client.session[SESSION_DRAFT]["photo"]
    services(client, slugs=("electrician", "babysitter"), years=4)
    with django_capture_on_commit_callbacks(execute=True):
        response = area(client, extra_pincodes="226010, 226016")
    assert response.status_code == 302
    assert response["Location"] == step_url("prices")
    provider = Provider.objects.get(user=person)
    assert provider.verification_status == VerificationStatus.PENDING
    assert provider.district.code == "LUCKNOW"
    assert (round(provider.home_lat, 3), round(provider.home_lng, 3)) == (26.85, 80.944)
    assert provider.service_radius_km == 8
    assert provider.experience_years == 4
    assert provider.languages == ["hi", "awa"]
    assert sorted(provider.service_pincodes.values_list("pincode", flat=True)) == [
        "226010",
        "226016",
    ]
    assert provider.photo.name.startswith("providers/photos/")
    assert default_storage.exists(provider.photo.name)
    assert not default_storage.exists(draft_photo)
    assert Role.PROVIDER in set(person.role_grants.values_list("role", flat=True))


def test_area_from_the_phones_location(client, person):
    about(client)
    services(client)
    response = area(client, pincode="", lat="26.8500", lng="80.9462")
    assert response.status_code == 302
    provider = Provider.objects.get()
    assert (provider.home_lat, provider.home_lng) == (26.85, 80.9462)
    assert provider.district.code == "LUCKNOW"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"pincode": ""}, "pincode", "Enter your home pincode, or use your location."),
        ({"pincode": "999999"}, "pincode", "This is not a valid pincode."),
        (
            {"pincode": "110001"},
            "pincode",
            "This place is not in Uttar Pradesh. Sevamitra works in Uttar Pradesh only.",
        ),
        (
            {"service_radius_km": "51"},
            "service_radius_km",
            f"{AT_MOST} 50.",
        ),
        (
            {"extra_pincodes": "226010, 12345x"},
            "extra_pincodes",
            "These are not valid pincodes: 12345x",
        ),
        (
            {"service_radius_km": "0"},
            "service_radius_km",
            "Give a service radius or at least one pincode you serve.",
        ),
    ],
)
def test_area_refuses_bad_input(client, person, english, overrides, field, message):
    about(client)
    services(client)
    response = area(client, **overrides)
    assert response.status_code == 200
    assert errors(response, field) == [message]
    assert not Provider.objects.exists()


def test_every_step_renders_in_hindi(client, person):
    registered(client)
    titles = {
        "about": "आपके बारे में",
        "services": "आपकी सेवाएं",
        "area": "आप कहां काम करते हैं",
        "prices": "आपके दाम और शर्तें",
        "hours": "आप कब काम करते हैं",
        "documents": "आपके दस्तावेज़",
    }
    for number, (step, title) in enumerate(titles.items(), start=2):
        html = client.get(step_url(step)).content.decode()
        assert f"<h1>{title}</h1>" in html
        assert f"7 में से चरण {number}" in html


def test_back_to_an_earlier_step_edits_the_provider(client, person):
    provider = registered(client)
    response = client.get(step_url("about"))
    assert response.context["form"].initial["name_latin"] == "Sunita Devi"
    assert response.context["back_url"] == ""
    html = response.content.decode()
    assert reverse("providers:photo", args=[provider.pk]) in html
    # No new photo needed: the saved one stays.
    response = about(client, name_latin="Sunita Devi Verma", photo="")
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.name_latin == "Sunita Devi Verma"
    assert provider.photo
    assert client.get(step_url("prices")).context["back_url"] == step_url("area")


# --- step 5: prices and terms ----------------------------------------------------------------


def test_prices_show_the_districts_usual_range(client, person):
    about(client)
    services(client, slugs=("electrician", "plumber"))
    area(client)
    for price in ("200", "250", "300", "350", "400"):
        ProviderFactory(offers=[("electrician", price, "0")])
    ProviderFactory(offers=[("electrician", "9999", "0")], verification_status="pending")
    for price in ("100", "100", "100", "100"):
        ProviderFactory(offers=[("plumber", price, "0")])
    client.cookies["django_language"] = "en"
    html = client.get(step_url("prices")).content.decode()
    assert "Usual price in your district: ₹250.00 to ₹350.00 per visit." in html
    assert "Usual price in your district: no data yet." in html  # plumber: only 4 offers


def test_prices_save_offers_and_terms(client, person):
    about(client)
    services(client, slugs=("electrician", "plumber"))
    area(client)
    response = prices(client, slugs=("electrician", "plumber"), price_plumber="275.50")
    assert response.status_code == 302
    assert response["Location"] == step_url("hours")
    provider = Provider.objects.get()
    offers = {o.category.slug: (o.price, o.visiting_charge) for o in provider.offers.all()}
    assert offers == {
        "electrician": (Decimal("300.00"), Decimal("40.00")),
        "plumber": (Decimal("275.50"), Decimal("40.00")),
    }
    assert provider.offers.filter(lat=provider.home_lat, radius_km=8).count() == 2
    assert (provider.free_cancellation_hours, provider.cancellation_fee) == (3, Decimal("50.00"))
    assert provider.terms_included == "Labour only"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"price_electrician": "0"}, "price_electrician", f"{AT_LEAST} 1."),
        ({"price_electrician": "abc"}, "price_electrician", "Enter a number."),
        ({"free_cancellation_hours": "200"}, "free_cancellation_hours", f"{AT_MOST} 168."),
        ({"cancellation_fee": "-5"}, "cancellation_fee", f"{AT_LEAST} 0."),
    ],
)
def test_prices_refuse_bad_input(client, person, english, overrides, field, message):
    about(client)
    services(client)
    area(client)
    response = prices(client, **overrides)
    assert errors(response, field) == [message]
    assert not Provider.objects.get().offers.exists()


def test_dropping_a_service_withdraws_its_offer(client, person):
    provider = registered(client, slugs=("electrician", "plumber"))
    services(client, slugs=("plumber",))
    assert client.get(reverse("providers:register"))["Location"] == step_url("prices")
    prices(client, slugs=("plumber",))
    assert {o.category.slug: o.is_active for o in provider.offers.all()} == {
        "electrician": False,
        "plumber": True,
    }


# --- step 6: hours ---------------------------------------------------------------------------


def test_hours_replace_the_weekly_windows(client, person):
    provider = registered(client)
    hours(client, works_6="on", from_6="10:00", to_6="14:00", works_0="")
    windows = list(provider.weekly_windows.values_list("weekday", "start_minute", "end_minute"))
    assert windows == [(d, 540, 1080) for d in range(1, 6)] + [(6, 600, 840)]


def test_hours_default_to_monday_to_saturday(client, person):
    about(client)
    services(client)
    area(client)
    prices(client)
    initial = client.get(step_url("hours")).context["form"].initial
    assert [initial.get(f"works_{d}", False) for d in range(7)] == [True] * 6 + [False]
    assert initial["from_0"] == "09:00"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"from_0": "18:00", "to_0": "09:00"}, "to_0", "The end must be after the start."),
        ({"from_2": ""}, "from_2", "Give the time you start and finish."),
        ({"to_3": "25:00"}, "to_3", "Enter a valid time."),
    ],
)
def test_hours_refuse_bad_input(client, person, english, overrides, field, message):
    registered(client)
    before = list(Provider.objects.get().weekly_windows.values_list("weekday", "start_minute"))
    response = hours(client, **overrides)
    assert errors(response, field) == [message]
    after = list(Provider.objects.get().weekly_windows.values_list("weekday", "start_minute"))
    assert after == before


def test_hours_need_a_working_day(client, person, english):
    registered(client)
    response = client.post(step_url("hours"), {})
    assert errors(response) == ["Choose at least one day on which you work."]


# --- step 7: documents -----------------------------------------------------------------------


def test_a_full_aadhaar_number_is_refused_and_not_shown_back(client, person, english):
    registered(client)
    response = client.post(step_url("documents"), {"id_type": "aadhaar", "last4": "1234 5678 9012"})
    assert response.status_code == 200
    assert errors(response, "last4") == [
        "Enter only the last four characters of the number, not the full number."
    ]
    html = response.content.decode()
    assert "9012" not in html and "5678" not in html
    assert not Document.objects.exists()


def test_identity_last_four_then_pending(client, person):
    provider = registered(client)
    response = client.post(step_url("documents"), {"id_type": "aadhaar", "last4": "9012"})
    assert response.status_code == 302
    assert response["Location"] == reverse("providers:pending")
    document = Document.objects.get()
    assert (document.provider, document.kind, document.id_type, document.last4) == (
        provider,
        DocumentKind.IDENTITY,
        "aadhaar",
        "9012",
    )
    assert SESSION_DRAFT not in client.session
    assert client.get(reverse("providers:register"))["Location"] == reverse("providers:pending")


def police_data(**overrides):
    return {
        "id_type": "voter_id",
        "last4": "AB12",
        "police_reference": "UPPOL/LKO/2026/77",
        "police_expires_on": (timezone.localdate() + dt.timedelta(days=365)).isoformat(),
        "police_file": upload("certificate.pdf", PDF, "application/pdf"),
        **overrides,
    }


def test_babysitter_uploads_the_police_certificate(client, person):
    provider = registered(client, slugs=("babysitter",))
    client.cookies["django_language"] = "en"
    page = client.get(step_url("documents"))
    assert "Needed for: Babysitter." in " ".join(page.content.decode().split())
    response = client.post(step_url("documents"), police_data())
    assert response.status_code == 302
    police = Document.objects.get(kind=DocumentKind.POLICE_VERIFICATION)
    assert police.provider == provider
    assert police.reference == "UPPOL/LKO/2026/77"
    assert police.file.name.startswith("providers/documents/") and police.file.name.endswith(".pdf")
    with police.file.open("rb") as stored:
        assert stored.read() == PDF


def test_a_police_certificate_picture_is_kept_as_a_cleaned_jpeg(client, person):
    registered(client, slugs=("cook",))
    png = jpeg((300, 200), fmt="PNG")
    response = client.post(
        step_url("documents"), police_data(police_file=upload("scan.png", png, "image/png"))
    )
    assert response.status_code == 302
    police = Document.objects.get(kind=DocumentKind.POLICE_VERIFICATION)
    assert police.file.name.endswith(".jpg")
    with police.file.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("JPEG", (300, 200))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"police_file": ""}, "police_file", "This field is required."),
        (
            {"police_file": upload("certificate.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
            "police_file",
            "The file must be a PDF or a picture (JPEG, PNG or WebP).",
        ),
        (
            {"police_expires_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
            "police_expires_on",
            "This police verification has already expired.",
        ),
        ({"police_reference": ""}, "police_reference", "This field is required."),
    ],
)
def test_police_certificate_refuses_bad_input(client, person, english, overrides, field, message):
    registered(client, slugs=("babysitter",))
    response = client.post(step_url("documents"), police_data(**overrides))
    assert response.status_code == 200
    assert errors(response, field) == [message]
    assert not Document.objects.exists()  # the identity document is not kept either
    assert not default_storage.exists("providers/documents")


def test_police_certificate_over_the_limit(client, person, english, settings):
    registered(client, slugs=("babysitter",))
    settings.UPLOAD_MAX_BYTES = 2048
    big = upload("c.pdf", b"%PDF-1.4\n" + b"0" * 4096 + b"\n%%EOF", "application/pdf")
    response = client.post(step_url("documents"), police_data(police_file=big))
    assert errors(response, "police_file") == ["The file is too large: at most 0 MB."]
    assert not Document.objects.exists()


# --- pending page, document files -----------------------------------------------------------


def test_pending_page_in_hindi_says_what_happens_next(client, person):
    registered(client)
    client.post(step_url("documents"), {"id_type": "aadhaar", "last4": "9012"})
    response = client.get(reverse("providers:pending"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "धन्यवाद" in html
    assert "सत्यापन बाकी" in html  # the status label "Pending verification"
    assert response.context["missing"] is None


def test_pending_page_before_the_last_step_says_continue(client, person):
    registered(client)
    response = client.get(reverse("providers:pending"))
    assert response.context["missing"] == "documents"
    assert step_url("documents") in response.content.decode()


@pytest.fixture
def certificate(client, person):
    registered(client, slugs=("babysitter",))
    client.post(step_url("documents"), police_data())
    client.logout()
    return Document.objects.get(kind=DocumentKind.POLICE_VERIFICATION)


def file_url(document):
    return reverse("providers:document_file", args=[document.pk])


def test_document_file_for_the_provider_officer_and_administrator(client, person, certificate):
    from sevamitra.accounts.tests.factories import user_with_roles

    viewers = [
        person,
        user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW")),
        user_with_roles(Role.ADMINISTRATOR),
    ]
    for viewer in viewers:
        client.force_login(viewer)
        response = client.get(file_url(certificate))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == PDF


def test_document_file_hidden_from_everyone_else(client, certificate):
    from sevamitra.accounts.tests.factories import user_with_roles

    url = file_url(certificate)
    assert client.get(url).status_code == 404  # anonymous
    others = [
        UserFactory(),
        user_with_roles(Role.DISTRICT_OFFICER, district=district("KANPUR NAGAR")),
        user_with_roles(Role.AUDITOR),
        ProviderFactory().user,
    ]
    for other in others:
        client.force_login(other)
        assert client.get(url).status_code == 404
    assert client.get(reverse("providers:document_file", args=[10**20])).status_code == 404


def test_a_document_without_a_file_is_404(client, person):
    registered(client)
    client.post(step_url("documents"), {"id_type": "aadhaar", "last4": "9012"})
    identity = Document.objects.get()
    assert client.get(file_url(identity)).status_code == 404
