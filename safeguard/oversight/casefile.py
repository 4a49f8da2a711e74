"""What oversight adds to a child's case file and chronology (``casework.casefile``, ``casework.chronology``).

- Chronology: each management decision, on the day it was made, with who made it and why; each completed
  case audit with its grade. Two queries, whatever the length of the child's history.
- Case file: a "Management oversight" section with the latest decisions (each linking to the supervision it
  came from, for those who may see that supervision: its notes are about the worker), the audit in progress
  and the latest completed audit with its open actions. A fixed number of queries.
- Actions from the case file, for managers who may change the record: record a management decision; start a
  case audit (when none is in progress).
"""

import datetime

from django.urls import reverse

from safeguard.casework.casefile import Section
from safeguard.casework.chronology import Entry, by_name
from safeguard.oversight.models import ActionStatus, AuditStatus, CaseAudit, CaseAuditAction
from safeguard.oversight.policies import SupervisionSight, may_commission_audit, may_decide
from safeguard.oversight.selectors import decisions_for_child
from safeguard.people.models import Child

KIND = "management"
KIND_LABEL = "Management decisions and case audits"
LATEST = 5


def decision_url(decision) -> str:
    return reverse("oversight:decision", kwargs={"child_id": decision.child_id, "decision_id": decision.pk})


def audit_url(audit) -> str:
    return reverse("oversight:audit", kwargs={"child_id": audit.child_id, "audit_id": audit.pk})


def oversight_entries(child: Child) -> list[Entry]:
    entries = []
    for decision in decisions_for_child(child):
        entries.append(
            Entry(
                on=decision.decided_on,
                kind=KIND,
                title=f"Management decision ({decision.get_kind_display().lower()})",
                detail=f"{decision.decision} Why: {decision.rationale}",
                by=by_name(decision.decided_by),
                url=decision_url(decision),
                order=8,
            )
        )
    completed = CaseAudit.objects.filter(child=child, status=AuditStatus.COMPLETED).select_related(
        "auditor__user"
    )
    for audit in completed:
        entries.append(
            Entry(
                on=audit.completed_on,
                kind=KIND,
                title=f"Case audit completed: {audit.get_overall_grade_display().lower()}",
                detail=audit.summary,
                by=audit.auditor.name,
                url=audit_url(audit),
                order=9,
            )
        )
    return entries


def oversight_context(child: Child, today: datetime.date, user) -> dict:
    decisions = list(decisions_for_child(child)[:LATEST])
    sight = SupervisionSight(user)
    in_progress = (
        CaseAudit.objects.filter(child=child, status=AuditStatus.DRAFT)
        .select_related("auditor__user")
        .first()
    )
    completed = (
        CaseAudit.objects.filter(child=child, status=AuditStatus.COMPLETED)
        .select_related("auditor__user")
        .order_by("-completed_on", "-pk")
        .first()
    )
    open_actions = list(
        CaseAuditAction.objects.filter(audit__child=child, status=ActionStatus.OPEN)
        .select_related("owner__user")
        .order_by("due_on", "pk")
    )
    viewer = sight.viewer
    return {
        "child": child,
        "today": today,
        "decisions": [
            (decision, decision.supervision_id is not None and sight.of_session(decision.supervision))
            for decision in decisions
        ],
        "in_progress": in_progress,
        "is_auditor": in_progress is not None and viewer is not None and viewer.pk == in_progress.auditor_id,
        "completed": completed,
        "open_actions": open_actions,
    }


OVERSIGHT_SECTION = Section(
    key="oversight",
    title="Management oversight",
    template="oversight/_case_file_section.html",
    context=oversight_context,
    order=70,
)


def case_file_actions(child: Child, today: datetime.date, user) -> list[tuple[str, str]]:
    """Offered on the case file to a manager who may change the child's record."""
    if not may_decide(user, child):
        return []
    kwargs = {"child_id": child.pk}
    actions = [("Record a management decision", reverse("oversight:decision_new", kwargs=kwargs))]
    in_progress = CaseAudit.objects.filter(child=child, status=AuditStatus.DRAFT).exists()
    if not in_progress and may_commission_audit(user, child):
        actions.append(("Start a case audit", reverse("oversight:audit_start", kwargs=kwargs)))
    return actions
