"""Retention fixtures: the shared personas (``people``) and two information governance officers, Iggy and
Gwen (an approval for disposal needs a second person), at a frozen date; helpers that give a child the kinds
of record the rules look at."""

import datetime

import pytest
import time_machine

from safeguard.lookedafter.models import Adoption, CareLeaver, CareLeaverStatus, PeriodOfCare
from safeguard.organisation.models import Role
from tests.factories import ChildFactory, UserFactory, WorkerFactory

TODAY = datetime.date(2026, 3, 11)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 11, 10, 0), tick=False):
        yield


@pytest.fixture
def infogov(people):
    user = UserFactory(username="iggy", first_name="Iggy", last_name="Governance")
    return WorkerFactory(user=user, role=Role.INFORMATION_GOVERNANCE, team=None)


@pytest.fixture
def second_infogov(people):
    user = UserFactory(username="gwen", first_name="Gwen", last_name="Governance")
    return WorkerFactory(user=user, role=Role.INFORMATION_GOVERNANCE, team=None)


def child_born(born, *, died=None, la_child_id=None):
    child = ChildFactory(person__date_of_birth=born, person__date_of_death=died)
    if la_child_id:
        child.la_child_id = la_child_id
        child.save()
    return child


def looked_after(child, start, end):
    return PeriodOfCare.objects.create(
        child=child, start_date=start, end_date=end, end_reason="E11" if end else ""
    )


def care_leaver(child, start):
    return CareLeaver.objects.create(
        child=child, status=CareLeaverStatus.values[0], status_since=start, start_date=start
    )


def adopted(child, order_on):
    period = looked_after(child, order_on - datetime.timedelta(days=400), order_on)
    return Adoption.objects.create(
        child=child, period=period, decided_on=order_on - datetime.timedelta(days=300), order_on=order_on
    )
