"""The oversight dashboard and the approvals queue: what a manager must know is slipping, per team and area.

Every figure is a count of rows another module owns, grouped by the team that holds them, and each links to
the list behind it: unallocated children (``allocation``), caseloads against the limit (``allocation``),
supervision overdue (``oversight.supervision``), approvals waiting (assessments submitted for authorisation
and closure requests, ``casework``), case audit grades and overdue audit actions, closures approved and bulk
closure alerts (``casework.closure``). Nothing is stored: the dashboard is as current as the records.

Scope is the organisation's: a team manager sees their team, a head of service the teams of their area, the
director and inspectors every area side by side (and one area's teams when they choose it), as
``allocation.selectors.teams_in_scope`` says. Cost grows with the number of teams, not with the number of
children: each figure is one grouped query (the caseloads are the allocation module's fixed few).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Min, QuerySet

from safeguard.allocation.caseload import Caseload, weighted_caseloads
from safeguard.allocation.selectors import (
    Totals,
    caseload_workers,
    held_by_a_social_worker,
    teams_in_scope,
)
from safeguard.casework.models import (
    Assessment,
    AssessmentStatus,
    BulkClosureAlert,
    CinEpisode,
    ClosureRequest,
    ClosureRequestStatus,
)
from safeguard.core.calendar import working_days_between
from safeguard.organisation.models import Area, Team
from safeguard.oversight.models import AuditStatus, CaseAudit, CaseAuditAction, Grade
from safeguard.oversight.selectors import supervision_overdue_by_team

AUDITS_OVER_DAYS = 365  # audit grades over the last year
CLOSURES_OVER_DAYS = 28  # closures approved in the last four weeks


@dataclass
class Figures:
    """One team's figures, or the sum of several (an area, the council)."""

    open_cases: int = 0
    unallocated: int = 0
    workers: int = 0
    weighted: Decimal = Decimal(0)
    limit: Decimal = Decimal(0)
    over_limit: int = 0
    supervision_overdue: int = 0
    assessments_waiting: int = 0
    closures_waiting: int = 0
    oldest_waiting_since: datetime.date | None = None
    grades: Counter = field(default_factory=Counter)
    actions_overdue: int = 0
    closures: int = 0
    alerts_open: int = 0

    def add(self, other: "Figures") -> None:
        for name in (
            "open_cases",
            "unallocated",
            "workers",
            "weighted",
            "limit",
            "over_limit",
            "supervision_overdue",
            "assessments_waiting",
            "closures_waiting",
            "actions_overdue",
            "closures",
            "alerts_open",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.grades.update(other.grades)
        if other.oldest_waiting_since and (
            self.oldest_waiting_since is None or other.oldest_waiting_since < self.oldest_waiting_since
        ):
            self.oldest_waiting_since = other.oldest_waiting_since

    @property
    def approvals_waiting(self) -> int:
        return self.assessments_waiting + self.closures_waiting

    @property
    def caseload_percent(self) -> int:
        """Weighted caseload as a share of the sum of the workers' limits."""
        return round(self.weighted * 100 / self.limit) if self.limit else 0

    @property
    def audits(self) -> int:
        return sum(self.grades.values())

    @property
    def good_or_better(self) -> int:
        return self.grades[Grade.OUTSTANDING] + self.grades[Grade.GOOD]

    @property
    def below_good(self) -> int:
        return self.grades[Grade.REQUIRES_IMPROVEMENT] + self.grades[Grade.INADEQUATE]


@dataclass
class Row:
    """A line of the dashboard: a team, or an area (whose figures are its teams')."""

    name: str
    team: Team | None = None
    area: Area | None = None
    figures: Figures = field(default_factory=Figures)


@dataclass
class Dashboard:
    rows: list[Row]
    total: Figures
    by_area: bool  # the rows are areas (the director's view), not teams
    area: Area | None  # the area chosen, when the rows are its teams


def _by_team(rows: QuerySet, team: str = "team_id", **aggregates) -> dict[int, dict]:
    """``rows`` counted per holding team (``team`` is the path to its id), with any further aggregates:
    {team id: {"n": count, ...}}. One grouped query."""
    grouped = rows.values(holding_team=F(team)).annotate(n=Count("*"), **aggregates).order_by()
    return {item.pop("holding_team"): item for item in grouped}


def team_figures(
    *,
    user,
    today: datetime.date,
    teams: list[Team],
    caseloads: dict[int, Caseload] | None = None,
    audits_and_closures: bool = True,
) -> dict[int, Figures]:
    """The figures of each of ``teams`` (already within the user's scope), keyed by team id. ``caseloads``:
    weighted caseloads already computed today (``allocation.caseload.weighted_caseloads``) for at least the
    teams' social workers, by worker id, when a page shares them (the area dashboards).

    ``audits_and_closures=False`` leaves out the audit grades, the overdue audit actions, the closures
    approved and the open bulk closure alerts (four queries; those figures stay at zero): the area dashboards
    do not show them."""
    ids = [team.pk for team in teams]
    figures = {pk: Figures() for pk in ids}
    open_episodes = CinEpisode.objects.open().filter(team_id__in=ids)
    for pk, item in _by_team(open_episodes).items():
        figures[pk].open_cases = item["n"]
    waiting = open_episodes.exclude(child_id__in=held_by_a_social_worker(today))
    for pk, item in _by_team(waiting).items():
        figures[pk].unallocated = item["n"]

    # Each team's social workers' weighted caseloads against their limits, totalled as the caseloads page
    # totals them (``allocation.selectors``), from ids alone when the caller has the caseloads already: the
    # figures need neither the workers' names nor who has left a team.
    if caseloads is None:
        workers = list(caseload_workers(teams))
        caseloads = weighted_caseloads(workers, today=today)
        members = [(worker.pk, worker.team_id) for worker in workers]
    else:
        members = caseload_workers(teams).values_list("pk", "team_id")
    totals = {pk: Totals() for pk in ids}
    for worker_id, team_id in members:
        totals[team_id].add(caseloads[worker_id])
    for pk, team in totals.items():
        row = figures[pk]
        row.workers, row.weighted, row.limit, row.over_limit = (
            team.workers,
            team.weighted,
            team.limit,
            team.over,
        )

    for team_id, n in supervision_overdue_by_team(user, today).items():
        if team_id in figures:
            figures[team_id].supervision_overdue = n

    submitted = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, episode__team_id__in=ids)
    for pk, item in _by_team(submitted, "episode__team_id", oldest=Min("submitted_on")).items():
        figures[pk].assessments_waiting = item["n"]
        _oldest(figures[pk], item["oldest"])
    # The pending requests first (a handful, by their partial index), then their episodes' teams.
    pending_ids = ClosureRequest.objects.filter(status=ClosureRequestStatus.PENDING).values("pk")
    pending = ClosureRequest.objects.filter(pk__in=pending_ids, episode__team_id__in=ids)
    for pk, item in _by_team(pending, "episode__team_id", oldest=Min("requested_on")).items():
        figures[pk].closures_waiting = item["n"]
        _oldest(figures[pk], item["oldest"])
    if audits_and_closures:
        _audits_and_closures(figures, ids, today)
    return figures


def _audits_and_closures(figures: dict[int, Figures], ids: list[int], today: datetime.date) -> None:
    """Into ``figures``: the audit grades of the last year, the overdue audit actions, the closures approved in
    the last four weeks and the bulk closure alerts not yet acknowledged, of the teams ``ids``."""
    since = today - datetime.timedelta(days=AUDITS_OVER_DAYS)
    audits = CaseAudit.objects.filter(
        status=AuditStatus.COMPLETED, completed_on__gte=since, episode__team_id__in=ids
    )
    for item in (
        audits.values("overall_grade", holding_team=F("episode__team_id")).annotate(n=Count("pk")).order_by()
    ):
        figures[item["holding_team"]].grades[item["overall_grade"]] += item["n"]
    overdue_actions = CaseAuditAction.objects.overdue(today).filter(audit__episode__team_id__in=ids)
    for pk, item in _by_team(overdue_actions, "audit__episode__team_id").items():
        figures[pk].actions_overdue = item["n"]

    closed_since = today - datetime.timedelta(days=CLOSURES_OVER_DAYS - 1)
    closures = ClosureRequest.objects.filter(
        status=ClosureRequestStatus.APPROVED,
        decided_on__gte=closed_since,
        decided_on__lte=today,
        team_id__in=ids,
    )
    for pk, item in _by_team(closures).items():
        figures[pk].closures = item["n"]
    alerts = BulkClosureAlert.objects.filter(team_id__in=ids, acknowledged_on__isnull=True)
    for pk, item in _by_team(alerts).items():
        figures[pk].alerts_open = item["n"]


def _oldest(figures: Figures, day: datetime.date | None) -> None:
    if day is not None and (figures.oldest_waiting_since is None or day < figures.oldest_waiting_since):
        figures.oldest_waiting_since = day


def dashboard(
    *,
    user,
    today: datetime.date,
    area_id: int | None = None,
    caseloads: dict[int, Caseload] | None = None,
    audits_and_closures: bool = True,
) -> Dashboard:
    """The dashboard ``user`` sees: their team; their area's teams; or, for the director and inspectors,
    every area (or, with ``area_id``, that area's teams). ``caseloads`` and ``audits_and_closures``: as
    ``team_figures`` takes them."""
    teams = list(teams_in_scope(user))
    areas = {team.area_id: team.area for team in teams}
    chosen = areas.get(area_id) if area_id is not None else None
    if chosen is not None:
        teams = [team for team in teams if team.area_id == chosen.pk]
    figures = team_figures(
        user=user,
        today=today,
        teams=teams,
        caseloads=caseloads,
        audits_and_closures=audits_and_closures,
    )
    total = Figures()
    by_area = chosen is None and len(areas) > 1
    if by_area:
        rows_by_area: dict[int, Row] = {}
        for team in teams:
            row = rows_by_area.setdefault(team.area_id, Row(name=team.area.name, area=team.area))
            row.figures.add(figures[team.pk])
        rows = list(rows_by_area.values())
    else:
        rows = [Row(name=team.name, team=team, area=team.area, figures=figures[team.pk]) for team in teams]
        if len(rows) > 1:
            # Teams that hold no cases and have nothing waiting (the reviewing unit) would be empty lines.
            rows = [row for row in rows if row.figures != Figures()]
    for row in rows:
        total.add(row.figures)
    return Dashboard(rows=rows, total=total, by_area=by_area, area=chosen)


@dataclass(frozen=True)
class Waiting:
    """A request awaiting a manager's decision."""

    kind: str
    child: object
    requested_by: object
    requested_on: datetime.date
    team: Team
    url_name: str
    url_kwargs: dict

    def working_days(self, today: datetime.date) -> int:
        return working_days_between(self.requested_on, today) if self.requested_on <= today else 0


def approvals_waiting(*, user, today: datetime.date, team_id: int | None = None) -> list[Waiting]:
    """Assessments submitted for authorisation and closure requests, in the teams ``user`` answers for,
    oldest first (two queries)."""
    teams = teams_in_scope(user)
    if team_id is not None:
        teams = teams.filter(pk=team_id)
    team_ids = teams.values("pk")
    items = [
        Waiting(
            kind="Assessment to authorise",
            child=assessment.child,
            requested_by=assessment.submitted_by,
            requested_on=assessment.submitted_on,
            team=assessment.episode.team,
            url_name="casework:assessment_authorise",
            url_kwargs={"child_id": assessment.child_id, "assessment_id": assessment.pk},
        )
        for assessment in Assessment.objects.filter(
            status=AssessmentStatus.SUBMITTED, episode__team_id__in=team_ids
        ).select_related("child__person", "submitted_by", "episode__team")
    ]
    items += [
        Waiting(
            kind="Case closure",
            child=request.child,
            requested_by=request.requested_by,
            requested_on=request.requested_on,
            team=request.episode.team,
            url_name="casework:closure_review",
            url_kwargs={"child_id": request.child_id, "request_id": request.pk},
        )
        for request in ClosureRequest.objects.filter(
            status=ClosureRequestStatus.PENDING, episode__team_id__in=team_ids
        ).select_related("child__person", "requested_by", "episode__team")
    ]
    return sorted(items, key=lambda item: (item.requested_on, item.kind))
