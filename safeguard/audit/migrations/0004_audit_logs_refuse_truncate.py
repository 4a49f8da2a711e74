"""On PostgreSQL, refuse TRUNCATE on the audit logs too: the row trigger of 0002 never fires for it.

A statement-level ``BEFORE TRUNCATE`` trigger runs the same ``safeguard_refuse_change`` function, for everyone,
the owner and superusers included: it guards against an accident (a ``TRUNCATE`` or ``TRUNCATE ... CASCADE``
typed against the wrong database). Against the application itself the guard is the privileges that
``safeguard database_roles`` grants: its role has no TRUNCATE privilege and does not own the tables, so it
cannot drop or disable either trigger (docs/security/append-only-database.md). The test suite's own flush
lifts this trigger inside its transaction (``safeguard/audit/management/commands/flush.py``).
"""

from django.db import migrations

TABLES = ["audit_accessevent", "audit_auditevent"]


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION safeguard_refuse_change();"
        )


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_access_action_download")]
    operations = [migrations.RunPython(add_triggers, remove_triggers)]
