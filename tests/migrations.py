"""Moving the test database to a migration and back, for tests of data migrations (PostgreSQL only: its schema
changes roll back with the test's transaction, where SQLite cannot change a schema inside one)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def latest():
    """The migrations every app is at when all are applied."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    """Migrate to ``targets`` and return the apps as they were there (historical models)."""
    # The rows a test has written wait on deferred foreign key checks, and PostgreSQL will not alter a table
    # with checks pending: make them now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
