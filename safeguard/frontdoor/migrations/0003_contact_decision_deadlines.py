"""The one-working-day clock moves from ``Contact.decision_due`` to the compliance engine: every existing
contact gets its ``contact_decision`` deadline, as ``contact_record`` and ``contact_decide`` now make them
(Working Together 2023 ch.3: a decision within one working day of the contact arriving).

The deadline is due on the day the contact stored: that clock was already running, and a later change to
the calendar must not move it. A decided contact's deadline is met on the day of its decision (in local
time), late if after the due day; a contact recorded in error no longer needs one (cancelled on the day it
was last changed, the best record of when that was found); a contact still awaiting a decision keeps it
open, breached already if its day has passed, as the daily sweep would mark it.

The column itself is dropped by the next migration, once this has committed. Reversed, the column is
filled again from the deadlines (every contact has one: this migration made the old ones, ``contact_record``
the new) and the deadlines are removed.
"""

import datetime

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

DUTY = "contact_decision"
SCOPE = "frontdoor.contact"
BATCH = 2_000


def _closure(status, decided_at, modified_at):
    """(deadline status, closed on, closed by) for a contact in ``status``."""
    if status == "decided":
        # A decided contact has its decision row; the contact's last change is the same moment otherwise.
        return "met", timezone.localtime(decided_at or modified_at).date(), "contact.decided"
    if status == "recorded_in_error":
        return "cancelled", timezone.localtime(modified_at).date(), "contact.recorded_in_error"
    return "open", None, ""


def open_deadlines(apps, schema_editor):
    Contact = apps.get_model("frontdoor", "Contact")
    Deadline = apps.get_model("compliance", "Deadline")
    today = timezone.localdate()
    already = set(Deadline.objects.filter(duty_id=DUTY, scope_type=SCOPE).values_list("scope_id", flat=True))
    rows = (
        Contact.objects.order_by("pk")
        .values_list(
            "pk",
            "child_id",
            "received_at",
            "decision_due",
            "status",
            "team_id",
            "area_id",
            "created_by_id",
            "modified_by_id",
            "modified_at",
            "decision__decided_at",
            "decision__decided_by_id",
        )
        .iterator(chunk_size=BATCH)
    )
    batch = []
    for (
        pk,
        child_id,
        received_at,
        due_on,
        status,
        team_id,
        area_id,
        created_by_id,
        modified_by_id,
        modified_at,
        decided_at,
        decided_by_id,
    ) in rows:
        if pk in already:
            continue
        state, closed_on, closed_by = _closure(status, decided_at, modified_at)
        late = (closed_on or today) > due_on
        batch.append(
            Deadline(
                duty_id=DUTY,
                child_id=child_id,
                scope_type=SCOPE,
                scope_id=pk,
                started_by="contact.received",
                starts_on=timezone.localtime(received_at).date(),
                due_on=due_on,
                status=state,
                closed_on=closed_on,
                closed_by=closed_by,
                breached_on=due_on + datetime.timedelta(days=1) if late else None,
                days_late=(closed_on - due_on).days if late and closed_on else None,
                team_id=team_id,
                area_id=area_id,
                created_by_id=created_by_id,
                modified_by_id=decided_by_id or modified_by_id,
            )
        )
        if len(batch) >= BATCH:
            Deadline.objects.bulk_create(batch)
            batch.clear()
    Deadline.objects.bulk_create(batch)


def restore_decision_due(apps, schema_editor):
    Contact = apps.get_model("frontdoor", "Contact")
    Deadline = apps.get_model("compliance", "Deadline")
    deadlines = Deadline.objects.filter(duty_id=DUTY, scope_type=SCOPE)
    Contact.objects.update(
        decision_due=Subquery(deadlines.filter(scope_id=OuterRef("pk")).values("due_on")[:1])
    )
    deadlines.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("frontdoor", "0002_queue_and_decision_indexes"),
        ("compliance", "0002_load_duties"),
    ]

    operations = [
        # Nullable for the way back only: reversing the next migration adds the column again before
        # ``restore_decision_due`` fills it.
        migrations.AlterField(
            model_name="contact",
            name="decision_due",
            field=models.DateField(
                help_text="The end of the next working day after the contact arrived", null=True
            ),
        ),
        migrations.RunPython(open_deadlines, restore_decision_due),
    ]
