"""Reads for the workforce pages and the director's area dashboard: the establishment, its rates, and demand
against capacity, per area and per team, always for the areas and teams the reader may see
(``policies.areas_for`` / ``policies.teams_for``).

Counts only, no child's details. Every function is a fixed number of queries, whatever the size of the council
or the length of its history: the posts, their fillings, the child in need episodes counted per area in one
grouped query, and the weighted caseloads (``allocation.caseload.weighted_caseloads``, itself a fixed number).

Capacity and demand
-------------------
- **Capacity** = the FTE of case-holding posts (``organisation.CASE_HOLDING_GRADES``, in teams that hold cases:
  not the front door or the safeguarding unit) held on the day, by permanent or agency staff, × the caseload
  limit (``SAFEGUARD["CASELOAD_LIMIT"]``, weighted cases per full-time worker). Exact on any past day, from
  the history.
- **Open cases**: child in need episodes of the area open on the day (referral on or before it, not closed
  before it). **Referrals**: episodes whose referral date falls in the month (every referral accepted by
  children's social care starts one: the CIN census's CINdetails).
- **Weighted caseload today**: the weighted caseloads of the area's workers (exact: each allocated child at
  their weight, siblings discounted; ``allocation.caseload``), plus each open case no worker of the area holds
  at the area's mean weight per allocated child (an unallocated child is work all the same).
- **Weighted caseload in a past month** is *estimated*, not replayed: the open cases at the month's end × the
  area's mean weight per allocated child *today*. Replaying the weights exactly would need every child's plans,
  care and legal status on every month end; the estimate assumes the mix of cases (how many on plans, looked
  after, in proceedings) has stayed as it is today, which the page says.
- **Gap** = weighted caseload − capacity: positive is a shortfall (more weighted work than the filled posts can
  carry at the limit), negative is room to spare.
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safeguard.allocation.caseload import Caseload, caseload_limit, weighted_caseloads
from safeguard.casework.models import CinEpisode
from safeguard.core.calendar import add_calendar_months
from safeguard.organisation.models import (
    CASE_HOLDING_GRADES,
    Area,
    Post,
    PostFilling,
    Role,
    Team,
    TeamKind,
    Worker,
)
from safeguard.workforce import forecast
from safeguard.workforce.rates import Establishment, FillingRow, PostRow, Rates, year_before

# Teams whose posts do not hold cases: their social workers are in the establishment and the census, not in
# capacity (the front door screens contacts; the safeguarding unit chairs reviews and conferences).
NON_CASE_HOLDING_TEAMS = (TeamKind.FRONT_DOOR, TeamKind.SAFEGUARDING_UNIT)
# Roles whose allocations make an area's weighted caseload.
CASE_HOLDING_ROLES = (Role.SOCIAL_WORKER, Role.FAMILY_SUPPORT_WORKER, Role.TEAM_MANAGER)
MONTHS = 24  # months of demand and capacity shown
ONE = Decimal(1)


def _area_ids(areas: Iterable[Area | int] | QuerySet[Area]) -> list[int]:
    if isinstance(areas, QuerySet):
        return list(areas.values_list("pk", flat=True))
    return [area if isinstance(area, int) else area.pk for area in areas]


def establishment(
    *, area_ids: list[int] | None = None, team_ids: list[int] | None = None, since: datetime.date
) -> Establishment:
    """The posts of the areas (or teams) and every filling of them that was open on or after ``since``: two
    queries. Enough for any figure from ``since`` on (turnover on a day needs ``since`` a year before it)."""
    posts = Post.objects.order_by()
    if area_ids is not None:
        posts = posts.filter(team__area_id__in=area_ids)
    if team_ids is not None:
        posts = posts.filter(team_id__in=team_ids)
    rows = [
        PostRow(
            id=pk,
            team_id=team_id,
            area_id=area_id,
            fte=fte,
            social_work=social_work,
            case_holding=grade in CASE_HOLDING_GRADES and kind not in NON_CASE_HOLDING_TEAMS,
            established_on=established,
            disestablished_on=cut,
        )
        for pk, team_id, area_id, fte, social_work, grade, kind, established, cut in posts.values_list(
            "pk",
            "team_id",
            "team__area_id",
            "fte",
            "is_social_work_post",
            "grade",
            "team__kind",
            "established_on",
            "disestablished_on",
        )
    ]
    fillings = PostFilling.objects.order_by().filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
    if area_ids is not None:
        fillings = fillings.filter(post__team__area_id__in=area_ids)
    if team_ids is not None:
        fillings = fillings.filter(post__team_id__in=team_ids)
    filling_rows = [
        FillingRow(*values)
        for values in fillings.values_list(
            "pk",
            "post_id",
            "worker_id",
            "employment",
            "start_date",
            "end_date",
            "leaving_reason",
            "moved_within_council",
        )
    ]
    return Establishment(rows, filling_rows)


# -- demand ---------------------------------------------------------------------------------------------------


def month_ends(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The last day of each of the ``count - 1`` months before today's, then today: oldest first."""
    return [_add_months(today, -back) for back in range(count - 1, 0, -1)] + [today]


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def episode_counts(area_ids: list[int], days: list[datetime.date]) -> dict[int, dict[str, list[int]]]:
    """For each area: ``open`` (episodes open on each day) and ``referrals`` (episodes referred in the month
    ending on each day), in one grouped query whatever the number of days."""
    first = _month_start(days[0])
    counts = {}
    for i, day in enumerate(days):
        counts[f"open_{i}"] = Count(
            "pk",
            filter=Q(referral_date__lte=day) & (Q(closure_date__isnull=True) | Q(closure_date__gt=day)),
        )
        counts[f"referrals_{i}"] = Count(
            "pk", filter=Q(referral_date__gte=_month_start(day), referral_date__lte=day)
        )
    rows = (
        CinEpisode.objects.order_by()
        .filter(area_id__in=area_ids, referral_date__lte=days[-1])
        .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=first))
        .values("area_id")
        .annotate(**counts)
    )
    found = {area_id: {"open": [0] * len(days), "referrals": [0] * len(days)} for area_id in area_ids}
    for row in rows:
        found[row["area_id"]] = {
            "open": [row[f"open_{i}"] for i in range(len(days))],
            "referrals": [row[f"referrals_{i}"] for i in range(len(days))],
        }
    return found


@dataclass
class HeldLoad:
    """What the area's workers hold today: weighted cases and children, and so the mean weight per child."""

    weighted: Decimal = Decimal(0)
    children: int = 0

    @property
    def mean_weight(self) -> Decimal:
        return self.weighted / self.children if self.children else ONE


def case_holders(area_ids: list[int]) -> QuerySet[Worker]:
    """The workers whose caseloads are an area's demand: every case-holding role in its teams."""
    return (
        Worker.objects.filter(team__area_id__in=area_ids, role__in=CASE_HOLDING_ROLES)
        .only("pk", "fte", "team_id")
        .order_by()
    )


def held_loads(
    area_ids: list[int], today: datetime.date, caseloads: dict[int, Caseload] | None = None
) -> dict[int, HeldLoad]:
    """Each area's weighted caseload held today by its case-holding workers (``allocation.caseload``), from
    ``caseloads`` when the caller has computed them already (for at least ``case_holders``)."""
    if caseloads is None:
        caseloads = weighted_caseloads(list(case_holders(area_ids)), today=today)
    loads = {area_id: HeldLoad() for area_id in area_ids}
    # Ids only: the caseloads hold the workers already (building a city's 844 again took longer than the query).
    for worker_id, area_id in case_holders(area_ids).values_list("pk", "team__area_id"):
        load = loads[area_id]
        load.weighted += caseloads[worker_id].weighted
        load.children += caseloads[worker_id].children
    return loads


def weighted_now(open_cases: int, held: HeldLoad) -> Decimal:
    """Today's weighted caseload: what is held, exactly, and each open case beyond it at the mean weight."""
    return held.weighted + max(0, open_cases - held.children) * held.mean_weight


# -- the area figures -----------------------------------------------------------------------------------------


@dataclass
class AreaWorkforce:
    """One area's workforce on a day: the interface the director's area dashboard reads
    (``workforce_by_area``). Rates are fractions (0.189), None where there is nothing to divide by."""

    area_id: int | None  # None: the council's (``total``)
    on: datetime.date
    posts_fte: Decimal
    permanent_fte: Decimal
    agency_fte: Decimal
    vacant_fte: Decimal  # the census's vacancies: not held by a permanent employee, agency cover included
    uncovered_fte: Decimal  # nobody in post at all
    vacancy_rate: float | None
    agency_rate: float | None
    turnover_rate: float | None
    starters: int  # permanent starters in the 12 months to the day
    leavers: int  # permanent leavers in the 12 months to the day
    leavers_fte: Decimal
    case_holding_fte: Decimal  # case-holding posts held (permanent or agency)
    capacity: Decimal  # case_holding_fte × the caseload limit
    open_cases: int
    weighted_caseload: Decimal  # exact for allocated children today; estimated for a past day (module doc)
    weighted_is_estimate: bool
    gap: Decimal  # weighted_caseload − capacity: positive is a shortfall

    @classmethod
    def build(
        cls,
        area_id: int | None,
        rates: Rates,
        limit: Decimal,
        open_cases: int,
        weighted: Decimal,
        estimate: bool,
    ) -> "AreaWorkforce":
        capacity = rates.case_holding_filled_fte * limit
        return cls(
            area_id=area_id,
            on=rates.on,
            posts_fte=rates.posts_fte,
            permanent_fte=rates.permanent_fte,
            agency_fte=rates.agency_fte,
            vacant_fte=rates.vacant_fte,
            uncovered_fte=rates.uncovered_fte,
            vacancy_rate=rates.vacancy_rate,
            agency_rate=rates.agency_rate,
            turnover_rate=rates.turnover_rate,
            starters=rates.starters,
            leavers=rates.leavers,
            leavers_fte=rates.leavers_fte,
            case_holding_fte=rates.case_holding_filled_fte,
            capacity=capacity,
            open_cases=open_cases,
            weighted_caseload=weighted,
            weighted_is_estimate=estimate,
            gap=weighted - capacity,
        )

    @classmethod
    def total(cls, parts: Iterable["AreaWorkforce"]) -> "AreaWorkforce | None":
        """The council's, from its areas': FTE, counts, capacity and caseloads added up, and the rates computed
        again from the sums (a council's rate is neither the sum nor the mean of its areas' rates)."""
        parts = list(parts)
        if not parts:
            return None

        def added(name: str):
            return sum((getattr(part, name) for part in parts), Decimal(0))

        rates = Rates(
            on=parts[0].on,
            posts_fte=added("posts_fte"),
            permanent_fte=added("permanent_fte"),
            agency_fte=added("agency_fte"),
            vacant_fte=added("vacant_fte"),
            uncovered_fte=added("uncovered_fte"),
            leavers_fte=added("leavers_fte"),
            leavers=sum(part.leavers for part in parts),
            starters=sum(part.starters for part in parts),
            case_holding_filled_fte=added("case_holding_fte"),
        )
        open_cases, estimate = (
            sum(part.open_cases for part in parts),
            any(p.weighted_is_estimate for p in parts),
        )
        return cls.build(None, rates, caseload_limit(), open_cases, added("weighted_caseload"), estimate)


def workforce_by_area(
    *,
    areas,
    on: datetime.date,
    today: datetime.date | None = None,
    caseloads: dict[int, Caseload] | None = None,
) -> dict[int, AreaWorkforce]:
    """Each area's establishment, rates, capacity and weighted caseload on ``on``, keyed by area id.

    ``areas`` is a queryset of areas (already scoped to the reader: ``organisation.selectors.areas_in_reach``)
    or a list of areas or ids. A fixed number of queries: posts, fillings, episodes, workers, teams, and the
    weighted caseloads' own. ``today`` (default: the local date) is when the weights are read; for ``on``
    before it the weighted caseload is an estimate (module docstring). ``caseloads``: today's, already
    computed by the caller for at least ``case_holders`` (``held_loads``).
    """
    today = today or timezone.localdate()
    area_ids = _area_ids(areas)
    if not area_ids:
        return {}
    data = establishment(area_ids=area_ids, since=year_before(on))
    by_area = data.rates(on, key=lambda post: post.area_id)
    counts = episode_counts(area_ids, [on])
    held = held_loads(area_ids, today, caseloads)
    limit = caseload_limit()
    figures = {}
    for area_id in area_ids:
        rates = by_area.get(area_id) or Rates(on=on)
        open_cases = counts[area_id]["open"][0]
        estimate = on != today
        weighted = (
            open_cases * held[area_id].mean_weight if estimate else weighted_now(open_cases, held[area_id])
        )
        figures[area_id] = AreaWorkforce.build(area_id, rates, limit, open_cases, weighted, estimate)
    return figures


def workforce_by_team(*, teams: QuerySet[Team], on: datetime.date) -> dict[int, Rates]:
    """Each team's establishment and rates on ``on`` (two queries)."""
    team_ids = list(teams.values_list("pk", flat=True))
    data = establishment(team_ids=team_ids, since=year_before(on))
    return data.rates(on, key=lambda post: post.team_id)


# -- demand against capacity over time ------------------------------------------------------------------------


@dataclass
class MonthPoint:
    day: datetime.date  # the month's last day (today for the current month)
    referrals: int
    open_cases: int
    weighted: float
    capacity: float
    estimate: bool  # the weighted caseload is estimated (a past month)

    @property
    def gap(self) -> float:
        return self.weighted - self.capacity


@dataclass
class ForecastPoint:
    day: datetime.date
    weighted: float
    capacity: float

    @property
    def gap(self) -> float:
        return self.weighted - self.capacity


@dataclass
class DemandSeries:
    area_id: int
    months: list[MonthPoint] = field(default_factory=list)
    ahead: list[ForecastPoint] = field(default_factory=list)
    mean_weight: Decimal = ONE
    limit: Decimal = Decimal(0)

    @property
    def now(self) -> MonthPoint:
        return self.months[-1]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The last day of the month ``months`` after ``day``'s (before it, for a negative number)."""
    shifted = add_calendar_months(day.replace(day=1), months)
    return shifted.replace(day=calendar.monthrange(shifted.year, shifted.month)[1])


def demand_series(*, areas, today: datetime.date) -> dict[int, DemandSeries]:
    """Monthly referrals, open cases, weighted caseload and capacity per area over the last ``MONTHS`` months,
    and the weighted caseload and capacity projected ``forecast.AHEAD`` months on (``forecast.project``).
    A fixed number of queries whatever the number of months."""
    area_ids = _area_ids(areas)
    if not area_ids:
        return {}
    days = month_ends(today)
    data = establishment(area_ids=area_ids, since=days[0])
    counts = episode_counts(area_ids, days)
    held = held_loads(area_ids, today)
    limit = caseload_limit()
    capacity_by_day = [data.rates(day, key=lambda post: post.area_id) for day in days]
    series = {}
    for area_id in area_ids:
        load = held[area_id]
        result = DemandSeries(area_id=area_id, mean_weight=load.mean_weight, limit=limit)
        for i, day in enumerate(days):
            open_cases = counts[area_id]["open"][i]
            now = day == today
            weighted = weighted_now(open_cases, load) if now else open_cases * load.mean_weight
            rates = capacity_by_day[i].get(area_id)
            capacity = (rates.case_holding_filled_fte if rates else Decimal(0)) * limit
            result.months.append(
                MonthPoint(
                    day=day,
                    referrals=counts[area_id]["referrals"][i],
                    open_cases=open_cases,
                    weighted=float(weighted),
                    capacity=float(capacity),
                    estimate=not now,
                )
            )
        weighted_ahead = forecast.project([point.weighted for point in result.months])
        capacity_ahead = forecast.project([point.capacity for point in result.months])
        result.ahead = [
            ForecastPoint(day=_add_months(today, k + 1), weighted=w, capacity=c)
            for k, (w, c) in enumerate(zip(weighted_ahead, capacity_ahead, strict=True))
        ]
        series[area_id] = result
    return series


# -- lists ----------------------------------------------------------------------------------------------------


def starters_and_leavers(*, team_ids: list[int], first: datetime.date, last: datetime.date):
    """Fillings of the teams' posts that started or ended from ``first`` to ``last``, newest first, with their
    post, team and worker: the starters and leavers list (one query)."""
    return (
        PostFilling.objects.filter(post__team_id__in=team_ids)
        .filter(Q(start_date__range=(first, last)) | Q(end_date__range=(first, last)))
        .select_related("post__team", "worker__user")
        .order_by("-start_date", "-pk")
    )


def team_posts(*, team: Team, on: datetime.date) -> list[tuple[Post, PostFilling | None]]:
    """The team's posts that exist on ``on``, each with who holds it that day (two queries)."""
    posts = list(Post.objects.established_on(on).filter(team=team).order_by("grade", "title", "pk"))
    holders = {
        filling.post_id: filling
        for filling in PostFilling.objects.current_on(on)
        .filter(post__in=[post.pk for post in posts])
        .select_related("worker__user")
    }
    return [(post, holders.get(post.pk)) for post in posts]
