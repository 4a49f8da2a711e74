"""The synthetic council's improvement plan: about twenty actions over three years, for the council and its
areas, some done with evidence, some late, one dropped with its reason, several linked to a measure with a
target and the baseline the measure had when the action was set; each with its status history."""

import pytest

from safeguard.leadership.measures import definitions
from safeguard.leadership.models import ActionStatus, ImprovementAction
from safeguard.synth.geography import STRUGGLING_AREA
from safeguard.synth.tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("city", "db")


def test_a_three_year_plan_of_about_twenty_actions_across_areas():
    actions = list(ImprovementAction.objects.select_related("area", "owner"))
    assert 15 <= len(actions) <= 25
    due = sorted(action.due_on for action in actions)
    assert (due[-1] - min(a.baseline_on or a.due_on for a in actions)).days > 365
    assert any(action.area is None for action in actions)
    assert {action.area.code for action in actions if action.area} >= {STRUGGLING_AREA}
    assert len({action.area_id for action in actions}) >= 4


def test_done_actions_have_evidence_late_ones_are_open_and_dropped_ones_a_reason():
    actions = list(ImprovementAction.objects.all())
    done = [a for a in actions if a.status == ActionStatus.DONE]
    assert done and all(a.evidence and a.completed_on and a.completed_on <= TODAY for a in done)
    assert ImprovementAction.objects.late(TODAY).exists()
    assert all(a.dropped_reason for a in actions if a.status == ActionStatus.DROPPED)
    assert all(
        a.due_on >= TODAY for a in actions if a.status == ActionStatus.NOT_STARTED and not a.is_late(TODAY)
    )


def test_linked_actions_have_a_measure_target_and_baseline_from_the_records():
    linked = list(ImprovementAction.objects.exclude(measure=""))
    assert len(linked) >= 5
    for action in linked:
        assert action.measure in definitions()
        assert action.target is not None and action.baseline_on is not None
        assert action.baseline_denominator is not None
    assert any(a.baseline is not None and a.baseline_denominator > 0 for a in linked)


def test_every_action_has_its_status_history_ending_in_its_status():
    for action in ImprovementAction.objects.prefetch_related("status_changes"):
        changes = list(action.status_changes.all())
        assert changes[0].from_status == "" and changes[0].to_status == ActionStatus.NOT_STARTED
        assert changes[-1].to_status == action.status
        assert all(c.changed_on <= TODAY for c in changes)
