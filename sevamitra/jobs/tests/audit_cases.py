"""Audit completeness of jobs (audit/tests/test_completeness.py): an import run writes one
"jobs.imported" entry with its counts."""

from pathlib import Path

from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.jobs import services

DEMO = Path(__file__).resolve().parents[1] / "demo" / "rojgar_sangam.jsonl"

TABLE = CaseTable(
    modules=["sevamitra.jobs.services"],
    cases={
        "jobs_import": Case(
            "jobs.imported",
            lambda given: services.jobs_import(source="rojgar_sangam", location=str(DEMO)),
        ),
    },
)
