"""Our own request bodies for the order flow (written from the documented structure; no spec
example is copied), and a way to run a handler on them as the transport would."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.ondc.handlers import HANDLERS, Inbound
from sevamitra.ondc.models import Direction, OndcMessage
from sevamitra.ondc.schemas import format_timestamp, parse_request
from sevamitra.providers.tests.factories import ProviderFactory, local, next_weekday

BAP_ID = "buyer.example.in"
BAP_URI = "https://buyer.example.in/ondc"
BPP_ID = "sevamitra.example.gov.in"
CITY = "std:0522"
GPS = "26.850000,80.946200"  # Hazratganj, inside the factory providers' 10 km
AREA = "226001"
PHONE = "9876500001"


def context(action: str, *, txn: str = "txn-1", bap_id: str = BAP_ID) -> dict[str, Any]:
    return {
        "domain": "ONDC:SRV11",
        "location": {"city": {"code": CITY}, "country": {"code": "IND"}},
        "action": action,
        "version": "2.0.0",
        "bap_id": bap_id,
        "bap_uri": BAP_URI,
        "bpp_id": BPP_ID,
        "bpp_uri": "https://sevamitra.example.gov.in/ondc",
        "transaction_id": txn,
        "message_id": str(uuid.uuid4()),
        "timestamp": format_timestamp(timezone.now()),
        "ttl": "PT30S",
    }


def inbound(action: str, message: dict[str, Any], **ctx: Any) -> Inbound:
    body = {"context": context(action, **ctx), "message": message}
    parsed = parse_request(action, body)
    return Inbound(
        action=action,
        context=body["context"],
        message=body["message"],
        parsed=parsed,
        log_id=0,
    )


def run(action: str, message: dict[str, Any], **ctx: Any) -> dict[str, Any]:
    """Call the handler as the transport's job does."""
    return HANDLERS[action](inbound(action, message, **ctx))


def ids(offer) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    return f"P{offer.provider_id}", f"I{offer.pk}"


def end_stop(
    *,
    start: dt.datetime | None,
    end: dt.datetime | None,
    full: bool,
    label: str = "selected",
    phone: str = PHONE,
) -> dict[str, Any]:
    stop: dict[str, Any] = {"type": "end", "location": {"gps": GPS, "area_code": AREA}}
    if full:
        stop["location"].update(
            {
                "address": "House 12, Lalbagh Road",
                "city": {"name": "Lucknow"},
                "state": {"name": "Uttar Pradesh"},
                "country": {"code": "IND"},
            }
        )
        stop["contact"] = {"phone": phone, "email": "ravi@example.in"}
        stop["person"] = {"name": "Ravi Kumar"}
    if start is not None and end is not None:
        stop["time"] = {
            "label": label,
            "range": {"start": format_timestamp(start), "end": format_timestamp(end)},
        }
    return stop


def order(
    offer,  # type: ignore[no-untyped-def]
    *,
    start: dt.datetime | None,
    end: dt.datetime | None,
    stage: str = "select",
    phone: str = PHONE,
    payment: dict[str, Any] | None = None,
    count: int = 1,
) -> dict[str, Any]:
    provider_id, item_id = ids(offer)
    full = stage != "select"
    item: dict[str, Any] = {
        "id": item_id,
        "location_ids": [f"L{offer.provider_id}"],
        "quantity": {"selected": {"count": count}},
    }
    fulfillment: dict[str, Any] = {
        "type": "Home-Service",
        "stops": [
            end_stop(
                start=start,
                end=end,
                full=full,
                label="selected" if stage == "select" else "confirmed",
                phone=phone,
            )
        ],
    }
    if full:
        item["fulfillment_ids"] = ["F1"]
        fulfillment["id"] = "F1"
    body: dict[str, Any] = {
        "provider": {"id": provider_id, "locations": [{"id": f"L{offer.provider_id}"}]},
        "items": [item],
        "fulfillments": [fulfillment],
        "payments": [payment or {"type": "ON-FULFILLMENT", "collected_by": "BPP"}],
    }
    if full:
        body["billing"] = {
            "name": "Ravi Kumar",
            "phone": phone,
            "address": "House 12, Lalbagh Road, Lucknow 226001",
            "city": {"name": "Lucknow"},
            "state": {"name": "Uttar Pradesh"},
        }
    return body


def select_message(offer, start=None, end=None, **kw: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"order": order(offer, start=start, end=end, stage="select", **kw)}


def init_message(offer, start=None, end=None, **kw: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"order": order(offer, start=start, end=end, stage="init", **kw)}


def confirm_message(offer, start, end, *, total: str, **kw: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    body = order(offer, start=start, end=end, stage="confirm", **kw)
    now = format_timestamp(timezone.now())
    body.update(
        {
            "id": "O-buyer-1",
            "status": "CREATED",
            "created_at": now,
            "updated_at": now,
            "quote": {"price": {"currency": "INR", "value": total}},
        }
    )
    body["payments"][0].setdefault("status", "NOT-PAID")
    return {"order": body}


def log_search(*, txn: str = "txn-1", fee_type: str = "percent", amount: str = "3") -> None:
    """The inbound search of this flow, as the transport logs it, with the buyer's BAP_Terms."""
    body = {
        "context": context("search", txn=txn),
        "message": {
            "intent": {
                "category": {"id": "SRV11-1025"},
                "fulfillment": {
                    "type": "Home-Service",
                    "stops": [{"type": "end", "location": {"gps": GPS, "area_code": AREA}}],
                },
                "payment": {"type": "ON-FULFILLMENT", "collected_by": "BPP"},
                "tags": [
                    {
                        "descriptor": {"code": "BAP_Terms"},
                        "list": [
                            {"descriptor": {"code": "finder_fee_type"}, "value": fee_type},
                            {"descriptor": {"code": "finder_fee_amount"}, "value": amount},
                        ],
                    }
                ],
            }
        },
    }
    import json

    OndcMessage.objects.create(
        direction=Direction.INBOUND,
        action="search",
        transaction_id=txn,
        message_id=body["context"]["message_id"],
        counterparty=BAP_ID,
        body=json.dumps(body),
    )


def tag(tags: list[dict[str, Any]], group: str) -> dict[str, str]:
    for entry in tags:
        if entry["descriptor"]["code"] == group:
            return {t["descriptor"]["code"]: t["value"] for t in entry["list"]}
    raise AssertionError(f"no tag group {group}")


def breakup_types(quote: dict[str, Any]) -> list[tuple[str, str, str]]:
    """[(title, type, value), ...]"""
    return [
        (line["title"], tag(line["tags"], "title")["type"], line["price"]["value"])
        for line in quote["breakup"]
    ]


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def day() -> dt.date:
    """A Monday at least two days ahead."""
    return next_weekday(0, after_days=2)


@pytest.fixture
def slot(day) -> tuple[dt.datetime, dt.datetime]:  # type: ignore[no-untyped-def]
    start = local(day, "10:00")
    return start, start + dt.timedelta(hours=1)


@pytest.fixture
def electrician():  # type: ignore[no-untyped-def]
    """Auto-accepting electrician at ₹300 + ₹50 a visit; free cancellation up to 2 hours before,
    ₹100 after; not GST-registered."""
    provider = ProviderFactory(
        name_latin="Sunita Devi",
        auto_accept=True,
        cancellation_fee=Decimal("100"),
        free_cancellation_hours=2,
        offers=[("electrician", "300", "50")],
    )
    return provider.offers.get()


@pytest.fixture
def manual_electrician():  # type: ignore[no-untyped-def]
    provider = ProviderFactory(
        name_latin="Ramesh Yadav",
        auto_accept=False,
        accept_within_minutes=30,
        offers=[("electrician", "250", "0")],
    )
    return provider.offers.get()


@pytest.fixture
def other_customer():  # type: ignore[no-untyped-def]
    return UserFactory(name="Asha", phone="9811100002")
