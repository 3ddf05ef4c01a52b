"""A stand-in employment exchange over real HTTP on loopback (http.server in a thread): the
API of sevamitra/employment/sewayojan.py, written from its docstring.

    with FakeExchange() as exchange:
        exchange.add(registration("UPLKO2024000001", mobile="9876500001"))
        settings.SEWAYOJAN_API_URL = exchange.url
        ...
        exchange.received  # [(method, path, body or None, authorization header)]

`exchange.mode` makes it misbehave: "ok", "error" (HTTP 503 to everything), "garbage" (200
with a body that is not JSON), "redirect" (302).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "test-exchange-token"


def registration(number: str, *, mobile: str, **fields: Any) -> dict[str, Any]:
    """A registration as the exchange's API returns it (see sewayojan.py)."""
    return {
        "registration_number": number,
        "name": "सुनीता देवी",
        "mobile": mobile,
        "district_code": "LUCKNOW",
        "pincode": "226010",
        "gender": "female",
        "date_of_birth": "2001-04-15",
        "education": "High school (10th)",
        "experience_years": 2,
        "skills": ["cooking"],
        "certificates": [
            {
                "scheme": "ITI",
                "trade": "Electrician",
                "number": "NCVT/UP/2019/1",
                "issued_on": "2019-08-01",
            }
        ],
        **fields,
    }


class FakeExchange:
    def __init__(self) -> None:
        self.registrations: dict[str, dict[str, Any]] = {}
        self.records: dict[str, str] = {}  # registration number → the JWS it holds
        self.received: list[tuple[str, str, Any, str]] = []
        self.mode = "ok"
        exchange = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _answer(self, status: int, body: Any = None, raw: bytes | None = None) -> None:
                data = raw if raw is not None else json.dumps(body or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if status == 302:
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                auth = self.headers.get("Authorization", "")
                exchange.received.append((method, self.path, body, auth))
                if exchange.mode == "error":
                    return self._answer(503, {"error": "maintenance"})
                if exchange.mode == "garbage":
                    return self._answer(200, raw=b"<html>gateway timeout</html>")
                if exchange.mode == "redirect":
                    return self._answer(302)
                if auth != f"Bearer {TOKEN}":
                    return self._answer(401, {"error": "unauthorised"})
                parts = self.path.strip("/").split("/")
                # /api/jobseekers/<number>[/work-history]
                if len(parts) < 3 or parts[:2] != ["api", "jobseekers"]:
                    return self._answer(404, {"error": "no such path"})
                number = parts[2]
                if number not in exchange.registrations:
                    return self._answer(404, {"error": "no such registration"})
                if len(parts) == 3 and method == "GET":
                    return self._answer(200, exchange.registrations[number])
                if parts[3:] == ["work-history"] and method == "POST":
                    exchange.records[number] = body["record"]
                    return self._answer(202, {"status": "accepted"})
                if parts[3:] == ["work-history"] and method == "DELETE":
                    if exchange.records.pop(number, None) is None:
                        return self._answer(404, {"error": "no record"})
                    return self._answer(204, raw=b"")
                return self._answer(405, {"error": "method"})

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_DELETE(self) -> None:
                self._handle("DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api"

    def add(self, data: dict[str, Any]) -> None:
        self.registrations[data["registration_number"]] = data

    def sent(self, method: str) -> list[tuple[str, str, Any, str]]:
        return [r for r in self.received if r[0] == method]

    def __enter__(self) -> FakeExchange:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
