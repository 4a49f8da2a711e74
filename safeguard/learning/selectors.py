"""What the learning-action pages read, always for a user.

The report counts the ``learning_action`` deadlines, not the actions' own columns: the deadline engine has
already recorded which ran late and by how much, so the report and the legal exposure register agree by
construction (nothing recomputes the law here). An action whose due date moved has several deadlines, one per
agreed date: it is counted once, by its latest, and as late if any of them was breached.

Counts follow the organisation's rule for figures (``teams_in_reach``) and leave out restricted records
(``without_closed``). The list is narrower: an incident's actions only for those who may see the incident
(``incidents.policies``), a case audit action only for those who may see the audited child
(``audit.policy.visible_children``). Everyone else sees them only as numbers, with no description.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse

from safeguard.audit.policy import sees_every_child, visible_children, without_closed, worker_for
from safeguard.compliance.models import Deadline
from safeguard.incidents.policies import incidents_visible_to
from safeguard.learning.models import CASE_AUDIT, DUTY, SOURCE_LABELS, LearningAction, Source, Status
from safeguard.learning.policies import REPORT_ROLES
from safeguard.organisation.models import Area
from safeguard.organisation.selectors import teams_in_reach
from safeguard.oversight.models import ActionStatus, CaseAuditAction

LEARNING_SCOPE = LearningAction._meta.label_lower
AUDIT_SCOPE = CaseAuditAction._meta.label_lower
SOURCES = (Source.RAPID_REVIEW.value, Source.PRACTICE_REVIEW.value, CASE_AUDIT)
CATEGORIES = ("open", "overdue", "done_on_time", "done_late", "not_needed")


@dataclass
class Counts:
    open: int = 0
    overdue: int = 0
    done_on_time: int = 0
    done_late: int = 0
    not_needed: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in CATEGORIES)


@dataclass
class Row:
    source: str
    description: str
    owner: str
    due_on: datetime.date
    status: str
    days_overdue: int
    url: str


@dataclass
class Report:
    total: Counts = field(default_factory=Counts)
    by_source: dict[str, Counts] = field(default_factory=dict)
    by_area: list[tuple[str, Counts]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    hidden: int = 0  # actions counted but not listed to this user


def deadlines_in_reach(user) -> QuerySet[Deadline]:
    """The learning-action deadlines ``user`` may count: every one for the director and inspectors (those of
    no team too), their area's for a head of service, their team's for a team manager; none for others."""
    worker = worker_for(user)
    rows = Deadline.objects.filter(duty_id=DUTY)
    if worker is None or worker.role not in REPORT_ROLES:
        return rows.none()
    if not sees_every_child(worker):
        rows = rows.filter(team__in=teams_in_reach(worker=worker))
    return without_closed(user, rows)


def _classify(chain: list[tuple], today: datetime.date) -> tuple[str, tuple]:
    """An action's category from its deadlines ``(pk, status, due_on, breached_on, area_id)``."""
    latest = max(chain)
    _, status, due_on, _, _ = latest
    late = any(row[3] is not None for row in chain)
    if status == "open":
        return ("overdue" if today > due_on else "open"), latest
    if status == "met":
        return ("done_late" if late else "done_on_time"), latest
    return "not_needed", latest


def categories(user, today: datetime.date) -> dict[tuple[str, int], tuple[str, datetime.date, int | None]]:
    """``(scope_type, scope_id) -> (category, due_on, area_id)`` for every action in reach (one query)."""
    chains: dict[tuple[str, int], list[tuple]] = defaultdict(list)
    for scope_type, scope_id, *rest in deadlines_in_reach(user).values_list(
        "scope_type", "scope_id", "pk", "status", "due_on", "breached_on", "area_id"
    ):
        chains[(scope_type, scope_id)].append(tuple(rest))
    result = {}
    for key, chain in chains.items():
        category, latest = _classify(chain, today)
        result[key] = (category, latest[2], latest[4])
    return result


def report(user, today: datetime.date) -> Report:
    found = categories(user, today)
    learning_ids = [scope_id for (scope_type, scope_id) in found if scope_type == LEARNING_SCOPE]
    audit_ids = [scope_id for (scope_type, scope_id) in found if scope_type == AUDIT_SCOPE]
    source_of = dict(LearningAction.objects.filter(pk__in=learning_ids).values_list("pk", "source"))
    result = Report(by_source={source: Counts() for source in SOURCES})
    areas: dict[int | None, Counts] = defaultdict(Counts)
    for (scope_type, scope_id), (category, _due, area_id) in found.items():
        source = CASE_AUDIT if scope_type == AUDIT_SCOPE else source_of.get(scope_id)
        if source is None:
            continue  # a scope this report does not know
        for counts in (result.total, result.by_source[source], areas[area_id]):
            setattr(counts, category, getattr(counts, category) + 1)
    names = dict(Area.objects.filter(pk__in=[pk for pk in areas if pk]).values_list("pk", "name"))
    result.by_area = sorted(
        ((names.get(pk, "No area"), counts) for pk, counts in areas.items()), key=lambda item: item[0]
    )
    result.rows = _rows(user, today, found, learning_ids, audit_ids)
    result.hidden = result.total.total - len(result.rows)
    return result


def _rows(user, today, found, learning_ids, audit_ids) -> list[Row]:
    rows = []
    visible = LearningAction.objects.filter(
        pk__in=learning_ids, incident__in=incidents_visible_to(user)
    ).select_related("owner__user", "incident")
    for action in visible:
        rows.append(
            Row(
                source=f"{action.get_source_display()} ({action.incident.reference})",
                description=action.description,
                owner=action.owner.name,
                due_on=action.due_on,
                status=action.get_status_display(),
                days_overdue=action.days_overdue(today),
                url=reverse("learning:action", kwargs={"action_id": action.pk}),
            )
        )
    # The few audited children first, then which of them the reader may open: asking the policy about these
    # alone, not filtering by every child the reader may see (for the director, the whole council).
    audited_children = CaseAuditAction.objects.filter(pk__in=audit_ids).values("audit__child_id")
    openable = list(visible_children(user).filter(pk__in=audited_children).values_list("pk", flat=True))
    audited = CaseAuditAction.objects.filter(pk__in=audit_ids, audit__child__in=openable).select_related(
        "owner__user", "audit"
    )
    for action in audited:
        rows.append(
            Row(
                source=SOURCE_LABELS[CASE_AUDIT],
                description=action.description,
                owner=action.owner.name,
                due_on=action.due_on,
                status=action.get_status_display(),
                days_overdue=max(0, (today - action.due_on).days)
                if action.status == ActionStatus.OPEN
                else 0,
                url=reverse(
                    "oversight:audit_action",
                    kwargs={"child_id": action.audit.child_id, "action_id": action.pk},
                ),
            )
        )
    # Overdue first (longest first), then the rest by due date.
    rows.sort(key=lambda row: (-row.days_overdue, row.due_on))
    return rows


def my_open_actions(user, today: datetime.date) -> list[Row]:
    """The open learning actions and case audit actions ``user`` owns, soonest due first."""
    worker = worker_for(user)
    if worker is None:
        return []
    rows = [
        Row(
            source=action.get_source_display(),
            description=action.description,
            owner=worker.name,
            due_on=action.due_on,
            status=action.get_status_display(),
            days_overdue=action.days_overdue(today),
            url=reverse("learning:action", kwargs={"action_id": action.pk}),
        )
        for action in LearningAction.objects.filter(owner=worker, status=Status.OPEN)
    ]
    for action in CaseAuditAction.objects.open().filter(owner=worker).select_related("audit"):
        rows.append(
            Row(
                source=SOURCE_LABELS[CASE_AUDIT],
                description=action.description,
                owner=worker.name,
                due_on=action.due_on,
                status=action.get_status_display(),
                days_overdue=max(0, (today - action.due_on).days),
                url=reverse(
                    "oversight:audit_action",
                    kwargs={"child_id": action.audit.child_id, "action_id": action.pk},
                ),
            )
        )
    rows.sort(key=lambda row: row.due_on)
    return rows


def summary(user, today: datetime.date) -> tuple[int, int]:
    """(open, of which overdue) learning actions in ``user``'s reach, for the performance page."""
    open_rows = deadlines_in_reach(user).open()
    return open_rows.count(), open_rows.filter(due_on__lt=today).count()


def overdue_count(user, today: datetime.date) -> int:
    """Learning actions overdue in ``user``'s reach (one open deadline per action)."""
    return deadlines_in_reach(user).open().filter(due_on__lt=today).count()
