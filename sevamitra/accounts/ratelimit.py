"""Fixed-window rate limits kept in the shared cache (Redis, or the database cache).

A rate is "count/seconds": at most `count` hits per window of `seconds`. Windows are aligned on
the epoch, so every process agrees on where a window starts; the counter key names the window.

Counting is atomic: `cache.add` creates the counter once per window, `cache.incr` bumps it. On
Redis, INCR is atomic. Django's database cache implements `incr` as read-then-write, so there
the row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers anyway).
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction

CACHE_ALIAS = "default"


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@dataclass(frozen=True)
class RateResult:
    allowed: bool
    count: int  # hits in the current window, this one included
    limit: int
    retry_after: int  # seconds until the window ends (0 when allowed)


def parse_rate(rate: str) -> Rate:
    """Parse "count/seconds", e.g. "3/900"; raise ValueError on anything else."""
    count_text, sep, seconds_text = rate.partition("/")
    if not sep or not count_text.strip().isdigit() or not seconds_text.strip().isdigit():
        raise ValueError(f"rate must look like 'count/seconds', got {rate!r}")
    parsed = Rate(count=int(count_text), seconds=int(seconds_text))
    if parsed.count < 1 or parsed.seconds < 1:
        raise ValueError(f"rate count and seconds must be positive, got {rate!r}")
    return parsed


def _now() -> float:
    return time.time()


def hit(key: str, rate: str) -> RateResult:
    """Count one hit against `key` and say whether it is within `rate`."""
    parsed = parse_rate(rate)
    now = _now()
    window = int(now // parsed.seconds)
    window_end = (window + 1) * parsed.seconds
    cache_key = f"ratelimit:{key}:{parsed.seconds}:{window}"
    timeout = math.ceil(window_end - now) + 1

    cache = caches[CACHE_ALIAS]
    created = cache.add(cache_key, 1, timeout=timeout)
    count = 1 if created else _incr(cache, cache_key, timeout)

    allowed = count <= parsed.count
    retry_after = 0 if allowed else max(1, math.ceil(window_end - now))
    return RateResult(allowed=allowed, count=count, limit=parsed.count, retry_after=retry_after)


def _incr(cache, cache_key: str, timeout: int) -> int:
    try:
        if isinstance(cache, DatabaseCache):
            return _db_cache_incr(cache, cache_key)
        return cache.incr(cache_key)
    except ValueError:
        # The counter expired between add() and incr(): this hit opens a new one.
        cache.add(cache_key, 1, timeout=timeout)
        return 1


def _db_cache_incr(cache: DatabaseCache, cache_key: str) -> int:
    db = router.db_for_write(cache.cache_model_class)
    connection = connections[db]
    with transaction.atomic(using=db):
        if connection.features.has_select_for_update:
            table = connection.ops.quote_name(cache._table)  # type: ignore[attr-defined]
            column = connection.ops.quote_name("cache_key")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {column} FROM {table} WHERE {column} = %s FOR UPDATE",  # noqa: S608
                    [cache.make_and_validate_key(cache_key)],
                )
        return cache.incr(cache_key)
