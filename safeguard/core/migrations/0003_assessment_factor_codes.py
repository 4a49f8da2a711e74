from django.db import migrations


def load(apps, schema_editor):
    from safeguard.core.reference import load_reference_codes

    load_reference_codes(apps.get_model("core", "ReferenceCode"))


class Migration(migrations.Migration):
    """CIN census assessment factor codes (FactorsIdentifiedAtAssessment), added for casework."""

    dependencies = [("core", "0002_load_reference_codes")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
