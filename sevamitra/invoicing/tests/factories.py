"""Test data for invoicing, written directly with the ORM: an office with its officers, and an
accepted government order whose providers completed their days (as procurement would leave it).
"""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings.models import Booking as BookingModel
from sevamitra.bookings.models import (
    BookingKind,
    BookingSeries,
    BookingStatus,
    Channel,
    SeriesFrequency,
)
from sevamitra.bookings.pricing import build_quote
from sevamitra.procurement.models import (
    AcceptanceKind,
    Department,
    Office,
    OfficePost,
    OfficerPost,
    Requisition,
    RequisitionProvider,
    RequisitionStatus,
    RuleSet,
)
from sevamitra.providers.models import Provider
from sevamitra.providers.tests.factories import (
    LUCKNOW,
    ProviderFactory,
    category,
    district,
    offer_for,
)

_seq = itertools.count(1)
UP_GSTIN = "09AAAPA1234A1Z5"
OFFICE_GSTIN = "09AAAGU0001B1ZX"
DELHI_GSTIN = "07AAAGD0001C1Z2"


def office(*, gstin: str = OFFICE_GSTIN, state_code: str = "09", parent=None) -> Office:  # type: ignore[no-untyped-def]
    n = next(_seq)
    department = Department.objects.get_or_create(
        code="labour", defaults={"name_en": "Labour Department", "name_hi": "श्रम विभाग"}
    )[0]
    return Office.objects.create(
        department=department,
        code=f"office-{n}",
        name_en=f"District Labour Office {n}",
        name_hi=f"ज़िला श्रम कार्यालय {n}",
        district=district(),
        address="Kaiserbagh, Lucknow",
        pincode="226001",
        ddo_code=f"DDO{n:04d}",
        gstin=gstin,
        state_code=state_code,
        parent=parent,
    )


def with_business_address(provider: Provider) -> Provider:
    """Give the provider a business address in Hazratganj, Lucknow (an invoice needs one)."""
    if not provider.has_business_address:
        provider.business_line1 = "12 Rani Katra"
        provider.business_line2 = "Near Chowk Kotwali"
        provider.business_locality = "Chowk"
        provider.business_pincode = "226003"
        provider.business_district = district("LUCKNOW")
        provider.save()
    return provider


def officer(of: Office, post: str = OfficerPost.FINANCE):  # type: ignore[no-untyped-def]
    user = user_with_roles(Role.DEPARTMENT_OFFICER)
    OfficePost.objects.create(user=user, office=of, post=post, granted_by=user)
    return user


def rule_set(*, payment_due_days: int = 10) -> RuleSet:
    admin = UserFactory()
    return RuleSet.objects.create(
        version=next(_seq),
        go_reference="GO 12/2026",
        go_date=dt.date(2026, 1, 1),
        payment_due_days=payment_due_days,
        effective_from=dt.date(2026, 1, 1),
        created_by=admin,
    )


def accepted_order(
    *,
    providers: list[Provider] | None = None,
    of: Office | None = None,
    days: int = 3,
    price: str = "800",
    visiting: str = "0",
    accepted_on: dt.date = dt.date(2026, 5, 10),
    status: str = RequisitionStatus.ACCEPTED,
    rules: RuleSet | None = None,
    slug: str = "painter",
) -> Requisition:
    """An order of `days` days (daily 09:00–17:00, priced per day) whose providers completed
    every day, accepted by the office on `accepted_on`. The providers get a business address
    (with_business_address) if they have none."""
    of = of or office()
    indenting = officer(of, OfficerPost.INDENTING)
    cat = category(slug)
    providers = providers if providers is not None else [ProviderFactory()]
    starts_on = accepted_on - dt.timedelta(days=days + 1)
    requisition = Requisition.objects.create(
        office=of,
        category=cat,
        place_address=of.address,
        place_pincode=of.pincode,
        lat=LUCKNOW[0],
        lng=LUCKNOW[1],
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days - 1),
        start_time=dt.time(9),
        end_time=dt.time(17),
        workers=len(providers) or 1,
        purpose="Cleaning of the office",
        status=status,
        estimated_value=Decimal(price) * days * len(providers),
        rule_set=rules,
        created_by=indenting,
        accepted_on=accepted_on if status == RequisitionStatus.ACCEPTED else None,
        acceptance_kind=AcceptanceKind.CERTIFIED if status == RequisitionStatus.ACCEPTED else "",
    )
    for provider in providers:
        with_business_address(provider)
        offer = provider.offers.filter(category=cat).first() or offer_for(
            provider, slug, price, visiting
        )
        series = BookingSeries.objects.create(
            customer=indenting,
            provider=provider,
            category=cat,
            kind=BookingKind.ENGAGEMENT,
            frequency=SeriesFrequency.DAILY,
            starts_on=requisition.starts_on,
            ends_on=requisition.ends_on,
            start_time=requisition.start_time,
            end_time=requisition.end_time,
            channel=Channel.GOVERNMENT,
            created_by=indenting,
        )
        RequisitionProvider.objects.create(
            requisition=requisition,
            provider=provider,
            offer=offer,
            unit_price=Decimal(price),
            estimated_value=Decimal(price) * days,
            series=series,
        )
        for i in range(days):
            day = requisition.starts_on + dt.timedelta(days=i)
            quote = build_quote(
                unit="day",
                unit_price=Decimal(price),
                quantity=Decimal(1),
                visiting_charge=Decimal(visiting),
                gst_registered=bool(provider.gstin),
            )
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
            BookingModel.objects.create(
                customer=indenting,
                provider=provider,
                category=cat,
                kind=BookingKind.ENGAGEMENT,
                channel=Channel.GOVERNMENT,
                series=series,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=8),
                status=BookingStatus.COMPLETED,
                address=of.address,
                quote=quote.as_dict(),
                total=quote.total,
                terms={},
                created_by=indenting,
            )
    return requisition
