"""The auditor's pages over HTTP: who may see them, the filter, paging, and the exports,
which scripts/audit-verify-export re-verifies on its own."""

import datetime as dt
import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.audit.services import audit_record

from .conftest import append

pytestmark = pytest.mark.django_db

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "audit-verify-export"


def _script():
    loader = importlib.machinery.SourceFileLoader("audit_verify_export", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture
def auditor(client):
    user = user_with_roles(Role.AUDITOR)
    client.force_login(user)
    return user


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


# --- who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/audit/", "/audit/export.csv", "/audit/export.jsonl"])
def test_a_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/?next=")


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.PROVIDER, Role.AGENT, Role.DISTRICT_OFFICER])
@pytest.mark.parametrize("path", ["/audit/", "/audit/export.csv", "/audit/export.jsonl"])
def test_other_roles_are_refused(client, role, path):
    append(1)
    client.force_login(user_with_roles(role))
    response = client.get(path)
    assert response.status_code == 403
    assert "test.changed" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMINISTRATOR])
def test_auditors_and_administrators_read_it_in_hindi(client, role):
    append(2)
    client.force_login(user_with_roles(role))
    response = client.get("/audit/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="hi">' in page and "<h1>ऑडिट ट्रेल</h1>" in page
    assert page.count('<code translate="no">test.changed</code>') == 2


def test_the_page_reads_in_english(client, auditor):
    client.cookies["django_language"] = "en"
    response = client.get("/audit/")
    assert "<h1>Audit trail</h1>" in response.content.decode()


def test_it_only_reads(client, auditor):
    append(1)
    assert client.post("/audit/").status_code == 405
    assert client.post("/audit/export.csv").status_code == 405
    assert AuditEntry.objects.count() == 1


# --- the filter and the list --------------------------------------------------------------


def test_filters_by_action_object_actor_and_date(client, auditor):
    officer = user_with_roles(Role.DISTRICT_OFFICER, phone="9811100001")
    with transaction.atomic():
        audit_record(
            actor=officer, action="provider.verified", object_type="providers.provider", object_id=7
        )
        audit_record(
            actor=None, action="booking.cancelled", object_type="bookings.booking", object_id=7
        )
        audit_record(
            actor=officer,
            action="provider.suspended",
            object_type="providers.provider",
            object_id=8,
        )

    def seqs(**query) -> list[int]:
        response = client.get("/audit/", query)
        assert response.status_code == 200, response.content.decode()
        return [e.seq for e in response.context["page"].object_list]

    assert seqs() == [3, 2, 1]
    assert seqs(action="provider.") == [3, 1]
    assert seqs(action="booking.cancelled") == [2]
    assert seqs(object_type="providers.provider", object_id="7") == [1]
    assert seqs(actor="+91 98111 00001") == [3, 1]
    assert seqs(actor="9899999999") == []  # nobody with that number
    today = timezone.localdate()
    assert seqs(date_from=today.isoformat(), date_to=today.isoformat()) == [3, 2, 1]
    assert seqs(date_to=(today - dt.timedelta(days=1)).isoformat()) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "2026-11-30", "date_to": "2026-11-01"}, "date_to"),
        ({"date_from": "31/02/2026"}, "date_from"),
        ({"actor": "12345"}, "actor"),
    ],
)
@pytest.mark.parametrize("path", ["/audit/", "/audit/export.jsonl"])
def test_bad_input_is_a_form_error(client, auditor, query, field, path):
    response = client.get(path, query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'class="error-summary" role="alert"' in response.content.decode()


def test_the_list_is_paged_newest_first(client, auditor):
    append(120)
    first = client.get("/audit/", {"action": "test."})
    last = client.get("/audit/", {"action": "test.", "page": 3})
    assert [e.seq for e in first.context["page"].object_list][:2] == [120, 119]
    assert [e.seq for e in last.context["page"].object_list] == list(range(20, 0, -1))
    assert 'href="?action=test.&amp;page=2"' in first.content.decode()
    assert client.get("/audit/", {"page": "zzz"}).status_code == 200


def test_the_list_holds_no_personal_data(client, auditor):
    person = UserFactory(name="Kamla Devi", phone="9811100002")
    with transaction.atomic():
        audit_record(
            actor=person, action="booking.cancelled", object_type="bookings.booking", object_id=1
        )
    page = client.get("/audit/").content.decode()
    assert "Kamla" not in page and "9811100002" not in page
    assert "XXXXXX0002" in page


# --- exports ------------------------------------------------------------------------------


def test_jsonl_export_carries_the_head_and_re_verifies(client, auditor, tmp_path):
    append(6)
    with transaction.atomic():
        audit_record(
            actor=auditor,
            action="booking.cancelled",
            object_type="bookings.booking",
            object_id=3,
            before={"status": "confirmed"},
            after={"status": "cancelled", "why_hi": "बीमार"},
        )
    head = AuditEntry.objects.get(seq=7)
    response = client.get("/audit/export.jsonl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    assert response["X-Audit-Chain-Head"] == f"7:{head.hash}"
    lines = _body(response).splitlines()
    header, entries = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    assert header["chain_head"] == {"seq": 7, "hash": head.hash}
    assert header["first_prev_hash"] == "0" * 64
    assert header["last"] == {"seq": 7, "hash": head.hash}
    assert header["count"] == 7 and [e["seq"] for e in entries] == list(range(1, 8))
    assert entries[-1]["after"] == {"status": "cancelled", "why_hi": "बीमार"}

    script = _script()
    assert script.verify(lines, contiguous=True) == (
        None,
        f"OK: 7 entries verified; chain head 7 {head.hash}",
    )
    assert script.verify(lines, expect_head=(7, head.hash))[0] is None
    # …and from the command line, as an external auditor runs it.
    path = tmp_path / "audit.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run(  # noqa: S603 (our own script on our own file)
        [sys.executable, str(SCRIPT), str(path), "--contiguous"], capture_output=True, text=True
    )
    assert (run.returncode, run.stdout) == (
        0,
        f"OK: 7 entries verified; chain head 7 {head.hash}\n",
    )


def test_a_filtered_export_re_verifies_with_its_first_prev_hash(client, auditor):
    append(3, action="test.a")
    append(3, action="test.b")
    append(2, action="test.a")
    lines = _body(client.get("/audit/export.jsonl", {"action": "test.a"})).splitlines()
    header = json.loads(lines[0])
    assert [json.loads(line)["seq"] for line in lines[1:]] == [1, 2, 3, 7, 8]
    assert header["first_prev_hash"] == "0" * 64
    assert header["filters"] == {"action": "test.a"}
    assert header["chain_head"]["seq"] == 8
    script = _script()
    assert script.verify(lines)[0] is None
    assert script.verify(lines, contiguous=True)[0] == "entry 7: gap (expected 4)"

    later = _body(client.get("/audit/export.jsonl", {"action": "test.b"})).splitlines()
    assert json.loads(later[0])["first_prev_hash"] == AuditEntry.objects.get(seq=3).hash
    assert script.verify(later)[0] is None


def _tampered(lines: list[str], seq: int, **changes) -> list[str]:
    out = list(lines)
    record = json.loads(out[seq])
    record.update(changes)
    out[seq] = json.dumps(record, ensure_ascii=False)
    return out


def test_the_script_finds_tampering_in_an_export(client, auditor, tmp_path):
    append(4)
    lines = _body(client.get("/audit/export.jsonl")).splitlines()
    script = _script()
    head_hash = json.loads(lines[0])["chain_head"]["hash"]

    assert script.verify(_tampered(lines, 2, action="test.innocent"))[0].startswith(
        "entry 2: hash mismatch"
    )
    dropped = lines[:2] + lines[3:]
    assert script.verify(dropped, contiguous=True)[0] == "entry 3: gap (expected 2)"
    assert script.verify(dropped)[0] == "3 entries, the header says 4"
    swapped = [lines[0], lines[1], lines[3], lines[2], lines[4]]
    assert script.verify(swapped)[0] == "entry 2: out of order after 3"
    forged_header = _tampered(lines, 0, chain_head={"seq": 4, "hash": "a" * 64})
    assert (
        script.verify(forged_header)[0]
        == "entry 4: head mismatch (not the header's chain_head hash)"
    )
    assert (
        script.verify(lines, expect_head=(9, head_hash))[0]
        == "the chain head 4 is older than the expected 9"
    )
    assert script.verify(["{}"])[0] == "the first line is not a sevamitra-audit-export/1 header"

    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(_tampered(lines, 3, after={"status": "x"})), encoding="utf-8")
    run = subprocess.run(  # noqa: S603 (our own script on our own file)
        [sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True
    )
    assert run.returncode == 1 and run.stderr.startswith("BROKEN: entry 3: hash mismatch")


def test_the_script_and_the_portal_hash_alike():
    entry = append(1)
    assert _script().entry_hash(entry.canonical()) == entry.hash


def test_csv_export_has_the_head_and_one_row_per_entry(client, auditor):
    append(2)
    head = AuditEntry.objects.get(seq=2)
    response = client.get("/audit/export.csv", {"object_type": "tests.thing"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    lines = _body(response).splitlines()
    assert lines[0] == "# format: sevamitra-audit-export/1"
    assert f'# chain_head: {{"hash": "{head.hash}", "seq": 2}}' in lines
    assert f"# first_prev_hash: {'0' * 64}" in lines
    columns = "seq,at,actor_id,actor_role,action,object_type,object_id,before,after,prev_hash,hash"
    rows = lines[lines.index(columns) + 1 :]
    assert len(rows) == 2
    assert rows[1].startswith("2,") and rows[1].endswith(f",{head.prev_hash},{head.hash}")
    assert ',"{""status"":""old""}","{""status"":""new1""}",' in rows[1]
