"""search → on_search: the catalogue of providers near the customer (sevamitra.ondc.catalog)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .. import catalog
from ..schemas import SearchRequest, parse_request
from . import Inbound, handler


@handler("search")
def search(inbound: Inbound) -> dict[str, Any]:
    """The on_search message for a validated search (read-only: safe to run twice)."""
    parsed = inbound.parsed
    if not isinstance(parsed, SearchRequest):
        parsed = parse_request("search", {"context": inbound.context, "message": inbound.message})
    return catalog.catalog_for_search(parsed, now=timezone.now())
