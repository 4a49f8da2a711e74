"""Pages for learning actions: the leadership report, one action (its history and the forms to move it on),
and one incident's actions; and the home page panels.

None of these pages opens a child's record. An action's page names the incident, not the child, but an
incident's actions are about a child, so every view of them is logged against that child (``AccessEvent``),
and a refusal through ``refuse``.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import policy, refuse
from safeguard.casework.views.common import run_service
from safeguard.incidents.models import SeriousIncident
from safeguard.learning import policies, selectors, services
from safeguard.learning.forms import AgreeForm, CompleteForm, DueDateForm, NotNeededForm, ProgressForm
from safeguard.learning.models import SOURCE_LABELS, LearningAction
from safeguard.learning.policies import LEADERS

ROWS_PER_PAGE = 50
REPORT_ONLY = "Only managers and inspectors can see the learning actions report"
INCIDENT_ONLY = "You cannot see this serious incident, so you cannot see its learning actions"


def _logged(request, subject: str, *, child=None, count: int | None = None) -> None:
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, subject),
        child=child,
        subject=subject,
        result_count=count,
    )


# -- home page panels -----------------------------------------------------------------------------------------


def my_actions_panel(user, today) -> dict | None:
    """The owner's open learning actions (and case audit actions), soonest due first."""
    rows = selectors.my_open_actions(user, today)
    return {"rows": rows[:20], "more": max(0, len(rows) - 20)} if rows else None


def overdue_panel(user, today) -> dict | None:
    """For the director and heads of service: how many learning actions in their reach are overdue."""
    worker = worker_for(user)
    if worker is None or worker.role not in LEADERS:
        return None
    return {"overdue": selectors.overdue_count(user, today)}


# -- pages ----------------------------------------------------------------------------------------------------


@policy(
    "managers and inspectors: counts of learning actions in their reach; the list only as incidents allow"
)
def report(request):
    if not policies.may_see_report(request.user):
        return refuse(request, REPORT_ONLY, subject="learning actions report")
    today = timezone.localdate()
    result = selectors.report(request.user, today)
    page = Paginator(result.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    _logged(request, "learning actions report", count=len(page.object_list))
    return render(
        request,
        "learning/report.html",
        {"report": result, "page": page, "page_base": "?page=", "labels": SOURCE_LABELS, "today": today},
    )


def _version_form(form_class, request, name: str, action: LearningAction):
    if request.POST.get("form") == name:
        return form_class(request.POST, prefix=name)
    return form_class(initial={"version": action.version}, prefix=name)


@policy("those who may see the incident, and the action's owner: one learning action and its history")
def action(request, action_id: int):
    action = get_object_or_404(
        LearningAction.objects.select_related("incident__child", "owner__user", "completed_by"), pk=action_id
    )
    child = action.incident.child
    if not policies.may_see_action(request.user, action):
        return refuse(request, INCIDENT_ONLY, child=child, subject="learning action")
    may_update = action.is_open and policies.may_update_action(request.user, action)
    may_close = action.is_open and policies.may_close_as_not_needed(request.user, action)
    progress = ProgressForm(
        request.POST if request.POST.get("form") == "progress" else None, prefix="progress"
    )
    due_date = _version_form(DueDateForm, request, "due_date", action)
    complete = _version_form(CompleteForm, request, "complete", action)
    not_needed = _version_form(NotNeededForm, request, "not_needed", action)
    bad_request = False
    if request.method == "POST":
        chosen = request.POST.get("form")
        calls = {
            "progress": (
                progress,
                lambda data: services.learning_action_record_progress(
                    action=action, recorded_by=request.user, note=data["note"]
                ),
                "Progress recorded.",
            ),
            "due_date": (
                due_date,
                lambda data: services.learning_action_change_due_date(
                    action=action,
                    changed_by=request.user,
                    due_on=data["due_on"],
                    reason=data["reason"],
                    version=data["version"],
                ),
                "Due date changed.",
            ),
            "complete": (
                complete,
                lambda data: services.learning_action_complete(
                    action=action,
                    completed_by=request.user,
                    evidence=data["evidence"],
                    version=data["version"],
                ),
                "Action marked as done.",
            ),
            "not_needed": (
                not_needed,
                lambda data: services.learning_action_close_not_needed(
                    action=action, decided_by=request.user, reason=data["reason"], version=data["version"]
                ),
                "Action closed as no longer needed.",
            ),
        }
        allowed = may_close if chosen == "not_needed" else may_update
        if not allowed:
            return refuse(
                request, "You cannot change this learning action", child=child, subject="learning action"
            )
        if chosen in calls:
            form, call, done = calls[chosen]
            if run_service(form, call, record=action) is not None:
                messages.success(request, done)
                return redirect("learning:action", action_id=action.pk)
        else:  # a post that names none of the page's forms: the page again, as a bad request
            bad_request = True
    _logged(request, "learning action", child=child)
    entries = list(action.entries.select_related("recorded_by"))
    invalid = any(form.errors for form in (progress, due_date, complete, not_needed))
    return render(
        request,
        "learning/action.html",
        {
            "action": action,
            "entries": entries,
            "today": timezone.localdate(),
            "may_update": may_update,
            "may_close": may_close,
            "progress_form": progress,
            "due_date_form": due_date,
            "complete_form": complete,
            "not_needed_form": not_needed,
        },
        status=400 if invalid or bad_request else 200,
    )


@policy("those who may see the incident: its learning actions; managers among them agree new ones")
def incident(request, incident_id: int):
    incident = get_object_or_404(SeriousIncident.objects.select_related("child"), pk=incident_id)
    if not policies.may_see_incident_actions(request.user, incident):
        return refuse(
            request, INCIDENT_ONLY, child=incident.child, subject="serious incident learning actions"
        )
    may_add = policies.may_add_action(request.user, incident)
    form = AgreeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_add:
            return refuse(
                request,
                "Only a manager who may see this incident agrees its learning actions",
                child=incident.child,
                subject="serious incident learning actions",
            )
        created = run_service(
            form,
            lambda data: services.learning_action_agree(
                incident=incident,
                agreed_by=request.user,
                source=data["source"],
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
            ),
        )
        if created is not None:
            messages.success(request, "Learning action agreed.")
            return redirect("learning:incident", incident_id=incident.pk)
    actions = list(incident.learning_actions.select_related("owner__user"))
    _logged(request, "serious incident learning actions", child=incident.child, count=len(actions))
    return render(
        request,
        "learning/incident.html",
        {
            "incident": incident,
            "actions": actions,
            "form": form,
            "may_add": may_add,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )
