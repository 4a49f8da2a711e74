"""Two PostgreSQL roles, so the application cannot rewrite the logs that record what it did.

The *owner* role runs ``migrate`` and owns every table. The *application* role is the one the web service
(and its scheduled jobs) log in as: it may read and write ordinary tables, but on the access and audit logs
it may only read and add (SELECT, INSERT). Because it owns nothing, it cannot ALTER, DROP or TRUNCATE a log,
nor disable the triggers that refuse UPDATE, DELETE and TRUNCATE (migrations 0002 and 0004).

``application_role_grant`` is run by a deployer with the owner's connection (``safeguard database_roles``)
after every ``migrate``; the test in ``tests/test_database_roles.py`` applies exactly these grants and then
tries to rewrite the logs as that role. How a council deploys it: docs/how-to/deploying-database-roles.md.
"""

import re
from dataclasses import dataclass

from django.db import transaction

APPEND_ONLY_TABLES = ("audit_accessevent", "audit_auditevent")
# The trigger function of migration 0002. A table carrying it is append-only: a future partition of a log
# inherits its parent's row trigger, so it is found here without anyone remembering to list it.
REFUSE_FUNCTION = "safeguard_refuse_change"

ORDINARY_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
LOG_PRIVILEGES = "SELECT, INSERT"
# Lower-case, unquoted-style names only: they are put into GRANT statements, which take no parameters.
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class RoleSetupError(Exception):
    """The roles cannot be set up as asked; the message says why and what to do."""


@dataclass(frozen=True)
class RoleGrants:
    app_role: str
    owner: str
    schema: str
    created: bool
    append_only_tables: tuple[str, ...]


def application_role_grant(connection, app_role: str) -> RoleGrants:
    """Create ``app_role`` (LOGIN) if it is missing and give it exactly the application's privileges.

    Idempotent: everything it had on the schema's tables and sequences is revoked first, in the same
    transaction, so running it again after a migration (or on a role given too much by hand) converges.
    Refuses a role that could take the logs over: the owner itself, a superuser, a member of the owner or of
    the schema's owner (who may drop any table in the schema), a role that can create roles (in PostgreSQL 15
    it could grant itself the owner's membership), or a member of ``pg_write_all_data``.
    """
    if connection.vendor != "postgresql":
        raise RoleSetupError("Database roles are PostgreSQL's; this database is " + connection.vendor + ".")
    if not ROLE_NAME.fullmatch(app_role):
        raise RoleSetupError(
            f"{app_role!r} is not a plain role name: use lower-case letters, digits and underscores."
        )
    role = f'"{app_role}"'
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_schema(), tableowner, current_user, "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
            "FROM pg_tables WHERE schemaname = current_schema() AND tablename = %s",
            [APPEND_ONLY_TABLES[0]],
        )
        found = cursor.fetchone()
        if found is None:
            raise RoleSetupError(
                "The audit tables do not exist yet: run `safeguard migrate` as the owner first."
            )
        schema, owner, current_user, is_superuser = found
        if current_user != owner and not is_superuser:
            raise RoleSetupError(
                f"Connected as {current_user}, but the tables belong to {owner}: run this with the owner's "
                "connection (the one that runs migrate)."
            )
        if app_role == owner:
            raise RoleSetupError(
                f"{app_role} owns the tables, so it could drop or disable the logs' triggers: the application "
                "needs a role of its own."
            )

        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role])
        created = cursor.fetchone() is None
        if created:
            cursor.execute(f"CREATE ROLE {role} LOGIN")
        _refuse_a_role_that_could_take_the_logs_over(cursor, app_role, owner, schema)

        cursor.execute("SELECT has_schema_privilege(%s, %s, 'USAGE')", [app_role, schema])
        if not cursor.fetchone()[0]:
            cursor.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')

        logs = _append_only_tables(cursor)
        log_list = ", ".join(f'"{table}"' for table in logs)
        in_schema = f'IN SCHEMA "{schema}"'
        for statement in (
            f"REVOKE ALL ON ALL TABLES {in_schema} FROM {role}",
            f"GRANT {ORDINARY_TABLE_PRIVILEGES} ON ALL TABLES {in_schema} TO {role}",
            f"REVOKE ALL ON {log_list} FROM {role}, PUBLIC",
            f"GRANT {LOG_PRIVILEGES} ON {log_list} TO {role}",
            f"REVOKE ALL ON ALL SEQUENCES {in_schema} FROM {role}",
            f"GRANT USAGE ON ALL SEQUENCES {in_schema} TO {role}",
            # Tables and sequences that later migrations create (as the owner) get the same grants. The logs
            # exist already, so these defaults never reach them; a new append-only table must carry the
            # refuse trigger, and running this again after the migration narrows it to SELECT and INSERT.
            f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" {in_schema} REVOKE ALL ON TABLES FROM {role}',
            f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" {in_schema} REVOKE ALL ON SEQUENCES FROM {role}',
            f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" {in_schema} '
            f"GRANT {ORDINARY_TABLE_PRIVILEGES} ON TABLES TO {role}",
            f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" {in_schema} GRANT USAGE ON SEQUENCES TO {role}',
        ):
            cursor.execute(statement)
    return RoleGrants(app_role, owner, schema, created, logs)


def _append_only_tables(cursor) -> tuple[str, ...]:
    cursor.execute(
        "SELECT DISTINCT c.relname FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE p.proname = %s AND c.relnamespace = current_schema()::regnamespace",
        [REFUSE_FUNCTION],
    )
    return tuple(sorted({*APPEND_ONLY_TABLES, *(name for (name,) in cursor.fetchall())}))


def _refuse_a_role_that_could_take_the_logs_over(cursor, app_role: str, owner: str, schema: str) -> None:
    cursor.execute(
        "SELECT r.rolsuper, r.rolcreaterole, pg_has_role(r.oid, %s, 'MEMBER'), "
        "pg_has_role(r.oid, n.nspowner, 'MEMBER'), "
        "EXISTS (SELECT 1 FROM pg_roles w WHERE w.rolname = 'pg_write_all_data' "
        "        AND pg_has_role(r.oid, w.oid, 'MEMBER')) "
        "FROM pg_roles r, pg_namespace n WHERE r.rolname = %s AND n.nspname = %s",
        [owner, app_role, schema],
    )
    superuser, creates_roles, member_of_owner, member_of_schema_owner, writes_all = cursor.fetchone()
    reasons = [
        reason
        for refused, reason in (
            (superuser, "is a superuser"),
            (member_of_owner, f"is a member of {owner}, which owns the tables"),
            (member_of_schema_owner, f"is a member of the owner of schema {schema} (it owns the database?)"),
            (creates_roles, "has CREATEROLE (it could make itself a member of the owner)"),
            (writes_all, "is a member of pg_write_all_data"),
        )
        if refused
    ]
    if reasons:
        raise RoleSetupError(
            f"{app_role} {' and '.join(reasons)}, so it could rewrite the logs: give the application a plain "
            "LOGIN role."
        )
