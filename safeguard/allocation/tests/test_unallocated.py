"""The unallocated queue: no open case without a qualified allocated worker is out of sight."""

import datetime

import pytest
import time_machine

from safeguard.allocation.selectors import queue_rows, unallocated_queue
from safeguard.audit.models import AccessEvent
from safeguard.audit.policy import access_basis, visible_children
from safeguard.casework.models import CinEpisode
from safeguard.compliance.services import compliance_event
from safeguard.core.calendar import working_days_between
from safeguard.organisation.models import Allocation, Role
from tests.factories import AllocationFactory, ChildFactory, UserFactory, WorkerFactory

D = datetime.date
TODAY = D(2026, 11, 26)
REFERRED = D(2026, 11, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0), tick=False):
        yield


def open_case(people, child, *, referred=REFERRED, team=None):
    team = team or people.north_team
    episode = CinEpisode.objects.create(
        child=child, referral_date=referred, referral_source="2A", team=team, area=team.area
    )
    compliance_event(event="cin_episode.opened", child=child, on=referred, scope=episode)
    return episode


def listed(user) -> list:
    return [episode.child_id for episode in unallocated_queue(user=user, today=TODAY)]


def test_an_open_case_with_no_worker_is_in_its_teams_area_and_the_directors_queue(people):
    waiting = ChildFactory()
    open_case(people, waiting)
    assert listed(people.team_manager.user) == [waiting.pk]
    assert listed(people.hos.user) == [waiting.pk]
    assert listed(people.director.user) == [waiting.pk]
    south_manager = WorkerFactory(
        user=UserFactory(username="sol"), role=Role.TEAM_MANAGER, team=people.south_team
    )
    assert listed(south_manager.user) == []
    assert listed(people.social_worker.user) == []  # the queue is for those who allocate


def test_a_child_allocated_to_a_qualified_social_worker_is_not_in_it_an_unqualified_one_is(people):
    open_case(people, people.alices_child)  # Alice is qualified
    assert listed(people.team_manager.user) == []
    support = WorkerFactory(
        user=UserFactory(username="fay"),
        role=Role.FAMILY_SUPPORT_WORKER,
        team=people.north_team,
        is_qualified=False,
    )
    child = ChildFactory()
    AllocationFactory(child=child, worker=support)
    open_case(people, child)
    assert listed(people.team_manager.user) == [child.pk]


def test_a_child_comes_back_the_moment_their_worker_is_taken_off_and_waits_from_then(people):
    child = people.alices_child
    open_case(people, child, referred=D(2026, 6, 1))
    Allocation.objects.filter(child=child).update(start_date=D(2026, 6, 1), end_date=D(2026, 11, 19))
    (row,) = queue_rows(unallocated_queue(user=people.team_manager.user, today=TODAY), TODAY)
    assert row.waiting_since == D(2026, 11, 19)
    assert row.working_days_waited == 5


def test_the_queue_shows_the_kind_of_case_and_what_is_overdue(people):
    child = ChildFactory()
    open_case(people, child, referred=D(2026, 9, 1))  # the 45 working day assessment clock has run out
    (row,) = queue_rows(unallocated_queue(user=people.team_manager.user, today=TODAY), TODAY)
    assert row.kind == "Referral awaiting assessment"
    assert row.episode.overdue_deadlines == 1
    assert row.working_days_waited == working_days_between(D(2026, 9, 1), TODAY) == 62


def test_the_team_holding_an_open_case_may_open_the_childs_record(people):
    """Before allocation the holding team and its head of service reach the child; the list agrees."""
    child = ChildFactory()
    open_case(people, child)
    for user in (people.team_manager.user, people.colleague.user, people.hos.user):
        assert access_basis(user, child).allowed
        assert child in visible_children(user)
    assert not access_basis(people.other_worker.user, child).allowed
    assert child not in visible_children(people.other_worker.user)


def test_the_page_lists_the_children_logs_the_viewing_and_refuses_others(people, client_for):
    child = ChildFactory()
    open_case(people, child)
    response = client_for(people.team_manager).get("/allocation/unallocated/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-child="{child.pk}"' in page and 'id="unallocated-count">1<' in page
    assert AccessEvent.objects.filter(
        user=people.team_manager.user, subject__startswith="unallocated queue"
    ).exists()
    assert client_for(people.social_worker).get("/allocation/unallocated/").status_code == 403


def test_the_queues_total_is_on_the_home_pages_of_those_who_allocate(people, client_for):
    open_case(people, ChildFactory())
    for worker in (people.team_manager, people.hos, people.director):
        page = client_for(worker).get("/").content.decode()
        assert "1 child waiting for a social worker" in page, worker
    assert 'id="home-unallocated"' not in client_for(people.social_worker).get("/").content.decode()


def test_a_worker_who_leaves_or_moves_team_no_longer_holds_their_children(people):
    """Issue 5: "when a worker leaves or changes team, their children come back to the queue at once", before
    anyone has ended the allocations by hand."""
    open_case(people, people.alices_child)
    open_case(people, people.carls_child)
    assert listed(people.team_manager.user) == []
    alice = people.social_worker.user
    alice.is_active = False  # Alice has left: her account is disabled
    alice.save()
    carl = people.colleague
    carl.team = people.south_team  # Carl has moved to South
    carl.save()
    assert sorted(listed(people.team_manager.user)) == sorted([people.alices_child.pk, people.carls_child.pk])


def test_the_dashboard_can_open_the_queue_for_one_team_or_area_within_the_users_scope(people, client_for):
    north_child, south_child = ChildFactory(), ChildFactory()
    open_case(people, north_child)
    open_case(people, south_child, team=people.south_team)
    director = client_for(people.director)

    page = director.get(f"/allocation/unallocated/?team={people.north_team.pk}").content.decode()
    assert f'data-child="{north_child.pk}"' in page and f'data-child="{south_child.pk}"' not in page
    assert "Unallocated children: Child in Need North" in page
    page = director.get(f"/allocation/unallocated/?area={people.south.pk}").content.decode()
    assert f'data-child="{south_child.pk}"' in page and f'data-child="{north_child.pk}"' not in page

    # A team outside a manager's scope shows nothing of it.
    page = client_for(people.team_manager).get(f"/allocation/unallocated/?team={people.south_team.pk}")
    assert f'data-child="{south_child.pk}"' not in page.content.decode()
