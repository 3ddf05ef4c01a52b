"""The Sevamitra's business address (printed on government-order invoices): set on their own
page, the pincode checked against Uttar Pradesh's and the district derived from it, audited;
shown on the profile and in the back office."""

import pytest
from django.urls import reverse

from sevamitra.accounts.errors import NotPermitted
from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.core.errors import DomainError
from sevamitra.providers import services
from sevamitra.providers.models import Provider
from sevamitra.providers.tests.factories import ProviderFactory, district

pytestmark = pytest.mark.django_db
URL = reverse("providers:address")
ADDRESS = {"line1": "12 Rani Katra", "line2": "", "locality": "Chowk", "pincode": "226003"}


def _address(provider: Provider) -> tuple:
    provider = Provider.objects.get(pk=provider.pk)
    return (
        provider.business_line1,
        provider.business_line2,
        provider.business_locality,
        provider.business_pincode,
        provider.business_district_id,
    )


def test_set_derives_the_district_and_audits_without_the_address():
    provider = ProviderFactory()
    assert not provider.has_business_address
    services.provider_business_address_set(
        provider=provider,
        line1="  12,  Rani Katra ",
        line2="Near Chowk Kotwali",
        locality="Chowk",
        pincode="२२६००३",  # Devanagari digits, as a phone keyboard may type them
        acting_user=provider.user,
    )
    lucknow = district("LUCKNOW")
    assert _address(provider) == (
        "12, Rani Katra",
        "Near Chowk Kotwali",
        "Chowk",
        "226003",
        lucknow.pk,
    )
    provider.refresh_from_db()
    assert provider.business_address_lines("en") == [
        "12, Rani Katra",
        "Near Chowk Kotwali",
        "Chowk",
        f"{lucknow.name_en} – 226003",
        "Uttar Pradesh",
    ]
    entry = AuditEntry.objects.get(action="provider.business_address_set")
    assert entry.object_id == str(provider.pk)
    assert entry.before == {"business_district_id": None, "had_address": False}
    assert entry.after == {"business_district_id": lucknow.pk, "address_changed": True}
    assert "Rani Katra" not in str(entry.after)


def test_setting_the_same_address_again_writes_nothing():
    provider = ProviderFactory()
    services.provider_business_address_set(provider=provider, acting_user=provider.user, **ADDRESS)
    services.provider_business_address_set(provider=provider, acting_user=provider.user, **ADDRESS)
    assert AuditEntry.objects.filter(action="provider.business_address_set").count() == 1


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"pincode": "999999"}, "unknown_pincode", "pincode"),
        ({"pincode": "2260"}, "unknown_pincode", "pincode"),
        ({"pincode": "110001"}, "outside_state", "pincode"),  # New Delhi
        ({"line1": "  "}, "required", "line1"),
        ({"locality": ""}, "required", "locality"),
        ({"line2": "x" * 201}, "too_long", "line2"),
        ({"line1": "Aadhaar 2345 6789 0124"}, "aadhaar_number", "line1"),
    ],
)
def test_bad_addresses_are_refused_and_nothing_changes(changes, code, field):
    provider = ProviderFactory()
    services.provider_business_address_set(provider=provider, acting_user=provider.user, **ADDRESS)
    before = _address(provider)
    with pytest.raises(DomainError) as refused:
        services.provider_business_address_set(
            provider=provider, acting_user=provider.user, **{**ADDRESS, **changes}
        )
    assert (refused.value.code, refused.value.field) == (code, field)
    assert _address(provider) == before
    assert AuditEntry.objects.filter(action="provider.business_address_set").count() == 1


def test_only_the_sevamitra_or_an_administrator_sets_it():
    provider = ProviderFactory()
    with pytest.raises(NotPermitted):
        services.provider_business_address_set(
            provider=provider, acting_user=UserFactory(), **ADDRESS
        )
    with pytest.raises(NotPermitted):
        services.provider_business_address_set(
            provider=provider,
            acting_user=user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW")),
            **ADDRESS,
        )
    assert not Provider.objects.get(pk=provider.pk).has_business_address


# --- Pages ----------------------------------------------------------------------------------


def test_the_page_saves_and_the_profile_shows_it(client):
    provider = ProviderFactory()
    client.force_login(provider.user)
    client.cookies["django_language"] = "en"
    profile = client.get(reverse("providers:profile")).content.decode()
    assert "Not given yet. Invoices for government orders need it." in profile
    assert URL in profile
    page = client.get(URL)
    assert page.status_code == 200
    assert "No business address on record yet" in page.content.decode()

    response = client.post(URL, {**ADDRESS, "line2": "Near Chowk Kotwali"})
    assert response.status_code == 302
    assert response["Location"] == reverse("providers:profile")
    profile = client.get(reverse("providers:profile")).content.decode()
    assert "12 Rani Katra<br>Near Chowk Kotwali<br>Chowk<br>Lucknow – 226003" in profile
    assert "Change the business address" in profile
    assert 'value="12 Rani Katra"' in client.get(URL).content.decode()


def test_the_page_returns_to_the_invoices_when_asked_and_nowhere_else(client):
    provider = ProviderFactory()
    client.force_login(provider.user)
    response = client.post(f"{URL}?next=invoices", ADDRESS)
    assert response["Location"] == reverse("invoicing:mine")
    response = client.post(f"{URL}?next=https://example.com/", {**ADDRESS, "locality": "Aminabad"})
    assert response["Location"] == reverse("providers:profile")


def test_the_page_shows_what_is_wrong(client):
    provider = ProviderFactory()
    client.force_login(provider.user)
    client.cookies["django_language"] = "en"
    response = client.post(URL, {**ADDRESS, "pincode": "110001"})
    assert response.status_code == 400
    assert (
        "This pincode is not in Uttar Pradesh. The business address must be in the state."
        in response.content.decode()
    )
    assert not Provider.objects.get(pk=provider.pk).has_business_address


def test_someone_not_registered_is_sent_to_register(client):
    client.force_login(UserFactory())
    assert client.get(URL)["Location"] == reverse("providers:register")


def test_the_back_office_shows_the_address_and_does_not_edit_it(client):
    provider = ProviderFactory()
    services.provider_business_address_set(provider=provider, acting_user=provider.user, **ADDRESS)
    client.force_login(user_with_roles(Role.ADMINISTRATOR))
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin:providers_provider_change", args=[provider.pk]))
    html = page.content.decode()
    assert "12 Rani Katra, Chowk, Lucknow – 226003, Uttar Pradesh" in html
    assert 'name="business_line1"' not in html
