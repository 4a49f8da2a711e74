"""The data migration gives case audit actions recorded before this work their deadlines: open ones open to
their due date, done ones met (late, with the days late, where done after the due date); run twice, it adds
nothing."""

import datetime
import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.learning.models import DUTY
from safeguard.oversight.models import ActionStatus, CaseAudit, CaseAuditAction

D = datetime.date
migration = importlib.import_module("safeguard.learning.migrations.0002_case_audit_action_deadlines")


def test_existing_case_audit_actions_get_their_deadlines(people):
    audit = CaseAudit.objects.create(
        child=people.alices_child, auditor=people.team_manager, started_on=D(2026, 11, 2)
    )
    common = dict(audit=audit, owner=people.social_worker, created_by=people.team_manager.user)
    still_open = CaseAuditAction.objects.create(description="Open", due_on=D(2026, 11, 20), **common)
    late = CaseAuditAction.objects.create(
        description="Late",
        due_on=D(2026, 11, 20),
        status=ActionStatus.DONE,
        completed_on=D(2026, 11, 25),
        evidence="Done",
        **common,
    )
    editor = SimpleNamespace(connection=connection)
    migration.forwards(apps, editor)
    migration.forwards(apps, editor)
    rows = {
        d.scope_id: d for d in Deadline.objects.filter(duty_id=DUTY, scope_type="oversight.caseauditaction")
    }
    assert len(rows) == 2
    opened = rows[still_open.pk]
    assert (opened.status, opened.due_on, opened.child, opened.team) == (
        DeadlineStatus.OPEN,
        D(2026, 11, 20),
        people.alices_child,
        people.north_team,
    )
    assert opened.is_overdue()  # frozen on 2 December 2026
    done = rows[late.pk]
    assert (done.status, done.breached_on, done.days_late) == (DeadlineStatus.MET, D(2026, 11, 21), 5)
    migration.backwards(apps, editor)
    assert not Deadline.objects.filter(duty_id=DUTY).exists()
