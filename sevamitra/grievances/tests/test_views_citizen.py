"""The citizen's complaint pages over HTTP, and who may fetch a complaint's photos."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings.models import BookingStatus
from sevamitra.grievances.models import (
    Complaint,
    ComplaintEntry,
    ComplaintStatus,
    EntryKind,
)
from sevamitra.grievances.services.complaints import (
    complaint_record_hearing,
    complaint_respond,
)
from sevamitra.grievances.tests import factories as f
from sevamitra.grievances.tests.conftest import en
from sevamitra.privacy.aadhaar import verhoeff_check_digit

pytestmark = pytest.mark.django_db
AADHAAR = "23456789012" + str(verhoeff_check_digit("23456789012"))


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def signed_in(english, customer):
    english.force_login(customer)
    return english


def new_url(booking):
    return reverse("grievances:new", args=[booking.pk])


def post_complaint(client, booking, **data):
    data.setdefault("type", "quality")
    data.setdefault("text", f.TEXT)
    return client.post(new_url(booking), data)


# --- who gets in ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["grievances:mine", "grievances:new", "grievances:detail", "grievances:withdraw"]
)
def test_visitors_are_sent_to_sign_in(client, complaint, name):
    args = (
        []
        if name == "grievances:mine"
        else [complaint.booking_id if name.endswith("new") else complaint.pk]
    )
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/?next=")


@pytest.mark.parametrize("role", [None, Role.AGENT, Role.ADMINISTRATOR])
def test_another_persons_booking_and_complaint_do_not_exist_here(client, complaint, role):
    other = user_with_roles(role) if role else UserFactory()
    client.force_login(other)
    assert client.get(new_url(complaint.booking)).status_code == 404
    assert post_complaint(client, complaint.booking, type="behaviour").status_code == 404
    for name in ("grievances:detail", "grievances:withdraw"):
        assert client.get(reverse(name, args=[complaint.pk])).status_code == 404
    response = client.post(reverse("grievances:reply", args=[complaint.pk]), {"text": "x"})
    assert response.status_code == 404
    assert Complaint.objects.count() == 1
    assert not ComplaintEntry.objects.exists()


# --- filing ---------------------------------------------------------------------------------


def test_the_complain_link_is_on_the_booking_page(signed_in, booking):
    response = signed_in.get(reverse("bookings:detail", args=[booking.pk]))
    assert new_url(booking) in response.content.decode()


def test_the_form_shows_the_deadlines(signed_in, booking):
    response = signed_in.get(new_url(booking))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Poor quality of work: resolved within 10 days" in body
    assert "Safety: someone was put in danger: resolved within 2 days" in body
    assert 'enctype="multipart/form-data"' in body


def test_a_booking_never_confirmed_shows_why_not(english, provider):
    booking = f.new_booking(provider, status=BookingStatus.REQUESTED)
    english.force_login(booking.customer)
    response = english.get(new_url(booking))
    assert "You can complain only about a booking that was confirmed." in response.content.decode()
    assert "Send the complaint" not in response.content.decode()


def test_filing_with_a_photo(signed_in, booking):
    response = signed_in.post(
        new_url(booking), {"type": "quality", "text": f.TEXT, "photo_1": f.picture_upload()}
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("grievances:detail", args=[complaint.pk])
    assert complaint.attachments.count() == 1
    page = signed_in.get(response["Location"]).content.decode()
    assert "Your complaint is registered. The Sevamitra has been told." in page
    assert reverse("grievances:attachment", args=[complaint.attachments.get().pk]) in page


def test_not_a_picture_is_a_form_error(signed_in, booking):
    fake = SimpleUploadedFile("photo.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = signed_in.post(
        new_url(booking), {"type": "quality", "text": f.TEXT, "photo_2": fake}
    )
    assert response.status_code == 200
    assert en(response.context["form"].errors["photo_2"]) == [
        "The file must be a PDF or a picture (JPEG, PNG or WebP)."
    ]
    assert not Complaint.objects.exists()


def test_a_photo_too_big_is_a_form_error(signed_in, booking, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = signed_in.post(
        new_url(booking),
        {"type": "quality", "text": f.TEXT, "photo_1": f.picture_upload(size=(600, 600))},
    )
    assert response.status_code == 200
    assert en(response.context["form"].errors["photo_1"]) == [
        "The file is too large: at most 0 MB."
    ]
    assert not Complaint.objects.exists()


def test_filing_twice_is_a_form_error(signed_in, booking):
    post_complaint(signed_in, booking)
    response = post_complaint(signed_in, booking)
    assert response.status_code == 200
    assert en(response.context["form"].errors["type"]) == [
        "You already have an open complaint of this kind about this booking."
    ]
    assert Complaint.objects.count() == 1


def test_an_aadhaar_number_is_a_form_error(signed_in, booking):
    response = post_complaint(signed_in, booking, text=f"Aadhaar {AADHAAR}")
    assert response.status_code == 200
    assert "Do not type an Aadhaar number" in response.content.decode()
    assert not Complaint.objects.exists()


def test_missing_fields_are_form_errors(signed_in, booking):
    response = signed_in.post(new_url(booking), {})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert en(errors["type"]) == ["Choose what the complaint is about."]
    assert en(errors["text"]) == ["Please write something here."]


def test_errors_are_in_hindi_by_default(client, booking):
    client.force_login(booking.customer)
    response = client.post(new_url(booking), {})
    assert "शिकायत किस बारे में है, चुनें।" in response.content.decode()
    assert "Choose what the complaint is about." not in response.content.decode()


def test_too_late_is_said_at_the_top(signed_in, provider, customer):
    old = f.new_booking(provider, customer, starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = post_complaint(signed_in, old)
    assert response.status_code == 200
    assert en(response.context["form"].non_field_errors()) == [
        "Complaints can be made up to 30 days after the booking. Call the helpline."
    ]


# --- my complaints --------------------------------------------------------------------------


def test_my_complaints_lists_mine_only(signed_in, complaint, provider):
    f.filed(f.new_booking(provider), now=complaint.filed_at)  # someone else's
    response = signed_in.get(reverse("grievances:mine"))
    assert [c.pk for c in response.context["complaints"]] == [complaint.pk]
    assert "Poor quality of work" in response.content.decode()


def test_the_detail_shows_both_sides_but_not_the_hearing_notes(signed_in, complaint, officer):
    complaint_respond(
        complaint=complaint,
        text="The switch was faulty before.",
        acting_user=complaint.provider.user,
    )
    complaint_record_hearing(
        complaint=complaint, text="Spoke to both on phone.", acting_user=officer
    )
    body = signed_in.get(reverse("grievances:detail", args=[complaint.pk])).content.decode()
    assert f.TEXT in body
    assert "The switch was faulty before." in body
    assert "Spoke to both on phone." not in body


def test_replying(signed_in, complaint):
    url = reverse("grievances:reply", args=[complaint.pk])
    response = signed_in.post(url, {"text": ""})
    assert response.status_code == 200
    assert en(response.context["reply_form"].errors["text"]) == ["Please write something here."]
    response = signed_in.post(url, {"text": "It is still sparking."})
    assert response.status_code == 302
    assert complaint.entries.get().kind == EntryKind.REPLY


def test_closing_my_complaint(signed_in, complaint):
    url = reverse("grievances:withdraw", args=[complaint.pk])
    assert signed_in.get(url).status_code == 200
    response = signed_in.post(url, {})
    assert response.status_code == 200
    assert en(response.context["form"].errors["confirm"]) == [
        "Tick the box to close the complaint."
    ]
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.OPEN
    response = signed_in.post(url, {"confirm": "on"}, follow=True)
    assert "Your complaint is closed." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.WITHDRAWN


def test_a_safety_complaint_offers_no_closing(signed_in, booking):
    complaint = f.filed(booking, type="safety")
    body = signed_in.get(reverse("grievances:detail", args=[complaint.pk])).content.decode()
    assert reverse("grievances:withdraw", args=[complaint.pk]) not in body
    response = signed_in.post(
        reverse("grievances:withdraw", args=[complaint.pk]), {"confirm": "on"}, follow=True
    )
    assert "A safety complaint cannot be withdrawn" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ESCALATED


# --- files ----------------------------------------------------------------------------------


@pytest.fixture
def with_files(booking):
    return f.filed(booking, files=[f.picture_upload(), f.pdf_upload()])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("customer", 200),
        ("provider", 200),
        ("officer", 200),
        ("administrator", 200),
        ("other_officer", 404),
        ("other_citizen", 404),
        ("agent", 404),
        ("auditor", 404),
        ("visitor", 404),
    ],
)
def test_photos_are_served_only_to_who_may_see_the_complaint(
    client, with_files, officer, who, status
):
    people = {
        "customer": lambda: with_files.customer,
        "provider": lambda: with_files.provider.user,
        "officer": lambda: officer,
        "administrator": f.administrator,
        "other_officer": lambda: f.officer_of(f.district_named("AGRA")),
        "other_citizen": UserFactory,
        "agent": lambda: user_with_roles(Role.AGENT),
        "auditor": lambda: user_with_roles(Role.AUDITOR),
        "visitor": lambda: None,
    }
    person = people[who]()
    if person is not None:
        client.force_login(person)
    photo, pdf = with_files.attachments.all()
    response = client.get(reverse("grievances:attachment", args=[photo.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        document = client.get(reverse("grievances:attachment", args=[pdf.pk]))
        assert document["Content-Type"] == "application/pdf"
        assert document["Content-Disposition"].startswith("attachment;")


def test_an_unknown_file_is_404(client, customer):
    client.force_login(customer)
    assert client.get(reverse("grievances:attachment", args=[999999])).status_code == 404
