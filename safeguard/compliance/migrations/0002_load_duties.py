from django.db import migrations


def load(apps, schema_editor):
    from safeguard.compliance.registry import load_duties

    load_duties(apps.get_model("compliance", "StatutoryDuty"))


class Migration(migrations.Migration):
    """The statutory duties in compliance/data/duties.csv. A new duty: add its row, then a migration like this."""

    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
