"""No two blocks of one provider's calendar overlap, enforced by the database itself.

A block occupies [starts_at, busy_until): its time plus the provider's travel buffer after it,
so two blocks conflict exactly when they are closer than the buffer.
- PostgreSQL: an exclusion constraint over (provider, tstzrange) with btree_gist.
- SQLite: triggers that abort an insert or update that would overlap. SQLite stores these
  datetimes as ISO-8601 text in UTC, which compares in time order.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE providers_calendarblock ADD CONSTRAINT calendarblock_no_overlap
       EXCLUDE USING gist (provider_id WITH =, tstzrange(starts_at, busy_until, '[)') WITH &&)""",
]
PG_REVERSE = ["ALTER TABLE providers_calendarblock DROP CONSTRAINT calendarblock_no_overlap"]

_SQLITE_CONDITION = """
    EXISTS (SELECT 1 FROM providers_calendarblock b
            WHERE b.provider_id = NEW.provider_id AND b.id IS NOT NEW.id
              AND b.starts_at < NEW.busy_until AND NEW.starts_at < b.busy_until)
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER calendarblock_no_overlap_insert BEFORE INSERT ON providers_calendarblock
        WHEN {_SQLITE_CONDITION}
        BEGIN SELECT RAISE(ABORT, 'calendarblock_no_overlap'); END""",
    f"""CREATE TRIGGER calendarblock_no_overlap_update BEFORE UPDATE ON providers_calendarblock
        WHEN {_SQLITE_CONDITION}
        BEGIN SELECT RAISE(ABORT, 'calendarblock_no_overlap'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER calendarblock_no_overlap_insert",
    "DROP TRIGGER calendarblock_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("providers", "0003_booking_engine_fields")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
