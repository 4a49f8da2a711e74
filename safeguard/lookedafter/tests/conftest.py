"""Shared set-up for the looked-after tests: "today" is fixed after the worked examples, so that no date in
them is in the future. The helpers are in ``helpers.py``."""

import datetime
import zoneinfo

import pytest
import time_machine

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def later():
    """Every test runs on 1 March 2029, after the dates of its examples."""
    with time_machine.travel(datetime.datetime(2029, 3, 1, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def child(people):
    """Alice's child: born 1 June 2015, allocated to Alice in Child in Need North."""
    return people.alices_child


@pytest.fixture
def alice(people):
    return people.social_worker.user
