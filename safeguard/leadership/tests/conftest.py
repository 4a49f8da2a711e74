"""Leadership fixtures. Time stands still at 11 March 2026 (casework's ``NOW``): the measures' default year
is the one ending 31 March 2025, and "late" is arithmetic on today."""

import pytest
import time_machine

from safeguard.casework.tests.conftest import NOW, TODAY  # noqa: F401


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW
