"""Fixtures of the end-to-end tests (test_e2e_*.py): the buyer-app simulator over real HTTP
against the live server, and the background jobs run in this process between steps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from sevamitra.ondc.tests.simulator import BuyerSimulator, Callback
from sevamitra.tasks.worker import Worker

ACK = {"message": {"ack": {"status": "ACK"}}}


def run_jobs() -> int:
    """Run every job that is due now (callbacks, unsolicited updates, notifications), as
    `manage.py worker --once` would; how many ran."""
    return Worker(once=True, sleep=0).run()


@dataclass
class Buyer:
    """The simulator plus the steps every e2e test repeats."""

    sim: BuyerSimulator

    def ack(self, action: str, body: dict[str, Any]) -> None:
        """Send `body`; the node must ACK it at once."""
        status, answer = self.sim.send(action, body)
        assert (status, answer) == (200, ACK), (action, status, answer)

    def call(self, action: str, body: dict[str, Any], *, timeout: float = 5) -> Callback:
        """Send `body`, expect ACK, run the worker, return the verified on_<action>."""
        self.ack(action, body)
        run_jobs()
        callback = self.sim.wait(f"on_{action}", body["context"]["message_id"], timeout=timeout)
        assert callback.signature_ok, callback.signature_detail
        return callback

    def callbacks(self, action: str | None = None, **filters: str) -> list[Callback]:
        return self.sim.receiver.find(action, **filters)


@pytest.fixture
def buyer(live_server, settings, reference_data) -> Iterator[Buyer]:
    """A buyer app on loopback (registry stub + callback receiver), the node configured with
    test keys and pointed at it. On teardown: every callback received was signed by us."""
    with BuyerSimulator() as sim:
        sim.configure(settings, base_url=live_server.url)
        yield Buyer(sim)
        unsigned = [
            (c.action, c.signature_detail) for c in sim.receiver.callbacks if not c.signature_ok
        ]
        assert unsigned == []
