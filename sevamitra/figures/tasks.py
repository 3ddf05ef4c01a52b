"""The periodic refresh of the public figures (reads only; it rewrites the cache)."""

from datetime import timedelta

from sevamitra.figures import selectors
from sevamitra.tasks.registry import periodic

# Shorter than the default FIGURES_CACHE_SECONDS (900): the default view is computed again
# before its cached copy expires, so no visitor waits for it.
REFRESH_EVERY = timedelta(minutes=10)


@periodic("figures.refresh", every=REFRESH_EVERY)
def refresh() -> None:
    """Compute the default view (no filter, the last 12 months) again and cache it."""
    for flt in selectors.filters_to_warm():
        selectors.figures_refresh(flt)
