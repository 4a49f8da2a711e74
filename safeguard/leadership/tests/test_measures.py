"""Worked examples: for each measure a handful of records whose answer is worked out by hand (in the comments),
including the edges of each definition, then the area scoping and the number of queries.

The period is the year ending 31 March 2025 (1 April 2024 to 31 March 2025), the one before "today"
(11 March 2026). North and South are the personas' areas (conftest ``people``).
"""

import datetime

import pytest

from safeguard.compliance.models import DeadlineStatus
from safeguard.core.calendar import add_working_days
from safeguard.leadership import measures as m
from safeguard.leadership.measures import Period
from safeguard.leadership.tests import records as r
from safeguard.lookedafter.models import CareLeaver, CareLeaverContact, CareLeaverStatus

D = datetime.date
YEAR = Period(D(2024, 4, 1), D(2025, 3, 31))
pytestmark = pytest.mark.django_db


def value(code, area=None, period=YEAR):
    return m.measure_value(code, area_id=area.pk if area else None, start=period.start, end=period.end)


def counts(code, area=None, period=YEAR):
    found = value(code, area, period)
    return found.numerator, found.denominator, found.value


def test_periods():
    assert m.year_to_last_31_march(D(2026, 3, 11)) == YEAR
    assert m.year_to_last_31_march(D(2026, 3, 31)) == Period(D(2025, 4, 1), D(2026, 3, 31))
    assert m.twelve_months_to(D(2026, 3, 11)) == Period(D(2025, 3, 12), D(2026, 3, 11))
    assert YEAR.label == "Year ending 31 March 2025"


def test_re_referrals_within_twelve_months(people):
    north = people.north_team
    # A: referred 1 Apr 2023 and again 1 Apr 2024, exactly 12 months later: a re-referral.
    a = r.child()
    r.episode(a, D(2023, 4, 1), north, closed=D(2023, 5, 1))
    r.episode(a, D(2024, 4, 1), north, closed=D(2024, 5, 1))
    # B: 31 Mar 2023 then 1 Apr 2024: a day more than 12 months, not a re-referral.
    b = r.child()
    r.episode(b, D(2023, 3, 31), north, closed=D(2023, 4, 30))
    r.episode(b, D(2024, 4, 1), north, closed=D(2024, 5, 1))
    # C: referred once in the year.
    r.episode(r.child(), D(2024, 6, 1), north)
    # D: twice in the year, May and November: the second is a re-referral (2 referrals, 1 re-referral).
    d = r.child()
    r.episode(d, D(2024, 5, 1), north, closed=D(2024, 6, 1))
    r.episode(d, D(2024, 11, 1), north, closed=D(2024, 12, 1))
    # E, in South: referred in South in Sept 2024 after a North referral in Jan 2024: South's re-referral.
    e = r.child()
    r.episode(e, D(2024, 1, 10), north, closed=D(2024, 2, 1))
    r.episode(e, D(2024, 9, 1), people.south_team)
    # F: referred after the year ends: not counted.
    r.episode(r.child(), D(2025, 4, 1), north)
    # Council: 6 referrals in the year (A, B, C, D twice, E), 3 re-referrals (A, D's second, E) = 50.0%.
    assert counts("re_referral") == (3, 6, 50.0)
    # North: 5 referrals (A, B, C, D, D), 2 re-referrals; South: 1 of 1.
    assert counts("re_referral", people.north) == (2, 5, 40.0)
    assert counts("re_referral", people.south) == (1, 1, 100.0)


def test_assessments_within_45_working_days_over_easter(people):
    start = D(2024, 3, 27)  # Wednesday before Easter 2024
    # Counting from the day after the start: Thu 28 Mar is day 1; Good Friday (29 Mar) and Easter Monday
    # (1 Apr), the early May (6 May) and spring (27 May) bank holidays are not working days, so day 45 is
    # Tuesday 4 June 2024.
    day_45 = D(2024, 6, 4)
    assert add_working_days(start, 45, counting="exclusive") == day_45
    ep = r.episode(r.child(), start, people.north_team)
    r.assessment(ep, start, day_45)  # exactly 45 working days: in time
    r.assessment(r.episode(r.child(), start, people.north_team), start, D(2024, 6, 5))  # 46: late
    r.assessment(
        r.episode(r.child(), D(2024, 7, 5), people.north_team), D(2024, 7, 5), D(2024, 7, 5)
    )  # 0: in time
    # Authorised before the year: not counted.
    r.assessment(r.episode(r.child(), D(2024, 1, 5), people.north_team), D(2024, 1, 5), D(2024, 3, 1))
    assert counts("assessment_45_days") == (2, 3, 66.7)
    assert counts("assessment_45_days", people.south) == (0, 0, None)


def test_section_47s_leading_to_conferences(people):
    team = people.north_team
    # Three enquiries start in the year; one leads to a conference in the year; another conference in the
    # year comes from an enquiry of March 2024 (before the year). DfE's C4 counts both in the same year:
    # 2 conferences / 3 enquiries = 66.7%.
    first = r.s47(r.episode(r.child(), D(2024, 5, 1), team), D(2024, 5, 1), concluded=D(2024, 5, 10))
    r.conference(first, D(2024, 5, 20))
    r.s47(r.episode(r.child(), D(2024, 6, 1), team), D(2024, 6, 1))
    r.s47(r.episode(r.child(), D(2025, 3, 31), team), D(2025, 3, 31))
    march = r.s47(r.episode(r.child(), D(2024, 3, 20), team), D(2024, 3, 20), concluded=D(2024, 3, 28))
    r.conference(march, D(2024, 4, 8))
    assert counts("s47_to_icpc") == (2, 3, 66.7)


def test_child_protection_plans_of_two_years_or_more(people):
    team = people.north_team
    # Exactly 2 years (1 June 2023 to 1 June 2025 would be out of the year; use 2022 to 2024): counts.
    r.plan(r.episode(r.child(), D(2022, 6, 1), team), D(2022, 6, 1), D(2024, 6, 1))
    # One day short of 2 years: does not.
    r.plan(r.episode(r.child(), D(2022, 6, 2), team), D(2022, 6, 2), D(2024, 6, 1))
    # From 29 February 2020: the second anniversary is 28 February 2022; ended 1 March 2022 +2y... use a
    # leap-day plan ending 28 February 2025 after starting 29 February 2020 (5 years): counts.
    r.plan(r.episode(r.child(), D(2020, 2, 29), team), D(2020, 2, 29), D(2025, 2, 28))
    # Ended after the year, and still open: not counted.
    r.plan(r.episode(r.child(), D(2022, 1, 1), team), D(2022, 1, 1), D(2025, 4, 1))
    r.plan(r.episode(r.child(), D(2022, 1, 1), team), D(2022, 1, 1))
    assert counts("cp_two_years") == (2, 3, 66.7)


def test_second_or_subsequent_plans(people):
    team = people.north_team
    again = r.child()
    ep = r.episode(again, D(2019, 1, 1), team, closed=D(2020, 3, 1))
    r.plan(ep, D(2019, 2, 1), D(2020, 2, 1))  # long ago, in North
    r.plan(r.episode(again, D(2024, 7, 1), people.south_team), D(2024, 7, 1))  # second plan, in South
    r.plan(r.episode(r.child(), D(2024, 8, 1), team), D(2024, 8, 1))  # a first plan
    # Council: 2 plans start in the year, 1 a second plan. South: 1 of 1; North: 0 of 1.
    assert counts("cp_subsequent") == (1, 2, 50.0)
    assert counts("cp_subsequent", people.south) == (1, 1, 100.0)
    assert counts("cp_subsequent", people.north) == (0, 1, 0.0)


def test_three_or_more_placements(people):
    team = people.north_team
    moves = r.child()
    r.episode(moves, D(2023, 1, 1), team)
    # In care since 2023 (placement 1, U4 foster care); a change of legal status in the year is not a move;
    # a move (2); a temporary placement and the return from it are not; another move (3).
    r.looked_after(
        moves,
        [
            (D(2023, 1, 10), "S", "U4", "V2"),
            (D(2024, 5, 1), "L", "U4", "C2"),
            (D(2024, 6, 1), "P", "U5", "C2"),
            (D(2024, 8, 1), "T", "T1", "C2"),
            (D(2024, 8, 10), "P", "U5", "C2"),
            (D(2025, 1, 1), "P", "K2", "C2"),
        ],
    )
    two = r.child()
    r.episode(two, D(2024, 5, 1), people.south_team)
    r.looked_after(two, [(D(2024, 5, 2), "S", "U4", "C1"), (D(2024, 9, 1), "P", "U6", "C1")])
    short_breaks = r.child()
    r.episode(short_breaks, D(2024, 5, 1), team)
    r.looked_after(
        short_breaks,
        [
            (D(2024, 5, 2), "S", "U4", "V3"),
            (D(2024, 6, 1), "P", "U5", "V3"),
            (D(2024, 7, 1), "P", "U6", "V3"),
        ],
    )
    left = r.child()
    r.episode(left, D(2024, 5, 1), team)
    r.looked_after(
        left,
        [
            (D(2024, 5, 2), "S", "U4", "V2"),
            (D(2024, 6, 1), "P", "U5", "V2"),
            (D(2024, 7, 1), "P", "U6", "V2"),
        ],
        ended=D(2025, 3, 31),  # ceased on the last day: not looked after at its end
    )
    # Looked after at 31 March 2025 and counted: the first two (short breaks left out). 1 of 2 had 3 or more.
    assert counts("cla_three_placements") == (1, 2, 50.0)
    assert counts("cla_three_placements", people.north) == (1, 1, 100.0)
    assert counts("cla_three_placements", people.south) == (0, 1, 0.0)


def test_visits_and_reviews_on_time_from_the_deadlines(people):
    kid, north = r.child(), people.north
    met, cancelled = DeadlineStatus.MET, DeadlineStatus.CANCELLED
    r.deadline(kid, "lac_visit", D(2024, 5, 1), area=north, status=met, closed_on=D(2024, 4, 30))  # on time
    r.deadline(kid, "lac_visit", D(2024, 6, 1), area=north, status=met, closed_on=D(2024, 6, 1))  # on the day
    r.deadline(
        kid,
        "cp_visit",
        D(2024, 7, 1),
        area=north,
        status=met,
        closed_on=D(2024, 7, 9),
        breached_on=D(2024, 7, 2),
    )  # late
    r.deadline(kid, "cp_visit", D(2024, 8, 1), area=north)  # still open, long past: late
    r.deadline(
        kid, "lac_visit", D(2024, 9, 1), area=north, status=cancelled, closed_on=D(2024, 8, 20)
    )  # not owed
    r.deadline(
        kid, "lac_visit", D(2025, 4, 1), area=north, status=met, closed_on=D(2025, 4, 1)
    )  # after the year
    r.deadline(kid, "lac_review", D(2024, 10, 1), area=people.south, status=met, closed_on=D(2024, 9, 1))
    r.deadline(
        kid, "cp_review", D(2024, 11, 1), area=None, status=cancelled, closed_on=D(2024, 11, 5)
    )  # late
    assert counts("visits_on_time") == (2, 4, 50.0)
    assert counts("visits_on_time", people.south) == (0, 0, None)
    # Council reviews: 1 on time, 1 cancelled after its day (late) with no area: 1 of 2; South 1 of 1.
    assert counts("reviews_on_time") == (1, 2, 50.0)
    assert counts("reviews_on_time", people.south) == (1, 1, 100.0)


def _leaver(born, team, *, contact=None):
    kid = r.child(born)
    r.episode(kid, D(2019, 1, 1), team, closed=D(2021, 1, 1))
    record = CareLeaver.objects.create(
        child=kid,
        status=CareLeaverStatus.FORMER_RELEVANT,
        status_since=D(2021, 1, 1),
        start_date=D(2021, 1, 1),
    )
    if contact:
        day, status = contact
        CareLeaverContact.objects.create(care_leaver=record, child=kid, contacted_on=day, in_touch=status)
    return kid


def test_care_leavers_in_touch_around_their_birthday(people):
    team = people.north_team
    # 20th birthday 15 June 2024, in touch a fortnight before: in touch.
    _leaver(D(2004, 6, 15), team, contact=(D(2024, 6, 1), "YES"))
    # 19th birthday 10 January 2025; the contact recorded was "not in touch".
    _leaver(D(2006, 1, 10), team, contact=(D(2025, 1, 20), "NO"))
    # 21st birthday 1 September 2024 with a contact 5 months before it: outside the window, so not in touch.
    _leaver(D(2003, 9, 1), team, contact=(D(2024, 4, 1), "YES"))
    # Died: left out. 18th birthday in the year: not in the cohort.
    _leaver(D(2005, 2, 1), team, contact=(D(2025, 2, 1), "DIED"))
    _leaver(D(2006, 6, 1), team, contact=(D(2024, 6, 1), "YES"))
    assert counts("care_leavers_in_touch") == (1, 3, 33.3)
    assert counts("care_leavers_in_touch", people.south) == (0, 0, None)


def test_every_measure_has_its_reference_data():
    definitions = m.definitions()
    assert list(definitions) == list(m.COMPUTERS)
    for definition in definitions.values():
        assert definition.better in ("higher", "lower")
        assert definition.definition and definition.statistical_source and definition.england_source
    assert definitions["re_referral"].england_value == 22.4
    assert definitions["assessment_45_days"].england_value == 85.7


def test_measures_interface_and_england_comparison(people):
    r.episode(r.child(), D(2024, 6, 1), people.north_team)
    values = m.measures(area_id=people.north.pk, start=YEAR.start, end=YEAR.end)
    assert [v.code for v in values] == list(m.COMPUTERS)
    re_referral = values[0]
    assert (re_referral.numerator, re_referral.denominator, re_referral.value) == (0, 1, 0.0)
    assert re_referral.england == 22.4 and re_referral.better == "lower"
    assert re_referral.compared_with_england() == "better"


def test_measures_cost_a_fixed_number_of_queries(people, django_assert_max_num_queries):
    team = people.north_team
    for i in range(6):
        kid = r.child()
        ep = r.episode(kid, D(2024, 5, 1) + datetime.timedelta(days=i), team)
        r.assessment(ep, ep.referral_date, ep.referral_date + datetime.timedelta(days=20))
        r.plan(ep, D(2024, 6, 1), D(2024, 12, 1))
        r.looked_after(kid, [(D(2024, 7, 1), "S", "U4", "C2"), (D(2024, 9, 1), "P", "U5", "C2")])
        _leaver(D(2004, 6, 15) + datetime.timedelta(days=i), team, contact=(D(2024, 6, 10), "YES"))
    # Twelve queries, and one more to load the working-day calendar's local overrides (cached after).
    with django_assert_max_num_queries(13):
        m.measures(area_id=None, start=YEAR.start, end=YEAR.end)
    with django_assert_max_num_queries(12):
        by_area = m.measures_by_area(
            area_ids=[people.north.pk, people.south.pk], start=YEAR.start, end=YEAR.end
        )
    council = {v.code: v for v in by_area[None]}
    north = {v.code: v for v in by_area[people.north.pk]}
    assert council["cp_two_years"].denominator == north["cp_two_years"].denominator == 6
    assert council["cla_three_placements"].denominator == 6
    assert council["care_leavers_in_touch"].numerator == 6
