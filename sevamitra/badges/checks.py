"""`manage.py check --deploy` refuses the development badge key."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from sevamitra.badges import tokens


@register(Tags.security, deploy=True)
def badge_key_check(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    value = settings.BADGE_SIGNING_PRIVATE_KEY
    try:
        seed = tokens._seed_from_settings(value)
    except ValueError as exc:
        return [Error(str(exc), id="badges.E002")]
    if not value or seed == tokens.DEVELOPMENT_SEED:
        return [
            Error(
                "BADGE_SIGNING_PRIVATE_KEY is not set: badges would be signed with the "
                "development key.",
                hint="Set it to a base64 Ed25519 seed kept only for badges (not an ONDC key).",
                id="badges.E001",
            )
        ]
    return []
