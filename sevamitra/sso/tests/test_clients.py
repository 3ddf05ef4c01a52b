"""Registering a sibling portal: the service's rules, the management command (ID and secret
printed once, --if-missing for scripts), the scopes in the settings and in scopes.py, and the
sweep of expired tokens."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from oauth2_provider.models import AccessToken, Application, Grant
from oauth2_provider.settings import oauth2_settings

from sevamitra.accounts.errors import InvalidInput
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.audit.models import AuditEntry
from sevamitra.sso import clients, services
from sevamitra.sso.models import ClientPolicy, RedeemedCode
from sevamitra.sso.scopes import CLAIM_SCOPE, SCOPES, PortalScopes
from sevamitra.sso.tests.factories import portal_client

pytestmark = pytest.mark.django_db


def test_register_a_confidential_client():
    application, secret = portal_client(client_id="rojgar-sangam", scopes=["roles", "openid"])

    assert application.client_id == "rojgar-sangam"
    assert len(secret) >= 64
    # Hashed with the hasher for random secrets (cheap at the token endpoint), and it checks.
    assert application.client_secret.startswith("pbkdf2_sha256_client$5000$")
    assert check_password(secret, application.client_secret)
    assert (application.client_type, application.algorithm) == ("confidential", "RS256")
    assert application.sevamitra_policy.allowed_scopes == "openid roles"
    entry = AuditEntry.objects.get(action="sso.client_registered")
    assert (entry.actor_id, entry.actor_role, entry.object_id) == (
        None,
        "system",
        str(application.pk),
    )
    assert entry.after == {
        "client_type": "confidential",
        "redirect_uris": ["https://rojgar.example.in/oidc/callback"],
        "scopes": ["openid", "roles"],
    }
    assert secret not in str(entry.after)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"redirect_uris": ["http://portal.example.in/cb"]}, "https://"),
        ({"redirect_uris": ["ftp://portal.example.in/cb"]}, "not a valid web address"),
        ({"redirect_uris": ["https://user:pw@portal.example.in/cb"]}, "user name"),
        ({"redirect_uris": ["https://portal.example.in:99999/cb"]}, "not a valid address"),
        ({"scopes": ["profile"]}, "openid scope is required"),
        ({"scopes": ["openid", "email"]}, "Unknown scopes: email"),
        ({"client_id": "a b"}, "client ID is 3 to 100"),
        ({"name_hi": " "}, "in Hindi and in English"),
    ],
)
def test_register_refuses_bad_input(kwargs, words):
    with translation.override("en"), pytest.raises(InvalidInput, match=words):
        portal_client(**kwargs)

    assert not Application.objects.exists()
    assert not AuditEntry.objects.exists()


def test_http_only_to_this_computer_and_only_where_allowed(settings):
    assert clients.redirect_uri_problem("http://127.0.0.1:8001/cb") is None  # tests allow http
    assert clients.redirect_uri_problem("http://[::1]:8001/cb") is None
    assert clients.redirect_uri_problem("http://10.0.0.5/cb") is not None
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    }
    assert clients.redirect_uri_problem("http://127.0.0.1:8001/cb") is not None
    assert clients.redirect_uri_problem("https://portal.example.in/cb") is None


def test_a_client_id_is_registered_once():
    portal_client(client_id="same-id")

    with translation.override("en"), pytest.raises(InvalidInput, match="already registered"):
        portal_client(client_id="same-id", name_en="Other")

    assert Application.objects.count() == 1


def test_command_prints_id_and_secret_once():
    out = StringIO()

    call_command(
        "sso_client_add",
        "--name", "Sewayojan", "--name-hi", "सेवायोजन",
        "--redirect-uri", "https://sewayojan.example.in/cb",
        "--redirect-uri", "https://sewayojan.example.in/cb2",
        "--scopes", "openid profile",
        stdout=out,
    )  # fmt: skip

    application = Application.objects.get()
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines() if ": " in line)
    assert lines["client_id"] == application.client_id
    assert (
        application.redirect_uris
        == "https://sewayojan.example.in/cb https://sewayojan.example.in/cb2"
    )

    assert check_password(lines["client_secret"], application.client_secret)
    assert application.sevamitra_policy.name_hi == "सेवायोजन"


def test_command_if_missing_is_idempotent_and_public_clients_have_no_secret():
    args = [
        "sso_client_add", "--name", "Demo portal", "--name-hi", "डेमो पोर्टल",
        "--redirect-uri", "http://127.0.0.1:8001/callback", "--public",
        "--client-id", "demo-portal", "--if-missing",
    ]  # fmt: skip
    first, second = StringIO(), StringIO()

    call_command(*args, stdout=first)
    call_command(*args, stdout=second)

    assert "client_secret" not in first.getvalue()
    assert "Public client" in first.getvalue()
    assert second.getvalue().startswith("Already registered")
    assert Application.objects.get().client_type == "public"
    assert AuditEntry.objects.filter(action="sso.client_registered").count() == 1


def test_command_reports_bad_input():
    with pytest.raises(CommandError):
        call_command(
            "sso_client_add", "--name", "X", "--name-hi", "एक",
            "--redirect-uri", "http://portal.example.in/cb", stdout=StringIO(),
        )  # fmt: skip
    assert not ClientPolicy.objects.exists()


def test_scopes_in_the_settings_and_in_scopes_py_agree():
    assert list(oauth2_settings.SCOPES) == list(SCOPES)
    assert set(CLAIM_SCOPE.values()) == set(SCOPES)
    backend = PortalScopes()
    assert backend.get_available_scopes() == list(SCOPES)
    assert backend.get_default_scopes() == ["openid"]
    application, _secret = portal_client(scopes=["openid", "district"])
    assert backend.get_available_scopes(application=application) == ["openid", "district"]
    bare = Application.objects.create(
        name="no policy", client_type="public", authorization_grant_type="authorization-code"
    )
    assert backend.get_available_scopes(application=bare) == []


def test_prune_removes_what_has_expired():
    application, _secret = portal_client()
    user = UserFactory()
    now = timezone.now()
    Grant.objects.create(
        user=user, application=application, code="old", redirect_uri="https://x.example/cb",
        expires=now - dt.timedelta(minutes=5),
    )  # fmt: skip
    AccessToken.objects.create(
        user=user, application=application, token="old", expires=now - dt.timedelta(days=40)
    )
    live = AccessToken.objects.create(
        user=user, application=application, token="live", expires=now + dt.timedelta(minutes=5)
    )
    RedeemedCode.objects.create(
        code_hash="a" * 64, application=application, user=user,
        redeemed_at=now - dt.timedelta(days=40),
    )  # fmt: skip
    recent = RedeemedCode.objects.create(code_hash="b" * 64, application=application, user=user)

    assert services.tokens_prune(now=now) == 1

    assert list(AccessToken.objects.all()) == [live]
    assert not Grant.objects.exists()
    assert list(RedeemedCode.objects.all()) == [recent]


def test_deploy_checks(settings):
    from sevamitra.sso.checks import oidc_deploy

    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_ISS_ENDPOINT": "",
        "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    }
    assert oidc_deploy(None) == []
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_ISS_ENDPOINT": "http://sevamitra.up.gov.in/o",
        "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"],
    }
    ids = [m.id for m in oidc_deploy(None)]
    assert ids == ["sso.E001", "sso.W001"]
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_ISS_ENDPOINT": "https://sevamitra.up.gov.in",
        "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    }
    assert oidc_deploy(None) == []
