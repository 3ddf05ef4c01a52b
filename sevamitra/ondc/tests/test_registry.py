"""Registry lookups (POST /v2.0/lookup against the simulator's stub): signed, cached with
expiry, unknown and expired keys, registry failures."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from sevamitra.ondc import crypto, registry
from sevamitra.ondc.tests.simulator import (
    BUYER_ID,
    BUYER_KEY_ID,
    GATEWAY_ID,
    GATEWAY_KEY_ID,
    NODE_ID,
    iso,
    running,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sim(settings):
    with running(settings) as simulator:
        yield simulator


@pytest.fixture
def timeouts(monkeypatch):
    """The timeouts registry.lookup caches with."""
    seen = []

    class Spy:
        def get(self, key):
            return cache.get(key)

        def set(self, key, value, timeout):
            seen.append(timeout)
            cache.set(key, value, timeout)

        def delete(self, key):
            cache.delete(key)

    monkeypatch.setattr(registry, "cache", Spy())
    return seen


def test_lookup_returns_the_valid_record(sim):
    entry = registry.lookup(BUYER_ID, BUYER_KEY_ID)
    assert entry.subscriber_id == BUYER_ID
    assert entry.unique_key_id == BUYER_KEY_ID
    assert entry.verify_key == sim.buyer_key.verify_key
    assert entry.subscriber_url == sim.bap_uri
    assert entry.type == "BAP"
    assert registry.public_key(GATEWAY_ID, GATEWAY_KEY_ID) == sim.gateway_key.verify_key


def test_lookup_is_signed_with_our_key_and_asks_for_one_key(sim):
    registry.lookup(BUYER_ID, BUYER_KEY_ID)
    (lookup,) = sim.registry.lookups
    assert lookup.request == {"subscriber_id": BUYER_ID, "ukId": BUYER_KEY_ID, "country": "IND"}
    assert lookup.signed_by == f"{NODE_ID}|node-key-1|ed25519"
    assert lookup.signature_ok


def test_answers_are_cached_for_the_configured_time(sim, settings, timeouts):
    settings.ONDC_KEY_CACHE_SECONDS = 600
    registry.lookup(BUYER_ID, BUYER_KEY_ID)
    registry.lookup(BUYER_ID, BUYER_KEY_ID)
    assert len(sim.registry.lookups) == 1
    assert timeouts == [600]


def test_cache_never_outlives_the_keys_validity(sim, settings, timeouts):
    settings.ONDC_KEY_CACHE_SECONDS = 3600
    record = sim.registry.find(BUYER_ID, BUYER_KEY_ID)
    record["valid_until"] = iso(datetime.now(UTC) + timedelta(seconds=90))
    registry.lookup(BUYER_ID, BUYER_KEY_ID)
    (timeout,) = timeouts
    assert 85 <= timeout <= 90


def test_forget_asks_again(sim):
    registry.lookup(BUYER_ID, BUYER_KEY_ID)
    registry.forget(BUYER_ID, BUYER_KEY_ID)
    registry.lookup(BUYER_ID, BUYER_KEY_ID)
    assert len(sim.registry.lookups) == 2


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"valid_until": -60}, "unknown key: expired in the registry"),
        ({"valid_from": 3600}, "unknown key: not valid yet"),
        (
            {"signing_public_key": "c2hvcnQ="},
            "unknown key: the registry's signing key is malformed",
        ),
        ({"ukId": "another-key", "br_id": "another-key"}, "unknown key: not in the registry"),
    ],
)
def test_records_that_cannot_be_used_are_unknown_keys(sim, change, reason):
    record = sim.registry.find(BUYER_ID, BUYER_KEY_ID)
    for name, value in change.items():
        record[name] = (
            iso(datetime.now(UTC) + timedelta(seconds=value)) if isinstance(value, int) else value
        )
    with pytest.raises(crypto.UnknownKey) as error:
        registry.lookup(BUYER_ID, BUYER_KEY_ID)
    assert str(error.value) == reason


def test_unknown_key_is_remembered_for_a_minute(sim, timeouts):
    for _ in range(3):
        with pytest.raises(crypto.UnknownKey):
            registry.lookup("stranger.example", "k")
    assert len(sim.registry.lookups) == 1
    assert timeouts == [60]


def test_registry_404_means_unknown(sim):
    sim.registry.fail_with = 404
    with pytest.raises(crypto.UnknownKey):
        registry.lookup(BUYER_ID, BUYER_KEY_ID)


@pytest.mark.parametrize("status", [500, 401])
def test_registry_errors_are_unavailability_and_not_cached(sim, status):
    sim.registry.fail_with = status
    with pytest.raises(registry.RegistryUnavailable, match=f"HTTP {status}"):
        registry.lookup(BUYER_ID, BUYER_KEY_ID)
    sim.registry.fail_with = 0
    assert registry.lookup(BUYER_ID, BUYER_KEY_ID).subscriber_id == BUYER_ID


def test_unreachable_registry(sim, settings):
    settings.ONDC_REGISTRY_URL = "http://127.0.0.1:9"
    with pytest.raises(registry.RegistryUnavailable, match="registry unreachable: ConnectError"):
        registry.lookup(BUYER_ID, BUYER_KEY_ID)


def test_a_single_record_object_is_accepted_too():
    record = {
        "subscriber_id": "s",
        "unique_key_id": "u",
        "signing_public_key": crypto.generate_keys().signing_public_key,
        "valid_until": "2999-01-01T00:00:00.000Z",
    }
    entry = registry._pick([record], "s", "u")
    assert (entry.subscriber_url, entry.valid_until) == ("", "2999-01-01T00:00:00+00:00")
