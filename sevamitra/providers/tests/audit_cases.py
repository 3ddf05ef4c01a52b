"""Audit completeness of providers (audit/tests/test_completeness.py): each public function of
providers.services either writes its audit entry (a Case calls it on real data) or says why it
writes none."""

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.providers import services
from sevamitra.providers.models import Leave, Provider, VerificationStatus
from sevamitra.providers.tests.factories import (
    LUCKNOW,
    ProviderFactory,
    category,
    district,
    offer_for,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 150, 100)).save(out, "JPEG")
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


def _area(user):  # type: ignore[no-untyped-def]
    return {
        "user": user,
        "name_hi": "रमेश कुमार",
        "name_latin": "Ramesh Kumar",
        "district": district("LUCKNOW"),
        "home_lat": LUCKNOW[0],
        "home_lng": LUCKNOW[1],
        "service_radius_km": 8,
        "acting_user": user,
    }


def _provider() -> Provider:
    return ProviderFactory(offers=[("electrician", "300", "50")])


def _pending() -> tuple[Provider, object]:
    provider = ProviderFactory(verification_status=VerificationStatus.PENDING)
    return provider, user_with_roles(Role.DISTRICT_OFFICER, district=provider.district)


def _leave() -> Leave:
    provider = _provider()
    today = timezone.localdate()
    return services.leave_add(
        provider=provider,
        starts_on=today + dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=4),
        acting_user=provider.user,
    )


def _with_draft_photo() -> tuple[object, str]:
    user = UserFactory()
    draft = services.photo_draft_save(upload=_jpeg(), acting_user=user)
    return user, draft


TABLE = CaseTable(
    modules=["sevamitra.providers.services"],
    cases={
        "provider_register": Case(
            "provider.registered",
            lambda user: services.provider_register(**_area(user)),
            UserFactory,
        ),
        "provider_register_with_photo": Case(
            "provider.photo_changed",
            lambda given: services.provider_register_with_photo(
                photo_draft=given[1], **_area(given[0])
            ),
            _with_draft_photo,
        ),
        "provider_set_service_area": Case(
            "provider.area_changed",
            lambda p: services.provider_set_service_area(
                provider=p,
                home_lat=LUCKNOW[0],
                home_lng=LUCKNOW[1],
                service_radius_km=3,
                pincodes_served=["226001"],
                acting_user=p.user,
            ),
            _provider,
        ),
        "offer_set": Case(
            "offer.set",
            lambda p: services.offer_set(
                provider=p,
                category=category("electrician"),
                price=Decimal("450"),
                visiting_charge=Decimal("80"),
                acting_user=p.user,
            ),
            _provider,
        ),
        "offer_withdraw": Case(
            "offer.withdrawn",
            lambda p: services.offer_withdraw(offer=p.offers.get(), acting_user=p.user),
            _provider,
        ),
        "provider_set_terms": Case(
            "provider.terms_changed",
            lambda p: services.provider_set_terms(
                provider=p,
                free_cancellation_hours=6,
                cancellation_fee=Decimal("50"),
                included="पाइप की जाँच",
                acting_user=p.user,
            ),
            _provider,
        ),
        "provider_business_address_set": Case(
            "provider.business_address_set",
            lambda p: services.provider_business_address_set(
                provider=p,
                line1="12 Rani Katra",
                locality="Chowk",
                pincode="226003",
                acting_user=p.user,
            ),
            _provider,
        ),
        "provider_set_weekly_availability": Case(
            "provider.hours_changed",
            lambda p: services.provider_set_weekly_availability(
                provider=p, windows=[(0, 540, 1080)], acting_user=p.user
            ),
            _provider,
        ),
        "leave_add": Case(
            "leave.added",
            lambda p: services.leave_add(
                provider=p,
                starts_on=timezone.localdate() + dt.timedelta(days=2),
                ends_on=timezone.localdate() + dt.timedelta(days=2),
                reason="शादी",
                acting_user=p.user,
            ),
            _provider,
        ),
        "leave_cancel": Case(
            "leave.cancelled",
            lambda leave: services.leave_cancel(leave=leave, acting_user=leave.provider.user),
            _leave,
        ),
        "document_add_identity": Case(
            "document.added",
            lambda p: services.document_add_identity(
                provider=p, id_type="voter_id", last4="4821", acting_user=p.user
            ),
            _provider,
        ),
        "document_add_police_verification": Case(
            "document.added",
            lambda p: services.document_add_police_verification(
                provider=p,
                reference="UPPOL/LKO/1",
                expires_on=timezone.localdate() + dt.timedelta(days=300),
                file=SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
                acting_user=p.user,
            ),
            _provider,
        ),
        "provider_add_documents": Case(
            "document.added",
            lambda p: services.provider_add_documents(
                provider=p, id_type="aadhaar", last4="9012", acting_user=p.user
            ),
            _provider,
        ),
        "provider_set_status": Case(
            "provider.verified",
            lambda given: services.provider_set_status(
                provider=given[0], status=VerificationStatus.VERIFIED, acting_user=given[1]
            ),
            _pending,
        ),
        "provider_update_profile": Case(
            "provider.profile_changed",
            lambda p: services.provider_update_profile(
                provider=p,
                name_hi="सुनीता",
                name_latin="Sunita",
                gender="female",
                languages=["hi", "awa"],
                experience_years=7,
                photo=_jpeg(),
                acting_user=p.user,
            ),
            _provider,
        ),
        "provider_set_prices": Case(
            "offer.set",
            lambda p: services.provider_set_prices(
                provider=p,
                prices={category("plumber"): (Decimal("350"), Decimal("0"))},
                free_cancellation_hours=2,
                cancellation_fee=Decimal("0"),
                included="",
                acting_user=p.user,
            ),
            lambda: offer_for(_provider(), "carpenter").provider,
        ),
    },
    exempt={
        "merge_windows": "computes merged working periods from the input; writes nothing",
        "photo_draft_save": "keeps a chosen photo as a draft file before the profile exists: "
        "a file, not domain state (the registration that uses it is audited)",
        "photo_draft_discard": "deletes a draft photo file: a file, not domain state",
    },
)
