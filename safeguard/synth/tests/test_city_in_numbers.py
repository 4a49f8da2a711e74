"""The synthetic city in numbers: each area's population aged 0 to 17 for every year of the history, counted
from the generated children, and invented deprivation figures with the struggling area the most deprived."""

import datetime

import pytest

from safeguard.organisation.models import AreaDeprivation, AreaPopulation
from safeguard.synth.geography import AREAS, STRUGGLING_AREA
from safeguard.synth.tests.conftest import CHILDREN

pytestmark = pytest.mark.usefixtures("city", "db")


def test_each_area_has_a_population_for_every_year_near_its_share_of_the_city():
    by_year: dict[int, dict[str, int]] = {}
    for row in AreaPopulation.objects.select_related("area"):
        by_year.setdefault(row.year, {})[row.area.code] = row.children_0_17
    # The history is 3 years to 31 March 2026: populations from 2022 (the year before it begins) to 2026.
    assert sorted(by_year) == [2022, 2023, 2024, 2025, 2026]
    for year, areas in by_year.items():
        assert set(areas) == {spec.code for spec in AREAS}
        # Every child the city holds, with the cohorts now adult added back: about --children each year.
        assert abs(sum(areas.values()) - CHILDREN) < CHILDREN * 0.05, (year, areas)
    shares = {spec.code: spec.population_share for spec in AREAS}
    for code, children in by_year[2024].items():
        assert abs(children / CHILDREN - shares[code]) < 0.05
    poverty = {
        row.area.code: row.children_in_relative_poverty_percent
        for row in AreaDeprivation.objects.filter(year=2024).select_related("area")
    }
    assert max(poverty, key=poverty.get) == STRUGGLING_AREA
    assert min(poverty.values()) > 25  # a big city, above England's child poverty (about 30%) on average


def test_the_city_rates_per_10000_look_like_a_big_city():
    from safeguard.leadership.measures import Period
    from safeguard.leadership.rates import rates_by_area
    from safeguard.organisation.models import Area

    names = dict(Area.objects.values_list("pk", "name"))
    year = Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    found = rates_by_area(area_ids=list(names), names=names, period=year)
    council = {value.code: value.rate for value in found[None]}
    # England: 332.9 children in need and 67 looked after per 10,000 (docs/domain.md §5a); the city was
    # generated at those rates, so its own are near them.
    assert 250 <= council["children_in_need"] <= 450
    assert 40 <= council["looked_after"] <= 110
    assert all(rate is not None for rate in council.values())
