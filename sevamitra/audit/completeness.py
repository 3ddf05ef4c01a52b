"""Which functions change state, and the check that each of them writes the audit trail.

The audit-completeness test (audit/tests/test_completeness.py) enumerates every *write
module* of the portal and every public function in it; each function must appear in its app's
case table (`sevamitra/<app>/tests/audit_cases.py`) either with a case that calls it and the
audit action it must write, or in EXEMPT with the reason it writes no audit entry (it reads
only, or it writes no domain state). A new service function without a line there fails the
suite: that is the point.

A write module is:
- every `sevamitra.<app>.services` module, and every module of a `services` package;
- every other module that opens a transaction (`transaction.atomic`) outside tests and
  migrations, unless listed in NOT_WRITE_MODULES below with a reason.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import sevamitra

ROOT = Path(sevamitra.__file__).parent
ATOMIC = re.compile(r"\btransaction\.atomic\b|^from django\.db\.transaction import atomic", re.M)

# Modules that open a transaction but change no domain state themselves, with the reason.
NOT_WRITE_MODULES: dict[str, str] = {
    "sevamitra.audit.completeness": "this module (its docstring names transaction.atomic)",
    "sevamitra.audit.services": "writes the audit trail itself",
    "sevamitra.audit.admin": "writes the audit trail itself: the entries of changes made in "
    "the Django admin (AuditedAdminMixin, checked by the catalog and geo admin tests)",
    "sevamitra.accounts.ratelimit": "rate-limit counters in the cache (infrastructure, not "
    "domain state; taken outside the caller's transaction on purpose)",
    "sevamitra.tasks.services": "the job queue's own bookkeeping (infrastructure, not domain "
    "state); the jobs it runs call audited services",
    "sevamitra.tasks.worker": "runs queued jobs; the jobs call audited services",
    "sevamitra.notifications.services": "the outbox of SMS/notifications: messages hold "
    "personal data and are not a change of domain state",
    "sevamitra.notifications.tasks": "delivers queued messages (see notifications.services)",
    "sevamitra.ondc.outbox": "queues outgoing ONDC callbacks (protocol traffic, logged in the "
    "ONDC message log)",
    "sevamitra.ondc.views": "records inbound protocol messages in the ONDC message log; the "
    "state change of an order happens in ondc.flow, which calls audited services",
}


@dataclass(frozen=True)
class Case:
    """`act(setup())` must append at least one audit entry whose action is `action`.

    setup (optional) builds the data the call needs; entries it writes do not count. act
    receives what setup returned (None without a setup) and makes the one call under test.
    """

    action: str
    act: Callable[[Any], object]
    setup: Callable[[], Any] | None = None


@dataclass
class CaseTable:
    """One app's table: for each public function of its write modules, a Case or a reason."""

    modules: list[str]
    cases: dict[str, Case] = field(default_factory=dict)
    exempt: dict[str, str] = field(default_factory=dict)


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def write_modules() -> list[str]:
    """The dotted names of all write modules (see the module docstring)."""
    found: set[str] = set()
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or "management" in parts:
            continue
        name = _module_name(path)
        in_services = "services" in parts[:-1] or path.stem == "services"
        if in_services or ATOMIC.search(path.read_text(encoding="utf-8")):
            found.add(name)
    return sorted(found - set(NOT_WRITE_MODULES))


def public_functions(module: ModuleType) -> set[str]:
    """Functions defined in `module` (not imported into it) whose names do not start with _."""
    return {
        name
        for name, obj in vars(module).items()
        if inspect.isfunction(obj)
        and not name.startswith("_")
        and getattr(obj, "__module__", None) == module.__name__
    }


def case_tables() -> dict[str, CaseTable]:
    """Every app's table, from `sevamitra.<app>.tests.audit_cases.TABLE`."""
    tables = {}
    for info in pkgutil.iter_modules([str(ROOT)]):
        try:
            module = importlib.import_module(f"sevamitra.{info.name}.tests.audit_cases")
        except ModuleNotFoundError as error:
            if error.name in (
                f"sevamitra.{info.name}.tests",
                f"sevamitra.{info.name}.tests.audit_cases",
            ):
                continue
            raise
        tables[info.name] = module.TABLE
    return tables
