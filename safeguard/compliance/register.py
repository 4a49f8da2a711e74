"""The legal exposure register: every statutory duty breach, open and past, that a user may see.

A breach is a ``Deadline`` closed after its day or open past it (``DeadlineQuerySet.breached``); the register
reads those rows and recomputes nothing of the law. How late it ran is counted as the model counts it
(``Deadline.days_overdue``): calendar days from the due day to its closure, or to today while it is open.

Scope follows the deadline's team, as the organisation's one rule for figures has it
(``organisation.selectors.teams_in_reach``): a team manager sees their team's breaches, a head of service
their area's, the director and inspectors every team's, and also the breaches recorded against no team
(they answer for all of it). Compliance sits below casework, allocation and oversight, so it asks the
foundation (``audit.policy.worker_for``) rather than importing them.

A period (``since``/``until``) and the month filters are on the day the duty fell due, so that the counts by
month and the totals for a period are the same rows.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from safeguard.audit.policy import sees_every_child, worker_for
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.organisation.models import Area, Role, Team
from safeguard.organisation.selectors import teams_in_reach

# Who may read the register: the managers who answer for the deadlines, and inspectors.
REGISTER_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.INSPECTOR}
LONGEST = 10


def may_see_register(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in REGISTER_ROLES


def register_teams(user) -> QuerySet[Team]:
    """The teams whose breaches ``user`` sees (none for anyone who may not see the register)."""
    worker = worker_for(user)
    if worker is None or worker.role not in REGISTER_ROLES:
        return Team.objects.none()
    return teams_in_reach(worker=worker).order_by("area__name", "name")


def register_areas(user) -> QuerySet[Area]:
    """The areas of the teams ``user`` sees, for the area filter."""
    return Area.objects.filter(teams__in=register_teams(user)).distinct().order_by("name")


def breaches(
    user,
    *,
    today: datetime.date,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    duty: str | None = None,
    area_id: int | None = None,
    team_id: int | None = None,
) -> QuerySet[Deadline]:
    """Every deadline breached by ``today`` that ``user`` may see, falling due between ``since`` and
    ``until`` (inclusive), with its duty, child, team and area loaded; oldest due first."""
    worker = worker_for(user)
    if worker is None or worker.role not in REGISTER_ROLES:
        return Deadline.objects.none()
    scope = Q(team__in=teams_in_reach(worker=worker))
    if sees_every_child(worker):
        scope |= Q(team__isnull=True)
    rows = Deadline.objects.breached(today).filter(scope)
    if since is not None:
        rows = rows.filter(due_on__gte=since)
    if until is not None:
        rows = rows.filter(due_on__lte=until)
    if duty:
        rows = rows.filter(duty_id=duty)
    if area_id is not None:
        rows = rows.filter(area_id=area_id)
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    return rows.select_related("duty", "child__person", "team", "area").order_by("due_on", "pk")


@dataclass
class Summary:
    total: int = 0
    children: int = 0
    still_open: int = 0
    met_later: int = 0
    by_duty: list[dict] = field(default_factory=list)  # code, name, citation, count
    by_area: list[dict] = field(default_factory=list)  # id, name, count
    by_team: list[dict] = field(default_factory=list)  # id, name, area, count
    by_month: list[dict] = field(default_factory=list)  # month (first day), count
    longest: list[tuple[Deadline, int]] = field(default_factory=list)  # (breach, days late), longest first


def summary(rows: QuerySet[Deadline], *, today: datetime.date) -> Summary:
    """Counts of ``rows`` (a ``breaches`` queryset) by duty, area, team and month due, the distinct children,
    and the longest-running breaches: seven queries, whatever the number of rows."""
    bare = rows.order_by()
    totals = bare.aggregate(
        total=Count("pk"),
        children=Count("child", distinct=True),
        still_open=Count("pk", filter=Q(status=DeadlineStatus.OPEN)),
        met_later=Count("pk", filter=Q(status=DeadlineStatus.MET)),
    )
    by_duty = [
        {
            "code": row["duty_id"],
            "name": row["duty__name"],
            "citation": row["duty__citation"],
            "count": row["n"],
        }
        for row in bare.values("duty_id", "duty__name", "duty__citation")
        .annotate(n=Count("pk"))
        .order_by("-n", "duty_id")
    ]
    by_area = [
        {"id": row["area_id"], "name": row["area__name"] or "No area recorded", "count": row["n"]}
        for row in bare.values("area_id", "area__name").annotate(n=Count("pk")).order_by("-n", "area__name")
    ]
    by_team = [
        {
            "id": row["team_id"],
            "name": row["team__name"] or "No team recorded",
            "area": row["team__area__name"] or "",
            "count": row["n"],
        }
        for row in bare.values("team_id", "team__name", "team__area__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "team__name")
    ]
    by_month = [
        {"month": _as_date(row["month"]), "count": row["n"]}
        for row in bare.annotate(month=TruncMonth("due_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]
    # The longest-running: the longest closed late, and the open ones due longest ago; the top of both.
    closed = list(rows.exclude(status=DeadlineStatus.OPEN).order_by("-days_late", "due_on", "pk")[:LONGEST])
    still_open = list(rows.filter(status=DeadlineStatus.OPEN).order_by("due_on", "pk")[:LONGEST])
    longest = sorted(
        ((row, row.days_overdue(today)) for row in closed + still_open),
        key=lambda pair: (-pair[1], pair[0].pk),
    )[:LONGEST]
    return Summary(
        total=totals["total"],
        children=totals["children"],
        still_open=totals["still_open"],
        met_later=totals["met_later"],
        by_duty=by_duty,
        by_area=by_area,
        by_team=by_team,
        by_month=by_month,
        longest=longest,
    )


def _as_date(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    return value.date() if isinstance(value, datetime.datetime) else value
