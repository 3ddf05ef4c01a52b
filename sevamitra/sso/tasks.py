"""Single sign-on's sweep: expired tokens and codes go (idempotent)."""

from datetime import timedelta

from sevamitra.sso import services
from sevamitra.tasks.registry import periodic


@periodic("sso.prune", every=timedelta(hours=6))
def prune() -> None:
    """Expired tokens and codes, and the memory of codes whose tokens can no longer live."""
    services.tokens_prune()
