"""Test data for grievances: bookings written directly (past ones cannot be booked through
the engine), people in their roles, and complaints filed through the service."""

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings.models import Booking, BookingEvent, BookingStatus
from sevamitra.bookings.pricing import TermsSnapshot, quote_for_slot
from sevamitra.grievances.services.complaints import complaint_file
from sevamitra.providers.tests.factories import ProviderFactory, category, district

district_named = district  # a district by its code, e.g. district_named("AGRA")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEXT = "The electrician left the wires open and did not finish the work."


def picture_upload(name: str = "photo.png", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf_upload(name: str = "bill.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def new_provider(**fields):  # type: ignore[no-untyped-def]
    fields.setdefault("offers", [("electrician", "300", "50")])
    return ProviderFactory(**fields)


def new_booking(
    provider=None,  # type: ignore[no-untyped-def]
    customer=None,
    *,
    starts_at: dt.datetime | None = None,
    status: str = BookingStatus.COMPLETED,
    total: str = "350.00",
    cancellation_fee: str | None = None,
    confirmed_before: bool = False,
) -> Booking:
    """A one-hour electrician visit, by default yesterday and completed."""
    provider = provider or new_provider()
    customer = customer or UserFactory()
    starts_at = starts_at or timezone.now() - dt.timedelta(days=1)
    made = Booking.objects.create(
        customer=customer,
        provider=provider,
        category=category("electrician"),
        kind="visit",
        channel="web",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        status=status,
        address="B-12, Vipin Khand, Gomti Nagar",
        pincode="226010",
        quote=quote_for_slot(
            unit="visit",
            unit_price=Decimal(total),
            visiting_charge=Decimal("0"),
            gst_registered=False,
            start=starts_at,
            end=starts_at + dt.timedelta(hours=1),
        ).as_dict(),
        total=Decimal(total),
        terms=TermsSnapshot(free_cancellation_hours=2, cancellation_fee=Decimal("100")).as_dict(),
        created_by=customer,
        cancelled_by="customer" if status == BookingStatus.CANCELLED else "",
        cancellation_fee=Decimal(cancellation_fee) if cancellation_fee is not None else None,
    )
    if confirmed_before:
        BookingEvent.objects.create(
            booking=made, action="accepted", from_status="requested", to_status="confirmed"
        )
    return made


def officer_of(district, **fields):  # type: ignore[no-untyped-def]
    return user_with_roles(Role.DISTRICT_OFFICER, district=district, **fields)


def administrator(**fields):  # type: ignore[no-untyped-def]
    return user_with_roles(Role.ADMINISTRATOR, **fields)


def filed(booking=None, *, type: str = "quality", text: str = TEXT, files=(), now=None):  # type: ignore[no-untyped-def]
    """A complaint filed by the booking's customer through the service."""
    booking = booking or new_booking()
    return complaint_file(
        booking=booking, type=type, text=text, files=files, acting_user=booking.customer, now=now
    )
