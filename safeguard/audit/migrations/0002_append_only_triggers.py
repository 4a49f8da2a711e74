"""On PostgreSQL, refuse UPDATE and DELETE on the audit logs from any client, not just from Django.

SQLite (the demo database) relies on the model-level guard in ``safeguard.audit.models.AppendOnly``.
"""

from django.db import migrations

TABLES = ["audit_accessevent", "audit_auditevent"]

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION safeguard_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION safeguard_refuse_change();"
        )


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS safeguard_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(add_triggers, remove_triggers)]
