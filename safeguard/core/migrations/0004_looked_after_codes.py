from django.db import migrations


def load(apps, schema_editor):
    from safeguard.core.reference import load_reference_codes

    load_reference_codes(apps.get_model("core", "ReferenceCode"))


class Migration(migrations.Migration):
    """SSDA903 code lists for children looked after and care leavers (legal status, placement type and
    provider, reasons for a new episode, for an episode ending and for a placement change, review
    participation, and the OC3 in touch, activity and accommodation codes), added for lookedafter."""

    dependencies = [("core", "0003_assessment_factor_codes")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
