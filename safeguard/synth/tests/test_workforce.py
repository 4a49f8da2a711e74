"""The synthetic establishment's history (``steps/workforce.py``): consistent, ending in today's state, with
believable rates, a period of high vacancies in the struggling area, and the same for the same seed."""

import datetime
from collections import defaultdict

import pytest
from django.db.models import F

from safeguard.organisation.models import Area, PostFilling, Role, Worker
from safeguard.synth.tests.conftest import TODAY
from safeguard.workforce.rates import census_dates
from safeguard.workforce.selectors import establishment

pytestmark = pytest.mark.django_db


def test_fillings_never_overlap_and_end_in_todays_state(city):
    by_post = defaultdict(list)
    for post_id, start, end in PostFilling.objects.values_list("post_id", "start_date", "end_date"):
        by_post[post_id].append((start, end or datetime.date.max))
    for spans in by_post.values():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert start > end
    # Every member of staff in a team below head of service is in exactly one post today; leavers in none.
    in_teams = Worker.objects.filter(team__isnull=False, user__is_active=True).exclude(
        role=Role.HEAD_OF_SERVICE
    )
    held = PostFilling.objects.current_on(TODAY)
    assert set(held.values_list("worker_id", flat=True)) == set(in_teams.values_list("pk", flat=True))
    assert not held.filter(worker__user__is_active=False).exists()
    # Past holders have left: they cannot sign in and are in no team.
    gone = Worker.objects.filter(user__is_active=False)
    assert gone.exists() and not gone.filter(team__isnull=False).exists()
    # A filling's employment is its worker's.
    assert not PostFilling.objects.exclude(employment=F("worker__employment")).exists()


def test_rates_are_believable_at_5000_children(city):
    """Small city, so wide bounds: England's 18.9% vacancy, 17.8% agency and 15.9% turnover (30 Sep 2023)."""
    area_ids = list(Area.objects.values_list("pk", flat=True))
    data = establishment(area_ids=area_ids, since=TODAY - datetime.timedelta(days=365 * 3))
    for day in census_dates(TODAY, 2) + [TODAY]:
        rates = data.total(day)
        assert 0.05 < rates.vacancy_rate < 0.35, day
        assert 0.03 < rates.agency_rate < 0.30, day
        assert 0.05 < rates.turnover_rate < 0.35, day
