"""Django's ``flush``, which on PostgreSQL cannot empty the audit logs except inside the test suite.

``flush`` empties every table with one ``TRUNCATE``, and the logs' ``BEFORE TRUNCATE`` trigger (migration 0004)
refuses it, so a ``safeguard flush`` against a council's database fails as a whole and erases nothing. Django's
test framework flushes the test database after every ``transaction=True`` test (the browser tests), so there,
and only there, the triggers are disabled inside the flush's transaction and enabled again before it commits:
no other session ever sees the logs unguarded, and a failed flush rolls the change back with everything else.
Disabling a trigger needs the table's owner, so this gives the connecting role nothing it did not have.
"""

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections, transaction
from django.test.utils import _TestState

from safeguard.audit.database_roles import APPEND_ONLY_TABLES


def _inside_the_test_suite() -> bool:
    # Set by django.test.utils.setup_test_environment (which pytest-django calls) and removed by its teardown;
    # Django itself checks it the same way. Were it renamed, the test suite's flush would fail loudly: the
    # guard would stay up, never come down.
    return hasattr(_TestState, "saved_data")


class Command(flush.Command):
    help = flush.Command.help + " On PostgreSQL the audit logs refuse it, except in the test suite."

    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(**options)
        if not _inside_the_test_suite():
            raise CommandError(
                "The access and audit logs are append-only: flush would erase them, and their TRUNCATE trigger "
                "refuses it. To start again, drop and recreate the database."
            )
        with transaction.atomic(using=connection.alias):
            self._set_truncate_triggers(connection, "DISABLE")
            super().handle(**options)
            self._set_truncate_triggers(connection, "ENABLE")

    def _set_truncate_triggers(self, connection, state: str) -> None:
        with connection.cursor() as cursor:
            for table in APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} {state} TRIGGER {table}_no_truncate")
