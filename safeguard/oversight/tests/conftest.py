"""Oversight fixtures. Time stands still at casework's ``NOW`` (Wednesday 11 March 2026) in every oversight
test: supervision frequency, due dates and overdue actions are arithmetic on "today".

Besides the shared personas (``people``: Tess manages Alice and Carl in Child in Need North, under Hana, head
of service North; Bob is in South), there is Quinn, a quality assurance auditor, and Sol, South's team manager.
"""

import pytest
import time_machine

from safeguard.casework.tests.conftest import (  # noqa: F401  (fixtures used by these tests)
    NOW,
    TODAY,
    date_fields,
    days_ago,
    episode,
    open_episode_for,
)
from safeguard.organisation.models import Role
from tests.factories import UserFactory, WorkerFactory


@pytest.fixture(autouse=True)
def _frozen():
    """Every oversight test runs at ``NOW``; the clock stops before ``people`` makes its allocations."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def auditor(people):
    """Quinn, a quality assurance auditor: sees no child until an audit is assigned to her."""
    return WorkerFactory(
        user=UserFactory(username="quinn", first_name="Quinn"),
        role=Role.AUDITOR,
        team=None,
        is_qualified=True,
    )


@pytest.fixture
def south_manager(people):
    """Sol, team manager of Child in Need South (Bob's team)."""
    sol = WorkerFactory(
        user=UserFactory(username="sol", first_name="Sol"), role=Role.TEAM_MANAGER, team=people.south_team
    )
    people.other_worker.manager = sol
    people.other_worker.save()
    return sol
