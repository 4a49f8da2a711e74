"""Management oversight pages: supervision, management decisions, case audits and their actions.

Pages about one child (a decision, an audit, an action) are guarded by ``@child_record``: the access policy,
logged. Pages that are not one child's record (the supervision overview, a worker's supervision, the audits
list) declare their policy with ``@policy`` and scope what they show through the selectors; those that name
children write an ``AccessEvent`` with how many they showed. A step that needs more than seeing the record
(only a manager records a decision; only the auditor answers) is refused here, and logged.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguard.allocation.selectors import over_limit_allocations
from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision, access_basis, sees_every_child, visible_children, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import child_record, policy, refusals_logged, refuse
from safeguard.casework.selectors import bulk_closure_alerts, closures_approved
from safeguard.casework.views.common import form_page, run_service, to_case_file
from safeguard.organisation.models import Worker
from safeguard.oversight import policies, services
from safeguard.oversight.areas import AreaBoard, area_board
from safeguard.oversight.dashboard import (
    AUDITS_OVER_DAYS,
    CLOSURES_OVER_DAYS,
    approvals_waiting,
)
from safeguard.oversight.dashboard import dashboard as build_dashboard
from safeguard.oversight.forms import (
    ActionAddForm,
    ActionCompleteForm,
    AuditAnswersForm,
    AuditCompleteForm,
    AuditStartForm,
    ChooseWorkerForm,
    DecisionForm,
    SupervisionForm,
)
from safeguard.oversight.models import (
    ActionStatus,
    AuditStatus,
    CaseAudit,
    CaseAuditAction,
    ManagementDecision,
    Supervision,
)
from safeguard.oversight.questions import questions
from safeguard.oversight.selectors import (
    action_owner_candidates,
    audit_actions_overdue,
    audit_grades,
    auditor_candidates,
    case_audits,
    supervision_history,
    supervision_statuses,
    worker_children,
)
from safeguard.oversight.supervision import status_of
from safeguard.ui.forms import id_from_query
from safeguard.workforce.reference import england

ROWS_PER_PAGE = 50
GRADES_OVER_DAYS = 365  # the audits list counts grades over the last year
OVER_LIMIT_OVER_DAYS = 90  # the approvals page lists allocations over the limit decided in the last 90 days


def _listed(request, subject: str, count: int) -> None:
    """A page that names children is case data: its viewing is logged, with how many it showed."""
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, subject),
        subject=subject,
        result_count=count,
    )


# -- supervision ----------------------------------------------------------------------------------------------


@policy(
    "signed-in staff: their own supervision record; team managers (their team), heads of service (their "
    "area), the director and inspectors: when each worker was last supervised and when the next is due"
)
def supervision(request):
    worker = worker_for(request.user)
    if worker is None:
        return refuse(request, "You have no staff record", subject="supervision overview")
    today = timezone.localdate()
    statuses = supervision_statuses(request.user, today) if policies.may_oversee(request.user) else []
    teams = [(team, list(rows)) for team, rows in groupby(statuses, key=lambda status: status.worker.team)]
    context = {
        "worker": worker,
        "today": today,
        "teams": teams,
        "overdue": sum(status.is_overdue for status in statuses),
        "total": len(statuses),
        "oversees": policies.may_oversee(request.user),
        "may_record": policies.supervisees(worker).exists(),
    }
    return render(request, "oversight/supervision.html", context)


@policy("anyone who supervises a worker (their line manager, team manager or head of service): choose whom")
def supervision_choose(request):
    workers = policies.supervisees(worker_for(request.user))
    if not workers.exists():
        return refuse(request, "You do not supervise anyone", subject="record a supervision")
    form = ChooseWorkerForm(request.GET if "worker" in request.GET else None, workers=workers)
    if form.is_bound and form.is_valid():
        return redirect("oversight:supervision_record", worker_id=form.cleaned_data["worker"].pk)
    status = 400 if form.is_bound else 200
    return render(request, "oversight/supervision_choose.html", {"form": form}, status=status)


@policy(
    "the worker's line manager, a team manager of their team or the head of service for their area: "
    "records a supervision; the cases offered are the worker's allocations the supervisor may see"
)
def supervision_record(request, worker_id: int):
    worker = get_object_or_404(Worker.objects.select_related("user", "team__area"), pk=worker_id)
    refusal = policies.supervision_refusal(worker_for(request.user), worker)
    if refusal:
        return refuse(request, refusal, subject=f"record a supervision of worker {worker.pk}")
    today = timezone.localdate()
    children = worker_children(request.user, worker, today)
    _listed(request, f"record a supervision of worker {worker.pk}", len(children))
    if request.method == "POST":
        form = SupervisionForm(request.POST, children=children)
        try:
            recorded = run_service(
                form,
                lambda data: services.supervision_record(
                    worker=worker, supervised_by=request.user, **form.service_arguments()
                ),
            )
        except PermissionDenied as error:
            return refuse(request, str(error), subject=f"record a supervision of worker {worker.pk}")
        if recorded is not None:
            decided = recorded.cases.count()
            messages.success(
                request,
                f"Supervision of {worker.name} recorded."
                + (
                    f" {decided} decision{'s' if decided != 1 else ''} added to the children's files."
                    if decided
                    else ""
                ),
            )
            return redirect("oversight:supervision_detail", supervision_id=recorded.pk)
        status = 400
    else:
        form = SupervisionForm(initial={"held_on": today}, children=children)
        status = 200
    context = {"form": form, "worker": worker, "children": children}
    return render(request, "oversight/supervision_record.html", context, status=status)


@policy(
    "the supervised worker, whoever held the session, the worker's managers, the director and inspectors; "
    "children discussed are shown only to those who may see their records"
)
def supervision_detail(request, supervision_id: int):
    session = get_object_or_404(
        Supervision.objects.select_related("worker__user", "worker__team__area", "supervisor__user"),
        pk=supervision_id,
    )
    if not policies.may_see_supervision(request.user, session):
        return refuse(
            request,
            "A supervision record is seen by the worker, their supervisor and their managers",
            subject=f"supervision {session.pk}",
        )
    cases = list(
        session.cases.select_related("child__person", "decision__decided_by").prefetch_related("actions")
    )
    worker = worker_for(request.user)
    if worker is not None and sees_every_child(worker):
        seen = {case.child_id for case in cases}
    else:
        seen = set(
            visible_children(request.user)
            .filter(pk__in=[case.child_id for case in cases])
            .values_list("pk", flat=True)
        )
    _listed(request, f"supervision {session.pk}", len(seen))
    context = {
        "session": session,
        "cases": [(case, case.child_id in seen) for case in cases],
        "may_see_worker": policies.may_see_supervision_of(request.user, session.worker),
    }
    return render(request, "oversight/supervision_detail.html", context)


@policy(
    "the worker, their managers, the director and inspectors: every session; a supervisor: the sessions "
    "they held"
)
def worker_supervision(request, worker_id: int):
    worker = get_object_or_404(Worker.objects.select_related("user", "team__area"), pk=worker_id)
    sessions = list(supervision_history(request.user, worker))
    sees_all = policies.may_see_supervision_of(request.user, worker)
    if not sees_all and not sessions:
        return refuse(
            request,
            "A worker's supervision is seen by the worker, their supervisors and their managers",
            subject=f"supervision of worker {worker.pk}",
        )
    today = timezone.localdate()
    last = next((session.held_on for session in sessions if session.held_on <= today), None)
    context = {
        "worker": worker,
        "sessions": sessions,
        "status": status_of(worker, last, today) if sees_all else None,
        "today": today,
        "may_record": policies.supervision_refusal(worker_for(request.user), worker) is None,
    }
    return render(request, "oversight/worker_supervision.html", context)


# -- management decisions --------------------------------------------------------------------------------------


@child_record(page="record a management decision", changes=True)
@refusals_logged("record a management decision")
def decision_new(request, child):
    if not policies.may_decide(request.user, child):
        raise PermissionDenied(
            "Only a team manager, head of service or the director records a management decision"
        )
    if request.method == "POST":
        form = DecisionForm(request.POST)
        decision = run_service(
            form,
            lambda data: services.management_decision_record(child=child, decided_by=request.user, **data),
        )
        if decision is not None:
            messages.success(request, "Management decision recorded on the child's file.")
            return to_case_file(child)
        status = 400
    else:
        form = DecisionForm(initial={"decided_on": timezone.localdate()})
        status = 200
    return form_page(request, "oversight/decision_new.html", child, form, status)


@child_record(page="management decision")
def decision(request, child, decision_id: int):
    made = get_object_or_404(
        ManagementDecision.objects.select_related("decided_by", "episode", "supervision__worker__team"),
        pk=decision_id,
        child=child,
    )
    shows_supervision = made.supervision_id is not None and policies.may_see_supervision(
        request.user, made.supervision
    )
    context = {"child": child, "person": child.person, "made": made, "shows_supervision": shows_supervision}
    return render(request, "oversight/decision.html", context)


# -- case audits ----------------------------------------------------------------------------------------------


@policy(
    "team managers, heads of service, the director, inspectors and quality assurance auditors: audits of the "
    "children each may see (audit.policy), with grades and open and overdue actions"
)
def audits(request):
    if not policies.may_see_audits(request.user):
        return refuse(request, "Case audits are for managers and auditors", subject="case audits")
    today = timezone.localdate()
    paginator = Paginator(case_audits(request.user, today), ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    overdue = list(audit_actions_overdue(request.user, today)[:ROWS_PER_PAGE])
    since = today - datetime.timedelta(days=GRADES_OVER_DAYS)
    _listed(request, f"case audits page={page.number}", paginator.count)
    context = {
        "page": page,
        "audits": page.object_list,
        "total": paginator.count,
        "overdue": overdue,
        "grades": audit_grades(request.user, since),
        "since": since,
        "today": today,
    }
    return render(request, "oversight/audits.html", context)


def _audit(child, audit_id: int) -> CaseAudit:
    return get_object_or_404(
        CaseAudit.objects.select_related("auditor__user", "episode", "created_by"), pk=audit_id, child=child
    )


def _after_audit(request, child, audit: CaseAudit):
    """Back to the audit, or to the audits list for an auditor who no longer reaches the child."""
    if access_basis(request.user, child).allowed:
        return redirect("oversight:audit", child_id=child.pk, audit_id=audit.pk)
    return redirect("oversight:audits")


@child_record(page="start a case audit", changes=True)
@refusals_logged("start a case audit")
def audit_start(request, child):
    if not policies.may_commission_audit(request.user, child):
        raise PermissionDenied("Only a team manager, head of service or the director starts a case audit")
    in_progress = CaseAudit.objects.filter(child=child, status=AuditStatus.DRAFT).first()
    if in_progress is not None:
        messages.info(request, "An audit of this case file is already in progress.")
        return redirect("oversight:audit", child_id=child.pk, audit_id=in_progress.pk)
    auditors = auditor_candidates(child, timezone.localdate())
    if request.method == "POST":
        form = AuditStartForm(request.POST, auditors=auditors)
        audit = run_service(
            form,
            lambda data: services.case_audit_start(
                child=child, started_by=request.user, auditor=data["auditor"]
            ),
        )
        if audit is not None:
            messages.success(request, f"Case audit started. {audit.auditor.name} will carry it out.")
            return redirect("oversight:audit", child_id=child.pk, audit_id=audit.pk)
        status = 400
    else:
        form = AuditStartForm(auditors=auditors)
        status = 200
    return form_page(request, "oversight/audit_start.html", child, form, status)


@child_record(page="case audit")
@refusals_logged("case audit")
def audit(request, child, audit_id: int):
    """The audit: its answers and actions; for its auditor while in progress, the questions to answer."""
    audit = _audit(child, audit_id)
    asked = questions()
    answers = {answer.question: answer for answer in audit.answers.all()}
    may_answer = policies.may_work_on_audit(request.user, audit)
    form = None
    status = 200
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied("Only the audit's auditor answers its questions, while it is in progress")
        form = AuditAnswersForm(request.POST, questions=asked)
        saved = run_service(
            form,
            lambda data: services.case_audit_answer(
                audit=audit, answered_by=request.user, answers=form.answers()
            ),
            renamed=form.renamed(),
        )
        if saved is not None:
            if request.POST.get("then") == "complete":
                return redirect("oversight:audit_complete", child_id=child.pk, audit_id=audit.pk)
            messages.success(request, "Your answers have been saved.")
            return redirect("oversight:audit", child_id=child.pk, audit_id=audit.pk)
        status = 400
    elif may_answer:
        initial = {}
        for code, answer in answers.items():
            initial[f"{code}-grade"] = answer.grade
            initial[f"{code}-comment"] = answer.comment
        form = AuditAnswersForm(initial=initial, questions=asked)
    actions = list(audit.actions.select_related("owner__user"))
    context = {
        "child": child,
        "person": child.person,
        "audit": audit,
        "form": form,
        "answer_rows": [(question, answers.get(code)) for code, question in asked.items()]
        + [(None, answer) for code, answer in answers.items() if code not in asked],
        "answered": sum(code in answers for code in asked),
        "asked": len(asked),
        "actions": actions,
        "today": timezone.localdate(),
        "may_add_action": policies.may_add_action(request.user, audit),
    }
    return render(request, "oversight/audit.html", context, status=status)


@child_record(page="complete a case audit")
@refusals_logged("complete a case audit")
def audit_complete(request, child, audit_id: int):
    audit = _audit(child, audit_id)
    if not policies.may_work_on_audit(request.user, audit):
        raise PermissionDenied("Only the audit's auditor completes it, while it is in progress")
    if request.method == "POST":
        form = AuditCompleteForm(request.POST)
        completed = run_service(
            form,
            lambda data: services.case_audit_complete(audit=audit, completed_by=request.user, **data),
        )
        if completed is not None:
            messages.success(
                request, f"Case audit completed: {completed.get_overall_grade_display().lower()}."
            )
            return _after_audit(request, child, completed)
        status = 400
    else:
        form = AuditCompleteForm()
        status = 200
    answers = list(audit.answers.all())
    return form_page(
        request, "oversight/audit_complete.html", child, form, status, audit=audit, answers=answers
    )


@child_record(page="set a case audit action")
@refusals_logged("set a case audit action")
def audit_action_new(request, child, audit_id: int):
    audit = _audit(child, audit_id)
    if not policies.may_add_action(request.user, audit):
        raise PermissionDenied(
            "Only the auditor, or a manager who may change this child's record, sets actions"
        )
    owners = action_owner_candidates(child, timezone.localdate())
    if request.method == "POST":
        form = ActionAddForm(request.POST, owners=owners)
        action = run_service(
            form, lambda data: services.case_audit_action_add(audit=audit, added_by=request.user, **data)
        )
        if action is not None:
            messages.success(
                request, f"Action set for {action.owner.name}, due by {action.due_on:%-d %B %Y}."
            )
            return redirect("oversight:audit", child_id=child.pk, audit_id=audit.pk)
        status = 400
    else:
        form = ActionAddForm(owners=owners)
        status = 200
    return form_page(request, "oversight/action_new.html", child, form, status, audit=audit)


@child_record(page="case audit action")
@refusals_logged("case audit action")
def audit_action(request, child, action_id: int):
    action = get_object_or_404(
        CaseAuditAction.objects.select_related("audit__auditor__user", "owner__user", "completed_by"),
        pk=action_id,
        audit__child=child,
    )
    may_complete = action.status == ActionStatus.OPEN and policies.may_complete_action(request.user, action)
    form = None
    status = 200
    if request.method == "POST":
        if not may_complete:
            raise PermissionDenied("Only the action's owner, or a manager, completes it")
        form = ActionCompleteForm(request.POST)
        done = run_service(
            form,
            lambda data: services.case_audit_action_complete(
                action=action, completed_by=request.user, **data
            ),
        )
        if done is not None:
            messages.success(request, "Action marked as done.")
            return redirect(
                reverse("oversight:audit_action", kwargs={"child_id": child.pk, "action_id": action.pk})
            )
        status = 400
    elif may_complete:
        form = ActionCompleteForm(initial={"completed_on": timezone.localdate()})
    context = {
        "child": child,
        "person": child.person,
        "action": action,
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "oversight/action.html", context, status=status)


# -- the oversight dashboard and the approvals queue ------------------------------------------------------------


@policy(
    "team managers (their team), heads of service (their area's teams), the director and inspectors (every "
    "area): counts of unallocated children, caseloads, supervision, approvals, audits and closures"
)
def dashboard(request):
    if not policies.may_oversee(request.user):
        return refuse(request, "The oversight dashboard is for managers and inspectors", subject="oversight")
    today = timezone.localdate()
    board = build_dashboard(user=request.user, today=today, area_id=id_from_query(request.GET, "area"))
    # Counts only, no child named: nothing to log as a view of case data.
    context = {
        "board": board,
        "today": today,
        "audits_since": today - datetime.timedelta(days=AUDITS_OVER_DAYS),
        "closures_days": CLOSURES_OVER_DAYS,
    }
    return render(request, "oversight/dashboard.html", context)


@policy(
    "team managers (their team's), heads of service (their area's), the director and inspectors: assessments "
    "awaiting authorisation and closure requests awaiting a decision, oldest first"
)
def approvals(request):
    if not policies.may_oversee(request.user):
        return refuse(request, "The approvals queue is for managers", subject="approvals")
    today = timezone.localdate()
    items = approvals_waiting(user=request.user, today=today, team_id=id_from_query(request.GET, "team"))
    paginator = Paginator(items, ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    since = today - datetime.timedelta(days=OVER_LIMIT_OVER_DAYS)
    over_limit = list(over_limit_allocations(request.user, since)[:ROWS_PER_PAGE])
    _listed(request, f"approvals page={page.number}", paginator.count)
    context = {
        "page": page,
        "rows": [(item, item.working_days(today)) for item in page.object_list],
        "total": paginator.count,
        "over_limit": over_limit,
        "over_limit_since": since,
        "today": today,
    }
    return render(request, "oversight/approvals.html", context)


@policy(
    "team managers (their team's), heads of service (their area's), the director and inspectors: the cases "
    "closed in the last weeks, with who asked and who approved"
)
def closures(request):
    if not policies.may_oversee(request.user):
        return refuse(request, "The list of closures is for managers", subject="closures")
    today = timezone.localdate()
    since = today - datetime.timedelta(days=CLOSURES_OVER_DAYS - 1)
    rows = (
        closures_approved(request.user, since, today)
        .select_related("child__person", "team", "requested_by", "decided_by")
        .order_by("-decided_on", "-pk")
    )
    team_id = id_from_query(request.GET, "team")
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    paginator = Paginator(rows, ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    _listed(request, f"closures page={page.number}", paginator.count)
    context = {
        "page": page,
        "rows": page.object_list,
        "total": paginator.count,
        "since": since,
        "alerts": list(bulk_closure_alerts(request.user, open_only=True)),
    }
    return render(request, "oversight/closures.html", context)


@policy(
    "heads of service (their area), the director and inspectors (every area side by side, and the council): "
    "counts of the front door, casework, breaches and workforce per area; no child named"
)
def areas(request):
    if not policies.may_see_areas(request.user):
        return refuse(
            request,
            "The area dashboards are for heads of service, the director and inspectors",
            subject="areas",
        )
    today = timezone.localdate()
    board = area_board(user=request.user, today=today, area_id=id_from_query(request.GET, "area"))
    # Counts only, no child named: nothing to log as a view of case data.
    context = {"board": board, "today": today, "sections": area_sections(board)}
    return render(request, "oversight/areas.html", context)


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    bad: bool = False


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    cells: list[Cell]


def _count(value: int) -> str:
    return f"{value:,}"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _fte(value) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _rate(value: float | None) -> str:
    """A fraction (0.189) as a percentage."""
    return _percent(None if value is None else 100 * value)


def _signed(value) -> str:
    """A gap: "+12" short of capacity, "−5" to spare."""
    return "–" if value is None else f"{value:+,.0f}".replace("-", "−")


def _england(measure: str) -> str:
    figure = england(measure)
    return f"{figure.value:.1f}% in {figure.as_at:%B %Y}" if figure else "not known"


def _worse_than_england(value: float | None, measure: str) -> bool:
    figure = england(measure)
    return value is not None and figure is not None and 100 * value > figure.value


def _workforce_link(column) -> str:
    if column.area is None:
        return reverse("workforce:overview")
    return reverse("workforce:area", kwargs={"area_id": column.area.pk})


def area_sections(board: AreaBoard) -> list[tuple[str, list[Line]]]:
    """The area dashboard's table: (section title, lines), each line a figure with one cell per column, linked
    to the list behind it (filtered to the area, for an area's column) and marked when it is bad news."""

    def line(key, label, text, href=None, bad=None) -> Line:
        cells = []
        for column in board.columns:
            shown = text(column)
            query = f"?area={column.area.pk}" if column.area else ""
            link = href(column, query) if href and shown not in ("0", "–") else ""
            cells.append(Cell(shown, link, bool(bad and bad(column))))
        return Line(key, label, cells)

    queue = reverse("frontdoor:queue")
    return [
        (
            "Front door",
            [
                line("contacts", "Contacts in the last 12 months", lambda c: _count(c.front_door.contacts)),
                line(
                    "referrals", "Referrals in the last 12 months", lambda c: _count(c.front_door.referrals)
                ),
                line(
                    "re-referral-rate",
                    "Re-referral rate (a previous referral within 12 months)",
                    lambda c: _percent(c.front_door.re_referral_percent),
                ),
                line(
                    "awaiting",
                    "Contacts waiting for a decision",
                    lambda c: _count(c.front_door.awaiting),
                    lambda c, q: queue,
                ),
                line(
                    "decision-overdue",
                    "of which past their one working day",
                    lambda c: _count(c.front_door.overdue),
                    lambda c, q: queue,
                    lambda c: c.front_door.overdue > 0,
                ),
            ],
        ),
        (
            "Casework",
            [
                line(
                    "open",
                    "Open cases",
                    lambda c: _count(c.casework.open_cases),
                    lambda c, q: reverse("oversight:dashboard") + q,
                ),
                line(
                    "unallocated",
                    "Children waiting for a social worker",
                    lambda c: _count(c.casework.unallocated),
                    lambda c, q: reverse("allocation:unallocated") + q,
                    lambda c: c.casework.unallocated > 0,
                ),
                line(
                    "caseload",
                    "Weighted caseload against capacity",
                    lambda c: f"{c.casework.caseload_percent}%" if c.casework.limit else "–",
                    lambda c, q: reverse("allocation:caseloads") + q,
                    lambda c: c.casework.caseload_percent > 100,
                ),
                line(
                    "over-limit",
                    "Social workers over their limit",
                    lambda c: _count(c.casework.over_limit),
                    lambda c, q: reverse("allocation:caseloads") + q,
                    lambda c: c.casework.over_limit > 0,
                ),
                line(
                    "supervision",
                    "Supervision overdue",
                    lambda c: _count(c.casework.supervision_overdue),
                    lambda c, q: reverse("oversight:supervision"),
                    lambda c: c.casework.supervision_overdue > 0,
                ),
                line(
                    "approvals",
                    "Waiting for a manager's decision",
                    lambda c: _count(c.casework.approvals_waiting),
                    lambda c, q: reverse("oversight:approvals"),
                ),
            ],
        ),
        (
            "Breaches of statutory duties",
            [
                line(
                    "breaches-open",
                    "Still open past their day",
                    lambda c: _count(c.exposure.still_open),
                    lambda c, q: reverse("compliance:register") + q,
                    lambda c: c.exposure.still_open > 0,
                ),
                line(
                    "breaches-children",
                    "Children with a breach still open",
                    lambda c: _count(c.exposure.children_still_open),
                ),
                line(
                    "breaches-lately",
                    "Fell due in the last 28 days and not met on time",
                    lambda c: _count(c.exposure.fell_due_lately),
                    lambda c, q: reverse("compliance:register") + q,
                ),
            ],
        ),
        (
            "Workforce (social work posts, as the DfE workforce census counts them)",
            [
                line(
                    "posts",
                    "Posts (FTE)",
                    lambda c: _fte(c.workforce and c.workforce.posts_fte),
                    lambda c, q: _workforce_link(c),
                ),
                line(
                    "vacancy-rate",
                    f"Vacancy rate (England {_england('vacancy_rate')})",
                    lambda c: _rate(c.workforce and c.workforce.vacancy_rate),
                    lambda c, q: _workforce_link(c),
                    lambda c: _worse_than_england(c.workforce and c.workforce.vacancy_rate, "vacancy_rate"),
                ),
                line(
                    "agency-rate",
                    f"Agency rate (England {_england('agency_rate')})",
                    lambda c: _rate(c.workforce and c.workforce.agency_rate),
                    lambda c, q: _workforce_link(c),
                    lambda c: _worse_than_england(c.workforce and c.workforce.agency_rate, "agency_rate"),
                ),
                line(
                    "turnover-rate",
                    f"Turnover, 12 months (England {_england('turnover_rate')})",
                    lambda c: _rate(c.workforce and c.workforce.turnover_rate),
                    lambda c, q: _workforce_link(c),
                    lambda c: _worse_than_england(c.workforce and c.workforce.turnover_rate, "turnover_rate"),
                ),
                line(
                    "capacity-gap",
                    "Demand over capacity (weighted cases)",
                    lambda c: _signed(c.workforce and c.workforce.gap),
                    lambda c, q: _workforce_link(c),
                    lambda c: bool(c.workforce and c.workforce.gap > 0),
                ),
            ],
        ),
        (
            "Improvement",
            [
                line(
                    "actions-late",
                    "Improvement plan actions past their due date",
                    lambda c: _count(c.actions_late),
                    lambda c, q: reverse("leadership:plan") + (q + "&" if q else "?") + "late=1",
                    lambda c: c.actions_late > 0,
                ),
            ],
        ),
    ]
