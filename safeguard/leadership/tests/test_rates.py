"""Worked examples of the rates per 10,000 children: a small city of three areas with counts and populations
known, every rate worked out by hand (in the comments) to one decimal place as the DfE rounds; an area with
no population for the year; the council's figure; and the number of queries.

The period is the year ending 31 March 2025 (1 April 2024 to 31 March 2025), so the populations used are
those of 2024 (docs/domain.md §5a).
"""

import datetime

import pytest

from safeguard.leadership import rates
from safeguard.leadership.measures import Period, twelve_months_to
from safeguard.leadership.tests import records as r
from safeguard.organisation.models import AreaPopulation
from tests.factories import AreaFactory, TeamFactory

D = datetime.date
YEAR = Period(D(2024, 4, 1), D(2025, 3, 31))
pytestmark = pytest.mark.django_db

CODES = ["referrals", "children_in_need", "cp_plans", "looked_after", "s47_enquiries", "cp_plans_started"]


def population(area, year, children):
    return AreaPopulation.objects.create(
        area=area, year=year, children_0_17=children, source_note="Worked example"
    )


@pytest.fixture
def city(people):
    """North (7,000 children in 2024), South (3,000) and East (none for 2024; 4,000 for 2023)."""
    north, south = people.north_team, people.south_team
    east_area = AreaFactory(code="E", name="East")
    east = TeamFactory(area=east_area, name="Child in Need East")
    population(people.north, 2024, 7_000)
    population(people.south, 2024, 3_000)
    population(east_area, 2023, 4_000)

    # North.
    # A: referred in May, closed in June: a referral, not in need on 31 March.
    r.episode(r.child(), D(2024, 5, 1), north, closed=D(2024, 6, 1))
    # B: referred in July, open; a plan from 1 August to 15 January (a plan started, not one at the end, with
    # its section 47); looked after from 20 January, still: in need, looked after.
    b = r.child()
    b_episode = r.episode(b, D(2024, 7, 1), north)
    r.plan(b_episode, D(2024, 8, 1), D(2025, 1, 15))
    r.looked_after(b, [(D(2025, 1, 20), "S", "U4", "C2")])
    # C: referred in October, on a plan from 1 November, still: in need, on a plan, a plan started.
    c = r.child()
    r.plan(r.episode(c, D(2024, 10, 1), north), D(2024, 11, 1))
    # D: referred on 31 March 2024, the day before the year (not a referral of it), still open; a section 47
    # enquiry in February: in need, an enquiry.
    d_episode = r.episode(r.child(), D(2024, 3, 31), north)
    r.s47(d_episode, D(2025, 2, 1))
    # E: referred in April, closed on 31 March 2025 itself: a referral, not in need at the end of that day.
    r.episode(r.child(), D(2024, 4, 10), north, closed=D(2025, 3, 31))
    # F: referred in 2023, open; looked after on short breaks only (V3): in need, not counted as looked after.
    f = r.child()
    r.episode(f, D(2023, 6, 1), north)
    r.looked_after(f, [(D(2024, 6, 1), "S", "U4", "V3")])

    # South.
    # G: a North episode from January 2024 still open on 31 March 2025 (it closes in June), and a South one
    # from February 2025: in need once, in South (the latest); a referral of South's.
    g = r.child()
    r.episode(g, D(2024, 1, 1), north, closed=D(2025, 6, 1))
    r.episode(g, D(2025, 2, 1), south)
    # H: referred in December, on a plan from 15 December, looked after from 1 March: everything, in South.
    h = r.child()
    h_episode = r.episode(h, D(2024, 12, 1), south)
    r.plan(h_episode, D(2024, 12, 15))
    r.looked_after(h, [(D(2025, 3, 1), "S", "U4", "C2")])

    # East: J referred in June, open.
    r.episode(r.child(), D(2024, 6, 1), east)
    # K: looked after from December with no child in need episode: in no area, in the council's count only.
    r.looked_after(r.child(), [(D(2024, 12, 1), "S", "U4", "C2")])
    return people, east_area


def table(found, key):
    return {value.code: (value.count, value.rate) for value in found[key]}


def test_each_area_count_and_rate_per_10000_worked_by_hand(city):
    people, east = city
    names = {people.north.pk: "North", people.south.pk: "South", east.pk: "East"}
    found = rates.rates_by_area(area_ids=list(names), names=names, period=YEAR)

    # North, 7,000 children: referrals A, B, C, E = 4 (4 / 7,000 x 10,000 = 5.71 -> 5.7); in need B, C, D, F
    # = 4 (5.7); on a plan C = 1 (1.43 -> 1.4); looked after B = 1 (1.4; F's short breaks are left out);
    # enquiries: B's, C's (with their plans) and D's = 3 (4.29 -> 4.3); plans started B's and C's = 2
    # (2.86 -> 2.9).
    assert table(found, people.north.pk) == {
        "referrals": (4, 5.7),
        "children_in_need": (4, 5.7),
        "cp_plans": (1, 1.4),
        "looked_after": (1, 1.4),
        "s47_enquiries": (3, 4.3),
        "cp_plans_started": (2, 2.9),
    }
    # South, 3,000 children: referrals G, H = 2 (6.67 -> 6.7); in need G (once, here), H = 2 (6.7); plan,
    # looked after, enquiry and plan started: H, 1 each (3.33 -> 3.3).
    assert table(found, people.south.pk) == {
        "referrals": (2, 6.7),
        "children_in_need": (2, 6.7),
        "cp_plans": (1, 3.3),
        "looked_after": (1, 3.3),
        "s47_enquiries": (1, 3.3),
        "cp_plans_started": (1, 3.3),
    }
    # East has a population for 2023 only: its counts, and no rate, never one from another year's figure.
    east_values = {value.code: value for value in found[east.pk]}
    assert (east_values["referrals"].count, east_values["referrals"].rate) == (1, None)
    assert east_values["referrals"].missing == "No population recorded for East 2024"
    assert east_values["children_in_need"].count == 1
    # The council: every record, K's too; but no rate while an area has no population for the year.
    council = {value.code: value for value in found[None]}
    assert {code: council[code].count for code in CODES} == {
        "referrals": 7,
        "children_in_need": 7,
        "cp_plans": 2,
        "looked_after": 3,
        "s47_enquiries": 4,
        "cp_plans_started": 3,
    }
    assert council["looked_after"].rate is None
    assert council["looked_after"].missing == "No population recorded for East 2024"


def test_the_council_rate_uses_the_sum_of_the_areas_populations(city):
    people, east = city
    population(east, 2024, 10_000)
    found = rates.rates_by_area(area_ids=[], names={}, period=YEAR)
    council = {value.code: value for value in found[None]}
    # 7,000 + 3,000 + 10,000 = 20,000 children: referrals 7 -> 3.5; in need 7 -> 3.5; on a plan 2 -> 1.0;
    # looked after 3 (K too) -> 1.5; enquiries 4 -> 2.0; plans started 3 -> 1.5.
    assert {code: council[code].rate for code in CODES} == {
        "referrals": 3.5,
        "children_in_need": 3.5,
        "cp_plans": 1.0,
        "looked_after": 1.5,
        "s47_enquiries": 2.0,
        "cp_plans_started": 1.5,
    }
    assert council["referrals"].population == 20_000
    assert council["referrals"].population_year == 2024


def test_england_is_compared_only_where_a_rate_was_found():
    definitions = rates.rate_definitions()
    assert list(definitions) == CODES
    assert definitions["looked_after"].england_rate == 67
    assert definitions["looked_after"].england_verified
    assert definitions["children_in_need"].england_rate == 332.9
    for code in ("referrals", "cp_plans", "s47_enquiries", "cp_plans_started"):
        assert definitions[code].england_rate is None  # not found: no comparison rather than a guess
    value = rates.RateValue("looked_after", "x", 10, 1000, 2024, "", 100.0, 67, "")
    assert value.compared_with_england() == "higher"
    assert (
        rates.RateValue("referrals", "x", 1, 1000, 2024, "", 10.0, None, "").compared_with_england() is None
    )


def test_the_population_year_is_the_calendar_year_the_period_began_in():
    assert rates.population_year(YEAR) == 2024  # the year ending 31 March 2025: mid-2024, as the DfE
    assert rates.population_year(twelve_months_to(D(2025, 9, 30))) == 2024
    assert rates.population_year(twelve_months_to(D(2026, 3, 11))) == 2025


def test_rounding_to_one_decimal_place():
    assert rates.rate_per_10k(81_770, 12_204_500) == 67.0
    assert rates.rate_per_10k(1, 3) == 3333.3
    assert rates.rate_per_10k(3, 200_000) == 0.2  # 0.15 exactly: a half, rounded up
    assert rates.rate_per_10k(5, 0) is None
    assert rates.rate_per_10k(5, None) is None


def test_a_fixed_number_of_queries_whatever_the_records(city, django_assert_max_num_queries):
    people, east = city
    names = {people.north.pk: "North", people.south.pk: "South", east.pk: "East"}
    with django_assert_max_num_queries(10):
        rates.rates_by_area(area_ids=list(names), names=names, period=YEAR)
