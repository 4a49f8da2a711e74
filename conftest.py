"""Named personas shared by every test, as the people who use the service would recognise them.

North: the Child in Need team North, managed by Tess (team manager) under Hana (head of service, North).
Alice is a social worker in it; Bob is a social worker in South's team. Fran works at the front door,
Dev is the director, Ira an IRO, Ines an inspector, Ade an administrator and Pia a performance analyst.
"""

import pytest

from safeguard.core.calendar import calendar
from safeguard.organisation.models import AllocationRole, Role, TeamKind
from tests.factories import (
    AllocationFactory,
    AreaFactory,
    ChildFactory,
    TeamFactory,
    UserFactory,
    WorkerFactory,
)


@pytest.fixture(autouse=True)
def fresh_calendar():
    """A test's calendar overrides roll back with its transaction; the cached calendar must forget them too."""
    calendar.cache_clear()
    yield
    calendar.cache_clear()


class Personas:
    pass


@pytest.fixture
def people(db):
    """The organisation, its workers, and four children with different relationships to them."""
    p = Personas()
    p.north = AreaFactory(code="N", name="North")
    p.south = AreaFactory(code="S", name="South")
    p.north_team = TeamFactory(area=p.north, name="Child in Need North", kind=TeamKind.CHILD_IN_NEED)
    p.south_team = TeamFactory(area=p.south, name="Child in Need South", kind=TeamKind.CHILD_IN_NEED)
    p.front_door_team = TeamFactory(area=p.north, name="Front Door", kind=TeamKind.FRONT_DOOR)
    p.reviewing_team = TeamFactory(area=p.north, name="Reviewing", kind=TeamKind.SAFEGUARDING_UNIT)

    def worker(username, role, team=None, area=None, manager=None, first_name=None):
        user = UserFactory(username=username, first_name=first_name or username.capitalize())
        return WorkerFactory(user=user, role=role, team=team, area=area, manager=manager)

    p.hos = worker("hana", Role.HEAD_OF_SERVICE, area=p.north)
    p.team_manager = worker("tess", Role.TEAM_MANAGER, team=p.north_team, manager=p.hos)
    p.social_worker = worker("alice", Role.SOCIAL_WORKER, team=p.north_team, manager=p.team_manager)
    p.colleague = worker("carl", Role.SOCIAL_WORKER, team=p.north_team, manager=p.team_manager)
    p.other_worker = worker("bob", Role.SOCIAL_WORKER, team=p.south_team)
    p.front_door = worker("fran", Role.FRONT_DOOR_WORKER, team=p.front_door_team)
    p.director = worker("dev", Role.DIRECTOR)
    p.iro = worker("ira", Role.IRO, team=p.reviewing_team)
    p.inspector = worker("ines", Role.INSPECTOR)
    p.administrator = worker("ade", Role.ADMINISTRATOR)
    p.analyst = worker("pia", Role.PERFORMANCE_ANALYST)
    p.administrator.user.is_staff = p.administrator.user.is_superuser = True
    p.administrator.user.save()

    p.alices_child = AllocationFactory(worker=p.social_worker).child
    p.carls_child = AllocationFactory(worker=p.colleague).child
    p.bobs_child = AllocationFactory(worker=p.other_worker).child
    AllocationFactory(child=p.bobs_child, worker=p.iro, team=p.reviewing_team, role=AllocationRole.IRO)
    p.unallocated_child = ChildFactory()
    p.children = [p.alices_child, p.carls_child, p.bobs_child, p.unallocated_child]
    p.workers = [
        p.hos,
        p.team_manager,
        p.social_worker,
        p.colleague,
        p.other_worker,
        p.front_door,
        p.director,
        p.iro,
        p.inspector,
        p.administrator,
        p.analyst,
    ]
    return p


@pytest.fixture
def client_for(client):
    """``client_for(worker)``: the test client, signed in as that worker."""

    def sign_in(worker):
        client.force_login(worker.user)
        return client

    return sign_in
