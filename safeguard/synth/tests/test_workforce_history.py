"""The synthetic establishment's history generated apart from the shared city (these tests generate their own,
so they live in a module that does not use the ``city`` fixture)."""

import datetime
import hashlib

import pytest
from django.db import transaction

from safeguard.organisation.models import Area, Post, PostFilling
from safeguard.synth.geography import STRUGGLING_AREA
from safeguard.synth.runner import generate
from safeguard.synth.steps import STEPS, Step, organisation, workforce
from safeguard.synth.tests.conftest import TODAY
from safeguard.workforce.rates import census_dates
from safeguard.workforce.selectors import establishment

pytestmark = pytest.mark.django_db


def test_rates_and_the_struggling_area_at_city_scale():
    """At 60,000 children (organisation and workforce only): rates near England's, and the struggling area's
    vacancies high now (most of its empty posts emptied in the last nine months), not a year before."""
    with transaction.atomic():
        generate(
            seed=3,
            children=60_000,
            today=TODAY,
            years=3,
            steps=[Step("organisation", organisation.run), Step("workforce", workforce.run)],
        )
        struggling = Area.objects.get(code=STRUGGLING_AREA).pk
        area_ids = list(Area.objects.values_list("pk", flat=True))
        data = establishment(area_ids=area_ids, since=TODAY - datetime.timedelta(days=365 * 3))
        transaction.set_rollback(True)
    census = census_dates(TODAY, 1)[0]
    total = data.total(census)
    assert 0.12 < total.vacancy_rate < 0.30
    assert 0.10 < total.agency_rate < 0.25
    assert 0.10 < total.turnover_rate < 0.24
    now = data.rates(TODAY, key=lambda post: post.area_id)
    before = data.rates(TODAY - datetime.timedelta(days=365), key=lambda post: post.area_id)
    others = [now[pk].vacancy_rate for pk in area_ids if pk != struggling]
    assert now[struggling].vacancy_rate > sum(others) / len(others) + 0.08
    assert now[struggling].vacancy_rate > before[struggling].vacancy_rate + 0.05


def _digest() -> str:
    h = hashlib.sha256()
    for row in Post.objects.order_by(
        "team__name", "title", "established_on", "disestablished_on", "fte"
    ).values_list("team__name", "title", "grade", "fte", "established_on", "disestablished_on"):
        h.update(repr(row).encode())
    for row in PostFilling.objects.order_by(
        "post__team__name", "start_date", "worker__user__username"
    ).values_list(
        "post__team__name",
        "post__title",
        "worker__user__username",
        "employment",
        "start_date",
        "end_date",
        "leaving_reason",
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


def test_same_seed_same_history():
    digests = []
    for _ in range(2):
        with transaction.atomic():
            generate(seed=11, children=2000, today=TODAY, years=3, steps=STEPS)
            digests.append(_digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
