"""Workforce fixtures: the shared personas (``people``: Hana heads North, Tess manages Child in Need North with
Alice and Carl in it, Bob is in South, Dev is the director, Ines an inspector), at a frozen date, with a small
establishment in North: Alice permanent in a full-time post, Carl agency in a 0.6 FTE post, one empty post."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from safeguard.organisation.models import Employment, Grade, Post, PostFilling

TODAY = datetime.date(2026, 3, 11)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 11, 10, 0), tick=False):
        yield


@pytest.fixture
def establishment(people):
    team = people.north_team
    people.colleague.employment = Employment.AGENCY
    people.colleague.save()

    def new_post(title, fte="1", grade=Grade.SOCIAL_WORKER):
        return Post.objects.create(
            team=team, title=title, grade=grade, fte=Decimal(fte), established_on=datetime.date(2020, 1, 1)
        )

    alices = new_post("Social Worker")
    carls = new_post("Social Worker", "0.6")
    empty = new_post("Senior Social Worker", grade=Grade.SENIOR_PRACTITIONER)
    PostFilling.objects.create(post=alices, worker=people.social_worker, start_date=datetime.date(2022, 5, 3))
    PostFilling.objects.create(
        post=carls,
        worker=people.colleague,
        employment=Employment.AGENCY,
        start_date=datetime.date(2025, 11, 3),
    )
    return {"alices": alices, "carls": carls, "empty": empty}
