"""Provider services: every write, its checks, and that a refusal changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Role, RoleGrant, User
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.core.errors import DomainError, PermissionDenied
from sevamitra.providers import services
from sevamitra.providers.models import (
    Document,
    Offer,
    Provider,
    ServicePincode,
    VerificationStatus,
    WeeklyWindow,
)
from sevamitra.providers.tests.factories import (
    LUCKNOW,
    ProviderFactory,
    category,
    district,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return ProviderFactory(verification_status=VerificationStatus.PENDING)


@pytest.fixture
def officer():
    user = UserFactory()
    RoleGrant.objects.create(user=user, role=Role.DISTRICT_OFFICER, district=district("LUCKNOW"))
    return user


def register(user, **overrides):
    kwargs = {
        "user": user,
        "name_hi": "रमेश कुमार",
        "name_latin": "Ramesh Kumar",
        "district": district("LUCKNOW"),
        "home_lat": LUCKNOW[0],
        "home_lng": LUCKNOW[1],
        "service_radius_km": 8,
        "acting_user": user,
    }
    kwargs.update(overrides)
    return services.provider_register(**kwargs)


def test_register_creates_a_pending_provider_with_the_provider_role():
    user = UserFactory()
    provider = register(user, pincodes_served=["226010", "226001"])
    assert provider.verification_status == VerificationStatus.PENDING
    assert sorted(provider.service_pincodes.values_list("pincode", flat=True)) == [
        "226001",
        "226010",
    ]
    assert RoleGrant.objects.filter(user=user, role=Role.PROVIDER).count() == 1


def test_register_twice_is_refused():
    user = UserFactory()
    register(user)
    with pytest.raises(DomainError) as error:
        register(user)
    assert error.value.code == "already_registered"
    assert Provider.objects.filter(user=user).count() == 1


def test_nobody_registers_someone_else():
    user, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied):
        register(user, acting_user=other)
    assert not Provider.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"service_radius_km": 51}, "invalid_radius"),
        ({"service_radius_km": 0}, "no_service_area"),
        ({"pincodes_served": ["999999"]}, "invalid_pincode"),
        ({"home_lat": 123.0}, "invalid_location"),
        ({"name_hi": " "}, "name_required"),
    ],
)
def test_register_refuses_bad_input(overrides, code):
    user = UserFactory()
    with pytest.raises(DomainError) as error:
        register(user, **overrides)
    assert error.value.code == code
    assert not Provider.objects.filter(user=user).exists()


def test_offer_set_creates_then_changes_the_price_and_copies_the_location(provider):
    plumber = category("plumber")
    offer = services.offer_set(
        provider=provider,
        category=plumber,
        price=Decimal("300"),
        visiting_charge=Decimal("50"),
        acting_user=provider.user,
    )
    again = services.offer_set(
        provider=provider, category=plumber, price=Decimal("350.5"), acting_user=provider.user
    )
    assert again.pk == offer.pk
    assert (again.price, again.visiting_charge) == (Decimal("350.50"), Decimal("0.00"))
    assert (again.lat, again.lng) == (provider.home_lat, provider.home_lng)


@pytest.mark.parametrize("price", [Decimal("0"), Decimal("-5"), "abc"])
def test_offer_needs_a_positive_price(provider, price):
    with pytest.raises(DomainError):
        services.offer_set(
            provider=provider, category=category("plumber"), price=price, acting_user=provider.user
        )
    assert not Offer.objects.filter(provider=provider).exists()


def test_another_provider_cannot_change_my_offer(provider):
    other = ProviderFactory()
    with pytest.raises(PermissionDenied):
        services.offer_set(
            provider=provider,
            category=category("plumber"),
            price=Decimal("100"),
            acting_user=other.user,
        )


def test_moving_home_moves_the_offers(provider):
    services.offer_set(
        provider=provider,
        category=category("plumber"),
        price=Decimal("300"),
        acting_user=provider.user,
    )
    services.provider_set_service_area(
        provider=provider,
        home_lat=26.9,
        home_lng=80.99,
        service_radius_km=5,
        pincodes_served=["226010"],
        acting_user=provider.user,
    )
    offer = Offer.objects.get(provider=provider)
    assert (offer.lat, offer.lng, offer.radius_km) == (26.9, 80.99, 5)
    assert list(
        ServicePincode.objects.filter(provider=provider).values_list("pincode", flat=True)
    ) == ["226010"]


def test_terms_are_the_providers_own(provider):
    services.provider_set_terms(
        provider=provider,
        free_cancellation_hours=6,
        cancellation_fee=Decimal("75"),
        included="  तार और स्विच  ",
        acting_user=provider.user,
    )
    provider.refresh_from_db()
    assert (
        provider.free_cancellation_hours,
        provider.cancellation_fee,
        provider.terms_included,
    ) == (6, Decimal("75.00"), "तार और स्विच")


def test_weekly_windows_are_merged(provider):
    services.provider_set_weekly_availability(
        provider=provider,
        windows=[
            (0, 9 * 60, 13 * 60),
            (0, 13 * 60, 18 * 60),
            (0, 17 * 60, 19 * 60),
            (0, 20 * 60, 22 * 60),
            (2, 0, 1440),
        ],
        acting_user=provider.user,
    )
    assert list(
        WeeklyWindow.objects.filter(provider=provider).values_list(
            "weekday", "start_minute", "end_minute"
        )
    ) == [(0, 540, 1140), (0, 1200, 1320), (2, 0, 1440)]


@pytest.mark.parametrize("window", [(7, 60, 120), (0, 120, 60), (0, 0, 1441)])
def test_bad_windows_are_refused_and_old_ones_kept(provider, window):
    before = list(WeeklyWindow.objects.filter(provider=provider).values_list("pk", flat=True))
    with pytest.raises(DomainError):
        services.provider_set_weekly_availability(
            provider=provider, windows=[window], acting_user=provider.user
        )
    assert (
        list(WeeklyWindow.objects.filter(provider=provider).values_list("pk", flat=True)) == before
    )


def test_leave(provider):
    today = timezone.localdate()
    leave = services.leave_add(
        provider=provider, starts_on=today, ends_on=today, reason="शादी", acting_user=provider.user
    )
    assert leave.reason == "शादी"
    with pytest.raises(DomainError):
        services.leave_add(
            provider=provider,
            starts_on=today,
            ends_on=today - dt.timedelta(1),
            acting_user=provider.user,
        )


@pytest.mark.parametrize("last4", ["123456789012", "1234 5678 9012", "12", "", "१२३४"])
def test_identity_document_takes_only_the_last_four(provider, last4):
    with pytest.raises(DomainError) as error:
        services.document_add_identity(
            provider=provider, id_type="aadhaar", last4=last4, acting_user=provider.user
        )
    assert error.value.code == "invalid_last4"
    assert not Document.objects.filter(provider=provider).exists()


def test_identity_document_is_stored_as_type_and_last_four(provider):
    doc = services.document_add_identity(
        provider=provider,
        id_type="aadhaar",
        last4="9012",
        reference="UIDAI-OK-1",
        acting_user=provider.user,
    )
    assert (doc.id_type, doc.last4, doc.reference) == ("aadhaar", "9012", "UIDAI-OK-1")


def test_police_verification_must_be_in_force(provider):
    with pytest.raises(DomainError) as error:
        services.document_add_police_verification(
            provider=provider,
            reference="UPPOL/1",
            expires_on=timezone.localdate(),
            acting_user=provider.user,
        )
    assert error.value.code == "expired_document"


def test_district_officer_verifies_and_suspends_with_reason(provider, officer):
    services.provider_set_status(
        provider=provider, status=VerificationStatus.VERIFIED, acting_user=officer
    )
    with pytest.raises(DomainError) as error:
        services.provider_set_status(
            provider=provider, status=VerificationStatus.SUSPENDED, reason=" ", acting_user=officer
        )
    assert error.value.code == "reason_required"
    services.provider_set_status(
        provider=provider,
        status=VerificationStatus.SUSPENDED,
        reason="शिकायत की जाँच",
        acting_user=officer,
    )
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED
    assert provider.status_reason == "शिकायत की जाँच"
    assert provider.status_changed_by == officer


def test_officer_of_another_district_cannot_verify(provider):
    outsider = UserFactory()
    RoleGrant.objects.create(
        user=outsider, role=Role.DISTRICT_OFFICER, district=district("KANPUR NAGAR")
    )
    with pytest.raises(PermissionDenied):
        services.provider_set_status(
            provider=provider, status=VerificationStatus.VERIFIED, acting_user=outsider
        )
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.PENDING


def test_the_provider_cannot_verify_themself(provider):
    with pytest.raises(PermissionDenied):
        services.provider_set_status(
            provider=provider, status=VerificationStatus.VERIFIED, acting_user=provider.user
        )


def test_illegal_transition_is_refused(provider, officer):
    with pytest.raises(DomainError) as error:
        services.provider_set_status(
            provider=provider, status=VerificationStatus.PENDING, acting_user=officer
        )
    assert error.value.code == "illegal_transition"


def test_citizen_user_cannot_edit_a_provider(provider):
    citizen = User.objects.create_user("9876543210")
    with pytest.raises(PermissionDenied):
        services.provider_set_terms(
            provider=provider,
            free_cancellation_hours=1,
            cancellation_fee=Decimal("0"),
            included="",
            acting_user=citizen,
        )


def test_a_served_pincode_must_be_near_home(provider):
    # 221001 is Varanasi, about 270 km from a Lucknow home.
    with pytest.raises(DomainError) as error:
        services.provider_set_service_area(
            provider=provider,
            home_lat=LUCKNOW[0],
            home_lng=LUCKNOW[1],
            service_radius_km=5,
            pincodes_served=["226010", "221001"],
            acting_user=provider.user,
        )
    assert error.value.code == "pincode_too_far"
    assert "221001" in str(error.value.message)
    assert not ServicePincode.objects.filter(provider=provider).exists()
