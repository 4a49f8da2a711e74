"""Tests for the working-day calendar (safeguard/core/calendar.py).

Most tests build a ``WorkingDayCalendar`` with explicit overrides and need no database; only the tests of the
process-wide ``calendar()`` and its ``CalendarOverride`` rows are marked ``django_db``.
"""

import datetime

import holidays
import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from safeguard.core import calendar as calendar_module
from safeguard.core.calendar import (
    Counting,
    WorkingDayCalendar,
    add_calendar_months,
    add_weeks,
    add_working_days,
    calendar,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_days_between,
)
from safeguard.core.models import CalendarOverride

D = datetime.date
EXCLUSIVE, INCLUSIVE = "exclusive", "inclusive"
BOTH = pytest.mark.parametrize("counting", [EXCLUSIVE, INCLUSIVE])

CAL = WorkingDayCalendar(counting=EXCLUSIVE)


@pytest.fixture(autouse=True)
def _fresh_default_calendar():
    """The process-wide calendar caches overrides; a test database rollback does not clear it."""
    calendar.cache_clear()
    yield
    calendar.cache_clear()


# -- real dates ---------------------------------------------------------------------------------------------


def test_friday_referral_before_christmas_2022_is_due_on_wednesday():
    # Working Together 2023 ch.3: decision within 1 working day. Mon 26 and Tue 27 Dec 2022 were bank
    # holidays (Boxing Day; Christmas Day substitute, as 25 Dec fell on a Sunday).
    assert CAL.add_working_days(D(2022, 12, 23), 1) == D(2022, 12, 28)
    assert CAL.add_working_days(D(2022, 12, 23), 1, counting=INCLUSIVE) == D(2022, 12, 23)
    assert CAL.add_working_days(D(2022, 12, 23), 2, counting=INCLUSIVE) == D(2022, 12, 28)
    assert CAL.working_days_between(D(2022, 12, 23), D(2022, 12, 28)) == 1


def test_easter_2024():
    assert CAL.is_working_day(D(2024, 3, 28))
    assert not CAL.is_working_day(D(2024, 3, 29))  # Good Friday
    assert not CAL.is_working_day(D(2024, 3, 30))
    assert not CAL.is_working_day(D(2024, 3, 31))
    assert not CAL.is_working_day(D(2024, 4, 1))  # Easter Monday
    assert CAL.is_working_day(D(2024, 4, 2))
    assert CAL.next_working_day(D(2024, 3, 28)) == D(2024, 4, 2)
    assert CAL.previous_working_day(D(2024, 4, 2)) == D(2024, 3, 28)
    assert CAL.add_working_days(D(2024, 3, 28), 1) == D(2024, 4, 2)
    assert CAL.working_days_between(D(2024, 3, 28), D(2024, 4, 2)) == 1


@pytest.mark.parametrize(
    "day",
    [
        D(2022, 6, 2),  # Spring bank holiday, moved for the Platinum Jubilee
        D(2022, 6, 3),  # Platinum Jubilee
        D(2022, 9, 19),  # State Funeral of Queen Elizabeth II
        D(2023, 5, 8),  # Coronation of King Charles III
        D(2023, 1, 2),  # New Year's Day substitute (1 Jan 2023 a Sunday)
        D(2026, 12, 28),  # Boxing Day substitute (26 Dec 2026 a Saturday)
        D(2027, 12, 27),  # Christmas Day substitute
        D(2027, 12, 28),  # Boxing Day substitute
    ],
)
def test_one_off_and_substitute_bank_holidays_are_not_working_days(day):
    assert day.weekday() < 5
    assert not CAL.is_working_day(day)


def test_weekends_and_ordinary_weekdays():
    assert CAL.is_working_day(D(2025, 6, 2))  # Monday
    assert not CAL.is_working_day(D(2025, 6, 7))  # Saturday
    assert not CAL.is_working_day(D(2025, 6, 8))  # Sunday
    assert CAL.next_working_day(D(2025, 6, 6)) == D(2025, 6, 9)
    assert CAL.previous_working_day(D(2025, 6, 9)) == D(2025, 6, 6)


def test_45_working_day_assessment_across_christmas_computed_by_hand():
    # Referral Mon 2 Dec 2024. Working days after it: 3-6 Dec (4), 9-13 (9), 16-20 (14), 23-24 (16),
    # [25, 26 bank holidays] 27 (17), 30-31 (19), [1 Jan bank holiday] 2-3 Jan (21), 6-10 (26), 13-17 (31),
    # 20-24 (36), 27-31 (41), 3-6 Feb (45): due Thursday 6 Feb 2025.
    assert CAL.add_working_days(D(2024, 12, 2), 45) == D(2025, 2, 6)
    assert CAL.working_days_between(D(2024, 12, 2), D(2025, 2, 6)) == 45
    assert CAL.working_days_between(D(2024, 12, 2), D(2025, 2, 5)) == 44
    # Inclusive: 2 Dec is day 1, so one working day earlier.
    assert CAL.add_working_days(D(2024, 12, 2), 45, counting=INCLUSIVE) == D(2025, 2, 5)
    assert CAL.working_days_between(D(2024, 12, 2), D(2025, 2, 5), counting=INCLUSIVE) == 45


def test_45_working_day_assessment_across_easter_computed_by_hand():
    # Referral Mon 4 Mar 2024: 5-8 Mar (4), 11-15 (9), 18-22 (14), 25-28 (18), [29 Mar, 1 Apr Easter]
    # 2-5 Apr (22), 8-12 (27), 15-19 (32), 22-26 (37), 29-30 (39), 1-3 May (42), [6 May bank holiday]
    # 7-9 May (45): due Thursday 9 May 2024.
    assert CAL.add_working_days(D(2024, 3, 4), 45) == D(2024, 5, 9)


def test_15_working_day_icpc_over_new_year_computed_by_hand():
    # Strategy discussion Thu 12 Dec 2024: 13 (1), 16-20 (6), 23-24 (8), 27 (9), 30-31 (11), 2-3 Jan (13),
    # 6-7 Jan (15): ICPC by Tuesday 7 Jan 2025.
    assert CAL.add_working_days(D(2024, 12, 12), 15) == D(2025, 1, 7)


def test_counting_backwards():
    # 31 Mar 2024 (census reference date) was Easter Sunday; 29 Mar was Good Friday.
    assert CAL.add_working_days(D(2024, 3, 31), -1) == D(2024, 3, 28)
    assert CAL.add_working_days(D(2024, 4, 2), -1) == D(2024, 3, 28)
    assert CAL.add_working_days(D(2024, 4, 2), -1, counting=INCLUSIVE) == D(2024, 4, 2)
    # Counting back 45 working days, hand-checked: 28-25 Mar (4), 22-18 (9), 15-11 (14), 8-4 (19), 1 Mar
    # (20), 29-26 Feb (24), 23-19 (29), 16-12 (34), 9-5 (39), 2-1 Feb (41), 31-29 Jan (44), 26 Jan (45).
    assert CAL.add_working_days(D(2024, 3, 31), -45) == D(2024, 1, 26)
    assert CAL.add_working_days(D(2024, 3, 31), -45, counting=INCLUSIVE) == D(2024, 1, 26)
    assert CAL.working_days_between(D(2024, 3, 31), D(2024, 1, 26)) == -45


def test_dfe_validator_recipe_for_non_working_start():
    # The CIN validator computes ReferenceDate - CustomBusinessDay(44) for "45 working days"; from Sunday
    # 31 Mar 2024 that is the 44th working day before it (numpy busday_offset, as pandas calls it, gives
    # 29 Jan 2024). The module docstring's recipe reproduces it; the inclusive convention gives 26 Jan.
    assert CAL.add_working_days(D(2024, 3, 31), -44, counting=EXCLUSIVE) == D(2024, 1, 29)


def test_zero_working_days_is_the_start():
    for day in (D(2024, 3, 29), D(2024, 3, 28)):
        assert CAL.add_working_days(day, 0) == day
        assert CAL.add_working_days(day, 0, counting=INCLUSIVE) == day


def test_between_same_day():
    assert CAL.working_days_between(D(2024, 3, 28), D(2024, 3, 28)) == 0
    assert CAL.working_days_between(D(2024, 3, 28), D(2024, 3, 28), counting=INCLUSIVE) == 1
    assert CAL.working_days_between(D(2024, 3, 29), D(2024, 3, 29), counting=INCLUSIVE) == 0


def test_inclusive_and_exclusive_are_one_working_day_apart_from_a_working_day():
    start = D(2024, 12, 2)
    for n in (1, 2, 5, 10, 15, 20, 45):
        exclusive = CAL.add_working_days(start, n, counting=EXCLUSIVE)
        inclusive = CAL.add_working_days(start, n, counting=INCLUSIVE)
        assert CAL.previous_working_day(exclusive) == inclusive
        assert CAL.working_days_between(inclusive, exclusive) == 1


def test_inclusive_from_a_non_working_day_rolls_forward():
    # Saturday 30 Mar 2024 cannot be day 1; day 1 is Tuesday 2 Apr (after Easter Monday).
    assert CAL.add_working_days(D(2024, 3, 30), 1, counting=INCLUSIVE) == D(2024, 4, 2)
    assert CAL.add_working_days(D(2024, 3, 30), 2, counting=INCLUSIVE) == D(2024, 4, 3)
    assert CAL.add_working_days(D(2024, 3, 30), 2, counting=EXCLUSIVE) == D(2024, 4, 3)


def test_years_far_outside_the_initial_range_load_lazily():
    cal = WorkingDayCalendar(years=(1995, 2005))
    assert not cal.is_working_day(D(2090, 12, 25))
    assert cal.add_working_days(D(1985, 12, 24), 1) == D(1985, 12, 27)
    assert cal.working_days_between(D(1985, 12, 24), D(2090, 12, 27)) == naive_between(
        D(1985, 12, 24), D(2090, 12, 27), {}, EXCLUSIVE
    )


# -- overrides ----------------------------------------------------------------------------------------------


def test_council_closure_day_pushes_a_deadline():
    referral = D(2025, 12, 24)  # Wednesday; Thu 25 and Fri 26 Dec 2025 are bank holidays
    assert CAL.add_working_days(referral, 1) == D(2025, 12, 29)
    closed = WorkingDayCalendar({D(2025, 12, 29): False}, counting=EXCLUSIVE)
    assert not closed.is_working_day(D(2025, 12, 29))
    assert closed.add_working_days(referral, 1) == D(2025, 12, 30)
    assert closed.add_working_days(referral, 20) == CAL.add_working_days(referral, 21)
    assert closed.working_days_between(referral, D(2025, 12, 30)) == 1


def test_override_can_make_a_bank_holiday_or_a_weekend_a_working_day():
    cal = WorkingDayCalendar({D(2025, 12, 26): True, D(2025, 12, 27): True}, counting=EXCLUSIVE)
    assert cal.is_working_day(D(2025, 12, 26))
    assert cal.is_working_day(D(2025, 12, 27))  # a Saturday
    assert not cal.is_working_day(D(2025, 12, 28))
    assert cal.add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 26)
    assert cal.add_working_days(D(2025, 12, 24), 2) == D(2025, 12, 27)
    assert cal.add_working_days(D(2025, 12, 24), 3) == D(2025, 12, 29)
    assert cal.working_days_between(D(2025, 12, 24), D(2025, 12, 29)) == 3
    assert cal.overrides == {D(2025, 12, 26): True, D(2025, 12, 27): True}


def test_redundant_overrides_change_nothing():
    cal = WorkingDayCalendar({D(2025, 6, 7): False, D(2025, 6, 9): True}, counting=EXCLUSIVE)
    for n in range(1, 30):
        assert cal.add_working_days(D(2025, 6, 1), n) == CAL.add_working_days(D(2025, 6, 1), n)


# -- conventions and arguments ------------------------------------------------------------------------------


def test_default_counting_comes_from_settings(settings):
    cal = WorkingDayCalendar()
    settings.SAFEGUARD = {**settings.SAFEGUARD, "WORKING_DAY_COUNTING": "exclusive"}
    assert cal.add_working_days(D(2022, 12, 23), 1) == D(2022, 12, 28)
    settings.SAFEGUARD = {**settings.SAFEGUARD, "WORKING_DAY_COUNTING": "inclusive"}
    assert cal.add_working_days(D(2022, 12, 23), 1) == D(2022, 12, 23)
    assert cal.working_days_between(D(2022, 12, 23), D(2022, 12, 23)) == 1
    settings.SAFEGUARD = {**settings.SAFEGUARD, "WORKING_DAY_COUNTING": "both"}
    with pytest.raises(ImproperlyConfigured):
        cal.add_working_days(D(2022, 12, 23), 1)


def test_shipped_default_is_exclusive():
    from django.conf import settings as django_settings

    assert django_settings.SAFEGUARD["WORKING_DAY_COUNTING"] == Counting.EXCLUSIVE


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="counting"):
        CAL.add_working_days(D(2024, 1, 1), 1, counting="sometimes")
    with pytest.raises(TypeError, match="datetime"):
        CAL.add_working_days(datetime.datetime(2024, 1, 1, 9, 0), 1)
    with pytest.raises(TypeError):
        CAL.is_working_day("2024-01-01")
    with pytest.raises(TypeError):
        CAL.add_working_days(D(2024, 1, 1), 1.5)
    with pytest.raises(TypeError):
        CAL.add_working_days(D(2024, 1, 1), True)
    with pytest.raises(TypeError):
        WorkingDayCalendar({D(2024, 1, 2): "no"})


def test_counting_enum_and_strings_are_interchangeable():
    assert CAL.add_working_days(D(2024, 12, 2), 45, counting=Counting.INCLUSIVE) == CAL.add_working_days(
        D(2024, 12, 2), 45, counting="inclusive"
    )


# -- calendar periods ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 3, 31), 1, D(2024, 4, 30)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 11, 15), 2, D(2025, 1, 15)),
        (D(2024, 12, 31), 12, D(2025, 12, 31)),
        (D(2024, 1, 15), -13, D(2022, 12, 15)),
        (D(2024, 5, 20), 0, D(2024, 5, 20)),
    ],
)
def test_add_calendar_months_clamps_to_month_end(day, months, expected):
    assert add_calendar_months(day, months) == expected


def test_add_weeks():
    assert add_weeks(D(2024, 3, 1), 6) == D(2024, 4, 12)
    assert add_weeks(D(2024, 3, 1), -1) == D(2024, 2, 23)
    assert add_weeks(D(2024, 3, 1), 0) == D(2024, 3, 1)


# -- properties: the fast arithmetic against a naive day-by-day count ---------------------------------------

_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG", years=range(2013, 2040))
ONE_DAY = datetime.timedelta(days=1)


def naive_working(day, overrides):
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5 and day not in _HOLIDAYS


def naive_add(start, n, overrides, counting):
    if n == 0:
        return start
    step = ONE_DAY if n > 0 else -ONE_DAY
    day = start - step if counting == INCLUSIVE else start
    found = 0
    while found < abs(n):
        day += step
        if naive_working(day, overrides):
            found += 1
    return day


def naive_between(start, end, overrides, counting):
    if end >= start:
        first = start if counting == INCLUSIVE else start + ONE_DAY
        days = (first + ONE_DAY * i for i in range((end - first).days + 1))
        return sum(naive_working(d, overrides) for d in days)
    last = start if counting == INCLUSIVE else start - ONE_DAY
    return -sum(naive_working(end + ONE_DAY * i, overrides) for i in range((last - end).days + 1))


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))
countings = st.sampled_from([EXCLUSIVE, INCLUSIVE])
steps = st.integers(min_value=-300, max_value=300).filter(bool)


@st.composite
def calendars_and_starts(draw):
    """A start day and a calendar with overrides near it (closures, and weekends or holidays worked)."""
    start = draw(dates)
    near = st.integers(min_value=-120, max_value=420).map(lambda k: start + datetime.timedelta(days=k))
    overrides = draw(st.dictionaries(near, st.booleans(), max_size=12))
    return WorkingDayCalendar(overrides), overrides, start


PROPERTY_SETTINGS = hypothesis_settings(max_examples=300, deadline=None)


@PROPERTY_SETTINGS
@given(calendars_and_starts(), steps, countings)
def test_fast_add_equals_naive_loop(setup, n, counting):
    cal, overrides, start = setup
    assert cal.add_working_days(start, n, counting=counting) == naive_add(start, n, overrides, counting)


@PROPERTY_SETTINGS
@given(calendars_and_starts(), st.integers(min_value=-450, max_value=450), countings)
def test_fast_between_equals_naive_loop(setup, offset, counting):
    cal, overrides, start = setup
    end = start + datetime.timedelta(days=offset)
    assert cal.working_days_between(start, end, counting=counting) == naive_between(
        start, end, overrides, counting
    )


@PROPERTY_SETTINGS
@given(calendars_and_starts(), st.integers(min_value=-450, max_value=450))
def test_is_working_day_equals_naive(setup, offset):
    cal, overrides, start = setup
    day = start + datetime.timedelta(days=offset)
    assert cal.is_working_day(day) == naive_working(day, overrides)


@PROPERTY_SETTINGS
@given(calendars_and_starts(), steps, countings)
def test_add_then_between_round_trips(setup, n, counting):
    cal, _, start = setup
    end = cal.add_working_days(start, n, counting=counting)
    if counting == INCLUSIVE and n == -1 and cal.is_working_day(start):
        # Counted inclusively, a working day is one working day from itself in either direction; the span
        # [start, start] has no direction, so it counts +1.
        assert end == start
        assert cal.working_days_between(start, end, counting=counting) == 1
    else:
        assert cal.working_days_between(start, end, counting=counting) == n


@PROPERTY_SETTINGS
@given(calendars_and_starts(), steps, countings)
def test_result_of_adding_working_days_is_a_working_day(setup, n, counting):
    cal, _, start = setup
    assert cal.is_working_day(cal.add_working_days(start, n, counting=counting))


@PROPERTY_SETTINGS
@given(dates, st.integers(min_value=0, max_value=60), st.integers(min_value=-300, max_value=300), countings)
def test_add_is_monotonic_in_start(start, later_by, n, counting):
    later = start + datetime.timedelta(days=later_by)
    assert CAL.add_working_days(start, n, counting=counting) <= CAL.add_working_days(
        later, n, counting=counting
    )


@PROPERTY_SETTINGS
@given(dates, st.integers(min_value=1, max_value=300), st.integers(min_value=1, max_value=100), countings)
def test_add_is_strictly_increasing_in_n(start, n, more, counting):
    assert CAL.add_working_days(start, n, counting=counting) < CAL.add_working_days(
        start, n + more, counting=counting
    )
    assert CAL.add_working_days(start, -n - more, counting=counting) < CAL.add_working_days(
        start, -n, counting=counting
    )


@PROPERTY_SETTINGS
@given(dates, st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=60), countings)
def test_between_is_monotonic_in_end(start, offset, later_by, counting):
    end = start + datetime.timedelta(days=offset)
    later = end + datetime.timedelta(days=later_by)
    assert CAL.working_days_between(start, end, counting=counting) <= CAL.working_days_between(
        start, later, counting=counting
    )


@PROPERTY_SETTINGS
@given(dates, st.integers(min_value=1, max_value=300))
def test_conventions_agree_except_on_the_start_day(start, n):
    exclusive = CAL.add_working_days(start, n, counting=EXCLUSIVE)
    inclusive = CAL.add_working_days(start, n, counting=INCLUSIVE)
    if CAL.is_working_day(start):
        assert inclusive == CAL.previous_working_day(exclusive)
    else:
        assert inclusive == exclusive


# -- the process-wide calendar and CalendarOverride rows ----------------------------------------------------


@pytest.mark.django_db
def test_module_functions_use_the_default_calendar():
    assert add_working_days(D(2022, 12, 23), 1) == D(2022, 12, 28)
    assert add_working_days(D(2022, 12, 23), 1, counting=INCLUSIVE) == D(2022, 12, 23)
    assert working_days_between(D(2024, 12, 2), D(2025, 2, 6)) == 45
    assert not is_working_day(D(2022, 9, 19))
    assert next_working_day(D(2024, 3, 28)) == D(2024, 4, 2)
    assert previous_working_day(D(2024, 4, 2)) == D(2024, 3, 28)
    assert calendar() is calendar()


@pytest.mark.django_db
def test_override_row_takes_effect_after_cache_clear():
    referral = D(2025, 12, 24)
    assert add_working_days(referral, 1) == D(2025, 12, 29)
    # bulk_create sends no signal: the cached calendar does not see the row until the cache is cleared.
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=D(2025, 12, 29), is_working_day=False, reason="Council closure")]
    )
    assert add_working_days(referral, 1) == D(2025, 12, 29)
    calendar.cache_clear()
    assert add_working_days(referral, 1) == D(2025, 12, 30)
    assert not is_working_day(D(2025, 12, 29))


@pytest.mark.django_db
def test_module_level_cache_clear():
    assert add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 29)
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=D(2025, 12, 29), is_working_day=False, reason="Council closure")]
    )
    calendar_module.cache_clear()
    assert add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 30)


@pytest.mark.django_db
def test_saving_or_deleting_an_override_clears_the_cache():
    referral = D(2025, 12, 24)
    assert add_working_days(referral, 1) == D(2025, 12, 29)
    row = CalendarOverride.objects.create(
        date=D(2025, 12, 29), is_working_day=False, reason="Council closure"
    )
    assert add_working_days(referral, 1) == D(2025, 12, 30)
    row.is_working_day = True
    row.reason = "Closure cancelled"
    row.save()
    assert add_working_days(referral, 1) == D(2025, 12, 29)
    CalendarOverride.objects.create(date=D(2025, 12, 26), is_working_day=True, reason="Boxing Day opening")
    assert add_working_days(referral, 1) == D(2025, 12, 26)
    CalendarOverride.objects.all().delete()
    assert add_working_days(referral, 1) == D(2025, 12, 29)


@pytest.mark.django_db
def test_cached_overrides_expire(monkeypatch):
    assert add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 29)
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=D(2025, 12, 29), is_working_day=False, reason="Council closure")]
    )
    monkeypatch.setattr(calendar_module, "OVERRIDES_MAX_AGE", 0.0)
    assert add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 30)


@pytest.mark.django_db
def test_unchanged_overrides_keep_the_loaded_calendar(monkeypatch):
    first = calendar()
    monkeypatch.setattr(calendar_module, "OVERRIDES_MAX_AGE", 0.0)
    assert calendar() is first
