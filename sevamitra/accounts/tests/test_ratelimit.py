import os
import threading
import uuid
from unittest import mock

import pytest
from django.core.cache import caches

from sevamitra.accounts import ratelimit
from sevamitra.accounts.ratelimit import Rate, RateResult, hit, parse_rate

# scripts/test starts Redis when it is down, so this test always runs.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
NOW = 1_000_000.0  # window of 900 s: [999_900, 1_000_800)


@pytest.fixture
def frozen_clock():
    with mock.patch.object(ratelimit, "_now", return_value=NOW) as clock:
        yield clock


@pytest.mark.parametrize(
    ("text", "expected"), [("3/900", Rate(3, 900)), ("10/86400", Rate(10, 86400))]
)
def test_parse_rate(text, expected):
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["", "3", "3/", "/900", "a/900", "3/x", "0/900", "3/0", "-1/9"])
def test_parse_rate_refuses_malformed_rates(text):
    with pytest.raises(ValueError):
        parse_rate(text)


@pytest.mark.django_db
def test_hit_allows_count_hits_per_window_then_says_when_to_retry(frozen_clock):
    results = [hit("k", "3/900") for _ in range(5)]

    assert results == [
        RateResult(allowed=True, count=1, limit=3, retry_after=0),
        RateResult(allowed=True, count=2, limit=3, retry_after=0),
        RateResult(allowed=True, count=3, limit=3, retry_after=0),
        RateResult(allowed=False, count=4, limit=3, retry_after=800),
        RateResult(allowed=False, count=5, limit=3, retry_after=800),
    ]


@pytest.mark.django_db
def test_hit_starts_afresh_in_the_next_window(frozen_clock):
    for _ in range(4):
        hit("k", "3/900")

    frozen_clock.return_value = NOW + 800  # first second of the next window
    assert hit("k", "3/900") == RateResult(allowed=True, count=1, limit=3, retry_after=0)


@pytest.mark.django_db
def test_hit_counts_each_key_and_each_rate_separately(frozen_clock):
    hit("a", "1/900")

    assert hit("b", "1/900").allowed is True
    assert hit("a", "1/3600").allowed is True
    assert hit("a", "1/900").allowed is False


@pytest.mark.django_db
def test_hit_opens_a_new_counter_when_it_expired_between_add_and_incr(frozen_clock):
    hit("k", "3/900")
    backend = type(caches["default"])

    with mock.patch.object(backend, "incr", side_effect=ValueError("gone")):
        assert hit("k", "3/900").count == 1


def _hit_concurrently(key: str, rate: str, threads: int) -> list[RateResult]:
    results: list[RateResult] = []
    barrier = threading.Barrier(threads)

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            results.append(hit(key, rate))
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_hit_counts_every_concurrent_hit_on_the_database_cache():
    results = _hit_concurrently(f"race-{uuid.uuid4().hex}", "5/3600", threads=12)

    assert sorted(r.count for r in results) == list(range(1, 13))
    assert sum(r.allowed for r in results) == 5


@pytest.fixture
def redis_cache(settings):
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()  # fails if Redis is down
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield caches["default"]
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_hit_works_on_redis(redis_cache, frozen_clock):
    results = [hit("k", "2/900") for _ in range(3)]

    assert [r.allowed for r in results] == [True, True, False]
    assert results[2].retry_after == 800
    frozen_clock.return_value = NOW + 800
    assert hit("k", "2/900").count == 1


def test_hit_counts_every_concurrent_hit_on_redis(redis_cache):
    results = _hit_concurrently(f"race-{uuid.uuid4().hex}", "5/3600", threads=12)

    assert sorted(r.count for r in results) == list(range(1, 13))
    assert sum(r.allowed for r in results) == 5
