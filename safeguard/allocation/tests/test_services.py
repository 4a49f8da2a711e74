"""Allocating and ending allocations: who may, what is checked, what is kept, and that bad input changes
nothing."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from safeguard.allocation import services
from safeguard.allocation.models import OverLimitAllocation
from safeguard.allocation.selectors import over_limit_allocations, unallocated_queue
from safeguard.allocation.services import allocation_allocate, allocation_end, worker_allocations_end
from safeguard.allocation.tests.conftest import (
    REFERRED,
    TODAY,
    children_with_cases,
    on_cp_plan,
    open_case,
    siblings,
    social_worker,
)
from safeguard.audit.models import AuditEvent
from safeguard.casework.models import CinEpisode
from safeguard.organisation.models import Allocation, AllocationRole, Role, TeamKind
from tests.factories import AllocationFactory, ChildFactory, TeamFactory, UserFactory, WorkerFactory

D = datetime.date
YESTERDAY = TODAY - datetime.timedelta(days=1)


def queue(user) -> set[int]:
    return {episode.child_id for episode in unallocated_queue(user=user, today=TODAY)}


def open_allocations(child) -> list[Allocation]:
    return list(
        Allocation.objects.filter(child=child, role=AllocationRole.SOCIAL_WORKER, end_date__isnull=True)
    )


@pytest.fixture
def assessment_team(people):
    """North's assessment team, which holds new cases until they are allocated (casework.responsible_team)."""
    return TeamFactory(area=people.north, name="Assessment North", kind=TeamKind.ASSESSMENT)


@pytest.fixture
def waiting(people):
    """A child with an open case held by North's child in need team, and no worker."""
    child = ChildFactory()
    open_case(child, people.north_team)
    return child


# -- allocating -----------------------------------------------------------------------------------------------


def test_a_team_manager_allocates_a_waiting_child_dated_and_audited(people, waiting):
    assert waiting.pk in queue(people.team_manager.user)
    (allocation,) = allocation_allocate(
        children=[waiting],
        worker=people.social_worker,
        allocated_by=people.team_manager.user,
        start_date=TODAY,
    )
    assert (allocation.worker, allocation.team, allocation.start_date, allocation.end_date) == (
        people.social_worker,
        people.north_team,
        TODAY,
        None,
    )
    assert allocation.role == AllocationRole.SOCIAL_WORKER
    assert waiting.pk not in queue(people.team_manager.user)
    event = AuditEvent.objects.get(action="allocation.allocated", entity_id=str(allocation.pk))
    assert event.child_id == waiting.pk and event.actor == people.team_manager.user
    assert event.changes["worker"] == [None, people.social_worker.pk]


def test_the_case_passes_to_the_workers_team_in_the_same_area(people, assessment_team):
    child = ChildFactory()
    episode = open_case(child, assessment_team)
    allocation_allocate(
        children=[child], worker=people.social_worker, allocated_by=people.hos.user, start_date=TODAY
    )
    episode.refresh_from_db()
    assert (episode.team, episode.area, episode.version) == (people.north_team, people.north, 2)
    assert AuditEvent.objects.filter(action="cin_episode.team_changed", entity_id=str(episode.pk)).exists()


def test_a_sibling_group_is_allocated_together(people):
    a, b = children_with_cases(people.north_team, 2)
    siblings(a, b)
    made = allocation_allocate(
        children=[a, b], worker=people.colleague, allocated_by=people.team_manager.user, start_date=TODAY
    )
    assert {allocation.child_id for allocation in made} == {a.pk, b.pk}
    assert {allocation.worker_id for allocation in made} == {people.colleague.pk}


@pytest.mark.parametrize("who", ["hos", "director"])
def test_the_head_of_service_and_the_director_may_allocate(people, waiting, who):
    allocation_allocate(
        children=[waiting], worker=people.colleague, allocated_by=getattr(people, who).user, start_date=TODAY
    )
    assert open_allocations(waiting)[0].worker == people.colleague


@pytest.mark.parametrize("who", ["social_worker", "inspector", "iro", "front_door", "administrator"])
def test_others_may_not_allocate(people, waiting, who):
    with pytest.raises(PermissionDenied, match="Only a team manager, a head of service or the director"):
        allocation_allocate(
            children=[waiting],
            worker=people.colleague,
            allocated_by=getattr(people, who).user,
            start_date=TODAY,
        )
    assert open_allocations(waiting) == []


def test_a_team_manager_allocates_only_to_their_own_team_and_only_their_teams_cases(people, waiting):
    south_manager = WorkerFactory(
        user=UserFactory(username="sol"), role=Role.TEAM_MANAGER, team=people.south_team
    )
    with pytest.raises(PermissionDenied, match="You do not manage Child in Need North"):
        allocation_allocate(
            children=[waiting], worker=people.colleague, allocated_by=south_manager.user, start_date=TODAY
        )
    south_child = ChildFactory()
    open_case(south_child, people.south_team)
    with pytest.raises(PermissionDenied, match="held by Child in Need South, which you do not allocate for"):
        allocation_allocate(
            children=[south_child],
            worker=people.colleague,
            allocated_by=people.team_manager.user,
            start_date=TODAY,
        )
    other_hos = WorkerFactory(
        user=UserFactory(username="sue"), role=Role.HEAD_OF_SERVICE, area=people.south, team=None
    )
    with pytest.raises(PermissionDenied):
        allocation_allocate(
            children=[waiting], worker=people.colleague, allocated_by=other_hos.user, start_date=TODAY
        )


def test_a_child_needs_an_open_case(people):
    with pytest.raises(ValidationError) as error:
        allocation_allocate(
            children=[people.unallocated_child],
            worker=people.colleague,
            allocated_by=people.director.user,
            start_date=TODAY,
        )
    assert "has no open case" in str(error.value.message_dict["children"])


def test_allocation_across_areas_is_refused(people, waiting):
    with pytest.raises(ValidationError) as error:
        allocation_allocate(
            children=[waiting],
            worker=people.other_worker,
            allocated_by=people.director.user,
            start_date=TODAY,
        )
    assert (
        "a case moves to another area by transfer, not by allocation" in error.value.message_dict["worker"][0]
    )
    assert open_allocations(waiting) == []


def test_only_a_qualified_active_social_worker_in_a_team(people, waiting):
    manager = people.team_manager.user
    unqualified = social_worker("una", people.north_team, is_qualified=False)
    support = WorkerFactory(
        user=UserFactory(username="fay"), role=Role.FAMILY_SUPPORT_WORKER, team=people.north_team
    )
    gone = social_worker("gus", people.north_team)
    gone.user.is_active = False
    gone.user.save()
    for worker, message in (
        (unqualified, "is not a qualified social worker"),
        (support, "is not a qualified social worker"),
        (gone, "can no longer sign in"),
    ):
        with pytest.raises(ValidationError) as error:
            allocation_allocate(children=[waiting], worker=worker, allocated_by=manager, start_date=TODAY)
        assert message in error.value.message_dict["worker"][0]
    assert open_allocations(waiting) == []


def test_the_start_date_is_not_in_the_future_nor_before_the_referral(people, waiting):
    manager = people.team_manager.user
    with pytest.raises(ValidationError) as error:
        allocation_allocate(
            children=[waiting],
            worker=people.colleague,
            allocated_by=manager,
            start_date=TODAY + datetime.timedelta(1),
        )
    assert error.value.message_dict["start_date"] == ["The allocation cannot start in the future"]
    with pytest.raises(ValidationError) as error:
        allocation_allocate(
            children=[waiting],
            worker=people.colleague,
            allocated_by=manager,
            start_date=REFERRED - datetime.timedelta(1),
        )
    assert "cannot start before" in error.value.message_dict["start_date"][0]
    assert "2 November 2026" in error.value.message_dict["start_date"][0]
    allocation_allocate(
        children=[waiting], worker=people.colleague, allocated_by=manager, start_date=REFERRED
    )


def test_a_reallocation_ends_the_previous_allocation_the_day_before_and_keeps_it(people):
    child = people.alices_child
    open_case(child, people.north_team, referred=D(2026, 10, 1))
    (previous,) = open_allocations(child)
    (new,) = allocation_allocate(
        children=[child], worker=people.colleague, allocated_by=people.team_manager.user, start_date=TODAY
    )
    previous.refresh_from_db()
    assert previous.end_date == YESTERDAY  # kept, dated: Alice held the case until yesterday
    assert (new.worker, new.start_date, new.end_date) == (people.colleague, TODAY, None)
    rows = Allocation.objects.filter(child=child, role=AllocationRole.SOCIAL_WORKER).order_by("start_date")
    assert [(row.worker, row.end_date) for row in rows] == [
        (people.social_worker, YESTERDAY),
        (people.colleague, None),
    ]
    ended = AuditEvent.objects.get(action="allocation.ended", entity_id=str(previous.pk))
    assert ended.reason == "Reallocated to Carl Worker"
    moved = AuditEvent.objects.get(action="allocation.reallocated", entity_id=str(new.pk))
    assert moved.changes["worker"] == [people.social_worker.pk, people.colleague.pk]


def test_a_same_day_correction_ends_the_mistaken_allocation_that_day(people, waiting):
    manager = people.team_manager.user
    (mistaken,) = allocation_allocate(
        children=[waiting], worker=people.social_worker, allocated_by=manager, start_date=TODAY
    )
    allocation_allocate(children=[waiting], worker=people.colleague, allocated_by=manager, start_date=TODAY)
    mistaken.refresh_from_db()
    assert (mistaken.start_date, mistaken.end_date) == (TODAY, TODAY)


def test_a_reallocation_cannot_start_before_the_allocation_it_replaces(people):
    child = people.alices_child  # allocated to Alice from 27 October
    open_case(child, people.north_team, referred=D(2026, 9, 1))
    with pytest.raises(ValidationError) as error:
        allocation_allocate(
            children=[child],
            worker=people.colleague,
            allocated_by=people.team_manager.user,
            start_date=D(2026, 10, 1),
        )
    assert "the new one cannot start before it" in error.value.message_dict["start_date"][0]
    assert open_allocations(child)[0].worker == people.social_worker


def test_a_child_already_with_the_worker_is_refused(people):
    open_case(people.alices_child, people.north_team)
    with pytest.raises(ValidationError, match="already allocated to Alice"):
        allocation_allocate(
            children=[people.alices_child],
            worker=people.social_worker,
            allocated_by=people.team_manager.user,
            start_date=TODAY,
        )


def test_bad_input_in_a_group_changes_nothing(people):
    """One child in the group cannot be allocated: the other is not allocated, nobody's allocation ends."""
    first = people.carls_child
    open_case(first, people.north_team, referred=D(2026, 10, 1))
    no_case = ChildFactory()
    with pytest.raises(ValidationError):
        allocation_allocate(
            children=[first, no_case],
            worker=people.social_worker,
            allocated_by=people.team_manager.user,
            start_date=TODAY,
        )
    assert [a.worker for a in open_allocations(first)] == [people.colleague]
    assert not AuditEvent.objects.filter(action__startswith="allocation.").exists()


def test_an_allocation_ended_by_someone_else_meanwhile_is_not_ended_twice(people):
    (allocation,) = open_allocations(people.alices_child)
    Allocation.objects.filter(pk=allocation.pk).update(end_date=YESTERDAY)
    with pytest.raises(ValidationError, match="was changed by someone else just now"):
        services._end(allocation, ended_by=people.team_manager.user, end_date=TODAY, reason="x")


def test_two_managers_at_once_the_second_is_told(people, waiting):
    """The first manager's allocation lands between the second's reading and writing: the one-open-allocation
    constraint stops the second, with a message, and nothing of theirs is kept."""
    AllocationFactory(child=waiting, worker=people.social_worker, start_date=TODAY)
    real_filter = Allocation.objects.filter

    def stale_read(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        return found.none() if kwargs.get("end_date__isnull") and "child__in" in kwargs else found

    with (
        mock.patch.object(services.Allocation.objects, "filter", side_effect=stale_read),
        pytest.raises(ValidationError) as error,
    ):
        allocation_allocate(
            children=[waiting],
            worker=people.colleague,
            allocated_by=people.team_manager.user,
            start_date=TODAY,
        )
    assert "was allocated by someone else just now" in error.value.message_dict["children"][0]
    assert [a.worker for a in open_allocations(waiting)] == [people.social_worker]


# -- over the limit -----------------------------------------------------------------------------------------------


@pytest.fixture
def part_timer(people):
    """Pat works 0.1 FTE: a limit of 1.8 weighted cases, and holds one child already."""
    pat = social_worker("pat", people.north_team, fte=Decimal("0.10"))
    AllocationFactory(child=ChildFactory(), worker=pat)
    return pat


def test_going_over_the_limit_needs_a_reason_and_changes_nothing_without_one(people, waiting, part_timer):
    with pytest.raises(ValidationError) as error:
        allocation_allocate(
            children=[waiting], worker=part_timer, allocated_by=people.team_manager.user, start_date=TODAY
        )
    assert error.value.message_dict["over_limit_reason"] == [
        "This takes Pat Worker to 2.0 weighted cases, over their limit of 1.8: say why the allocation should go ahead"
    ]
    with pytest.raises(ValidationError):
        allocation_allocate(
            children=[waiting],
            worker=part_timer,
            allocated_by=people.team_manager.user,
            start_date=TODAY,
            over_limit_reason="   ",
        )
    assert open_allocations(waiting) == [] and not OverLimitAllocation.objects.exists()


def test_an_over_limit_allocation_is_recorded_as_a_management_decision(people, waiting, part_timer):
    on_cp_plan(waiting, CinEpisode.objects.get(child=waiting))
    (allocation,) = allocation_allocate(
        children=[waiting],
        worker=part_timer,
        allocated_by=people.team_manager.user,
        start_date=TODAY,
        over_limit_reason="Pat knows the family; her caseload falls next week",
    )
    decision = OverLimitAllocation.objects.get()
    assert list(decision.allocations.all()) == [allocation]
    assert (decision.worker, decision.team, decision.decided_by) == (
        part_timer,
        people.north_team,
        people.team_manager.user,
    )
    assert (decision.weighted_before, decision.weighted_after, decision.limit) == (
        Decimal(1),
        Decimal("2.5"),
        Decimal("1.8"),
    )
    assert decision.reason == "Pat knows the family; her caseload falls next week"
    assert decision.weights["cp_plan"] == "1.5"
    event = AuditEvent.objects.get(action="over_limit_allocation.recorded")
    assert event.reason == decision.reason
    assert AuditEvent.objects.get(action="allocation.allocated").reason == decision.reason


def test_a_reason_is_not_needed_under_the_limit(people, waiting):
    allocation_allocate(
        children=[waiting],
        worker=people.colleague,
        allocated_by=people.team_manager.user,
        start_date=TODAY,
        over_limit_reason="not needed",
    )
    assert not OverLimitAllocation.objects.exists()


def test_over_limit_decisions_are_read_in_scope_for_the_oversight_dashboard(people, waiting, part_timer):
    allocation_allocate(
        children=[waiting],
        worker=part_timer,
        allocated_by=people.team_manager.user,
        start_date=TODAY,
        over_limit_reason="Needed",
    )
    south_manager = WorkerFactory(
        user=UserFactory(username="sol"), role=Role.TEAM_MANAGER, team=people.south_team
    )
    for user, count in (
        (people.team_manager.user, 1),
        (people.hos.user, 1),
        (people.director.user, 1),
        (people.inspector.user, 1),
        (south_manager.user, 0),
        (people.social_worker.user, 0),
    ):
        assert over_limit_allocations(user, TODAY - datetime.timedelta(days=7)).count() == count, user
    assert over_limit_allocations(people.director.user, TODAY + datetime.timedelta(days=1)).count() == 0


# -- ending allocations ---------------------------------------------------------------------------------------


def test_an_allocation_ends_with_a_reason_and_the_child_is_back_in_the_queue(people):
    child = people.alices_child
    open_case(child, people.north_team)
    (allocation,) = open_allocations(child)
    allocation_end(
        allocation=allocation,
        ended_by=people.team_manager.user,
        end_date=YESTERDAY,
        reason="Case stepped down",
    )
    allocation.refresh_from_db()
    assert allocation.end_date == YESTERDAY
    assert child.pk in queue(people.team_manager.user)
    event = AuditEvent.objects.get(action="allocation.ended", entity_id=str(allocation.pk))
    assert event.reason == "Case stepped down"


def test_ending_an_allocation_is_checked(people):
    (allocation,) = open_allocations(people.alices_child)
    manager = people.team_manager.user
    with pytest.raises(ValidationError) as error:
        allocation_end(
            allocation=allocation, ended_by=manager, end_date=TODAY + datetime.timedelta(1), reason=""
        )
    assert set(error.value.message_dict) == {"end_date", "reason"}
    with pytest.raises(ValidationError, match="the end date cannot be before it"):
        allocation_end(allocation=allocation, ended_by=manager, end_date=D(2026, 1, 1), reason="x")
    with pytest.raises(PermissionDenied):
        allocation_end(allocation=allocation, ended_by=people.social_worker.user, end_date=TODAY, reason="x")
    south_manager = WorkerFactory(
        user=UserFactory(username="sol"), role=Role.TEAM_MANAGER, team=people.south_team
    )
    with pytest.raises(PermissionDenied, match="You do not manage Child in Need North"):
        allocation_end(allocation=allocation, ended_by=south_manager.user, end_date=TODAY, reason="x")
    allocation_end(allocation=allocation, ended_by=manager, end_date=TODAY, reason="x")
    with pytest.raises(ValidationError, match="already ended"):
        allocation_end(allocation=allocation, ended_by=manager, end_date=TODAY, reason="x")


def test_a_worker_who_leaves_has_every_allocation_ended_formally(people):
    carl = people.colleague
    second = ChildFactory()
    AllocationFactory(child=second, worker=carl)
    for child in (people.carls_child, second):
        open_case(child, people.north_team)
    ended = worker_allocations_end(
        worker=carl, ended_by=people.team_manager.user, end_date=YESTERDAY, reason="Left the council"
    )
    assert len(ended) == 2
    assert not Allocation.objects.filter(worker=carl, end_date__isnull=True).exists()
    assert {people.carls_child.pk, second.pk} <= queue(people.team_manager.user)
    assert AuditEvent.objects.filter(action="allocation.ended", reason="Left the council").count() == 2
    with pytest.raises(ValidationError, match="has no open allocations"):
        worker_allocations_end(worker=carl, ended_by=people.team_manager.user, end_date=TODAY, reason="again")


def test_ending_a_workers_allocations_is_all_or_nothing(people):
    """Carl moved to South and was allocated a child there; North's manager cannot end the South one, so
    nothing is ended; the director can end both."""
    carl = people.colleague
    carl.team = people.south_team
    carl.save()
    AllocationFactory(child=ChildFactory(), worker=carl, team=people.south_team)
    with pytest.raises(PermissionDenied, match="You do not manage Child in Need South"):
        worker_allocations_end(worker=carl, ended_by=people.team_manager.user, end_date=TODAY, reason="Moved")
    assert Allocation.objects.filter(worker=carl, end_date__isnull=True).count() == 2
    assert (
        len(
            worker_allocations_end(worker=carl, ended_by=people.director.user, end_date=TODAY, reason="Moved")
        )
        == 2
    )


def test_the_management_command_ends_a_leavers_allocations(people, capsys):
    call_command(
        "end_allocations", "carl", "--by", "tess", "--reason", "Left", "--date", YESTERDAY.isoformat()
    )
    assert "1 allocation of Carl Worker ended on 25 November 2026" in capsys.readouterr().out
    with pytest.raises(CommandError, match="has no open allocations"):
        call_command("end_allocations", "carl", "--by", "tess", "--reason", "Left")
    with pytest.raises(CommandError, match="You do not manage"):
        call_command("end_allocations", "bob", "--by", "tess", "--reason", "Left")
    with pytest.raises(CommandError, match="No worker has the username"):
        call_command("end_allocations", "nobody", "--by", "tess", "--reason", "Left")


def test_a_child_whose_worker_has_left_is_reallocated_and_the_old_allocation_ended(people):
    child = people.alices_child
    open_case(child, people.north_team, referred=D(2026, 10, 1))
    alice = people.social_worker.user
    alice.is_active = False
    alice.save()
    assert child.pk in queue(people.team_manager.user)
    allocation_allocate(
        children=[child], worker=people.colleague, allocated_by=people.team_manager.user, start_date=TODAY
    )
    rows = Allocation.objects.filter(child=child, role=AllocationRole.SOCIAL_WORKER).order_by("start_date")
    assert [(row.worker, row.end_date) for row in rows] == [
        (people.social_worker, YESTERDAY),
        (people.colleague, None),
    ]
    assert child.pk not in queue(people.team_manager.user)
