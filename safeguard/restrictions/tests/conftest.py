import pytest

from safeguard.organisation.models import Role
from tests.factories import UserFactory, WorkerFactory

PASSWORD = "correct horse battery staple"  # noqa: S105 (a test's own password)


@pytest.fixture
def governance(db):
    """Gita, the information governance officer who owns the register."""
    return WorkerFactory(
        user=UserFactory(username="gita", first_name="Gita"), role=Role.INFORMATION_GOVERNANCE, team=None
    )


@pytest.fixture
def with_password():
    """``with_password(worker)``: gives the worker's account a real password (hashing is slow: only when needed)."""

    def set_password(worker):
        worker.user.set_password(PASSWORD)
        worker.user.save()
        return worker

    return set_password
