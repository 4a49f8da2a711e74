"""Worked examples: each rate computed by hand for a small establishment, against the code (no database)."""

import datetime
from decimal import Decimal

import pytest

from safeguard.organisation.models import Employment, LeavingReason
from safeguard.workforce.forecast import linear_trend, project
from safeguard.workforce.rates import Establishment, FillingRow, PostRow, census_dates, twelve_months_to
from safeguard.workforce.reference import england

CENSUS = datetime.date(2023, 9, 30)
LONG_AGO = datetime.date(2015, 4, 1)
D = datetime.date
PERMANENT, AGENCY = Employment.PERMANENT, Employment.AGENCY


def post(pk, fte="1", *, team=1, area=1, social_work=True, case_holding=True, established=LONG_AGO, cut=None):
    return PostRow(pk, team, area, Decimal(fte), social_work, case_holding, established, cut)


def filling(pk, post_id, employment, start, end=None, reason="", moved=False):
    return FillingRow(pk, post_id, 100 + pk, employment, start, end, reason, moved)


@pytest.fixture
def small():
    """Six social work posts and a support post in one team, on 30 September 2023:

    1. 1.0 FTE, permanent since 2020                      → permanent 1.0
    2. 0.6 FTE, permanent since 2021 (part time)          → permanent 0.6
    3. 1.0 FTE, agency cover since March 2023; its permanent holder left on 31 August 2022 (before the 12 months)
                                                          → agency 1.0, and a vacancy of 1.0
    4. 0.5 FTE, nobody in post; its permanent holder left on 1 October 2022 (inside the 12 months)
                                                          → vacancy 0.5 (uncovered), leaver 0.5
    5. 1.0 FTE, permanent since 1 Dec 2022; before, a permanent holder left on 30 September 2022 (a day outside
       the 12 months, not counted) and one who moved within the council in 2021 (never a leaver)
                                                          → permanent 1.0, starter 1.0
    6. 1.0 FTE team manager, permanent, not case holding  → permanent 1.0
    7. support post, 1.0 FTE, no qualified social worker needed: outside every rate.
    8. a post cut on 1 September 2023, its permanent holder made redundant on 31 August 2023 → leaver 1.0

    Permanent FTE = 1 + 0.6 + 1 + 1 = 3.6. Vacancies = 1 (agency) + 0.5 = 1.5. Agency = 1.
    Vacancy rate = 1.5 / (1.5 + 3.6) = 29.41%. Agency rate = 1 / (1 + 3.6) = 21.74%.
    Leavers in the 12 months to 30 Sep 2023 (1 Oct 2022 - 30 Sep 2023): post 4's (0.5) and post 8's (1.0) = 1.5;
    turnover = 1.5 / 3.6 = 41.67%. Filled case-holding FTE = 1 + 0.6 + 1 (agency) + 1 = 3.6.
    """
    posts = [
        post(1),
        post(2, "0.6"),
        post(3),
        post(4, "0.5"),
        post(5),
        post(6, case_holding=False),
        post(7, social_work=False, case_holding=False),
        post(8, cut=D(2023, 9, 1)),
    ]
    fillings = [
        filling(1, 1, PERMANENT, D(2020, 1, 6)),
        filling(2, 2, PERMANENT, D(2021, 5, 4)),
        filling(3, 3, PERMANENT, D(2018, 1, 1), D(2022, 8, 31), LeavingReason.RESIGNED),  # before the year
        filling(4, 3, AGENCY, D(2023, 3, 6)),
        filling(5, 4, PERMANENT, D(2019, 1, 1), D(2022, 10, 1), LeavingReason.RETIRED),
        filling(6, 5, PERMANENT, D(2016, 1, 1), D(2021, 6, 30), LeavingReason.MOVED),
        filling(7, 5, PERMANENT, D(2021, 7, 1), D(2022, 9, 30), LeavingReason.RESIGNED),
        filling(8, 5, PERMANENT, D(2022, 12, 1)),
        filling(9, 6, PERMANENT, D(2017, 1, 1)),
        filling(10, 7, PERMANENT, D(2017, 1, 1)),
        filling(11, 8, PERMANENT, D(2017, 1, 1), D(2023, 8, 31), LeavingReason.REDUNDANCY),
    ]
    return Establishment(posts, fillings)


def test_worked_example_on_the_census_date(small):
    rates = small.total(CENSUS)
    assert rates.permanent_fte == Decimal("3.6")
    assert rates.agency_fte == Decimal("1")
    assert rates.vacant_fte == Decimal("1.5")
    assert rates.uncovered_fte == Decimal("0.5")
    assert rates.posts_fte == Decimal("5.1")  # the cut post no longer counts; the support post never does
    assert rates.vacancy_rate == pytest.approx(1.5 / 5.1)  # 29.41%
    assert rates.agency_rate == pytest.approx(1 / 4.6)  # 21.74%
    # The leaver of 1 Oct 2022 counts; the one of 30 Sep 2022 does not; the move does not; the cut post's does.
    assert rates.leavers == 2 and rates.leavers_fte == Decimal("1.5")
    assert rates.turnover_rate == pytest.approx(1.5 / 3.6)  # 41.67%
    assert rates.starters == 1 and rates.starters_fte == Decimal("1")
    assert rates.case_holding_filled_fte == Decimal("3.6")
    assert rates.other_posts_fte == Decimal("1") and rates.other_filled_fte == Decimal("1")


def test_any_date_not_only_the_census(small):
    """On 1 October 2022 post 4's holder is in post on their last day, post 3 is empty (nobody since 31 August)
    and post 5 too (its holder left the day before): permanent 1 + 0.6 + 0.5 + 1 (post 6) + 1 (post 8) = 4.1;
    vacancies 2, none covered. The 12 months to it (2 Oct 2021 - 1 Oct 2022) hold three leavers: 31 August,
    30 September and 1 October 2022 (1 + 1 + 0.5 FTE)."""
    rates = small.total(D(2022, 10, 1))
    assert rates.permanent_fte == Decimal("4.1")
    assert rates.vacant_fte == Decimal("2") and rates.agency_fte == 0
    assert rates.vacancy_rate == pytest.approx(2 / 6.1)
    assert rates.leavers == 3 and rates.leavers_fte == Decimal("2.5")
    assert rates.turnover_rate == pytest.approx(2.5 / 4.1)


def test_rates_per_team_and_area():
    posts = [post(1, team=1, area=1), post(2, team=2, area=1), post(3, team=3, area=2)]
    fillings = [filling(1, 1, PERMANENT, LONG_AGO), filling(2, 2, AGENCY, LONG_AGO)]
    data = Establishment(posts, fillings)
    by_team = data.rates(CENSUS, key=lambda row: row.team_id)
    assert by_team[1].vacancy_rate == 0
    assert by_team[2].vacancy_rate == 1 and by_team[2].agency_rate == 1  # covered, and still a vacancy
    by_area = data.rates(CENSUS, key=lambda row: row.area_id)
    assert by_area[1].vacancy_rate == pytest.approx(0.5) and by_area[1].agency_rate == pytest.approx(0.5)
    assert by_area[2].vacancy_rate == pytest.approx(1.0) and by_area[2].turnover_rate is None


def test_twelve_months_and_census_dates():
    assert twelve_months_to(CENSUS) == (D(2022, 10, 1), D(2023, 9, 30))
    assert twelve_months_to(D(2024, 2, 29)) == (D(2023, 3, 1), D(2024, 2, 29))
    assert census_dates(D(2026, 3, 31), 3) == [D(2023, 9, 30), D(2024, 9, 30), D(2025, 9, 30)]
    assert census_dates(D(2025, 9, 30), 1) == [D(2025, 9, 30)]


def test_england_figures_are_reference_data_with_sources():
    assert england("vacancy_rate", CENSUS).value == 18.9
    assert england("agency_rate", CENSUS).value == 17.8
    assert england("turnover_rate", CENSUS).value == 15.9
    assert england("turnover_rate", D(2024, 9, 30)).value == 13.8
    assert england("turnover_rate", D(2026, 3, 31)).as_at == D(2024, 9, 30)
    assert england("turnover_rate", D(2020, 1, 1)).as_at == CENSUS  # the earliest there is
    assert "Children's social work workforce" in england("vacancy_rate").source


def test_forecast_on_a_known_series():
    """y = 10 + 2x exactly: slope 2, and the next three months are 34, 36, 38 after x = 11 (y = 32)."""
    values = [10 + 2 * x for x in range(12)]
    trend = linear_trend(values)
    assert trend.slope == pytest.approx(2) and trend.intercept == pytest.approx(10)
    assert project(values, ahead=3) == pytest.approx([34, 36, 38])
    # Only the last 12 months count: a jump two years ago changes nothing.
    assert project([500] * 12 + values, ahead=3) == pytest.approx([34, 36, 38])
    # By hand for 1, 2, 6: x̄ = 1, ȳ = 3, slope = ((-1)(-2) + 0 + (1)(3)) / 2 = 2.5, intercept 0.5.
    trend = linear_trend([1, 2, 6])
    assert (trend.slope, trend.intercept) == pytest.approx((2.5, 0.5))
    assert project([5, 3, 1], ahead=3) == [0, 0, 0]  # never below zero
