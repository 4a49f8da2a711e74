from django.db import migrations


def load(apps, schema_editor):
    from safeguard.core.reference import load_reference_codes

    load_reference_codes(apps.get_model("core", "ReferenceCode"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
