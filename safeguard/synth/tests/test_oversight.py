"""The synthetic council's supervision, management decisions and case audits follow the rules the oversight
services enforce, and the struggling area shows in them."""

import pytest
from django.contrib.auth import get_user_model

from safeguard.oversight.models import (
    ActionStatus,
    AuditStatus,
    CaseAudit,
    CaseAuditAction,
    DecisionKind,
    Grade,
    ManagementDecision,
    Supervision,
)
from safeguard.oversight.policies import supervision_refusal
from safeguard.oversight.selectors import supervision_statuses
from safeguard.synth.geography import STRUGGLING_AREA
from safeguard.synth.tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("city", "db")


def director():
    return get_user_model().objects.get(username="director")


def test_every_supervision_is_by_someone_allowed_to_record_it():
    sessions = Supervision.objects.select_related("worker__user", "worker__team", "supervisor")
    assert sessions.exists()
    for session in sessions[:500]:
        assert supervision_refusal(session.supervisor, session.worker) is None
        assert session.held_on <= TODAY


def test_most_workers_are_supervised_on_time_and_the_struggling_area_less_so():
    statuses = supervision_statuses(director(), TODAY)
    assert statuses
    overdue = {True: [0, 0], False: [0, 0]}
    for status in statuses:
        tally = overdue[status.worker.team.area.code == STRUGGLING_AREA]
        tally[0] += status.is_overdue
        tally[1] += 1
    elsewhere = overdue[False][0] / overdue[False][1]
    struggling = overdue[True][0] / overdue[True][1]
    assert elsewhere < 0.2
    assert struggling > elsewhere


def test_decisions_in_supervision_are_on_the_childs_file_with_reasons():
    decisions = ManagementDecision.objects.filter(kind=DecisionKind.SUPERVISION).select_related(
        "supervision", "episode"
    )
    assert decisions.exists()
    for decision in decisions[:500]:
        assert decision.decision and decision.rationale
        assert decision.decided_on == decision.supervision.held_on
        assert decision.episode.child_id == decision.child_id
        assert decision.episode.referral_date <= decision.decided_on
        assert decision.discussion.supervision_id == decision.supervision_id


def test_audits_are_graded_and_actions_tracked():
    completed = CaseAudit.objects.filter(status=AuditStatus.COMPLETED)
    assert completed.exists()
    assert CaseAudit.objects.filter(status=AuditStatus.DRAFT).exists()
    assert set(completed.values_list("overall_grade", flat=True)) <= set(Grade.values)
    assert all(audit.answers.exists() for audit in completed[:50])
    actions = CaseAuditAction.objects.all()
    assert actions.filter(status=ActionStatus.DONE).exists()
    assert actions.filter(status=ActionStatus.OPEN).exists()
    # Actions come only from audits graded below good.
    assert not actions.filter(audit__overall_grade__in=[Grade.GOOD, Grade.OUTSTANDING]).exists()
