"""The consent rules: given the first time, widened when a portal asks for more, seen and
withdrawn on /my/connected-portals/ (withdrawal revokes the portal's tokens), only by the
person themselves, each change audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from sevamitra.accounts.errors import InvalidInput
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.audit.models import AuditEntry
from sevamitra.core.errors import DomainError, PermissionDenied
from sevamitra.sso import services
from sevamitra.sso.models import Consent
from sevamitra.sso.selectors import consent_active
from sevamitra.sso.tests.factories import portal_client

pytestmark = pytest.mark.django_db
URL = "/my/connected-portals/"


@pytest.fixture
def app():
    return portal_client(scopes=["openid", "profile", "phone"])[0]


@pytest.fixture
def user():
    return UserFactory(preferred_language="hi")


def _tokens(user, application) -> tuple[AccessToken, RefreshToken]:
    access = AccessToken.objects.create(
        user=user,
        application=application,
        token="a-" + str(user.pk),
        expires=timezone.now() + dt.timedelta(minutes=10),
        scope="openid profile",
    )
    refresh = RefreshToken.objects.create(
        user=user, application=application, token="r-" + str(user.pk), access_token=access
    )
    Grant.objects.create(
        user=user,
        application=application,
        code="c-" + str(user.pk),
        expires=timezone.now() + dt.timedelta(seconds=60),
        redirect_uri=application.redirect_uris,
        scope="openid",
    )
    return access, refresh


def test_first_consent_is_recorded_and_audited(user, app):
    consent = services.consent_grant(
        user=user, application=app, scopes=["profile", "openid"], acting_user=user
    )

    assert (consent.scopes, consent.withdrawn_at) == ("openid profile", None)
    entry = AuditEntry.objects.get(action="sso.consent_granted")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        user.pk,
        "sso.consent",
        str(consent.pk),
    )
    assert entry.after == {"application": app.pk, "scopes": ["openid", "profile"]}


def test_consent_widens_and_the_same_scopes_change_nothing(user, app):
    services.consent_grant(user=user, application=app, scopes=["openid", "phone"], acting_user=user)
    services.consent_grant(user=user, application=app, scopes=["openid"], acting_user=user)
    services.consent_grant(
        user=user, application=app, scopes=["openid", "profile"], acting_user=user
    )

    assert Consent.objects.get().scopes == "openid profile phone"
    entries = AuditEntry.objects.filter(action="sso.consent_granted").order_by("seq")
    assert [(e.before, e.after["scopes"]) for e in entries] == [
        (None, ["openid", "phone"]),
        ({"scopes": ["openid", "phone"]}, ["openid", "profile", "phone"]),
    ]


@pytest.mark.parametrize(
    "scopes", [["openid", "roles"], ["profile"], [], ["openid", "email"]], ids=str
)
def test_consent_only_to_what_the_portal_may_ask(user, app, scopes):
    with pytest.raises(InvalidInput):
        services.consent_grant(user=user, application=app, scopes=scopes, acting_user=user)

    assert not Consent.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="sso.consent").exists()


def test_nobody_consents_for_someone_else(user, app):
    with pytest.raises(PermissionDenied):
        services.consent_grant(
            user=user, application=app, scopes=["openid"], acting_user=UserFactory()
        )

    assert not Consent.objects.exists()


def test_withdrawal_revokes_the_portals_tokens_only(user, app):
    other_app = portal_client(name_en="Other", redirect_uris=["https://other.example/cb"])[0]
    consent = services.consent_grant(
        user=user, application=app, scopes=["openid"], acting_user=user
    )
    _tokens(user, app)
    kept_access, _kept_refresh = _tokens(UserFactory(), app)  # someone else's
    elsewhere = AccessToken.objects.create(
        user=user,
        application=other_app,
        token="elsewhere",
        expires=timezone.now() + dt.timedelta(minutes=10),
    )

    revoked = services.consent_withdraw(consent=consent, acting_user=user)

    assert revoked == 2  # the access and the refresh token
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent_active(user=user, application=app) is None
    assert not AccessToken.objects.filter(user=user, application=app).exists()
    assert not Grant.objects.filter(user=user, application=app).exists()
    assert RefreshToken.objects.get(user=user, application=app).revoked is not None
    assert set(AccessToken.objects.values_list("pk", flat=True)) == {kept_access.pk, elsewhere.pk}
    entry = AuditEntry.objects.get(action="sso.consent_withdrawn")
    assert (entry.actor_id, entry.object_id) == (user.pk, str(consent.pk))
    assert entry.before == {"scopes": ["openid"]}
    assert entry.after == {"application": app.pk, "tokens_revoked": 2}


def test_withdrawn_twice_or_by_someone_else_is_refused(user, app):
    consent = services.consent_grant(
        user=user, application=app, scopes=["openid"], acting_user=user
    )
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(consent=consent, acting_user=UserFactory())
    assert Consent.objects.get().withdrawn_at is None

    services.consent_withdraw(consent=consent, acting_user=user)
    with pytest.raises(DomainError):
        services.consent_withdraw(consent=consent, acting_user=user)
    assert AuditEntry.objects.filter(action="sso.consent_withdrawn").count() == 1


def test_consent_after_withdrawal_is_a_new_record(user, app):
    first = services.consent_grant(user=user, application=app, scopes=["openid"], acting_user=user)
    services.consent_withdraw(consent=first, acting_user=user)

    second = services.consent_grant(user=user, application=app, scopes=["openid"], acting_user=user)

    assert second.pk != first.pk
    assert Consent.objects.filter(withdrawn_at__isnull=True).get() == second


# --- The page ----------------------------------------------------------------------------------


def test_page_needs_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/?next=")


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("hi", ["रोज़गार संगम", '<span lang="en">Rojgar Sangam</span>', "वापस लें"]),
        ("en", ["Rojgar Sangam", '<span lang="hi">रोज़गार संगम</span>', "Withdraw"]),
    ],
)
def test_page_lists_the_portals_and_what_they_get(client, user, app, language, texts):
    services.consent_grant(user=user, application=app, scopes=["openid", "phone"], acting_user=user)
    stranger = UserFactory()
    services.consent_grant(user=stranger, application=app, scopes=["openid"], acting_user=stranger)
    client.force_login(user)
    client.cookies["django_language"] = language

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    for text in texts:
        assert text in html
    assert html.count("/withdraw/") == 1  # only the person's own
    assert response["Cache-Control"].startswith("max-age=0")


def test_page_without_consents(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"

    html = client.get(URL).content.decode()

    assert "You have not allowed any other portal" in html


def test_withdraw_over_http(client, user, app):
    consent = services.consent_grant(
        user=user, application=app, scopes=["openid"], acting_user=user
    )
    access, _refresh = _tokens(user, app)
    client.force_login(user)
    client.cookies["django_language"] = "en"

    response = client.post(f"{URL}{consent.pk}/withdraw/", follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Rojgar Sangam can no longer use your Sevamitra sign-in" in response.content.decode()
    assert not AccessToken.objects.filter(pk=access.pk).exists()
    assert Consent.objects.get().withdrawn_at is not None


def test_withdraw_someone_elses_consent_is_not_found(client, user, app):
    stranger = UserFactory()
    consent = services.consent_grant(
        user=stranger, application=app, scopes=["openid"], acting_user=stranger
    )
    client.force_login(user)

    assert client.post(f"{URL}{consent.pk}/withdraw/").status_code == 404
    assert client.get(f"{URL}{consent.pk}/withdraw/").status_code == 405
    assert Consent.objects.get().withdrawn_at is None
    assert not AuditEntry.objects.filter(action="sso.consent_withdrawn").exists()


def test_page_query_count(client, user, app, django_assert_max_num_queries):
    for n in range(3):
        other = portal_client(name_en=f"Portal {n}", redirect_uris=[f"https://p{n}.example/cb"])[0]
        services.consent_grant(user=user, application=other, scopes=["openid"], acting_user=user)
    client.force_login(user)

    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
