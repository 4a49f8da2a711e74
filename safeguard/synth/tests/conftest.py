import datetime
from contextlib import contextmanager

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


@contextmanager
def care_cover_hidden(ctx):
    """While a test reruns a step that reads allocations (``casework``, ``lookedafter``), the allocations the
    later ``socialworkers`` step added (``ctx.care_cover``) are set aside, as they did not exist when the step
    first ran; they are put back after."""
    from safeguard.allocation.models import SocialWorkerChange
    from safeguard.organisation.models import Allocation

    allocations = list(Allocation.objects.filter(pk__in=ctx.care_cover))
    changes = list(SocialWorkerChange.objects.filter(allocation_id__in=ctx.care_cover))
    SocialWorkerChange.objects.filter(allocation_id__in=ctx.care_cover)._raw_delete("default")
    Allocation.objects.filter(pk__in=ctx.care_cover)._raw_delete("default")
    try:
        yield
    finally:
        Allocation.objects.bulk_create(allocations)
        SocialWorkerChange.objects.bulk_create(changes)
