"""Reads of the organisation for home pages: caseloads, teams and areas, scoped to the reader's reach.

Counts only, no child's details: a team manager sees their team, a head of service their area, the
director every area. Each function is a fixed number of grouped queries, whatever the size of the council.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from safeguard.organisation.models import (
    Allocation,
    AllocationRole,
    Area,
    AreaDeprivation,
    AreaPopulation,
    Employment,
    Post,
    PostFilling,
    Role,
    Team,
    Worker,
)
from safeguard.people.models import current_on_q


def _current_caseload_filter(prefix: str = "") -> Q:
    """Current allocated-worker allocations (not IROs), as a filter usable through a relation."""
    return Q(**{f"{prefix}role": AllocationRole.SOCIAL_WORKER}) & current_on_q(timezone.localdate(), prefix)


def worker_caseloads(*, team: Team) -> QuerySet[Worker]:
    """The team's workers, each annotated with ``caseload``: children currently allocated to them."""
    return (
        Worker.objects.filter(team=team)
        .select_related("user")
        .annotate(caseload=Count("allocations", filter=_current_caseload_filter("allocations__")))
        .order_by("user__last_name", "user__first_name")
    )


@dataclass
class Establishment:
    """Posts against people: the figures a head of service and the director weigh caseloads with."""

    posts: int = 0
    vacant: int = 0
    agency_workers: int = 0
    social_workers: int = 0
    fte: Decimal = field(default_factory=Decimal)
    children_allocated: int = 0

    @property
    def vacancy_rate(self) -> float | None:
        return self.vacant / self.posts if self.posts else None

    @property
    def caseload_per_fte(self) -> float | None:
        return float(self.children_allocated / self.fte) if self.fte else None


def establishment_by(key: str, *, teams: QuerySet[Team]) -> dict[int, Establishment]:
    """Posts, vacancies, agency staff, social workers and allocated children, grouped by ``key``
    ("id" for teams, "area_id" for areas), for the given teams: three grouped queries in all.

    ``posts`` are the posts established today and ``vacant`` those of them nobody is in today (no current
    ``PostFilling``): a post covered by an agency worker is not counted vacant here. The DfE's vacancy rate,
    which does count agency cover as a vacancy, is ``safeguard.workforce.rates``'s."""
    figures: dict[int, Establishment] = {}

    def row(group: int) -> Establishment:
        return figures.setdefault(group, Establishment())

    today = timezone.localdate()
    team_key = "team__" + key
    filled = PostFilling.objects.current_on(today).filter(post_id=OuterRef("pk"))
    posts = (
        Post.objects.established_on(today)
        .filter(team__in=teams)
        .annotate(filled=Exists(filled))
        .order_by()
        .values(team_key)
        .annotate(posts=Count("id"), vacant=Count("id", filter=Q(filled=False)))
    )
    for item in posts:
        row(item[team_key]).posts = item["posts"]
        row(item[team_key]).vacant = item["vacant"]
    casework = Worker.objects.filter(
        team__in=teams, role__in=[Role.SOCIAL_WORKER, Role.FAMILY_SUPPORT_WORKER, Role.FRONT_DOOR_WORKER]
    )
    workers = casework.values(team_key).annotate(
        people=Count("id"), agency=Count("id", filter=Q(employment=Employment.AGENCY)), fte=Sum("fte")
    )
    for item in workers:
        row(item[team_key]).social_workers = item["people"]
        row(item[team_key]).agency_workers = item["agency"]
        row(item[team_key]).fte = item["fte"] or Decimal(0)
    allocated = (
        Allocation.objects.filter(_current_caseload_filter(), team__in=teams)
        .values(team_key)
        .annotate(children=Count("child_id", distinct=True))
    )
    for item in allocated:
        row(item[team_key]).children_allocated = item["children"]
    return figures


def teams_in_reach(*, worker: Worker) -> QuerySet[Team]:
    """The teams whose figures ``worker`` may see on their home page."""
    teams = Team.objects.select_related("area")
    if worker.role in (Role.DIRECTOR, Role.INSPECTOR):
        return teams.all()
    if worker.role == Role.HEAD_OF_SERVICE:
        return teams.filter(area_id=worker.area_id)
    if worker.role == Role.TEAM_MANAGER and worker.team_id:
        return teams.filter(pk=worker.team_id)
    return teams.none()


def areas_in_reach(*, worker: Worker) -> QuerySet[Area]:
    if worker.role in (Role.DIRECTOR, Role.INSPECTOR):
        return Area.objects.all()
    if worker.role == Role.HEAD_OF_SERVICE:
        return Area.objects.filter(pk=worker.area_id)
    return Area.objects.none()


# -- the city in numbers (issue 9) ------------------------------------------------------------------------------


def area_populations(*, year: int | None = None) -> dict[int, AreaPopulation]:
    """Each area's population aged 0 to 17 recorded for ``year`` (every year if None: the latest wins), by
    area id. One query. Counts of the whole population, no child's details: the caller decides who reads them."""
    rows = AreaPopulation.objects.order_by("area_id", "year")
    if year is not None:
        rows = rows.filter(year=year)
    return {row.area_id: row for row in rows}


def area_figures_by_year() -> tuple[list[int], dict[tuple[int, int], AreaPopulation], dict]:
    """Every population and deprivation figure recorded, for the page that lists them: the years (latest
    first), populations by (area id, year) and deprivation by (area id, year). Two queries."""
    populations = {
        (row.area_id, row.year): row for row in AreaPopulation.objects.select_related("modified_by")
    }
    deprivation = {
        (row.area_id, row.year): row for row in AreaDeprivation.objects.select_related("modified_by")
    }
    years = sorted({year for _, year in [*populations, *deprivation]}, reverse=True)
    return years, populations, deprivation


def area_deprivation_latest(*, up_to: int) -> dict[int, AreaDeprivation]:
    """Each area's latest deprivation figures for ``up_to`` or an earlier year, by area id. One query."""
    return {
        row.area_id: row
        for row in AreaDeprivation.objects.filter(year__lte=up_to).order_by("area_id", "year")
    }
