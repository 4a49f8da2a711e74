"""A change to casework that would give the child's CIN census a new error is refused when it is saved, and
nothing of it is kept (core.record_checks; ADR 11)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from safeguard.casework import services
from safeguard.casework.models import Assessment, CinEpisode
from safeguard.core import record_checks
from safeguard.organisation.models import Allocation
from safeguard.people.models import ChildDisability
from safeguard.returns.record_checks import cin_census_problems

D = datetime.date
TODAY = D(2026, 5, 6)


@pytest.fixture
def episode(people):
    Allocation.objects.update(start_date=D(2020, 1, 1))
    with time_machine.travel(datetime.datetime(2026, 5, 6, 10, 0), tick=False):
        yield CinEpisode.objects.create(
            child=people.alices_child,
            referral_date=D(2026, 5, 1),
            referral_source="2A",
            team=people.north_team,
            area=people.north,
        )


def test_the_cin_census_checker_is_registered_and_names_the_rule(people, episode):
    ChildDisability.objects.filter(child=people.alices_child).delete()
    with time_machine.travel(datetime.datetime(2026, 5, 6, 10, 0), tick=False):
        found = cin_census_problems(people.alices_child.pk)
        assert cin_census_problems in record_checks._CHECKERS
    assert any(message.endswith("[CIN census rule 8540]") for message in found.values())


def test_a_problem_already_there_does_not_stop_an_unrelated_change(people, episode):
    ChildDisability.objects.filter(child=people.alices_child).delete()  # 8540, before the change
    with time_machine.travel(datetime.datetime(2026, 5, 6, 10, 0), tick=False):
        services.assessment_start(episode=episode, started_by=people.social_worker.user, start_date=TODAY)
    assert Assessment.objects.filter(episode=episode).exists()


def test_a_change_that_adds_a_problem_is_refused_and_undone(people, episode, monkeypatch):
    """A stand-in rule that an assessment breaks: the service is refused with its message, and rolled back."""

    def no_assessments(child_pk: int) -> dict[str, str]:
        if Assessment.objects.filter(child_id=child_pk).exists():
            return {"test:1": "An assessment is not allowed here [stand-in rule]"}
        return {}

    monkeypatch.setattr(record_checks, "_CHECKERS", [*record_checks._CHECKERS, no_assessments])
    with (
        time_machine.travel(datetime.datetime(2026, 5, 6, 10, 0), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        services.assessment_start(episode=episode, started_by=people.social_worker.user, start_date=TODAY)
    assert refused.value.messages == ["An assessment is not allowed here [stand-in rule]"]
    assert not Assessment.objects.filter(episode=episode).exists()
