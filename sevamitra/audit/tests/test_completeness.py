"""Audit completeness: every public function of every write module either writes its audit
entry (checked by calling it) or is listed as exempt with a reason. See audit/completeness.py."""

import importlib

import pytest
from django.db.models import Max

from sevamitra.audit.completeness import (
    NOT_WRITE_MODULES,
    Case,
    case_tables,
    public_functions,
    write_modules,
)
from sevamitra.audit.models import AuditEntry

TABLES = case_tables()


def test_every_write_module_belongs_to_one_table():
    claimed = [module for table in TABLES.values() for module in table.modules]
    assert len(claimed) == len(set(claimed)), "a module is claimed by two tables"
    assert sorted(claimed) == write_modules()


def test_not_write_modules_exist():
    for name in NOT_WRITE_MODULES:
        importlib.import_module(name)


@pytest.mark.parametrize("app", sorted(TABLES))
def test_every_public_function_has_a_case_or_a_reason(app):
    table = TABLES[app]
    functions = set()
    for name in table.modules:
        functions |= public_functions(importlib.import_module(name))
    assert not set(table.cases) & set(table.exempt), "listed both as a case and exempt"
    missing = functions - set(table.cases) - set(table.exempt)
    stale = (set(table.cases) | set(table.exempt)) - functions
    assert not missing, f"{app}: add an audit case or an exemption for {sorted(missing)}"
    assert not stale, f"{app}: no such functions any more: {sorted(stale)}"
    assert all(reason.strip() for reason in table.exempt.values())


def _cases():
    for app, table in sorted(TABLES.items()):
        for function, case in sorted(table.cases.items()):
            yield pytest.param(case, id=f"{app}.{function}")


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(_cases()))
def test_service_writes_its_audit_entry(case: Case):
    context = case.setup() if case.setup else None
    last = AuditEntry.objects.aggregate(seq=Max("seq"))["seq"] or 0
    case.act(context)
    actions = set(AuditEntry.objects.filter(seq__gt=last).values_list("action", flat=True))
    assert case.action in actions, f"expected {case.action!r}, got {sorted(actions)}"
