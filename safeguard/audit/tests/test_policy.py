"""The access policy: who may see which child, and proof that lists and single records agree."""

import datetime
from unittest import mock

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.audit import policy
from safeguard.audit.policy import (
    Basis,
    Reach,
    Refusal,
    access_basis,
    findable_children,
    is_front_door,
    may_change,
    visible_children,
)
from safeguard.organisation.models import Allocation, AllocationRole, Role, TeamKind
from safeguard.people.models import Child
from safeguard.restrictions.models import (
    AccessListEntry,
    EmergencyAccess,
    RecordRestriction,
    RestrictionKind,
    StaffConnection,
)
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
    Role.AUDITOR,
    Role.PERFORMANCE_ANALYST,
    Role.INFORMATION_GOVERNANCE,
]

# The reaches of apps above the foundation other than restrictions (whose rows this test makes for real):
# each is replaced by a stand-in with the same basis whose children the test generates, so that the policy's
# way of combining them, with each other and with restrictions, is what is tested; each app tests its own
# reach's query against its own rows.
OWN_REACHES = {Basis.ACCESS_LIST, Basis.EMERGENCY}
OTHER_REACHES = [reach for reach in policy.REACHES if reach.basis not in OWN_REACHES]

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
        # Restrictions: (child index, kind, lifted).
        "restrictions": st.lists(
            st.tuples(st.integers(0, 5), st.sampled_from(RestrictionKind.values), st.booleans()), max_size=4
        ),
        # Access list entries: (child index, worker index, days until their last day, or None for no end).
        "access_list": st.lists(
            st.tuples(st.integers(0, 5), st.integers(0, 7), st.none() | st.integers(-3, 3)), max_size=6
        ),
        # Staff connections: (worker index, child index, ended).
        "connections": st.lists(st.tuples(st.integers(0, 7), st.integers(0, 5), st.booleans()), max_size=4),
        # Emergency accesses: (worker index, child index, minutes ago it was granted).
        "emergencies": st.lists(
            st.tuples(st.integers(0, 7), st.integers(0, 5), st.integers(0, 120)), max_size=4
        ),
        # For each other app's reach, per worker: None (cannot apply to them) or the children it reaches.
        "reaches": st.lists(
            st.lists(st.none() | st.frozensets(st.integers(0, 5), max_size=3), min_size=8, max_size=8),
            min_size=len(OTHER_REACHES),
            max_size=len(OTHER_REACHES),
        ),
    }
)


def allocate(world, *, children, workers, teams, today) -> None:
    """The generated allocation history: each (child, worker, team, role, started, ended) as days before
    ``today``; at most one open allocation per child and role. Shared with ``test_lists_match_policy``."""
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


def stand_in(reach: Reach, reached: list, workers: list, children: list) -> Reach:
    def children_of(worker):
        index = workers.index(worker) if worker in workers else None
        if index is None or reached[index] is None:
            return None
        pks = [children[i].pk for i in reached[index]]
        return Child.objects.filter(pk__in=pks).values(child_id=F("pk"))

    return Reach(basis=reach.basis, children=children_of, read_only=reach.read_only)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds)
def test_what_anyone_lists_is_exactly_what_the_policy_lets_them_open(world):
    """For any organisation, any history of allocations, any restrictions, access lists, staff connections,
    emergency accesses and any children reached through every registered reach, ``visible_children`` (the
    query every list uses) returns exactly the children ``access_basis`` (the check on every record page)
    allows; search (``findable_children``) finds those and, for the front door, every child not closed to
    them; and nobody may change a record they may not see or see only by emergency access."""
    today = timezone.localdate()
    now = timezone.now()
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
        allocate(world, children=children, workers=workers, teams=teams, today=today)
        restricted = {}
        for child_i, kind, lifted in world["restrictions"]:
            if child_i in restricted:
                continue  # at most one restriction in force per child (a lifted one stays in the history)
            restriction = RecordRestriction.objects.create(
                child=children[child_i],
                kind=kind,
                reason="test",
                set_by=workers[0],
                lifted_at=now if lifted else None,
            )
            if not lifted:
                restricted[child_i] = restriction
        for child_i, worker_i, days in world["access_list"]:
            if child_i in restricted and worker_i < len(workers):
                AccessListEntry.objects.create(
                    restriction=restricted[child_i],
                    worker=workers[worker_i],
                    reason="test",
                    end_date=None if days is None else today + datetime.timedelta(days=days),
                    added_by=workers[0],
                )
        connected = set()
        for worker_i, child_i, ended in world["connections"]:
            if worker_i < len(workers) and (ended or (worker_i, child_i) not in connected):
                StaffConnection.objects.create(
                    worker=workers[worker_i],
                    child=children[child_i],
                    kind="relative",
                    recorded_by=workers[0],
                    ended_at=now if ended else None,
                )
                connected.add((worker_i, child_i))
        for worker_i, child_i, minutes in world["emergencies"]:
            if worker_i < len(workers):
                granted = now - datetime.timedelta(minutes=minutes)
                EmergencyAccess.objects.create(
                    worker=workers[worker_i],
                    child=children[child_i],
                    reason_category="risk_of_harm",
                    reason="test",
                    granted_at=granted,
                    expires_at=granted + datetime.timedelta(minutes=60),
                    review_due=today,
                )
        reaches = [reach for reach in policy.REACHES if reach.basis in OWN_REACHES] + [
            stand_in(reach, reached, workers, children)
            for reach, reached in zip(OTHER_REACHES, world["reaches"], strict=True)
        ]
        pks = [c.pk for c in children]
        with mock.patch.object(policy, "REACHES", reaches):
            for worker in workers:
                decisions = {child: access_basis(worker.user, child) for child in children}
                allowed = {child for child, decision in decisions.items() if decision.allowed}
                listed = set(visible_children(worker.user).filter(pk__in=pks))
                assert listed == allowed, worker.get_role_display()
                found = set(findable_children(worker.user).filter(pk__in=pks))
                if is_front_door(worker):
                    closed = {
                        child
                        for child, decision in decisions.items()
                        if decision.reason in (Refusal.RESTRICTED, Refusal.SEALED, Refusal.STAFF_CONNECTION)
                    }
                    assert found == set(children) - closed
                else:
                    assert found == allowed
                for child, decision in decisions.items():
                    change = may_change(worker.user, child)
                    assert not change.allowed or (decision.allowed and decision.reason != Basis.EMERGENCY)
                    if decision.allowed and decision.reason == Basis.EMERGENCY:
                        assert not change.allowed
        transaction.set_rollback(True)
