import re
import uuid

import pytest
from django.utils import translation

from sevamitra.sms.backends import locmem

LOCMEM_SMS = "sevamitra.sms.backends.locmem.SmsBackend"
_CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture(autouse=True)
def _sms_and_cache(settings):
    """Every test: messages go to the locmem outbox (emptied), and the cache starts empty.

    The cache is emptied by giving each test its own key prefix rather than by clear(): with
    REDIS_URL set, clear() would flush a developer's whole Redis database.
    """
    settings.SMS_BACKEND = LOCMEM_SMS
    locmem.outbox.clear()
    caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
    for config in caches.values():
        config["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches
    yield
    locmem.outbox.clear()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def sent_code(index: int = -1) -> str:
    """The sign-in code in a message of the outbox (the last one by default)."""
    match = _CODE.search(locmem.outbox[index].body)
    assert match, locmem.outbox[index].body
    return match.group(1)
