"""The synthetic learning actions: every case audit action has its deadline, consistent with the action; the
actions agreed after serious incidents have their deadlines and history, a mix of on time, late and overdue.

The incidents are made by the ``incidents`` step; so that this test does not depend on how many it makes,
it also adds three incidents of its own (inside the test's savepoint) and runs the step's incident part on
them.
"""

import datetime
import random

import pytest

from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.incidents.models import AbuseOrNeglect, Harm, SeriousIncident
from safeguard.learning.models import DUTY, Entry, LearningAction, Status
from safeguard.organisation.models import Role, Worker
from safeguard.oversight.models import ActionStatus, CaseAuditAction
from safeguard.synth.steps import learning
from safeguard.synth.tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("city", "db")


def test_every_case_audit_action_has_one_deadline_consistent_with_it():
    actions = {a.pk: a for a in CaseAuditAction.objects.all()}
    assert actions
    deadlines = list(Deadline.objects.filter(duty_id=DUTY, scope_type="oversight.caseauditaction"))
    assert sorted(d.scope_id for d in deadlines) == sorted(actions)
    for deadline in deadlines:
        action = actions[deadline.scope_id]
        assert deadline.due_on == action.due_on and deadline.starts_on <= deadline.due_on
        if action.status == ActionStatus.DONE:
            assert deadline.status == DeadlineStatus.MET and deadline.closed_on == action.completed_on
            assert (deadline.breached_on is not None) == (action.completed_on > action.due_on)
        else:
            assert deadline.status == DeadlineStatus.OPEN
    assert any(d.is_overdue(TODAY) for d in deadlines)


def test_incident_actions_have_deadlines_history_and_a_mix_of_outcomes(city):
    ctx = city.context
    lead = Worker.objects.filter(role=Role.TEAM_MANAGER).select_related("team").first()
    child_ids = list(CaseAuditAction.objects.values_list("audit__child_id", flat=True)[:3])
    made = [
        SeriousIncident.objects.create(
            reference=f"SI-TEST-{n}",
            child_id=child_id,
            harm=Harm.SERIOUSLY_HARMED,
            abuse_or_neglect=AbuseOrNeglect.SUSPECTED,
            became_aware_on=TODAY - datetime.timedelta(days=500 + 40 * n),
            looked_after=False,
            summary="Synthetic.",
            lead=lead,
            team=lead.team,
            area=lead.team.area,
        )
        for n, child_id in enumerate(child_ids)
    ]
    ctx.rng = random.Random("test:learning")
    learning._incident_actions(ctx)
    actions = list(LearningAction.objects.filter(incident__in=made))
    assert 12 <= len(actions) <= 18  # a rapid review and a practice review each, two or three actions each
    by_id = {
        d.scope_id: d for d in Deadline.objects.filter(duty_id=DUTY, scope_type="learning.learningaction")
    }
    outcomes = set()
    for action in actions:
        deadline = by_id[action.pk]
        assert deadline.child_id == action.incident.child_id and deadline.due_on == action.due_on
        assert action.entries.filter(kind=Entry.AGREED).exists()
        if action.status == Status.DONE:
            assert action.evidence and deadline.status == DeadlineStatus.MET
            outcomes.add("late" if deadline.breached_on else "on time")
        else:
            assert deadline.status == DeadlineStatus.OPEN
            outcomes.add("overdue" if deadline.is_overdue(TODAY) else "open")
    assert {"on time", "late", "overdue"} <= outcomes
    # Rerunning makes nothing twice.
    learning._incident_actions(ctx)
    assert LearningAction.objects.filter(incident__in=made).count() == len(actions)
