"""The back office's sibling portals: administrators register and change them (the policy
inline with its allowed scopes), other back-office roles only look; every change audited and
no secret in the audit trail."""

from __future__ import annotations

import pytest
from oauth2_provider.models import Application

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.sso.models import ClientPolicy
from sevamitra.sso.tests.factories import portal_client

pytestmark = pytest.mark.django_db
ADD = "/admin/oauth2_provider/application/add/"
SECRET = "s3cret-for-the-admin-test-0123456789-abcdefghij"


def _data(**overrides) -> dict:
    data = {
        "name": "Sewayojan",
        "client_id": "sewayojan",
        "client_type": "confidential",
        "redirect_uris": "https://sewayojan.example.in/oidc/callback",
        "client_secret": SECRET,
        "sevamitra_policy-TOTAL_FORMS": "1",
        "sevamitra_policy-INITIAL_FORMS": "0",
        "sevamitra_policy-MIN_NUM_FORMS": "1",
        "sevamitra_policy-MAX_NUM_FORMS": "1",
        "sevamitra_policy-0-name_hi": "सेवायोजन",
        "sevamitra_policy-0-name_en": "Sewayojan",
        "sevamitra_policy-0-allowed_scopes": ["openid", "profile"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def administrator(client):
    user = user_with_roles(Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def test_administrator_registers_a_portal(client, administrator):
    response = client.post(ADD, _data())

    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.get(client_id="sewayojan")
    assert (application.authorization_grant_type, application.algorithm) == (
        "authorization-code",
        "RS256",
    )
    assert application.skip_authorization is False
    assert application.client_secret.startswith("pbkdf2_sha256_client$5000$")  # stored hashed
    policy = ClientPolicy.objects.get(application=application)
    assert (policy.name_hi, policy.name_en, policy.allowed_scopes) == (
        "सेवायोजन",
        "Sewayojan",
        "openid profile",
    )
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", "actor_id"))
    assert actions == [
        ("application.created_in_admin", administrator.pk),
        ("clientpolicy.created_in_admin", administrator.pk),
    ]
    assert SECRET not in str(list(AuditEntry.objects.values_list("after", flat=True)))
    assert "client_secret" not in AuditEntry.objects.first().after


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"redirect_uris": "http://sewayojan.example.in/cb"}, "must use https://"),
        ({"redirect_uris": "https://sewayojan.example.in/cb#x"}, "#fragment"),
        ({"sevamitra_policy-0-allowed_scopes": ["profile"]}, "openid scope is required"),
        ({"sevamitra_policy-0-name_hi": ""}, "This field is required"),
        ({"client_secret": "sewayojan2026"}, "at least 40 characters"),
    ],
)
def test_bad_registrations_are_refused(client, administrator, overrides, message):
    client.cookies["django_language"] = "en"

    response = client.post(ADD, _data(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Application.objects.exists()
    assert not AuditEntry.objects.exists()


def test_changing_the_allowed_scopes_is_audited(client, administrator):
    application, _secret = portal_client(scopes=["openid", "profile"])
    policy = application.sevamitra_policy
    url = f"/admin/oauth2_provider/application/{application.pk}/change/"
    data = _data(
        name=application.name,
        client_id=application.client_id,
        redirect_uris=application.redirect_uris,
        client_secret=application.client_secret,
        **{
            "sevamitra_policy-INITIAL_FORMS": "1",
            "sevamitra_policy-0-id": str(policy.pk),
            "sevamitra_policy-0-application": str(application.pk),
            "sevamitra_policy-0-name_hi": policy.name_hi,
            "sevamitra_policy-0-name_en": policy.name_en,
            "sevamitra_policy-0-allowed_scopes": ["openid", "profile", "roles"],
        },
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    policy.refresh_from_db()
    assert policy.allowed_scopes == "openid profile roles"
    entry = AuditEntry.objects.get(action="clientpolicy.changed_in_admin")
    assert (entry.before, entry.after) == (
        {"allowed_scopes": "openid profile"},
        {"allowed_scopes": "openid profile roles"},
    )
    assert not AuditEntry.objects.filter(action="application.changed_in_admin").exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.DISTRICT_OFFICER])
def test_other_back_office_roles_only_look(client, role):
    client.force_login(user_with_roles(role))
    application, _secret = portal_client()

    assert client.get("/admin/oauth2_provider/application/").status_code == 200
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, _data()).status_code == 403
    change = f"/admin/oauth2_provider/application/{application.pk}/change/"
    assert client.post(change, _data()).status_code == 403
    assert Application.objects.count() == 1


def test_a_citizen_has_no_back_office(client):
    client.force_login(user_with_roles(Role.CITIZEN))

    assert client.get("/admin/oauth2_provider/application/").status_code == 302
