"""Complaints under the DPDP rights: the download includes what the person wrote; erasure
blanks it (and deletes the photos) once the complaint is over, and is refused while it is
still being dealt with — the other side must still be heard."""

import pytest
from django.core.files.storage import default_storage

from sevamitra.core.errors import DomainError
from sevamitra.grievances.models import Complaint, ComplaintAttachment, ComplaintEntry
from sevamitra.grievances.services.complaints import complaint_respond, complaint_withdraw
from sevamitra.grievances.tests.factories import TEXT, filed, new_booking, picture_upload
from sevamitra.privacy.selectors import person_data
from sevamitra.privacy.services import ERASED_TEXT, person_erase

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint():
    made = filed(files=[picture_upload()])
    complaint_respond(
        complaint=made, text="I finished the work; the wires were closed.",
        acting_user=made.provider.user,
    )  # fmt: skip
    return made


def test_the_download_has_what_each_side_wrote_and_nothing_of_the_other(complaint):
    customer = person_data(complaint.customer)["complaints"]
    assert [(c["reference"], c["text"], c["attachments"]) for c in customer["made"]] == [
        (complaint.pk, TEXT, 1)
    ]
    assert customer["what_i_wrote"] == []

    provider = person_data(complaint.provider.user)["complaints"]
    assert [c["reference"] for c in provider["about_my_work"]] == [complaint.pk]
    assert "text" not in provider["about_my_work"][0]  # the customer's words are not theirs
    assert [e["text"] for e in provider["what_i_wrote"]] == [
        "I finished the work; the wires were closed."
    ]


def test_erasure_is_refused_while_the_complaint_is_open(complaint):
    with pytest.raises(DomainError) as refused:
        person_erase(user=complaint.customer, acting_user=complaint.customer)
    assert refused.value.code == "grievance_in_progress"
    complaint.refresh_from_db()
    assert complaint.text == TEXT
    assert complaint.customer.is_active


def test_erasure_blanks_the_words_and_deletes_the_photos_once_it_is_closed(
    complaint, django_capture_on_commit_callbacks
):
    complaint_withdraw(complaint=complaint, acting_user=complaint.customer)
    stored = ComplaintAttachment.objects.get().file.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=complaint.customer, acting_user=complaint.customer)

    complaint.refresh_from_db()
    assert complaint.text == ERASED_TEXT
    assert complaint.status == "withdrawn"  # the record of what happened stays
    assert not ComplaintAttachment.objects.exists()
    assert not default_storage.exists(stored)
    # The Sevamitra's answer is theirs, not the erased person's: it stays.
    assert ComplaintEntry.objects.get().text == "I finished the work; the wires were closed."


def test_a_provider_with_a_complaint_about_them_open_cannot_be_erased(complaint):
    booking = new_booking()
    assert booking.customer != complaint.provider.user
    with pytest.raises(DomainError):
        person_erase(user=complaint.provider.user, acting_user=complaint.provider.user)
    assert Complaint.objects.get().status == "provider_responded"


def test_the_erase_page_says_why_it_cannot_erase_yet(client, complaint):
    client.force_login(complaint.customer)
    page = client.get("/my/data/erase/").content.decode()  # Hindi first
    assert "आपकी कोई शिकायत या अपील अभी चल रही है।" in page
    assert 'name="confirm"' not in page
