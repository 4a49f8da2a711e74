"""The city in numbers: each activity measure as a count and as a rate per 10,000 children, as the DfE
publishes them, for the council and each area, against England's rate.

A rate is ``count / children aged 0 to 17 x 10,000``, rounded to one decimal place (the DfE's tables give
one; docs/domain.md §5a). The population is the area's ``AreaPopulation`` for the calendar year in which
the period began: for the year ending 31 March 2025 that is the mid-2024 estimate, as the DfE uses the ONS
mid-year estimate of the year before the 31 March (docs/domain.md §5a); for the 12 months to 30 September
2025, mid-2024 too. An area with no population recorded for that year shows its count and "no population
recorded", never a rate worked out from another year's figure. The council's population is the sum of its
areas' (every area must have one), and its count includes records with no area, as ``measures`` does.

What is counted, and where a record belongs, follows ``measures``' conventions (its docstring):

- ``referrals``: child in need episodes with their referral date in the period, in the episode's area
  (referrals, not children: the DfE counts referrals);
- ``children_in_need``: children with an episode open at the end of the period's last day, each counted once
  (in the area of their latest open episode; once in the council's figure);
- ``cp_plans``: children on a child protection plan at the end of the last day, each counted once (in the
  area of their latest plan's episode);
- ``looked_after``: children looked after at the end of the last day, except those whose legal status then is
  a short break (V3, V4), as the DfE counts them, each once, in the area of their latest child in need
  episode begun by then (``measures._areas_of``);
- ``s47_enquiries`` and ``cp_plans_started``: enquiries and plans started in the period, in their
  episode's area.

The definitions and England's rates are reference data (``data/rates.csv``). Cost: one grouped query for
each event count, one for each "on the last day" count (plus one for the looked-after children's areas),
and one for the populations: nine queries for every rate of every area.
"""

import csv
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from django.db.models import Count, OuterRef, Q, Subquery

from safeguard.casework.models import CinEpisode, CPPlan, S47Enquiry
from safeguard.leadership.measures import AreaKey, Period, _areas_of
from safeguard.lookedafter.models import LacEpisode, PeriodOfCare
from safeguard.lookedafter.rules import SHORT_BREAKS
from safeguard.organisation.models import Area, AreaPopulation
from safeguard.organisation.selectors import area_populations

DATA_FILE = Path(__file__).parent / "data" / "rates.csv"
PER = 10_000
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class RateDefinition:
    code: str
    name: str
    counted: str  # "in the period" or "on the last day"
    definition: str
    statistical_source: str
    england_rate: float | None
    england_text: str  # as published (67, not 67.0)
    england_period: str
    england_source: str
    england_verified: bool


@cache
def rate_definitions() -> dict[str, RateDefinition]:
    """The rates in the order the page shows them, from ``data/rates.csv``."""
    with DATA_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["code"]: RateDefinition(
            code=row["code"],
            name=row["name"],
            counted=row["counted"],
            definition=row["definition"],
            statistical_source=row["statistical_source"],
            england_rate=float(row["england_rate"]) if row["england_rate"] else None,
            england_text=row["england_rate"],
            england_period=row["england_period"],
            england_source=row["england_source"],
            england_verified=row["england_verified"] == "yes",
        )
        for row in rows
    }


def rate_per_10k(count: int, population: int | None) -> float | None:
    """``count`` per 10,000 of ``population``, to one decimal place; None without a population."""
    if not population:
        return None
    # Exact arithmetic, halves rounded up (0.15 is 0.2), as published figures are; a float would make 0.15
    # 0.1499... and round it down.
    return float((Decimal(count) * PER / Decimal(population)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP))


def population_year(period: Period) -> int:
    """The mid-year estimate a period's rates are worked out with: that of the calendar year the period began
    in (the year ending 31 March 2025 began in 2024, and the DfE divides by the mid-2024 estimate)."""
    return period.start.year


@dataclass(frozen=True)
class Counts:
    """A count for each area key, and the council's (which, for children counted once, is not always the sum:
    a child with open episodes in two areas counts once in the council)."""

    by_area: dict[AreaKey, int]
    council: int


def _grouped(rows, area_field: str) -> Counts:
    by_area = {area: n for area, n in rows.values_list(area_field).annotate(n=Count("pk")).order_by()}
    return Counts(by_area, sum(by_area.values()))


def _children_once(pairs) -> Counts:
    """Each child once, in the area of the last (child, area) pair given for them (pairs come in date order)."""
    areas: dict[int, AreaKey] = {}
    for child_id, area in pairs:
        areas[child_id] = area
    by_area: dict[AreaKey, int] = {}
    for area in areas.values():
        by_area[area] = by_area.get(area, 0) + 1
    return Counts(by_area, len(areas))


def referrals(period: Period) -> Counts:
    return _grouped(
        CinEpisode.objects.filter(referral_date__gte=period.start, referral_date__lte=period.end), "area_id"
    )


def children_in_need(period: Period) -> Counts:
    end = period.end
    rows = (
        CinEpisode.objects.filter(referral_date__lte=end)
        .filter(Q(closure_date__isnull=True) | Q(closure_date__gt=end))
        .order_by("child_id", "referral_date", "pk")
        .values_list("child_id", "area_id")
    )
    return _children_once(rows)


def cp_plans(period: Period) -> Counts:
    end = period.end
    rows = (
        CPPlan.objects.filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=end))
        .order_by("child_id", "start_date", "pk")
        .values_list("child_id", "episode__area_id")
    )
    return _children_once(rows)


def looked_after(period: Period) -> Counts:
    end = period.end
    status_then = (
        LacEpisode.objects.filter(child_id=OuterRef("child_id"), start_date__lte=end)
        .order_by("-start_date", "-pk")
        .values("legal_status")[:1]
    )
    children = (
        PeriodOfCare.objects.filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=end))
        .annotate(status=Subquery(status_then))
        .exclude(status__in=SHORT_BREAKS)
        .values("child_id")
        .distinct()
    )
    ids = [row["child_id"] for row in children]
    areas = _areas_of(children, end) if ids else {}
    return _children_once((child_id, areas.get(child_id)) for child_id in ids)


def s47_enquiries(period: Period) -> Counts:
    return _grouped(
        S47Enquiry.objects.filter(start_date__gte=period.start, start_date__lte=period.end),
        "episode__area_id",
    )


def cp_plans_started(period: Period) -> Counts:
    return _grouped(
        CPPlan.objects.filter(start_date__gte=period.start, start_date__lte=period.end), "episode__area_id"
    )


COUNTERS = {
    "referrals": referrals,
    "children_in_need": children_in_need,
    "cp_plans": cp_plans,
    "looked_after": looked_after,
    "s47_enquiries": s47_enquiries,
    "cp_plans_started": cp_plans_started,
}


@dataclass(frozen=True)
class RateValue:
    """One rate for one place: the count, the population it was divided by (and its year and source), the
    rate, and England's."""

    code: str
    name: str
    count: int
    population: int | None
    population_year: int
    population_source: str
    rate: float | None  # None: no population recorded
    england: float | None
    england_period: str
    missing: str = ""  # what is missing, when there is no rate

    def compared_with_england(self) -> str | None:
        """ "higher", "lower" or "same" than England (None when either is missing). Neither is better: a
        rate says how much, not how well."""
        if self.rate is None or self.england is None:
            return None
        if self.rate == self.england:
            return "same"
        return "higher" if self.rate > self.england else "lower"


@dataclass(frozen=True)
class Population:
    """The population a place's rates were worked out with (``children`` None: not recorded)."""

    children: int | None
    year: int
    source: str
    missing: str = ""


def populations_for(area_ids: list[int], names: dict[int, str], year: int) -> dict[AreaKey, Population]:
    """Each area's population for ``year``, and the council's (key None): the sum of every area's, or none if
    any area has none (one query)."""
    recorded: dict[int, AreaPopulation] = area_populations(year=year)
    found: dict[AreaKey, Population] = {}
    for area_id in area_ids:
        row = recorded.get(area_id)
        if row is None:
            found[area_id] = Population(None, year, "", f"No population recorded for {names[area_id]} {year}")
        else:
            found[area_id] = Population(row.children_0_17, year, row.source_note)
    every_area = dict(Area.objects.values_list("pk", "name"))
    lacking = sorted(name for pk, name in every_area.items() if pk not in recorded)
    if lacking or not every_area:
        found[None] = Population(
            None, year, "", f"No population recorded for {', '.join(lacking) or 'any area'} {year}"
        )
    else:
        found[None] = Population(
            sum(row.children_0_17 for row in recorded.values() if row.area_id in every_area),
            year,
            "The sum of the areas' populations",
        )
    return found


def rates_by_area(
    *, area_ids: list[int], names: dict[int, str], period: Period
) -> dict[AreaKey, list[RateValue]]:
    """Every rate for the council (key None) and each of ``area_ids``, for ``period``."""
    year = population_year(period)
    populations = populations_for(area_ids, names, year)
    found: dict[AreaKey, list[RateValue]] = {None: [], **{area: [] for area in area_ids}}
    for code, definition in rate_definitions().items():
        counts = COUNTERS[code](period)
        for key in found:
            count = counts.council if key is None else counts.by_area.get(key, 0)
            population = populations[key]
            found[key].append(
                RateValue(
                    code=code,
                    name=definition.name,
                    count=count,
                    population=population.children,
                    population_year=year,
                    population_source=population.source,
                    rate=rate_per_10k(count, population.children),
                    england=definition.england_rate,
                    england_period=definition.england_period,
                    missing=population.missing,
                )
            )
    return found
