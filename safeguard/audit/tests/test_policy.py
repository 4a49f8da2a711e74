"""The access policy: who may see which child, and proof that lists and single records agree."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.audit.policy import Basis, Refusal, access_basis, may_change, visible_children
from safeguard.organisation.models import Allocation, AllocationRole, Role, TeamKind
from tests.factories import AreaFactory, ChildFactory, TeamFactory, UserFactory, WorkerFactory

# (persona, child) -> the basis the policy must give, or None for a refusal.
EXPECTED = {
    "social_worker": {"alices_child": Basis.ALLOCATED, "carls_child": Basis.TEAM},
    "colleague": {"alices_child": Basis.TEAM, "carls_child": Basis.ALLOCATED},
    "team_manager": {"alices_child": Basis.TEAM, "carls_child": Basis.TEAM},
    "hos": {"alices_child": Basis.AREA, "carls_child": Basis.AREA},
    "other_worker": {"bobs_child": Basis.ALLOCATED},
    "iro": {"bobs_child": Basis.IRO},
    "director": {
        name: Basis.DIRECTOR for name in ["alices_child", "carls_child", "bobs_child", "unallocated_child"]
    },
    "inspector": {
        name: Basis.INSPECTOR for name in ["alices_child", "carls_child", "bobs_child", "unallocated_child"]
    },
    "front_door": {},  # until a contact about a child is before their team (safeguard/frontdoor/tests)
    "administrator": {},
}
CHILDREN = ["alices_child", "carls_child", "bobs_child", "unallocated_child"]


@pytest.mark.parametrize("persona", EXPECTED)
def test_each_persona_sees_exactly_the_children_they_work_with(people, persona):
    worker = getattr(people, persona)
    for child_name in CHILDREN:
        decision = access_basis(worker.user, getattr(people, child_name))
        expected = EXPECTED[persona].get(child_name)
        assert decision.allowed == (expected is not None), (persona, child_name, decision)
        if expected:
            assert decision.reason == expected
    listed = set(visible_children(worker.user))
    assert listed == {getattr(people, name) for name in EXPECTED[persona]}


def test_an_ended_allocation_no_longer_gives_access(people):
    allocation = Allocation.objects.get(child=people.alices_child, worker=people.social_worker)
    allocation.end_date = timezone.localdate() - datetime.timedelta(days=1)
    allocation.save()
    assert not access_basis(people.social_worker.user, people.alices_child)
    assert people.alices_child not in visible_children(people.social_worker.user)


def test_a_worker_moved_to_another_team_loses_their_old_teams_children(people):
    people.colleague.team = people.south_team
    people.colleague.save()
    decision = access_basis(people.colleague.user, people.alices_child)
    assert not decision.allowed and decision.reason == Refusal.NO_RELATIONSHIP


def test_the_management_line_reaches_down_more_than_one_level(people):
    # Hana heads North; a manager in another area who line-manages Tess would see Tess's team's children.
    deputy = WorkerFactory(role=Role.TEAM_MANAGER, team=people.south_team, manager=None)
    people.team_manager.manager = deputy
    people.team_manager.save()
    decision = access_basis(deputy.user, people.alices_child)
    assert decision.allowed and decision.reason == Basis.MANAGEMENT_LINE
    assert people.alices_child in visible_children(deputy.user)


def test_inspectors_read_but_may_not_change(people):
    assert access_basis(people.inspector.user, people.alices_child)
    assert may_change(people.inspector.user, people.alices_child).reason == Refusal.READ_ONLY
    assert may_change(people.social_worker.user, people.alices_child)


def test_a_user_without_a_staff_record_sees_nothing(db):
    user = UserFactory()
    ChildFactory()
    assert not visible_children(user).exists()
    assert access_basis(user, ChildFactory()).reason == Refusal.NO_WORKER


ROLES = [
    Role.SOCIAL_WORKER,
    Role.FAMILY_SUPPORT_WORKER,
    Role.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.IRO,
    Role.FRONT_DOOR_WORKER,
    Role.DIRECTOR,
    Role.INSPECTOR,
    Role.ADMINISTRATOR,
]

worlds = st.fixed_dictionaries(
    {
        # Each worker: (role, team index, manager index or None); teams alternate between two areas.
        "workers": st.lists(
            st.tuples(st.sampled_from(ROLES), st.integers(0, 3), st.none() | st.integers(0, 7)),
            min_size=2,
            max_size=8,
        ),
        # Each allocation: (child index, worker index, team index, role, days ago started, days ago ended).
        "allocations": st.lists(
            st.tuples(
                st.integers(0, 5),
                st.integers(0, 7),
                st.integers(0, 3),
                st.sampled_from([AllocationRole.SOCIAL_WORKER, AllocationRole.IRO]),
                st.integers(0, 400),
                st.none() | st.integers(-30, 400),
            ),
            max_size=12,
        ),
    }
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds)
def test_what_anyone_lists_is_exactly_what_the_policy_lets_them_open(world):
    """For any organisation and any history of allocations, ``visible_children`` (the query every list uses)
    returns exactly the children ``access_basis`` (the check on every record page) allows."""
    today = timezone.localdate()
    with transaction.atomic():
        areas = [AreaFactory(), AreaFactory()]
        kinds = [
            TeamKind.CHILD_IN_NEED,
            TeamKind.FRONT_DOOR,
            TeamKind.CHILD_PROTECTION,
            TeamKind.CHILDREN_IN_CARE,
        ]
        teams = [TeamFactory(area=areas[i % 2], kind=kinds[i]) for i in range(4)]
        workers = []
        for role, team_index, _ in world["workers"]:
            on_team = role not in (Role.DIRECTOR, Role.INSPECTOR, Role.ADMINISTRATOR, Role.HEAD_OF_SERVICE)
            workers.append(
                WorkerFactory(
                    role=role,
                    team=teams[team_index] if on_team else None,
                    area=areas[team_index % 2] if role == Role.HEAD_OF_SERVICE else None,
                )
            )
        for worker, (_, _, manager_index) in zip(workers, world["workers"], strict=True):
            if (
                manager_index is not None
                and manager_index < len(workers)
                and workers[manager_index] != worker
            ):
                worker.manager = workers[manager_index]
                worker.save()
        children = [ChildFactory() for _ in range(6)]
        open_roles = set()
        for child_i, worker_i, team_i, role, started, ended in world["allocations"]:
            if worker_i >= len(workers):
                continue
            end = None if ended is None or ended > started else today - datetime.timedelta(days=ended)
            if end is None and (child_i, role) in open_roles:
                continue  # at most one open allocation per child and role
            if end is None:
                open_roles.add((child_i, role))
            Allocation.objects.create(
                child=children[child_i],
                worker=workers[worker_i],
                team=teams[team_i],
                role=role,
                start_date=today - datetime.timedelta(days=started),
                end_date=end,
            )
        for worker in workers:
            allowed = {child for child in children if access_basis(worker.user, child).allowed}
            listed = set(visible_children(worker.user).filter(pk__in=[c.pk for c in children]))
            assert listed == allowed, worker.get_role_display()
        transaction.set_rollback(True)
