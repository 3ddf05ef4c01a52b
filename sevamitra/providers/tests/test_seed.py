"""`manage.py seed`: realistic, deterministic demo data that satisfies the model's rules."""

import io
import itertools
import re
from collections import defaultdict
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sevamitra.accounts.models import Role, RoleGrant, User
from sevamitra.accounts.phone import normalize_phone
from sevamitra.geo.distance import distance_km
from sevamitra.geo.pincodes import district_pincodes, pincode_info
from sevamitra.providers.management.commands.seed import DEMO_ACCOUNTS, DEMO_PROVIDER
from sevamitra.providers.models import (
    Document,
    DocumentKind,
    Leave,
    Offer,
    Provider,
    ServicePincode,
    VerificationStatus,
    WeeklyWindow,
)

pytestmark = pytest.mark.django_db

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def seed(providers: int = 200, **options) -> str:
    out = io.StringIO()
    options.setdefault("no_demo_provider", True)  # the generator's output only; see below
    call_command("seed", providers=providers, no_progress=True, stdout=out, **options)
    return out.getvalue()


def snapshot() -> tuple[list, list]:
    people = list(
        Provider.objects.order_by("pk").values_list("name_hi", "name_latin", "user__phone")
    )
    prices = list(Offer.objects.order_by("pk").values_list("category__slug", "price"))
    return people, prices


def test_seed_creates_providers_with_accounts_offers_and_statuses():
    output = seed()

    assert Provider.objects.count() == 200
    assert "Seeded 200 providers (seed 42)" in output
    assert RoleGrant.objects.filter(role=Role.PROVIDER).count() == 200
    for provider in Provider.objects.select_related("user").prefetch_related("offers"):
        assert DEVANAGARI.search(provider.name_hi)
        assert provider.name_latin.isascii()
        assert provider.user.name == provider.name_latin
        assert normalize_phone(provider.user.phone) == provider.user.phone
        assert not provider.user.has_usable_password()
        assert 1 <= len(provider.offers.all()) <= 3
        assert provider.languages[0] == "hi"
        for offer in provider.offers.all():
            assert offer.price > 0
            assert 0 <= offer.visiting_charge <= 150
            assert (offer.lat, offer.lng) == (provider.home_lat, provider.home_lng)
        assert 0 <= provider.service_radius_km <= 15
        assert 15 <= provider.travel_buffer_minutes <= 45
        assert 1 <= provider.free_cancellation_hours <= 24
        assert 0 <= provider.cancellation_fee <= 200
        assert DEVANAGARI.search(provider.terms_included)
        if provider.verification_status == VerificationStatus.PENDING:
            assert (provider.rating_avg, provider.rating_count) == (0, 0)
        elif provider.rating_count:
            assert 3 <= provider.rating_avg <= 5 and provider.rating_count <= 500
        if provider.verification_status == VerificationStatus.SUSPENDED:
            assert provider.status_reason
    statuses = {
        status: Provider.objects.filter(verification_status=status).count()
        for status in VerificationStatus
    }
    assert statuses[VerificationStatus.VERIFIED] >= 160
    assert statuses[VerificationStatus.PENDING] >= 5
    assert statuses[VerificationStatus.SUSPENDED] >= 2


def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    seed(seed=7)
    first = snapshot()

    seed(seed=7, reset=True)
    again = snapshot()
    seed(seed=8, reset=True)
    other = snapshot()

    assert again == first
    assert len(first[0]) == 200
    assert other[0] != first[0]
    assert other[1] != first[1]


def test_weekly_windows_are_valid_and_never_overlap_or_touch_on_a_weekday():
    seed()

    days = defaultdict(list)
    for window in WeeklyWindow.objects.all():
        days[window.provider_id, window.weekday].append((window.start_minute, window.end_minute))

    assert {provider for provider, _ in days} == set(Provider.objects.values_list("pk", flat=True))
    for windows in days.values():
        windows.sort()
        assert all(0 <= start < end <= 1440 for start, end in windows)
        assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(windows))
    working_days = defaultdict(set)
    for provider, weekday in days:
        working_days[provider].add(weekday)
    assert all(5 <= len(weekdays) <= 7 for weekdays in working_days.values())


def test_homes_lie_in_uttar_pradesh_near_a_real_pincode_of_their_district():
    seed()

    centroids = {}
    for provider in Provider.objects.select_related("district"):
        code = provider.district.code
        if code not in centroids:
            centroids[code] = [pincode_info(p) for p in district_pincodes(code)]
        assert 23.8 <= provider.home_lat <= 30.5 and 77.0 <= provider.home_lng <= 84.7
        nearest = min(
            distance_km(provider.home_lat, provider.home_lng, info.lat, info.lng)
            for info in centroids[code]
        )
        assert nearest <= 3.0, (provider.pk, code, nearest)
    assert len(centroids) >= 10  # spread over the big districts


def test_pincode_only_providers_list_their_pincodes():
    seed()

    pincode_only = Provider.objects.filter(service_radius_km=0)
    assert pincode_only.exists()
    for provider in pincode_only:
        assert 2 <= provider.service_pincodes.count() <= 6
    allowed = {p for code in {"LUCKNOW"} for p in district_pincodes(code)}
    lucknow = ServicePincode.objects.filter(provider__district__code="LUCKNOW")
    assert set(lucknow.values_list("pincode", flat=True)) <= allowed


def test_documents_hold_at_most_four_id_characters():
    seed()

    identity = Document.objects.filter(kind=DocumentKind.IDENTITY)
    assert identity.count() == 200
    assert set(identity.values_list("provider", flat=True)) == set(
        Provider.objects.values_list("pk", flat=True)
    )
    for document in Document.objects.all():
        assert len(document.last4) <= 4
        assert not re.search(r"\d{8}", document.reference)  # never a full ID number
        if document.kind == DocumentKind.IDENTITY:
            assert len(document.last4) == 4 and document.id_type


def test_police_verification_documents_for_police_required_categories():
    seed()

    needs_police = set(
        Offer.objects.filter(category__police_verification_required=True).values_list(
            "provider", flat=True
        )
    )
    police = Document.objects.filter(kind=DocumentKind.POLICE_VERIFICATION)

    assert needs_police
    assert set(police.values_list("provider", flat=True)) == needs_police
    today = timezone.localdate()
    lapsed = 0
    for document in police:
        assert re.fullmatch(r"UPPOL/20\d\d/\d{6}", document.reference)
        assert document.expires_on <= today + timedelta(days=731)
        lapsed += document.expires_on < today
    assert lapsed < len(needs_police) * 0.2


def test_leave_lies_in_the_next_sixty_days():
    seed()

    today = timezone.localdate()
    leaves = Leave.objects.all()
    assert leaves.exists()
    for leave in leaves:
        assert today < leave.starts_on <= leave.ends_on <= today + timedelta(days=60)


def test_refuses_to_seed_over_existing_providers_without_reset():
    seed(20)
    before = snapshot()

    with pytest.raises(CommandError, match="--reset"):
        seed(20, seed=1)

    assert snapshot() == before


def test_reset_replaces_the_providers_and_their_accounts():
    seed(30)

    seed(10, reset=True)

    assert Provider.objects.count() == 10
    assert User.objects.count() == 10 + len(DEMO_ACCOUNTS)


def test_demo_accounts_have_their_roles():
    output = seed(5, admin_password="s3cret-demo")

    for account in DEMO_ACCOUNTS:
        assert account.phone in output
        user = User.objects.get(phone=account.phone)
        grants = list(user.role_grants.select_related("district"))
        assert [(g.role, g.district.code if g.district else None) for g in grants] == [
            (account.role, account.district)
        ]
    admin = User.objects.get(phone="9999000001")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("s3cret-demo")
    officer = User.objects.get(phone="9999000002")
    assert officer.is_staff and not officer.is_superuser
    assert officer.role_grants.get().district.code == "LUCKNOW"
    for phone in ("9999000003", "9999000005", "9999000006"):
        citizen_or_agent = User.objects.get(phone=phone)
        assert not citizen_or_agent.is_staff and not citizen_or_agent.has_usable_password()


def test_seeded_service_areas_follow_the_rules_search_relies_on():
    seed()

    offers = Offer.objects.select_related("provider")
    assert all(
        (o.lat, o.lng, o.radius_km)
        == (o.provider.home_lat, o.provider.home_lng, o.provider.service_radius_km)
        for o in offers
    )
    for served in ServicePincode.objects.select_related("provider"):
        info = pincode_info(served.pincode)
        home = (served.provider.home_lat, served.provider.home_lng)
        assert distance_km(*home, info.lat, info.lng) <= settings.PROVIDER_MAX_RADIUS_KM


def test_the_demo_sevamitra_is_verified_bookable_and_found_near_gomti_nagar():
    output = seed(5, no_demo_provider=False)

    assert DEMO_PROVIDER.phone in output
    demo = Provider.objects.get(user__phone=DEMO_PROVIDER.phone)
    assert demo.is_bookable and demo.district.code == "LUCKNOW"
    assert sorted(demo.offers.values_list("category__slug", flat=True)) == [
        "electrician",
        "plumber",
    ]
    assert demo.weekly_windows.count() == 6
    assert demo.documents.get().last4 == "4821"
    # Government orders' invoices print the business address.
    assert (demo.business_pincode, demo.business_district.code) == ("226010", "LUCKNOW")
    assert set(demo.user.role_grants.values_list("role", flat=True)) == {Role.PROVIDER}
    seed(5, reset=True, no_demo_provider=False)  # a reset makes it again, once
    assert Provider.objects.filter(user__phone=DEMO_PROVIDER.phone).count() == 1
