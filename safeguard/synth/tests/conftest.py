import datetime

import pytest
from django.db import transaction

from safeguard.synth.runner import generate

TODAY = datetime.date(2026, 3, 31)
CHILDREN = 5000
SEED = 7


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """A synthetic city of 5,000 children, generated once per test module and rolled back after it.

    Tests that use it also take ``db``, so each test runs in a savepoint inside this transaction.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            result = generate(seed=SEED, children=CHILDREN, years=3, today=TODAY)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield result
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
