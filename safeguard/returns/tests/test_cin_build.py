"""The CIN census made from the records: who is in it, what of theirs, as things stood on 31 March, and
valid under the DfE rules for the synthetic city."""

import datetime

import pytest

from safeguard.casework.models import Assessment, CinEpisode, CPPlan
from safeguard.core.years import FIRST_YEAR, CollectionYear
from safeguard.returns import rules
from safeguard.returns.cin_census.build import build
from safeguard.returns.cin_census.validate import COLLECTION, validate

pytestmark = pytest.mark.django_db

YEAR = CollectionYear(2026)  # 2025-26, complete by the synthetic city's today

# The queries the synthetic city raises, each for a reason that is true of it (docs/how-to/returns.md):
# a council that misses its timescales (8670Q: assessments over 45 working days; 8675Q: enquiries with no
# conference after 15 working days), enquiries started straight from a strategy discussion (2991Q),
# referrals closed with no further action under RC8 (8825Q), and assessments finding no factors whose case
# went on to a plan (8873Q).
# This test's city is small (4,000 children), so a year's return may use fewer than 8 disability codes (2887Q).
EXPECTED_QUERIES = {"2991Q", "8670Q", "8675Q", "8825Q", "8873Q", "2887Q"}


@pytest.mark.parametrize("end_year", [2025, 2026])
def test_the_synthetic_citys_return_has_no_errors(city, end_year):
    report = validate(build(CollectionYear(end_year)))
    assert report.children > 250
    assert report.errors == []
    assert {finding.rule.code for finding in report.queries} <= EXPECTED_QUERIES
    assert report.unchecked == []


def test_every_rule_of_every_year_has_a_check():
    for end_year in range(FIRST_YEAR, 2028):
        assert rules.unchecked(COLLECTION, CollectionYear(end_year)) == [], end_year


def _in_return(the_return, la_child_id):
    return next(child for child in the_return.children if child.la_child_id == la_child_id)


def test_the_return_holds_every_episode_open_in_the_year_and_nothing_else(city):
    the_return = build(YEAR)
    episodes = CinEpisode.objects.filter(referral_date__lte=YEAR.end).exclude(closure_date__lt=YEAR.start)
    assert sum(len(child.episodes) for child in the_return.children) == episodes.count()
    assert {child.la_child_id for child in the_return.children} == set(
        episodes.values_list("child__la_child_id", flat=True)
    )


def test_what_happened_after_31_march_had_not_happened_at_the_census(city):
    """An episode closed after the year's end is open in the return; an assessment authorised after it is
    in progress, with no factors yet."""
    episode = (
        CinEpisode.objects.filter(referral_date__lte=YEAR.end, closure_date__gt=YEAR.end)
        .select_related("child")
        .first()
    )
    assert episode is not None, "the synthetic city has an episode open across 31 March"
    the_return = build(YEAR)
    reported = next(
        item
        for item in _in_return(the_return, episode.child.la_child_id).episodes
        if item.referral_date == episode.referral_date
    )
    assert (reported.closure_date, reported.closure_reason) == (None, "")
    late = (
        Assessment.objects.filter(
            authorised_on__gt=YEAR.end, start_date__lte=YEAR.end, episode__referral_date__lte=YEAR.end
        )
        .select_related("child")
        .first()
    )
    assert late is not None
    assessment = next(
        item
        for child in the_return.children
        if child.la_child_id == late.child.la_child_id
        for episode in child.episodes
        for item in episode.assessments
        if item.start == late.start_date
    )
    assert (assessment.authorised, assessment.factors) == (None, [])


def test_a_plans_previous_plans_are_counted_from_the_childs_whole_history(city):
    child_with_two = (
        CPPlan.objects.filter(start_date__range=(YEAR.start, YEAR.end))
        .filter(child__cp_plans__start_date__lt=YEAR.start)
        .select_related("child")
        .first()
    )
    if child_with_two is None:
        pytest.fail("the synthetic city has a child with a second plan in 2025-26")
    earlier = CPPlan.objects.filter(
        child=child_with_two.child, start_date__lt=child_with_two.start_date
    ).count()
    reported = [
        plan
        for episode in _in_return(build(YEAR), child_with_two.child.la_child_id).episodes
        for plan in episode.cp_plans
        if plan.start == child_with_two.start_date
    ]
    assert [plan.previous_plans for plan in reported] == [earlier]


def test_the_header_names_the_council_and_the_year(city, settings):
    settings.SAFEGUARD = {**settings.SAFEGUARD, "LA_CODE": "330"}
    header = build(YEAR, generated_at=datetime.datetime(2026, 5, 1, 9, 0)).header
    assert (header.lea, header.reference_date, header.year) == ("330", datetime.date(2026, 3, 31), YEAR)


def test_building_takes_a_fixed_number_of_queries(city, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        build(YEAR)
