"""The audit log is append-only: on PostgreSQL a trigger refuses every UPDATE and DELETE of
its rows, whoever asks (the application's own database user included).

SQLite gets no trigger: `manage.py audit_verify` detects an edited, deleted or reordered row
from the hash chain. TRUNCATE (what the test suite's flush uses on PostgreSQL) is not a row
operation; production grants the application user no TRUNCATE on this table.
"""

from django.db import migrations

PG_FORWARD = [
    """CREATE FUNCTION audit_auditentry_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
           RAISE EXCEPTION 'audit_auditentry is append-only: % refused', TG_OP
               USING ERRCODE = 'insufficient_privilege';
       END
       $$""",
    """CREATE TRIGGER audit_auditentry_append_only
       BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only()""",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_append_only()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_entry")]

    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_REVERSE))]
