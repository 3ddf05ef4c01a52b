"""The providers back office: each role sees and changes only what it may."""

import pytest
from django.urls import reverse

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.providers.models import VerificationStatus
from sevamitra.providers.tests.factories import ProviderFactory, district

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:providers_provider_changelist")


@pytest.fixture
def lucknow_provider():
    return ProviderFactory(
        name_latin="Lucknow Provider", verification_status=VerificationStatus.PENDING
    )


@pytest.fixture
def kanpur_provider():
    return ProviderFactory(name_latin="Kanpur Provider", district=district("KANPUR NAGAR"))


def change_url(provider):
    return reverse("admin:providers_provider_change", args=[provider.pk])


def listed(client) -> set[str]:
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    return {p.name_latin for p in response.context["cl"].result_list}


def test_district_officer_sees_only_their_district(client, lucknow_provider, kanpur_provider):
    client.force_login(user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW")))
    assert listed(client) == {"Lucknow Provider"}
    assert client.get(change_url(kanpur_provider)).status_code == 302  # not found → index
    assert client.get(change_url(lucknow_provider)).status_code == 200


def test_new_providers_are_approved_on_the_verification_page_not_by_an_action(
    client, lucknow_provider
):
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW"))
    client.force_login(officer)
    response = client.get(CHANGELIST)
    assert "verify" not in dict(response.context["action_form"].fields["action"].choices)
    link = reverse("verification:provider", args=[lucknow_provider.pk])
    assert f'href="{link}"' in response.content.decode()
    client.post(CHANGELIST, {"action": "verify", "_selected_action": [lucknow_provider.pk]})
    lucknow_provider.refresh_from_db()
    assert lucknow_provider.verification_status == VerificationStatus.PENDING


def test_reinstating_undoes_a_suspension_only(client, lucknow_provider):
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW"))
    suspended = ProviderFactory(verification_status=VerificationStatus.SUSPENDED)
    client.force_login(officer)
    response = client.post(
        CHANGELIST,
        {"action": "reinstate", "_selected_action": [lucknow_provider.pk, suspended.pk]},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any("सत्यापन पेज पर मंज़ूर करें" in m for m in shown)
    lucknow_provider.refresh_from_db()
    suspended.refresh_from_db()
    assert lucknow_provider.verification_status == VerificationStatus.PENDING
    assert suspended.verification_status == VerificationStatus.VERIFIED
    assert suspended.status_changed_by == officer


def test_district_officer_suspends_through_the_action(client):
    provider = ProviderFactory()
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW"))
    client.force_login(officer)
    response = client.post(CHANGELIST, {"action": "suspend", "_selected_action": [provider.pk]})
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED
    assert provider.status_reason == "ज़िला कार्यालय द्वारा निलंबित।"


def test_administrator_sees_every_district(client, lucknow_provider, kanpur_provider):
    client.force_login(user_with_roles(Role.ADMINISTRATOR))
    assert listed(client) == {"Lucknow Provider", "Kanpur Provider"}


def test_auditor_sees_all_and_changes_nothing(client, lucknow_provider, kanpur_provider):
    client.force_login(user_with_roles(Role.AUDITOR))
    assert listed(client) == {"Lucknow Provider", "Kanpur Provider"}
    link = reverse("verification:provider", args=[lucknow_provider.pk])
    assert link not in client.get(CHANGELIST).content.decode()
    client.post(CHANGELIST, {"action": "suspend", "_selected_action": [lucknow_provider.pk]})
    lucknow_provider.refresh_from_db()
    assert lucknow_provider.verification_status == VerificationStatus.PENDING
    response = client.post(change_url(lucknow_provider), {"name_hi": "बदला", "name_latin": "x"})
    assert response.status_code == 403
    lucknow_provider.refresh_from_db()
    assert lucknow_provider.name_latin == "Lucknow Provider"


@pytest.mark.parametrize("role", [Role.AGENT, Role.DEPARTMENT_OFFICER, Role.CITIZEN])
def test_other_roles_have_no_providers_admin(client, lucknow_provider, role):
    user = user_with_roles(role)
    user.is_staff = True  # even with back-office access
    user.save()
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 403


def test_admin_search_by_phone_and_pincode(client, lucknow_provider):
    client.force_login(user_with_roles(Role.ADMINISTRATOR))
    response = client.get(CHANGELIST, {"q": lucknow_provider.user.phone})
    assert [p.pk for p in response.context["cl"].result_list] == [lucknow_provider.pk]


def test_the_officer_opens_the_uploaded_certificate_from_the_provider_page(
    client, lucknow_provider
):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from sevamitra.providers.services import document_add_police_verification

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    document = document_add_police_verification(
        provider=lucknow_provider,
        reference="UPP/2026/123",
        expires_on=dt.date(2027, 12, 31),
        file=SimpleUploadedFile("cert.pdf", pdf, content_type="application/pdf"),
        acting_user=lucknow_provider.user,
    )
    client.force_login(user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW")))
    page = client.get(change_url(lucknow_provider)).content.decode()
    link = reverse("providers:document_file", args=[document.pk])
    assert f'href="{link}"' in page
    assert client.get(link).status_code == 200


def test_the_officer_sees_a_providers_offers_hours_and_documents_but_cannot_edit_them(
    client, lucknow_provider
):
    from sevamitra.providers.services import document_add_identity

    document_add_identity(
        provider=lucknow_provider,
        id_type="voter_id",
        last4="4821",
        acting_user=lucknow_provider.user,
    )
    client.force_login(user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW")))
    response = client.get(change_url(lucknow_provider))
    formsets = {f.formset.prefix: f for f in response.context["inline_admin_formsets"]}
    assert {"offers", "documents", "weekly_windows"} <= set(formsets)
    documents = formsets["documents"]
    assert documents.has_view_permission and not documents.has_change_permission
    assert "4821" in response.content.decode()
