"""Case audit actions set before learning actions counted as a duty get their deadlines, as if the services
had raised ``learning_action.agreed`` (and ``.completed``) when they were recorded (ADR 0019).

An open action gets an open deadline to its due date; a done one a met deadline, late (with the days late) if
it was done after its due date, so the report's "done on time" and "done late" cover the history too. The
clock starts on the day the action was set (never after its due date). Idempotent: an action that already has
a deadline is skipped. Reversing deletes only the deadlines this created (started by this migration).
"""

import datetime

from django.db import migrations

DUTY = "learning_action"
SCOPE = "oversight.caseauditaction"
STARTED_BY = "learning_action.agreed"


def forwards(apps, schema_editor):
    from safeguard.compliance.registry import load_duties

    StatutoryDuty = apps.get_model("compliance", "StatutoryDuty")
    Deadline = apps.get_model("compliance", "Deadline")
    CaseAuditAction = apps.get_model("oversight", "CaseAuditAction")
    # The duty's row, before any deadline refers to it (the table otherwise follows the file after migrate).
    load_duties(StatutoryDuty, using=schema_editor.connection.alias)
    have = set(Deadline.objects.filter(duty_id=DUTY, scope_type=SCOPE).values_list("scope_id", flat=True))
    new = []
    for action in CaseAuditAction.objects.select_related("audit", "owner__team").iterator():
        if action.pk in have:
            continue
        starts_on = min(action.created_at.date(), action.due_on)
        team = action.owner.team
        done = action.status == "done"
        late = done and action.completed_on > action.due_on
        new.append(
            Deadline(
                duty_id=DUTY,
                child_id=action.audit.child_id,
                scope_type=SCOPE,
                scope_id=action.pk,
                started_by=STARTED_BY,
                starts_on=starts_on,
                due_on=action.due_on,
                status="met" if done else "open",
                closed_on=action.completed_on if done else None,
                closed_by="learning_action.completed" if done else "",
                breached_on=action.due_on + datetime.timedelta(days=1) if late else None,
                days_late=(action.completed_on - action.due_on).days if late else None,
                team_id=team.pk if team else None,
                area_id=team.area_id if team else action.owner.area_id,
                created_by_id=action.created_by_id,
                modified_by_id=action.created_by_id,
            )
        )
    Deadline.objects.bulk_create(new, batch_size=1000)


def backwards(apps, schema_editor):
    Deadline = apps.get_model("compliance", "Deadline")
    Deadline.objects.filter(duty_id=DUTY, scope_type=SCOPE, started_by=STARTED_BY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_learning_actions"),
        ("oversight", "0001_initial"),
        ("compliance", "0004_performance_measure_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
