"""``safeguard database_roles APP_ROLE``: let the application role read and add to the audit logs, never
rewrite them (PostgreSQL).

Run by a deployer with the owner's ``DATABASE_URL`` after every ``safeguard migrate``. It creates the role
(LOGIN, no password: set one with psql's ``\\password``, or use certificate authentication) if it is missing,
and grants it SELECT, INSERT, UPDATE and DELETE on every table, USAGE on every sequence, the same on tables that
later migrations create, and only SELECT and INSERT on the access and audit logs. Running it again changes
nothing. See docs/how-to/deploying-database-roles.md.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from safeguard.audit.database_roles import RoleSetupError, application_role_grant


class Command(BaseCommand):
    help = "Create or update the PostgreSQL role the application logs in as, which cannot rewrite the audit logs."

    def add_arguments(self, parser):
        parser.add_argument("app_role", help="The role the web service connects as, e.g. safeguard_app")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database alias (default: default)"
        )

    def handle(self, *args, app_role, database, **options):
        try:
            grants = application_role_grant(connections[database], app_role)
        except RoleSetupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Role {grants.app_role} {'created (LOGIN, no password yet)' if grants.created else 'already existed'}. "
            f"It may read and write the tables of schema {grants.schema} owned by {grants.owner}, "
            f"and only read and add to {', '.join(grants.append_only_tables)}."
        )
