import datetime

import pytest

from safeguard.core.years import CollectionYear


def test_a_year_is_named_by_the_31_march_that_ends_it():
    year = CollectionYear(2025)
    assert (year.start, year.end, year.reference_date) == (
        datetime.date(2024, 4, 1),
        datetime.date(2025, 3, 31),
        datetime.date(2025, 3, 31),
    )
    assert year.label == "2024-25"
    assert year.contains(datetime.date(2024, 4, 1)) and year.contains(datetime.date(2025, 3, 31))
    assert not year.contains(datetime.date(2024, 3, 31)) and not year.contains(datetime.date(2025, 4, 1))
    assert not year.contains(None)


@pytest.mark.parametrize(
    ("day", "end_year"),
    [
        (datetime.date(2025, 3, 31), 2025),
        (datetime.date(2025, 4, 1), 2026),
        (datetime.date(2025, 1, 1), 2025),
    ],
)
def test_the_year_a_day_falls_in(day, end_year):
    assert CollectionYear.containing(day) == CollectionYear(end_year)


def test_the_latest_complete_year_is_the_one_due_for_return():
    assert CollectionYear.latest_complete(datetime.date(2025, 6, 1)) == CollectionYear(2025)
    assert CollectionYear.latest_complete(datetime.date(2025, 3, 31)) == CollectionYear(2024)


@pytest.mark.parametrize("text", ["2025", "2024-25", "2024/25", "2024-2025", " 2025 "])
def test_a_year_is_read_as_people_write_it(text):
    assert CollectionYear.parse(text) == CollectionYear(2025)


@pytest.mark.parametrize("text", ["25", "2024-26", "twenty", "", "2025-24"])
def test_a_year_that_is_not_one_is_refused_with_a_clear_message(text):
    with pytest.raises(ValueError, match="not a collection year"):
        CollectionYear.parse(text)
