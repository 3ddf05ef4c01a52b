"""Filing a complaint: who, about which booking, when, with what; the deadlines it gets."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from sevamitra.accounts.errors import NotPermitted
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.audit.models import AuditEntry
from sevamitra.bookings.models import BookingStatus
from sevamitra.core.errors import DomainError
from sevamitra.grievances.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintStatus,
    ComplaintType,
    GrievanceSettings,
)
from sevamitra.grievances.services.complaints import complaint_file
from sevamitra.grievances.tests import factories as f
from sevamitra.notifications.models import Message
from sevamitra.privacy.aadhaar import verhoeff_check_digit

pytestmark = pytest.mark.django_db
S = BookingStatus
AADHAAR = "23456789012" + str(verhoeff_check_digit("23456789012"))


def _refused(booking, *, code, acting_user=None, **kwargs):
    kwargs.setdefault("type", "quality")
    kwargs.setdefault("text", f.TEXT)
    with pytest.raises(DomainError) as error:
        complaint_file(booking=booking, acting_user=acting_user or booking.customer, **kwargs)
    assert error.value.code == code
    assert Complaint.objects.count() == 0
    assert ComplaintAttachment.objects.count() == 0
    return error.value


def test_the_customer_files_a_complaint_with_its_deadlines(booking, now):
    complaint = complaint_file(
        booking=booking, type="quality", text=f"  {f.TEXT}  ", acting_user=booking.customer, now=now
    )
    assert complaint.status == ComplaintStatus.OPEN
    assert (complaint.customer, complaint.provider) == (booking.customer, booking.provider)
    assert complaint.text == f.TEXT
    assert complaint.filed_at == now
    assert complaint.due_at == now + dt.timedelta(days=10)
    assert complaint.response_due_at == now + dt.timedelta(days=3)
    assert complaint.escalated_at is None
    entry = AuditEntry.objects.get(action="complaint.filed")
    assert entry.object_id == str(complaint.pk)
    assert entry.after["type"] == "quality"
    assert entry.after["text_length"] == len(f.TEXT)
    assert f.TEXT not in str(entry.after)


@pytest.mark.parametrize(
    ("complaint_type", "days", "answer_days"),
    [("safety", 2, 2), ("behaviour", 5, 3), ("no_show", 7, 3), ("overcharge", 7, 3),
     ("quality", 10, 3)],
)  # fmt: skip
def test_each_type_has_its_deadline(provider, now, complaint_type, days, answer_days):
    complaint = f.filed(f.new_booking(provider), type=complaint_type, now=now)
    assert complaint.due_at == now + dt.timedelta(days=days)
    assert complaint.response_due_at == now + dt.timedelta(days=answer_days)


def test_deadlines_come_from_the_rules_in_force(booking, now):
    GrievanceSettings.objects.filter(pk=1).update(quality_days=4, response_days=1)
    complaint = f.filed(booking, now=now)
    assert complaint.due_at == now + dt.timedelta(days=4)
    assert complaint.response_due_at == now + dt.timedelta(days=1)


def test_the_provider_is_told_in_their_language(booking, now):
    user = booking.provider.user
    user.preferred_language = "en"
    user.save()
    complaint = f.filed(booking, now=now)
    message = Message.objects.get(user=user)
    assert message.event == "complaint.filed"
    assert message.reference == f"complaint:{complaint.pk}"
    assert f"complaint (no. {complaint.pk}, Poor quality of work)" in message.body
    assert f.TEXT not in message.body


def test_in_hindi_by_default(booking, now):
    f.filed(booking, now=now)
    body = Message.objects.get(user=booking.provider.user).body
    assert "शिकायत" in body


def test_only_the_bookings_own_customer(booking):
    error = _refused(booking, code="permission_denied", acting_user=UserFactory())
    assert isinstance(error, NotPermitted)


@pytest.mark.parametrize("status", [S.REQUESTED, S.DECLINED])
def test_not_about_a_booking_never_confirmed(provider, status):
    _refused(f.new_booking(provider, status=status), code="booking_not_confirmed")


def test_not_about_a_booking_cancelled_before_it_was_confirmed(provider):
    _refused(f.new_booking(provider, status=S.CANCELLED), code="booking_not_confirmed")


def test_a_booking_cancelled_after_confirmation_can_be_complained_about(provider, now):
    booking = f.new_booking(
        provider, status=S.CANCELLED, cancellation_fee="100.00", confirmed_before=True
    )
    assert f.filed(booking, type="overcharge", now=now).status == ComplaintStatus.OPEN


def test_no_show_and_quality_only_once_the_time_has_come(provider, now):
    booking = f.new_booking(provider, status=S.CONFIRMED, starts_at=now + dt.timedelta(hours=5))
    _refused(booking, code="too_early", type="no_show", now=now)
    _refused(booking, code="too_early", type="quality", now=now)
    # Behaviour (on the phone, say) can be complained about before the visit.
    assert f.filed(booking, type="behaviour", now=now).type == ComplaintType.BEHAVIOUR


def test_within_thirty_days_of_the_booking(booking):
    edge = booking.ends_at + dt.timedelta(days=30)
    _refused(booking, code="too_late", now=edge + dt.timedelta(seconds=1))
    assert f.filed(booking, now=edge).filed_at == edge


def test_one_open_complaint_per_booking_and_type(booking, now):
    first = f.filed(booking, now=now)
    with pytest.raises(DomainError) as error:
        f.filed(booking, now=now)
    assert error.value.code == "already_open"
    assert list(Complaint.objects.all()) == [first]
    # Another type is another complaint.
    assert f.filed(booking, type="behaviour", now=now).pk != first.pk


def test_the_database_refuses_a_second_open_complaint_too(complaint):
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.create(
            booking=complaint.booking,
            customer=complaint.customer,
            provider=complaint.provider,
            type=complaint.type,
            text="again",
            due_at=complaint.due_at,
            response_due_at=complaint.response_due_at,
        )


def test_after_it_is_closed_the_same_type_can_be_filed_again(complaint, now):
    from sevamitra.grievances.services.complaints import complaint_withdraw

    complaint_withdraw(complaint=complaint, acting_user=complaint.customer, now=now)
    again = f.filed(complaint.booking, now=now)
    assert again.status == ComplaintStatus.OPEN


@pytest.mark.parametrize("text", ["", "   "])
def test_text_is_required(booking, text):
    error = _refused(booking, code="required", text=text)
    assert error.field == "text"


def test_a_full_aadhaar_number_is_refused(booking):
    error = _refused(booking, code="aadhaar_number", text=f"My Aadhaar is {AADHAAR}, call me")
    assert error.field == "text"


def test_an_unknown_type_is_refused(booking):
    assert _refused(booking, code="invalid", type="noise").field == "type"


def test_photos_and_a_pdf_are_kept_re_encoded(booking, now):
    complaint = f.filed(booking, files=[f.picture_upload(), None, f.pdf_upload()], now=now)
    attachments = list(complaint.attachments.all())
    assert [a.is_pdf for a in attachments] == [False, True]
    assert attachments[0].file.name.startswith(f"grievances/{complaint.pk}-")
    assert attachments[0].file.name.endswith(".jpg")
    with attachments[0].file.open("rb") as stored:
        assert stored.read(3) == b"\xff\xd8\xff"  # a JPEG, whatever was sent
    with attachments[1].file.open("rb") as stored:
        assert stored.read() == f.PDF


def test_not_a_picture_is_refused_on_its_field(booking):
    fake = SimpleUploadedFile("photo.jpg", b"this is not a picture", content_type="image/jpeg")
    error = _refused(booking, code="invalid_document_file", files=[f.picture_upload(), fake])
    assert error.field == "photo_2"


def test_a_file_too_large_is_refused(booking, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = f.picture_upload(size=(600, 600))
    assert big.size > 1024
    assert _refused(booking, code="file_too_large", files=[big]).field == "photo_1"


def test_at_most_three_files(booking):
    files = [f.picture_upload() for _ in range(4)]
    _refused(booking, code="too_many_files", files=files)
