"""Management decisions: who records them, and that they are on the child's chronology and case file, with
the supervision they came from linked only for those who may see it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.casework.chronology import chronology_for
from safeguard.oversight import services
from safeguard.oversight.casefile import oversight_context
from safeguard.oversight.models import DecisionKind, ManagementDecision
from safeguard.oversight.selectors import management_decisions
from safeguard.oversight.services import CaseDiscussed
from safeguard.oversight.tests.conftest import TODAY, days_ago


def decide(people, by=None, child=None, **changes):
    values = {
        "child": child or people.alices_child,
        "decided_by": (by or people.team_manager).user,
        "kind": DecisionKind.CASE_DIRECTION,
        "decision": "Convene a strategy discussion",
        "rationale": "New disclosure at school",
        "decided_on": days_ago(1),
        **changes,
    }
    return services.management_decision_record(**values)


def test_a_manager_records_a_decision_on_the_childs_file(people, episode):
    decision = decide(people)
    assert decision.episode == episode and decision.kind == DecisionKind.CASE_DIRECTION
    event = AuditEvent.objects.get(action="management_decision.recorded")
    assert event.child == people.alices_child and event.reason == "New disclosure at school"
    decide(people, by=people.hos, kind=DecisionKind.PLAN_CHANGE)
    decide(people, by=people.director, kind=DecisionKind.OTHER)
    assert ManagementDecision.objects.count() == 3


@pytest.mark.parametrize("persona", ["social_worker", "inspector", "iro", "other_worker", "front_door"])
def test_only_a_manager_who_may_change_the_record_decides(people, persona):
    with pytest.raises(PermissionDenied):
        decide(people, by=getattr(people, persona))
    assert not ManagementDecision.objects.exists()


def test_a_manager_of_another_team_may_not_decide_on_a_child_they_cannot_see(people, south_manager):
    with pytest.raises(PermissionDenied):
        decide(people, by=south_manager)


def test_a_decision_needs_its_reasons_a_past_date_and_not_the_supervision_kind(people):
    with pytest.raises(ValidationError) as error:
        decide(
            people,
            decision="",
            rationale=" ",
            decided_on=TODAY.replace(year=2027),
            kind=DecisionKind.SUPERVISION,
        )
    assert error.value.message_dict == {
        "kind": ["A decision made in supervision is recorded with the supervision"],
        "decision": ["Enter the decision"],
        "rationale": ["Enter the reasons for the decision"],
        "decided_on": ["The date of the decision cannot be in the future"],
    }
    assert not ManagementDecision.objects.exists() and not AuditEvent.objects.exists()


def test_decisions_are_on_the_childs_chronology(people):
    decide(people)
    (entry,) = [entry for entry in chronology_for(people.alices_child) if entry.kind == "management"]
    assert entry.on == days_ago(1) and entry.title == "Management decision (case direction)"
    assert "Convene a strategy discussion" in entry.detail and "New disclosure at school" in entry.detail
    assert entry.by == "Tess Worker"
    assert chronology_for(people.carls_child, kinds=["management"]) == []


@pytest.fixture
def from_supervision(people):
    return services.supervision_record(
        worker=people.social_worker,
        supervised_by=people.team_manager.user,
        held_on=days_ago(2),
        notes="Alice is tired",
        cases=[
            CaseDiscussed(child=people.alices_child, decision="Visit weekly", rationale="Neglect worsening")
        ],
    )


def test_the_case_file_links_a_decision_to_its_supervision_only_for_those_who_may_see_it(
    people, from_supervision
):
    child = people.alices_child
    decide(people)
    for viewer, linked in [
        (people.team_manager, True),  # held it
        (people.social_worker, True),  # it is hers
        (people.hos, True),  # her manager's manager
        (people.director, True),
        (people.colleague, False),  # sees Alice's child (same team), not Alice's supervision
    ]:
        section = oversight_context(child, TODAY, viewer.user)
        links = {decision.kind: shown for decision, shown in section["decisions"]}
        assert links == {DecisionKind.SUPERVISION: linked, DecisionKind.CASE_DIRECTION: False}, viewer


def test_the_case_file_section_makes_a_fixed_number_of_queries(
    people, from_supervision, django_assert_max_num_queries
):
    for _ in range(6):
        decide(people)
    with django_assert_max_num_queries(8):
        section = oversight_context(people.alices_child, TODAY, people.colleague.user)
    assert len(section["decisions"]) == 5


def test_the_dashboard_lists_decisions_on_children_the_user_may_see(people, from_supervision, south_manager):
    since = days_ago(7)
    assert [d.child for d in management_decisions(people.hos.user, since)] == [people.alices_child]
    assert list(management_decisions(south_manager.user, since)) == []
    assert list(management_decisions(people.director.user, days_ago(1))) == []  # made two days ago
