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
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, CharField, Count, Exists, Func, OuterRef, QuerySet, Value

from safeguard.audit.policy import sees_every_child, visible_children, without_closed, worker_for
from safeguard.compliance.models import Deadline, DeadlineStatus, StatutoryDuty
from safeguard.compliance.private import without_private
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
    rows = without_private(user, without_closed(user, Deadline.objects.breached(today)))
    if sees_every_child(worker):  # the director and inspectors: every team's, and those of no team
        rows = rows.annotate(child_named=Value(True, output_field=BooleanField()))
    else:
        # A team answers for every breach recorded against it (ADR 8), including those of a child it has
        # since handed to another team; but it names only the children its people may still open
        # (need to know, policy.visible_children): the others are counted and shown as "held elsewhere".
        rows = rows.filter(team__in=teams_in_reach(worker=worker)).annotate(
            child_named=Exists(visible_children(user).filter(pk=OuterRef("child_id")))
        )
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


class YearMonth(Func):
    """A date's year and month as text, "2026-04", computed by the database itself (Django's ``TruncMonth``
    is a Python function on SQLite, called once per row: most of the grouped count's time)."""

    output_field = CharField()
    template = "substr(CAST(%(expressions)s AS TEXT), 1, 7)"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')", **extra)


@dataclass
class Summary:
    total: int = 0
    children: int = 0
    still_open: int = 0
    met_later: int = 0
    by_duty: list[dict] = field(default_factory=list)  # code, name, citation, count
    by_area: list[dict] = field(default_factory=list)  # id, name, count
    by_team: list[dict] = field(default_factory=list)  # id, name, area, count
    by_month: list[dict] = field(default_factory=list)  # month (first day), count, still_open, closed
    longest: list[tuple[Deadline, int]] = field(default_factory=list)  # (breach, days late), longest first


def summary(rows: QuerySet[Deadline], *, today: datetime.date) -> Summary:
    """Counts of ``rows`` (a ``breaches`` queryset) by duty, area, team and month due, the distinct children,
    and the longest-running breaches.

    Counting rows (``COUNT(*)``), not ids, lets PostgreSQL answer from the register's index alone (an
    index-only scan: 250 ms to 87 ms for the director at 310,000 children), as SQLite does anyway.
    The counts come from one grouped pass over the breaches (by duty, team, area, month and whether still
    open), added up here; with the distinct children, the names and the two "longest" queries that is six
    queries, whatever the number of rows.
    """
    bare = rows.order_by()
    groups = list(
        bare.annotate(month=YearMonth("due_on"))
        .values("duty_id", "team_id", "area_id", "month", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    duties = {
        code: (name, citation)
        for code, name, citation in StatutoryDuty.objects.filter(
            code__in={group["duty_id"] for group in groups}
        ).values_list("code", "name", "citation")
    }
    teams = {
        team.pk: team
        for team in Team.objects.filter(pk__in={group["team_id"] for group in groups}).select_related("area")
    }
    areas = {area.pk: area.name for area in Area.objects.all()}
    totals = Counter()
    by_duty, by_area, by_team, by_month = Counter(), Counter(), Counter(), defaultdict(Counter)
    for group in groups:
        n, status = group["n"], group["status"]
        totals["total"] += n
        totals[status] += n
        by_duty[group["duty_id"]] += n
        by_area[group["area_id"]] += n
        by_team[group["team_id"]] += n
        month = by_month[datetime.date(int(group["month"][:4]), int(group["month"][5:7]), 1)]
        month["count"] += n
        month["still_open" if status == DeadlineStatus.OPEN else "closed"] += n

    # The longest-running: the longest closed late, and the open ones due longest ago; the top of both.
    # (A closed breach always has its first day late recorded; saying so lets the database read
    # ``deadline_late_idx`` from the longest down.)
    closed = list(
        rows.filter(breached_on__isnull=False)
        .exclude(status=DeadlineStatus.OPEN)
        .order_by("-days_late", "due_on", "pk")[:LONGEST]
    )
    still_open = list(rows.filter(status=DeadlineStatus.OPEN).order_by("due_on", "pk")[:LONGEST])
    return Summary(
        total=totals["total"],
        children=bare.aggregate(children=Count("child", distinct=True))["children"] if groups else 0,
        still_open=totals[DeadlineStatus.OPEN],
        met_later=totals[DeadlineStatus.MET],
        by_duty=[
            {"code": code, "name": duties[code][0], "citation": duties[code][1], "count": n}
            for code, n in sorted(by_duty.items(), key=lambda item: (-item[1], item[0]))
        ],
        by_area=[
            {"id": pk, "name": areas.get(pk, "No area recorded"), "count": n}
            for pk, n in sorted(by_area.items(), key=lambda item: (-item[1], areas.get(item[0], "~")))
        ],
        by_team=[
            {
                "id": pk,
                "name": teams[pk].name if pk else "No team recorded",
                "area": teams[pk].area.name if pk else "",
                "count": n,
            }
            for pk, n in sorted(
                by_team.items(), key=lambda item: (-item[1], teams[item[0]].name if item[0] else "~")
            )
        ],
        by_month=[
            {"month": month, "count": c["count"], "still_open": c["still_open"], "closed": c["closed"]}
            for month, c in sorted(by_month.items())
        ],
        longest=sorted(
            ((row, row.days_overdue(today)) for row in closed + still_open),
            key=lambda pair: (-pair[1], pair[0].pk),
        )[:LONGEST],
    )


@dataclass
class AreaExposure:
    """One area's breaches, for the area dashboards: still open today, and those that fell due lately."""

    still_open: int = 0
    children_still_open: int = 0
    fell_due_lately: int = 0


def exposure_by_area(user, *, today: datetime.date, lately: datetime.date) -> dict[int | None, AreaExposure]:
    """The breaches ``user`` may see, by the area they were recorded in: how many are still open (and for how
    many children), and how many fell due from ``lately`` to ``today``. Two grouped queries, each over a small
    part of the register's indexes (the open deadlines past their day; the recent due dates), not over every
    breach."""
    figures: dict[int | None, AreaExposure] = defaultdict(AreaExposure)
    # A breach still open fell due before today. Saying so as a bound on the due day lets SQLite read just
    # those from ``deadline_open_team_idx`` (skipping through its teams) rather than every open deadline, most
    # not yet due (at 994,723 deadlines: 21 ms to 3 ms).
    yesterday = today - datetime.timedelta(days=1)
    still_open = (
        breaches(user, today=today, until=yesterday)
        .filter(status=DeadlineStatus.OPEN)
        .values("area_id")
        .annotate(n=Count("*"), children=Count("child", distinct=True))
        .order_by()
    )
    for item in still_open:
        figures[item["area_id"]].still_open = item["n"]
        figures[item["area_id"]].children_still_open = item["children"]
    # Likewise nothing due after today is a breach yet: the bound keeps SQLite from also reading every open
    # deadline due in the weeks ahead from ``deadline_exposed_due_idx`` (49 ms to 7 ms).
    recent = breaches(user, today=today, since=lately, until=today)
    recent = recent.values("area_id").annotate(n=Count("*")).order_by()
    for item in recent:
        figures[item["area_id"]].fell_due_lately = item["n"]
    return dict(figures)
