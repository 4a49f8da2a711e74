import datetime

import pytest

from tests.synthetic import synthetic_city

TODAY = datetime.date(2026, 3, 31)
CHILDREN = 5000
SEED = 7


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """A synthetic city of 5,000 children, generated once per test module and rolled back after it.

    Tests that use it also take ``db``, so each test runs in a savepoint inside this transaction.
    """
    with synthetic_city(django_db_blocker, seed=SEED, children=CHILDREN, years=3, today=TODAY) as result:
        yield result
