"""What anyone lists, searches, sees on their home page and exports is what the access policy lets them see
(issue 8: "property tests that what a user can list, search and export equals what the policy lets them
see"; DESIGN.md: "one access policy decides what a user may see; lists, search, dashboards, exports, the API
and reports all use it").

For any organisation, any history of allocations and any open cases and breached deadlines, each list below
names only children in ``visible_children(user)`` (the front door's search: ``findable_children``, which is
identity only), and equals it where the page is meant to show all of them.

The legal exposure register is scoped by team (a team answers for its breaches, ADR 8), so it counts
breaches of children the team has handed on; it names only the children the reader may still open.
"""

import csv
import datetime
import io

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.allocation.selectors import unallocated_queue
from safeguard.audit.policy import findable_children, is_front_door, visible_children
from safeguard.audit.tests.test_policy import allocate
from safeguard.casework.models import CinEpisode
from safeguard.compliance.models import Deadline, StatutoryDuty
from safeguard.compliance.register import breaches
from safeguard.organisation.models import Allocation, AllocationRole, Role, TeamKind
from safeguard.people.models import Child
from safeguard.people.selectors import ChildSearch, child_search
from safeguard.ui.views import HOME_PANELS
from tests.factories import AreaFactory, ChildFactory, PersonFactory, TeamFactory, WorkerFactory
from tests.signing_in import identity_confirmed

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
    Role.PERFORMANCE_ANALYST,
    Role.INFORMATION_GOVERNANCE,
]
NAMES = ["Ali", "Alba", "Ben", "Bea", "Cara", "Cal"]
CHILDREN = 6

worlds = st.fixed_dictionaries(
    {
        # Each worker: (role, team index, manager index or None); teams alternate between two areas.
        "workers": st.lists(
            st.tuples(st.sampled_from(ROLES), st.integers(0, 3), st.none() | st.integers(0, 7)),
            min_size=2,
            max_size=8,
        ),
        # Each allocation: (child, worker, team, role, days ago started, days ago ended or None).
        "allocations": st.lists(
            st.tuples(
                st.integers(0, CHILDREN - 1),
                st.integers(0, 7),
                st.integers(0, 3),
                st.sampled_from([AllocationRole.SOCIAL_WORKER, AllocationRole.IRO]),
                st.integers(0, 400),
                st.none() | st.integers(0, 400),
            ),
            max_size=12,
        ),
        # Open child in need cases: child -> the team holding it.
        "cases": st.dictionaries(st.integers(0, CHILDREN - 1), st.integers(0, 3), max_size=CHILDREN),
        # Breached deadlines: (child, team index or None, days overdue).
        "breaches": st.lists(
            st.tuples(st.integers(0, CHILDREN - 1), st.none() | st.integers(0, 3), st.integers(1, 60)),
            max_size=6,
        ),
        "search": st.sampled_from(["", "a", "al", "b", "c", "zz"]),
    }
)


def build(world, today):
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
        on_team = role not in (
            Role.DIRECTOR,
            Role.INSPECTOR,
            Role.ADMINISTRATOR,
            Role.HEAD_OF_SERVICE,
            Role.PERFORMANCE_ANALYST,
            Role.INFORMATION_GOVERNANCE,
        )
        workers.append(
            WorkerFactory(
                role=role,
                team=teams[team_index] if on_team else None,
                area=areas[team_index % 2] if role == Role.HEAD_OF_SERVICE else None,
            )
        )
    for worker, (_, _, manager_index) in zip(workers, world["workers"], strict=True):
        if manager_index is not None and manager_index < len(workers) and workers[manager_index] != worker:
            worker.manager = workers[manager_index]
            worker.save()
    children = [ChildFactory(person=PersonFactory(first_name=NAMES[i])) for i in range(CHILDREN)]
    allocate(world, children=children, workers=workers, teams=teams, today=today)
    for child_i, team_i in world["cases"].items():
        CinEpisode.objects.create(
            child=children[child_i],
            referral_date=today - datetime.timedelta(days=20),
            referral_source="2A",
            team=teams[team_i],
            area=teams[team_i].area,
        )
    duty = StatutoryDuty.objects.order_by("pk").first()
    for child_i, team_i, overdue in world["breaches"]:
        team = teams[team_i] if team_i is not None else None
        Deadline.objects.create(
            duty=duty,
            child=children[child_i],
            scope_type="casework.cinepisode",
            scope_id=1,
            started_by="test",
            starts_on=today - datetime.timedelta(days=overdue + 10),
            due_on=today - datetime.timedelta(days=overdue),
            team=team,
            area=team.area if team else None,
        )
    return workers, children


def children_in(value, found: set[int]) -> set[int]:
    """Every child named anywhere in a page's context: a ``Child``, or a row with ``child_id``."""
    if isinstance(value, Child):
        found.add(value.pk)
    elif isinstance(value, dict):
        for item in value.values():
            children_in(item, found)
    elif isinstance(value, (list, tuple, set)) or hasattr(value, "model"):
        for item in value:
            children_in(item, found)
    elif getattr(value, "child_id", None) is not None:
        found.add(value.child_id)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            children_in(getattr(value, name), found)
    return found


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds)
def test_search_home_panels_and_the_queue_name_only_children_the_policy_lets_them_see(world):
    today = timezone.localdate()
    with transaction.atomic():
        workers, children = build(world, today)
        ours = {child.pk for child in children}
        for worker in workers:
            user = worker.user
            role = worker.get_role_display()
            visible = set(visible_children(user).filter(pk__in=ours).values_list("pk", flat=True))
            findable = set(findable_children(user).filter(pk__in=ours).values_list("pk", flat=True))

            # Search: everything findable with no terms, and only what matches with some; the front door
            # finds every child (identity only), everyone else exactly what they may open.
            every = set(
                child_search(user=user, search=ChildSearch()).filter(pk__in=ours).values_list("pk", flat=True)
            )
            assert every == findable, role
            assert findable == (ours if is_front_door(worker) else visible), role
            terms = ChildSearch(name=world["search"])
            found = set(
                child_search(user=user, search=terms).filter(pk__in=ours).values_list("pk", flat=True)
            )
            matching = {
                child.pk
                for child in children
                if world["search"] and child.person.first_name.lower().startswith(world["search"])
            }
            assert found == (findable & matching if world["search"] else findable), role

            # Home page panels (every registered one) name only children the user may see.
            for panel in HOME_PANELS:
                shown = panel.context(user, today)
                named = children_in(shown, set()) & ours if shown else set()
                assert named <= visible, (role, panel.template, named - visible)

            # The home page's own list for those who hold cases: their current allocations in their role
            # (ui.views.home), each of which they may open.
            if worker.role in (Role.SOCIAL_WORKER, Role.FAMILY_SUPPORT_WORKER, Role.IRO):
                held_as = AllocationRole.IRO if worker.role == Role.IRO else AllocationRole.SOCIAL_WORKER
                allocated = set(
                    Allocation.objects.current()
                    .filter(worker=worker, role=held_as, child__in=children)
                    .values_list("child_id", flat=True)
                )
                assert allocated <= visible, role

            # The unallocated queue: open cases without a worker, each one the user may open.
            queued = set(
                unallocated_queue(user=user, today=today)
                .filter(child__in=children)
                .values_list("child_id", flat=True)
            )
            assert queued <= visible, (role, queued - visible)
        transaction.set_rollback(True)


# -- the legal exposure register and its exports ------------------------------------------------------------


def breach(child, team, today, overdue=5) -> Deadline:
    return Deadline.objects.create(
        duty=StatutoryDuty.objects.order_by("pk").first(),
        child=child,
        scope_type="casework.cinepisode",
        scope_id=1,
        started_by="test",
        starts_on=today - datetime.timedelta(days=overdue + 10),
        due_on=today - datetime.timedelta(days=overdue),
        team=team,
        area=team.area if team else None,
    )


def exported_children(worker) -> set[str]:
    client = Client()
    client.force_login(worker.user)
    identity_confirmed(client, worker.user)  # an export asks them to confirm it is them
    response = client.get("/legal-exposure/export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["Child ID"] for row in csv.DictReader(io.StringIO(text))}


@pytest.fixture
def breaches_recorded(people):
    """A breach on Alice's child, recorded against North's team, which holds the case; and one on Bob's child
    recorded against North's team too: the case was North's when the duty fell due and is South's now."""
    today = timezone.localdate()
    breach(people.alices_child, people.north_team, today)
    breach(people.bobs_child, people.north_team, today)
    breach(people.carls_child, None, today)
    return today


def test_the_register_and_its_export_name_every_breached_child_for_those_who_see_every_child(
    people, breaches_recorded
):
    every = {people.alices_child.la_child_id, people.bobs_child.la_child_id, people.carls_child.la_child_id}
    for worker in (people.director, people.inspector):
        listed = {row.child.la_child_id for row in breaches(worker.user, today=breaches_recorded)}
        assert listed == every
        assert exported_children(worker) == every
    for worker in (people.social_worker, people.analyst, people.administrator, people.front_door):
        assert not breaches(worker.user, today=breaches_recorded).exists()


def test_a_team_manager_sees_the_breaches_of_their_teams_children(people, breaches_recorded):
    listed = {row.child_id for row in breaches(people.team_manager.user, today=breaches_recorded)}
    assert people.alices_child.pk in listed
    assert people.alices_child.la_child_id in exported_children(people.team_manager)


def test_the_register_names_only_children_the_manager_may_see_and_still_counts_the_rest(
    people, breaches_recorded
):
    """A team answers for every breach recorded against it, Bob's child's too though South holds him now
    (ADR 8); but it names only the children it may still open (need to know): Bob's is counted, and shown
    as a child now held by another team, without name or ID, on the page and in the export."""
    for worker in (people.team_manager, people.hos):
        visible = set(visible_children(worker.user).values_list("la_child_id", flat=True))
        rows = list(breaches(worker.user, today=breaches_recorded))
        named = {row.child.la_child_id for row in rows if row.child_named}
        assert people.bobs_child.la_child_id not in visible
        assert named <= visible and people.alices_child.la_child_id in named, worker
        assert any(row.child_id == people.bobs_child.pk for row in rows)  # counted all the same
        assert exported_children(worker) - {""} <= visible, worker
