"""The work-history record: its claims against a hand-built Sevamitra, and its signature checked
with jwcrypto against the JWKS the portal publishes."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jws

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.badges.tests.factories import issued_badge
from sevamitra.bookings.models import BookingStatus, Rating, RatingDirection
from sevamitra.employment import selectors
from sevamitra.employment.tests.conftest import NUMBER
from sevamitra.grievances.tests.factories import new_booking
from sevamitra.providers.tests.factories import ProviderFactory, offer_for, police_document

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 6, 30, tzinfo=dt.UTC)


def ist(day: str, hhmm: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T{hhmm}"))


@pytest.fixture
def worker(link):
    """A verified electrician and cook (no police certificate: the cook offer is not vouched
    for) with two completed jobs rated 5 and 4, a cancelled one, one still ahead, and an ID
    badge."""
    provider = ProviderFactory(
        user=link.user,
        verified_on=dt.date(2026, 1, 10),
        offers=[("electrician", "300", "50")],
    )
    offer_for(provider, "cook", "9000", "0")
    customer = UserFactory()
    first = new_booking(provider, customer, starts_at=ist("2026-02-03", "10:00"))
    second = new_booking(
        provider, customer, starts_at=ist("2026-04-20", "23:30"), status=BookingStatus.RATED
    )
    new_booking(provider, customer, starts_at=ist("2026-05-01", "10:00"), status="cancelled")
    new_booking(provider, customer, starts_at=ist("2026-07-01", "10:00"), status="confirmed")
    for booking, stars, direction in [
        (first, 5, RatingDirection.CUSTOMER_RATES_PROVIDER),
        (second, 4, RatingDirection.CUSTOMER_RATES_PROVIDER),
        (first, 1, RatingDirection.PROVIDER_RATES_CUSTOMER),  # the Sevamitra's own: not theirs
    ]:
        Rating.objects.create(booking=booking, stars=stars, direction=direction, text="Neat")
    badge = issued_badge(provider)
    return provider, badge


def test_the_record_holds_exactly_the_persons_own_work(worker, settings):
    settings.OIDC_ISSUER = "https://sevamitra.up.gov.in/"
    provider, badge = worker
    claims = selectors.work_history_record(provider.user, now=NOW)
    assert claims == {
        "iss": "https://sevamitra.up.gov.in",
        "sub": str(provider.user.pk),
        "aud": "sewayojan",
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + dt.timedelta(days=180)).timestamp()),
        "registration_number": NUMBER,
        "completed_jobs": 2,
        "first_completed_on": "2026-02-03",
        "last_completed_on": "2026-04-21",  # 23:30 + 1 hour, in India
        "rating": {"average": 4.5, "count": 2},
        "verified_categories": [
            {"code": "electrician", "name_en": "Electrician", "name_hi": "इलेक्ट्रीशियन"}
        ],
        "verification_status": "verified",
        "verified_on": "2026-01-10",
        "badge_number": badge.number,
    }
    # No customer, no address, no review text, no mobile number.
    text = json.dumps(claims, ensure_ascii=False)
    for personal in ("Vipin Khand", "226010", "Neat", provider.user.phone, "Test User"):
        assert personal not in text


def test_a_police_certificate_in_date_vouches_for_the_cook_offer(worker):
    provider, _badge = worker
    police_document(provider, timezone.localdate() + dt.timedelta(days=30))
    claims = selectors.work_history_record(provider.user, now=NOW)
    assert [c["code"] for c in claims["verified_categories"]] == ["electrician", "cook"]


def test_a_sevamitra_not_yet_verified_vouches_for_no_service(link):
    provider = ProviderFactory(
        user=link.user, verification_status="pending", offers=[("electrician", "300", "50")]
    )
    claims = selectors.work_history_record(provider.user, now=NOW)
    assert claims["verified_categories"] == []
    assert claims["verification_status"] == "pending"
    assert (claims["completed_jobs"], claims["first_completed_on"], claims["badge_number"]) == (
        0,
        None,
        None,
    )
    assert claims["rating"] == {"average": None, "count": 0}


def test_no_record_without_a_sevamitra_profile_or_a_link(link, person):
    with pytest.raises(LookupError):
        selectors.work_history_record(person)  # linked, not a Sevamitra
    someone = ProviderFactory()
    with pytest.raises(LookupError):
        selectors.work_history_record(someone.user)  # a Sevamitra, not linked


def _verify(token: str, keyset: jwk.JWKSet) -> tuple[dict, dict]:
    """(header, claims) of a compact JWS verified with the key the header's kid names."""
    signed = jws.JWS()
    signed.deserialize(token)
    header = signed.jose_header
    key = keyset.get_key(header["kid"])
    assert key is not None, "the kid is not in the key set"
    signed.verify(key, alg="RS256")
    return header, json.loads(signed.payload)


def _jwks_url() -> str:
    return reverse("oauth2_provider:jwks-info")


def test_the_signed_record_verifies_against_the_published_jwks(worker, client):
    provider, _badge = worker
    claims = selectors.work_history_record(provider.user, now=NOW)
    token = selectors.sign_record(claims)
    response = client.get(_jwks_url())
    assert response.status_code == 200
    header, verified = _verify(token, jwk.JWKSet.from_json(response.content))
    assert verified == claims
    assert header["typ"] == "sevamitra-work-history+jwt"
    assert header["alg"] == "RS256"


def test_the_signed_record_verifies_with_the_public_key(worker, settings):
    """The same check without the endpoint: the public half of the configured key."""
    provider, _badge = worker
    claims = selectors.work_history_record(provider.user, now=NOW)
    token = selectors.sign_record(claims)
    private = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
    public = jwk.JWK.from_json(private.export_public())
    keyset = jwk.JWKSet()
    keyset.add(jwk.JWK(**{**json.loads(public.export()), "kid": public.thumbprint()}))
    header, verified = _verify(token, keyset)
    assert verified == claims
    assert header == {
        "alg": "RS256",
        "kid": public.thumbprint(),
        "typ": "sevamitra-work-history+jwt",
    }
    assert selectors.record_header(token) == header
    assert selectors.record_claims(token) == claims


def test_a_changed_record_does_not_verify(worker):
    provider, _badge = worker
    token = selectors.sign_record(selectors.work_history_record(provider.user, now=NOW))
    head, payload, signature = token.split(".")
    forged = json.loads(jws.base64url_decode(payload))
    forged["completed_jobs"] = 200
    forged_payload = jws.base64url_encode(json.dumps(forged, sort_keys=True).encode())
    with pytest.raises(ValueError):
        selectors.record_claims(f"{head}.{forged_payload}.{signature}")
