"""On PostgreSQL the application's own role can add to the audit logs and read them, and nothing more.

The proof logs in as such a role, made by the same command a deployer runs, and tries every way to rewrite or
remove a log. Issue 8: "the application role cannot update or delete them, and a test proves it".
"""

import secrets
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from safeguard.audit.database_roles import APPEND_ONLY_TABLES
from safeguard.audit.management.commands import flush
from safeguard.audit.models import AccessEvent, AuditEvent
from tests.factories import UserFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are PostgreSQL hardening; CI runs it"
)


def a_role_name():
    return f"safeguard_app_test_{secrets.token_hex(6)}"


def grant(app_role):
    out = StringIO()
    call_command("database_roles", app_role, stdout=out)
    return out.getvalue()


@pytest.fixture
def app_role():
    """A LOGIN role made by ``safeguard database_roles``, committed (a second connection must see it), and
    removed from the cluster afterwards: roles outlive the test database."""
    name = a_role_name()
    password = secrets.token_urlsafe(24)
    assert "created" in grant(name)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER ROLE {name} PASSWORD %s", [password])
    yield name, password
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {name}")
        cursor.execute(f"DROP ROLE {name}")


def connect_as(name, password):
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        dbname=settings["NAME"],
        user=name,
        password=password,
        autocommit=True,
    )


def refused(app, statement, says):
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege) as raised:
        app.execute(statement)
    assert says in str(raised.value), f"{statement}: {raised.value}"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_application_role_adds_to_the_logs_and_reads_them_but_cannot_rewrite_or_remove_them(app_role):
    user = UserFactory(username="alice")
    assert "already existed" in grant(app_role[0]), "running the command again changes nothing"

    with connect_as(*app_role) as app:
        app.execute(
            "INSERT INTO audit_accessevent (at, user_id, action, outcome, basis, subject) "
            "VALUES (now(), %s, 'view', 'allowed', 'allocated worker', 'record')",
            [user.pk],
        )
        app.execute(
            "INSERT INTO audit_auditevent (at, actor_id, action, entity_type, entity_id, changes, reason) "
            "VALUES (now(), %s, 'child.created', 'people.child', '1', '{}', '')",
            [user.pk],
        )
        assert app.execute("SELECT basis FROM audit_accessevent").fetchall() == [("allocated worker",)]
        assert app.execute("SELECT count(*) FROM audit_auditevent").fetchone() == (1,)

        for table in APPEND_ONLY_TABLES:
            # "permission denied", not the trigger's "append-only": the privilege itself is missing.
            refused(app, f"UPDATE {table} SET at = now()", "permission denied")  # noqa: S608 (our constants)
            refused(app, f"DELETE FROM {table}", "permission denied")  # noqa: S608
            refused(app, f"TRUNCATE {table}", "permission denied")
            refused(app, f"TRUNCATE {table} CASCADE", "permission denied")
            refused(app, f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only", "must be owner")
            refused(app, f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_truncate", "must be owner")
            refused(app, f"DROP TRIGGER {table}_append_only ON {table}", "must be owner")
            refused(app, f"DROP TABLE {table} CASCADE", "must be owner")
            refused(app, f"ALTER TABLE {table} RENAME TO {table}_old", "must be owner")
            refused(app, f"ALTER TABLE {table} OWNER TO {app_role[0]}", "must be owner")
            refused(
                app,
                f"CREATE TRIGGER sneaky BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION safeguard_refuse_change()",
                "permission denied",
            )
        refused(app, "SET session_replication_role = replica", "permission denied")
        refused(app, "DROP FUNCTION safeguard_refuse_change() CASCADE", "must be owner")

        # Everything else stays the application's to change.
        app.execute("UPDATE auth_user SET first_name = 'Alicia' WHERE id = %s", [user.pk])
        app.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('k', 'd', now())"
        )
        app.execute("UPDATE django_session SET session_data = 'e' WHERE session_key = 'k'")
        app.execute("DELETE FROM django_session WHERE session_key = 'k'")

    user.refresh_from_db()
    assert user.first_name == "Alicia"
    assert AccessEvent.objects.get().basis == "allocated worker"
    assert AuditEvent.objects.count() == 1
    # The teardown's flush empties these logs again: the test suite's own exception (commands/flush.py).


@postgresql_only
def test_tables_made_by_later_migrations_are_the_applications_but_the_logs_stay_read_and_add(db):
    name = a_role_name()  # made inside the test's transaction, so it goes with the rollback
    grant(name)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE later_migration_table (id bigint GENERATED BY DEFAULT AS IDENTITY)")

        def may(table, privilege):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [name, table, privilege])
            return cursor.fetchone()[0]

        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            assert may("later_migration_table", privilege)
            assert may("people_child", privilege)
        for table in APPEND_ONLY_TABLES:
            assert may(table, "SELECT") and may(table, "INSERT")
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"):
                assert not may(table, privilege), (table, privilege)
        assert not may("people_child", "TRUNCATE")
        cursor.execute(
            "SELECT has_sequence_privilege(%s, pg_get_serial_sequence('later_migration_table', 'id'), 'USAGE')",
            [name],
        )
        assert cursor.fetchone()[0]


@postgresql_only
def test_running_it_again_takes_back_what_was_granted_on_the_logs_by_hand(db):
    name = a_role_name()
    grant(name)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT ALL ON audit_accessevent TO {name}")
        grant(name)
        cursor.execute("SELECT has_table_privilege(%s, 'audit_accessevent', 'DELETE')", [name])
        assert cursor.fetchone()[0] is False


@postgresql_only
@pytest.mark.parametrize(
    "make_role, says",
    [
        (None, "owns the tables"),
        ("CREATE ROLE {name} LOGIN SUPERUSER", "is a superuser"),
        ("CREATE ROLE {name} LOGIN CREATEROLE", "has CREATEROLE"),
        ('CREATE ROLE {name} LOGIN IN ROLE "{owner}"', "is a member of"),
        ("CREATE ROLE {name} LOGIN IN ROLE pg_write_all_data", "pg_write_all_data"),
    ],
)
def test_a_role_that_could_take_the_logs_over_is_refused(db, make_role, says):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_accessevent'")
        owner = cursor.fetchone()[0]
        name = owner if make_role is None else a_role_name()
        if make_role:
            cursor.execute(make_role.format(name=name, owner=owner))
    with pytest.raises(CommandError, match=says):
        grant(name)


@postgresql_only
def test_a_role_name_that_is_not_plain_is_refused(db):
    with pytest.raises(CommandError, match="not a plain role name"):
        grant('app"; DROP TABLE audit_accessevent; --')


@pytest.mark.skipif(connection.vendor == "postgresql", reason="what the command says on SQLite")
def test_on_sqlite_the_command_says_roles_are_postgresqls(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        grant("safeguard_app")


@postgresql_only
def test_postgresql_refuses_truncate_of_the_logs_even_from_their_owner(people):
    AuditEvent.objects.create(action="child.created", entity_type="people.child", entity_id="1")
    with connection.cursor() as cursor:
        # PostgreSQL will not truncate a table with foreign key checks pending: make them now, so that the
        # refusal seen is the trigger's.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for statement in (
        "TRUNCATE audit_accessevent",
        "TRUNCATE audit_auditevent",
        "TRUNCATE people_child CASCADE",  # reaches the logs through their foreign keys
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 1


@postgresql_only
def test_flush_outside_the_test_suite_is_refused_and_erases_nothing(people, monkeypatch):
    AuditEvent.objects.create(action="child.created", entity_type="people.child", entity_id="1")
    monkeypatch.setattr(flush, "_inside_the_test_suite", lambda: False)
    with pytest.raises(CommandError, match="append-only"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 1
