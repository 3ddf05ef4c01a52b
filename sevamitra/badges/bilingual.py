"""Text shown in Hindi and English side by side (the card and the door check are read by
anyone, whatever the page's language)."""

from django.utils import translation


def both(text) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """{"hi": …, "en": …} of a lazy translatable string."""
    result = {}
    for language in ("hi", "en"):
        with translation.override(language):
            result[language] = str(text)
    return result
