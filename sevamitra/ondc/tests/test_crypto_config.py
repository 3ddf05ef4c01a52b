"""ondc_config(): None when switched off, clear ImproperlyConfigured for half or wrong settings
(checked when used, not at import)."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from sevamitra.ondc import crypto
from sevamitra.ondc.config import REQUIRED, ondc_config


@pytest.fixture
def keys():
    return crypto.generate_keys()


@pytest.fixture
def configured(settings, keys):
    settings.ONDC_SUBSCRIBER_ID = "node.example"
    settings.ONDC_SUBSCRIBER_URL = "https://node.example/ondc/"
    settings.ONDC_UNIQUE_KEY_ID = keys.unique_key_id
    settings.ONDC_SIGNING_PRIVATE_KEY = keys.signing_private_key
    settings.ONDC_ENCRYPTION_PRIVATE_KEY = keys.encryption_private_key
    settings.ONDC_REGISTRY_URL = "https://registry.example/"
    settings.ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY = crypto.generate_keys().encryption_public_key
    settings.ONDC_CITY_CODES = ["std:0522", " std:0512 ", ""]
    return settings


def test_nothing_set_means_switched_off(settings):
    for name in REQUIRED:
        setattr(settings, name, "")
    assert ondc_config() is None


def test_full_configuration(configured, keys):
    config = ondc_config()
    assert config.subscriber_id == "node.example"
    assert config.subscriber_url == "https://node.example/ondc"  # no trailing slash
    assert config.registry_url == "https://registry.example"
    assert config.signing_public_key == keys.signing_public_key
    assert config.key_id == f"node.example|{keys.unique_key_id}|ed25519"
    assert config.city_codes == ("std:0522", "std:0512")
    private, _registry = config.require_encryption()
    assert crypto.encryption_public_key_b64(private) == keys.encryption_public_key


def test_city_codes_as_a_comma_separated_string(configured):
    configured.ONDC_CITY_CODES = "std:0522,std:0512"
    assert ondc_config().city_codes == ("std:0522", "std:0512")


def test_half_configuration_names_what_is_missing(configured):
    configured.ONDC_UNIQUE_KEY_ID = ""
    configured.ONDC_REGISTRY_URL = ""
    with pytest.raises(ImproperlyConfigured) as error:
        ondc_config()
    assert str(error.value) == (
        "ONDC is half configured: set ONDC_UNIQUE_KEY_ID, ONDC_REGISTRY_URL."
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "ONDC_SIGNING_PRIVATE_KEY",
            base64.b64encode(b"x" * 10).decode(),
            "ONDC_SIGNING_PRIVATE_KEY: the signing private key must be 32 bytes (seed) or 64 "
            "bytes (secret key), not 10 bytes",
        ),
        (
            "ONDC_SIGNING_PRIVATE_KEY",
            "%%%",
            "ONDC_SIGNING_PRIVATE_KEY: the signing private key is not valid base64",
        ),
        (
            "ONDC_ENCRYPTION_PRIVATE_KEY",
            base64.b64encode(b"x" * 48).decode(),
            "ONDC_ENCRYPTION_PRIVATE_KEY: the encryption private key is not a PKCS8 DER key "
            "(base64)",
        ),
        (
            "ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY",
            base64.b64encode(b"x" * 20).decode(),
            "ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY: the encryption public key is not an SPKI DER "
            "key (base64)",
        ),
        (
            "ONDC_SUBSCRIBER_URL",
            "node.example/ondc",
            "ONDC_SUBSCRIBER_URL must be an absolute http(s) URL, not 'node.example/ondc'.",
        ),
        (
            "ONDC_REGISTRY_URL",
            "ftp://registry.example",
            "ONDC_REGISTRY_URL must be an absolute http(s) URL, not 'ftp://registry.example'.",
        ),
    ],
)
def test_malformed_settings_are_explained(configured, name, value, message):
    setattr(configured, name, value)
    with pytest.raises(ImproperlyConfigured) as error:
        ondc_config()
    assert str(error.value) == message


def test_encryption_keys_are_optional_until_on_subscribe(configured):
    configured.ONDC_ENCRYPTION_PRIVATE_KEY = ""
    configured.ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY = ""
    config = ondc_config()
    with pytest.raises(ImproperlyConfigured) as error:
        config.require_encryption()
    assert str(error.value) == (
        "ONDC: set ONDC_ENCRYPTION_PRIVATE_KEY and ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY to answer "
        "on_subscribe."
    )


def test_settings_are_read_at_use(configured):
    first = ondc_config()
    configured.ONDC_SUBSCRIBER_ID = "other.example"
    assert ondc_config().subscriber_id == "other.example"
    assert first.subscriber_id == "node.example"
