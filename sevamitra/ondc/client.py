"""Outbound HTTP of the seller node: signed POSTs (callbacks, registry lookups, /subscribe).

One httpx client per process keeps connections to buyer apps and the registry open between
calls (thread-safe; the worker and the web process each have their own). Every call passes an
explicit timeout. The body is sent exactly as signed: callers pass bytes, never a dict.
"""

from __future__ import annotations

import threading

import httpx

from sevamitra.ondc import crypto

USER_AGENT = "Sevamitra-ONDC-BPP/1.0"

_client: httpx.Client | None = None
_lock = threading.Lock()


def http_client() -> httpx.Client:
    global _client
    with _lock:
        if _client is None:
            _client = httpx.Client(
                headers={"User-Agent": USER_AGENT},
                follow_redirects=False,  # a redirect would re-send a signed body elsewhere
                limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
            )
        return _client


def signed_post(
    url: str, body: bytes, *, timeout: float, authorization: str | None = None
) -> tuple[httpx.Response, dict[str, str]]:
    """POST `body` signed with our key; (response, the headers sent). Raises httpx.HTTPError
    on network failures and timeouts."""
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Authorization": authorization or crypto.sign_body(body),
    }
    response = http_client().post(url, content=body, headers=headers, timeout=timeout)
    return response, headers
