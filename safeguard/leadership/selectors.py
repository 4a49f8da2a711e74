"""Reads for the leadership pages: the measures side by side, and the improvement plan with each action's
lateness and whether its measure has moved.

Counts and the plan only, no child named; who sees which area is ``policies``'.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from safeguard.leadership import policies
from safeguard.leadership.measures import (
    COMPUTERS,
    HIGHER,
    MeasureValue,
    Period,
    definitions,
    measures_by_area,
    percent,
    twelve_months_to,
)
from safeguard.leadership.models import OPEN_STATUSES, ActionStatus, ImprovementAction
from safeguard.leadership.rates import RateValue, population_year, rates_by_area
from safeguard.organisation.models import Area, AreaDeprivation
from safeguard.organisation.selectors import area_deprivation_latest, area_figures_by_year


@dataclass(frozen=True)
class Column:
    """One place on the measures page: the council (``area`` None) or an area, with its figures."""

    area: Area | None
    values: list[MeasureValue]

    @property
    def name(self) -> str:
        return self.area.name if self.area else "Council"


def measures_page(user, *, period: Period, today: datetime.date) -> list[Column]:
    """The council's column and one for each area ``user`` sees, for ``period`` (one pass over the records)."""
    areas = list(policies.measure_areas(user))
    figures = measures_by_area(
        area_ids=[area.pk for area in areas], start=period.start, end=period.end, today=today
    )
    return [Column(None, figures[None]), *(Column(area, figures[area.pk]) for area in areas)]


# -- the improvement plan --------------------------------------------------------------------------------------

IMPROVING, WORSE, NO_CHANGE, TARGET_MET, NOT_MEASURABLE = (
    "improving",
    "worse",
    "no change",
    "target met",
    "not yet measurable",
)


@dataclass(frozen=True)
class Progress:
    """A linked measure: its baseline when linked, its value now (12 months to today), the target, and which
    way it has moved given whether higher or lower is better."""

    code: str
    name: str
    better: str
    baseline: float | None
    current: float | None
    numerator: int
    denominator: int
    target: float

    @property
    def verdict(self) -> str:
        if self.current is None:
            return NOT_MEASURABLE
        higher = self.better == HIGHER
        if (self.current >= self.target) if higher else (self.current <= self.target):
            return TARGET_MET
        if self.baseline is None:
            return NOT_MEASURABLE
        if self.current == self.baseline:
            return NO_CHANGE
        return IMPROVING if (self.current > self.baseline) == higher else WORSE


@dataclass(frozen=True)
class PlanRow:
    action: ImprovementAction
    late: bool
    days_late: int
    progress: Progress | None


def _late(today: datetime.date) -> QuerySet:
    """Actions still open (not started or in progress) after their due date: ``ImprovementAction.is_late``."""
    return ImprovementAction.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)


def plan_actions(
    *, area_id: int | None = None, status: str = "", late_on: datetime.date | None = None
) -> QuerySet:
    """The plan's actions, soonest due first: of one area, of one status, or (``late_on``) late on that day."""
    actions = ImprovementAction.objects.select_related("owner__user", "area").order_by("due_on", "pk")
    if area_id is not None:
        actions = actions.filter(area_id=area_id)
    if status in ActionStatus.values:
        actions = actions.filter(status=status)
    if late_on is not None:
        actions = actions.filter(pk__in=_late(late_on).values("pk"))
    return actions


def late_actions_by_area(today: datetime.date) -> dict[int | None, int]:
    """How many actions are late in each area (``None``: the council-wide ones), for the area dashboards."""
    grouped = _late(today).values("area_id").annotate(n=Count("pk")).order_by()
    return {item["area_id"]: item["n"] for item in grouped}


def plan_rows(actions, *, today: datetime.date) -> list[PlanRow]:
    """Each action with whether it is late and, if linked to a measure, its progress. The current values are
    computed once for each measure linked, for every area at once (at most the twelve queries of the
    measures page)."""
    actions = list(actions)
    period = twelve_months_to(today)
    tallies, memo = {}, {}
    for code in {action.measure for action in actions if action.measure}:
        tallies[code] = COMPUTERS[code](period, None, today, memo)
    rows = []
    for action in actions:
        progress = None
        if action.measure:
            tally = tallies[action.measure]
            if action.area_id is None:
                numerator = sum(c[0] for c in tally.values())
                denominator = sum(c[1] for c in tally.values())
            else:
                numerator, denominator = tally.get(action.area_id, (0, 0))
            definition = definitions()[action.measure]
            progress = Progress(
                code=action.measure,
                name=definition.name,
                better=definition.better,
                baseline=float(action.baseline) if action.baseline is not None else None,
                current=percent(numerator, denominator),
                numerator=numerator,
                denominator=denominator,
                target=float(action.target),
            )
        late = action.is_late(today)
        rows.append(PlanRow(action, late, (today - action.due_on).days if late else 0, progress))
    return rows


def plan_summary(rows: list[PlanRow]) -> dict[str, int]:
    summary = {status: 0 for status in ActionStatus.values}
    for row in rows:
        summary[row.action.status] += 1
    summary["late"] = sum(row.late for row in rows)
    summary["total"] = len(rows)
    return summary


# -- the city in numbers: rates per 10,000 children (issue 9) ---------------------------------------------------


@dataclass(frozen=True)
class RateColumn:
    """One place's rates, with the population they were worked out with and the area's deprivation."""

    area: Area | None
    values: list[RateValue]
    deprivation: AreaDeprivation | None

    @property
    def name(self) -> str:
        return self.area.name if self.area else "Council"


def rates_page(user, *, period: Period) -> list[RateColumn]:
    """The council's rates and those of each area ``user`` sees on the measures page, for ``period``: counts,
    populations and the rates (``leadership.rates``), with each area's latest deprivation figures up to the
    population's year."""
    areas = list(policies.measure_areas(user))
    names = {area.pk: area.name for area in areas}
    figures = rates_by_area(area_ids=list(names), names=names, period=period)
    deprivation = area_deprivation_latest(up_to=population_year(period))
    return [
        RateColumn(None, figures[None], None),
        *(RateColumn(area, figures[area.pk], deprivation.get(area.pk)) for area in areas),
    ]


def figures_page(user) -> dict:
    """Every area's populations and deprivation by year, for the page that lists them (three queries)."""
    years, populations, deprivation = area_figures_by_year()
    areas = list(Area.objects.order_by("name"))
    return {
        "areas": areas,
        "years": years,
        "rows": [
            (
                year,
                [
                    (area, populations.get((area.pk, year)), deprivation.get((area.pk, year)))
                    for area in areas
                ],
            )
            for year in years
        ],
    }
