"""Compare name keys byte by byte on PostgreSQL, whatever the database's collation.

Search finds names by prefix as a range, ``key >= 'jo' AND key < 'jo' || U+FFFF``
(safeguard/people/selectors.py). Under a linguistic collation (a council's server may be created with
en_GB.UTF-8) U+FFFF can sort as ignorable and the range would match nothing; under "C" it is the highest
character there is. SQLite compares bytewise already.
"""

from django.db import migrations

COLUMNS = ["first_name_key", "last_name_key"]


def to_c_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE people_person ALTER COLUMN {column} TYPE varchar(100) COLLATE "C"'
        )


def to_default_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"ALTER TABLE people_person ALTER COLUMN {column} TYPE varchar(100)")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(to_c_collation, to_default_collation)]
