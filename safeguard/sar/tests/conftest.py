"""Subject access fixtures. Time stands still at Wednesday 11 March 2026 (casework's ``NOW``) unless a test
travels elsewhere. Besides the shared personas there are two information governance officers: Gina, who is
assigned Alice's child's request, and Otto, who is not."""

import datetime

import pytest
import time_machine

from safeguard.organisation.models import Role
from safeguard.sar import services
from safeguard.sar.models import RequesterKind
from tests.factories import UserFactory, WorkerFactory

NOW = datetime.datetime(2026, 3, 11, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 11)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture(autouse=True)
def document_store(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "documents"


@pytest.fixture
def gina(people):
    return WorkerFactory(
        user=UserFactory(username="gina", first_name="Gina"), role=Role.INFORMATION_GOVERNANCE, team=None
    )


@pytest.fixture
def otto(people):
    return WorkerFactory(
        user=UserFactory(username="otto", first_name="Otto"), role=Role.INFORMATION_GOVERNANCE, team=None
    )


def receive(people, officer, *, child=None, received_on=datetime.date(2026, 3, 2), assigned=True, **kw):
    return services.sar_receive(
        by=officer.user,
        child=child or people.alices_child,
        requester_kind=kw.pop("requester_kind", RequesterKind.SUBJECT),
        received_on=received_on,
        identity_checked_on=kw.pop("identity_checked_on", received_on),
        assigned_to=officer if assigned else None,
        **kw,
    )


@pytest.fixture
def sar(people, gina):
    """Alice's child's request, received Monday 2 March 2026, identity checked, assigned to Gina."""
    return receive(people, gina)
