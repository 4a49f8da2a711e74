import datetime

import pytest

from tests.synthetic import synthetic_city

# Three years of history to 30 June 2026: the 2024-25 and 2025-26 collection years are complete.
TODAY = datetime.date(2026, 6, 30)
CHILDREN = 4000
SEED = 11


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """A synthetic city, generated once per test module and rolled back after it."""
    with synthetic_city(django_db_blocker, seed=SEED, children=CHILDREN, years=3, today=TODAY) as result:
        yield result
