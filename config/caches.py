"""Cache configuration: Redis when a URL is given, the database cache otherwise.

Rate limits (OTP requests) live in this cache, so it must be shared between processes:
never the per-process local-memory cache.
"""

from typing import Any


def caches_from_env(redis_url: str) -> dict[str, dict[str, Any]]:
    if redis_url:
        default: dict[str, Any] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "sevamitra",
        }
    else:
        default = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sevamitra_cache",
        }
    return {"default": default}
