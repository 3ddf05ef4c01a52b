"""What the provider services write into the audit trail: the change, before and after, and
never a name, a place, an ID number or the provider's own words."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.badges import services as badges
from sevamitra.core.errors import DomainError
from sevamitra.providers import services
from sevamitra.providers.tests.factories import LUCKNOW, ProviderFactory, category, district

pytestmark = pytest.mark.django_db


def entry(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


def no_personal_data(*entries: AuditEntry, words: tuple[str, ...]) -> None:
    text = json.dumps([[e.before, e.after] for e in entries], ensure_ascii=False)
    for word in words:
        assert word not in text


@pytest.fixture
def provider():
    return ProviderFactory(offers=[("plumber", "300", "50")])


def test_registration_records_references_and_choices_not_the_person():
    user = UserFactory()
    provider = services.provider_register(
        user=user,
        name_hi="रमेश कुमार",
        name_latin="Ramesh Kumar",
        district=district("LUCKNOW"),
        home_lat=LUCKNOW[0],
        home_lng=LUCKNOW[1],
        service_radius_km=8,
        pincodes_served=["226001"],
        gender="male",
        acting_user=user,
    )
    registered = entry("provider.registered")
    assert registered.actor_id == user.pk
    assert registered.object_type == "providers.provider"
    assert registered.object_id == str(provider.pk)
    assert registered.before is None
    assert registered.after == {
        "user_id": user.pk,
        "district_id": provider.district_id,
        "service_radius_km": 8,
        "languages": ["hi"],
        "experience_years": 0,
        "verification_status": "pending",
        "pincodes_served": ["226001"],
    }
    no_personal_data(registered, words=("Ramesh", "रमेश", str(LUCKNOW[0]), "male"))


def test_a_price_change_records_the_price_and_visiting_charge_before_and_after(provider):
    offer = services.offer_set(
        provider=provider,
        category=category("plumber"),
        price=Decimal("450"),
        visiting_charge=Decimal("80"),
        acting_user=provider.user,
    )
    changed = entry("offer.set")
    assert (changed.object_type, changed.object_id) == ("providers.offer", str(offer.pk))
    assert changed.before == {"price": "300.00", "visiting_charge": "50.00"}
    assert changed.after == {"price": "450.00", "visiting_charge": "80.00"}


def test_a_new_offer_records_what_was_offered(provider):
    offer = services.offer_set(
        provider=provider,
        category=category("electrician"),
        price=Decimal("250"),
        acting_user=provider.user,
    )
    created = entry("offer.set")
    assert created.before is None
    assert created.after == {
        "provider_id": provider.pk,
        "category_id": offer.category_id,
        "price": "250.00",
        "visiting_charge": "0.00",
        "is_active": True,
    }


def test_a_refused_price_writes_nothing(provider):
    with pytest.raises(DomainError):
        services.offer_set(
            provider=provider,
            category=category("plumber"),
            price=Decimal("0"),
            acting_user=provider.user,
        )
    assert not AuditEntry.objects.filter(action="offer.set").exists()


def test_terms_record_numbers_and_only_that_the_included_text_changed(provider):
    services.provider_set_terms(
        provider=provider,
        free_cancellation_hours=6,
        cancellation_fee=Decimal("75"),
        included="नल की मरम्मत",
        acting_user=provider.user,
    )
    terms = entry("provider.terms_changed")
    assert terms.before == {"free_cancellation_hours": 2, "cancellation_fee": "0.00"}
    assert terms.after == {
        "free_cancellation_hours": 6,
        "cancellation_fee": "75.00",
        "included_changed": True,
    }


def test_the_area_records_radius_and_pincodes_not_the_home(provider):
    services.provider_set_service_area(
        provider=provider,
        home_lat=LUCKNOW[0] + 0.01,
        home_lng=LUCKNOW[1],
        service_radius_km=4,
        pincodes_served=["226001"],
        acting_user=provider.user,
    )
    area = entry("provider.area_changed")
    assert area.before == {"service_radius_km": 10, "pincodes_served": []}
    assert area.after == {
        "service_radius_km": 4,
        "pincodes_served": ["226001"],
        "home_moved": True,
    }


def test_hours_and_leave(provider):
    services.provider_set_weekly_availability(
        provider=provider, windows=[(0, 540, 720), (0, 700, 900)], acting_user=provider.user
    )
    hours = entry("provider.hours_changed")
    assert hours.before["windows"][0] == [0, 480, 1200]
    assert hours.after == {"windows": [[0, 540, 900]]}

    start = timezone.localdate() + dt.timedelta(days=5)
    leave = services.leave_add(
        provider=provider,
        starts_on=start,
        ends_on=start,
        reason="बेटी की शादी",
        acting_user=provider.user,
    )
    leave_id = leave.pk
    services.leave_cancel(leave=leave, acting_user=provider.user)
    added, cancelled = entry("leave.added"), entry("leave.cancelled")
    assert added.after == {
        "provider_id": provider.pk,
        "starts_on": start.isoformat(),
        "ends_on": start.isoformat(),
    }
    assert (cancelled.object_type, cancelled.object_id) == ("providers.leave", str(leave_id))
    assert cancelled.before == added.after and cancelled.after is None
    no_personal_data(added, cancelled, words=("शादी",))


def test_documents_record_their_kind_not_their_numbers(provider):
    services.document_add_identity(
        provider=provider, id_type="aadhaar", last4="9012", acting_user=provider.user
    )
    until = timezone.localdate() + dt.timedelta(days=90)
    services.document_add_police_verification(
        provider=provider, reference="UPPOL/LKO/77", expires_on=until, acting_user=provider.user
    )
    identity, police = AuditEntry.objects.filter(action="document.added").order_by("seq")
    assert identity.after == {"provider_id": provider.pk, "kind": "identity", "id_type": "aadhaar"}
    assert police.after == {
        "provider_id": provider.pk,
        "kind": "police",
        "expires_on": until.isoformat(),
        "has_file": False,
    }
    no_personal_data(identity, police, words=("9012", "UPPOL"))


def test_the_profile_records_that_names_changed_not_the_names(provider):
    services.provider_update_profile(
        provider=provider,
        name_hi="सुनीता कुमारी",
        name_latin="Sunita Kumari",
        gender="female",
        languages=["hi", "bho"],
        experience_years=9,
        acting_user=provider.user,
    )
    profile = entry("provider.profile_changed")
    assert profile.before == {"languages": [], "experience_years": 0}
    assert profile.after == {
        "languages": ["hi", "bho"],
        "experience_years": 9,
        "name_changed": True,
        "photo_changed": False,
    }
    no_personal_data(profile, words=("Sunita", "सुनीता", "female"))


def test_badge_and_uniform_issue_are_recorded(provider):
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=provider.district)
    first = badges.badge_issue(provider=provider, acting_user=officer)
    second = badges.badge_issue(provider=provider, acting_user=officer)
    issued = AuditEntry.objects.filter(action="badge.issued").latest("seq")
    assert issued.actor_id == officer.pk
    assert (issued.object_type, issued.object_id) == ("badges.badge", str(second.pk))
    assert issued.after == {
        "provider_id": provider.pk,
        "issued_on": second.issued_on.isoformat(),
        "valid_until": second.valid_until.isoformat(),
        "replaced_badge_ids": [first.pk],
    }
    uniform = badges.uniform_issue(
        provider=provider, tshirt_size="XL", cap_size="free", acting_user=officer
    )
    recorded = entry("uniform.issued")
    assert (recorded.object_type, recorded.object_id) == ("badges.uniformissue", str(uniform.pk))
    assert recorded.after == {
        "provider_id": provider.pk,
        "tshirt_size": "XL",
        "cap_size": "free",
        "issued_on": uniform.issued_on.isoformat(),
    }
