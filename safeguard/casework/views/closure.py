"""Safe closure pages (``casework.closure``): a worker requests closure; a manager who did not ask reviews
the request beside the authorised assessment and the last visit, and approves or returns it with reasons;
a pending request can be withdrawn; a manager reopens a closed case. And, outside any one child's record,
the bulk closure alert a head of service or the director reads and acknowledges.

Every page that changes a child's record is guarded by ``@child_record(changes=True)``; the steps that need
a manager are refused (and the refusal logged) here or by the service, through ``@refusals_logged``.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import child_record, policy, refuse
from safeguard.casework import closure
from safeguard.casework.forms import (
    APPROVE,
    AcknowledgeForm,
    ClosureDecisionForm,
    ClosureRequestForm,
    ClosureWithdrawForm,
    ReopenForm,
    factor_label,
)
from safeguard.casework.models import (
    Assessment,
    AssessmentStatus,
    BulkClosureAlert,
    CinEpisode,
    ClosureRequest,
    ClosureRequestStatus,
    Visit,
)
from safeguard.casework.policies import (
    may_acknowledge_bulk_closure_alert,
    may_authorise,
    may_decide_closure,
    may_see_bulk_closure_alert,
    may_withdraw_closure,
)
from safeguard.casework.selectors import alert_closures, bulk_closure_alerts
from safeguard.casework.views.common import (
    due_message,
    form_page,
    new_deadlines,
    refusals_logged,
    run_service,
    to_case_file,
)
from safeguard.core.reference import codes, label
from safeguard.organisation.models import Role

MANAGERS_ONLY = "Only a team manager or head of service decides whether a case closes"
NOT_YOUR_OWN = "You asked for this case to close: another manager must decide the request"
HOME_PANEL_ALERTS = 10


def _closure_request(child, request_id) -> ClosureRequest:
    return get_object_or_404(
        ClosureRequest.objects.select_related(
            "episode__team", "episode__area", "requested_by", "decided_by", "modified_by"
        ),
        pk=request_id,
        child=child,
    )


def authorised_assessment(episode: CinEpisode) -> Assessment | None:
    """The episode's latest authorised assessment: what the manager weighs a closure against."""
    return (
        Assessment.objects.filter(episode=episode, status=AssessmentStatus.AUTHORISED)
        .select_related("authorised_by")
        .order_by("-authorised_on", "-pk")
        .first()
    )


def _factor_labels(assessment: Assessment | None) -> list[str]:
    if assessment is None:
        return []
    known = codes("assessment_factor")
    return [f"{factor_label(known.get(code, code))} ({code})" for code in assessment.factors]


def _visits(child) -> tuple[Visit | None, Visit | None]:
    """The child's last visit, and, if the child was not seen at it, the last visit at which they were."""
    visits = (
        Visit.objects.filter(child=child).select_related("visited_by__user").order_by("-visited_on", "-pk")
    )
    last = visits.first()
    last_seen = None
    if last is not None and not last.child_seen:
        last_seen = visits.filter(child_seen=True).first()
    return last, last_seen


def _request_context(item: ClosureRequest, user) -> dict:
    """What every page about one request shows: the request, its decision, the others on the episode."""
    episode = item.episode
    return {
        "item": item,
        "episode": episode,
        "primary_need": label("primary_need", item.primary_need) if item.primary_need else "",
        "others": list(
            episode.closure_requests.exclude(pk=item.pk).select_related("requested_by", "decided_by")
        ),
        "may_decide": item.is_pending and may_decide_closure(user, item),
        "may_withdraw": item.is_pending and may_withdraw_closure(user, item),
    }


@child_record(page="request closure", changes=True)
@refusals_logged("request closure")
def closure_request(request, child, episode_id):
    """The worker's request: the census closure fields, the closure summary and the analysis of risk."""
    episode = get_object_or_404(CinEpisode.objects.select_related("team", "area"), pk=episode_id, child=child)
    today = timezone.localdate()
    pending = (
        episode.closure_requests.filter(status=ClosureRequestStatus.PENDING)
        .select_related("requested_by")
        .first()
        if episode.is_open
        else None
    )
    assessment = authorised_assessment(episode)
    options = {
        "on": today,
        "needs_primary_need": not episode.primary_need,
        "needs_no_assessment_reason": assessment is None,
    }
    if request.method == "POST":
        form = ClosureRequestForm(request.POST, **options)
        made = run_service(
            form,
            lambda data: closure.closure_request(
                episode=episode,
                requested_by=request.user,
                closure_date=data["closure_date"],
                reason=data["reason"],
                summary=data["summary"],
                risk_analysis=data["risk_analysis"],
                referral_nfa=data["referral_nfa"],
                primary_need=data.get("primary_need", ""),
                no_assessment_reason=data.get("no_assessment_reason", ""),
            ),
        )
        if made is not None:
            messages.success(request, "Closure requested. The case stays open until a manager approves it")
            return to_case_file(child)
        status = 400
    else:
        form = ClosureRequestForm(initial={"closure_date": today}, **options)
        status = 200
    return form_page(
        request,
        "casework/closure_request.html",
        child,
        form,
        status,
        episode=episode,
        pending=pending,
        assessment=assessment,
        may_decide=pending is not None and may_decide_closure(request.user, pending),
    )


@child_record(page="closure request")
def closure_request_detail(request, child, request_id):
    """One request as it was made and decided, read only."""
    item = _closure_request(child, request_id)
    context = {"child": child, "person": child.person, **_request_context(item, request.user)}
    return render(request, "casework/closure_request_detail.html", context)


@child_record(page="review a closure request", changes=True)
@refusals_logged("review a closure request")
def closure_review(request, child, request_id):
    """The manager's review: the request, the authorised assessment and the last visit, then the decision."""
    item = _closure_request(child, request_id)
    if item.requested_by_id == request.user.pk:
        raise PermissionDenied(NOT_YOUR_OWN)
    if not may_authorise(request.user, child):
        raise PermissionDenied(MANAGERS_ONLY)
    if request.method == "GET" and not item.is_pending:
        messages.info(
            request, f"This request is {item.get_status_display().lower()}: there is nothing to decide"
        )
        return redirect("casework:closure_request_detail", child_id=child.pk, request_id=item.pk)
    if request.method == "POST":
        form = ClosureDecisionForm(request.POST)
        decided = run_service(
            form,
            lambda data: closure.closure_decide(
                request=item,
                decided_by=request.user,
                approve=data["decision"] == APPROVE,
                rationale=data["rationale"],
                version=data["version"],
            ),
            record=item,
        )
        if decided is not None:
            if decided.status == ClosureRequestStatus.APPROVED:
                messages.success(
                    request, f"Closure approved: the case closed on {decided.closure_date:%-d %B %Y}"
                )
            else:
                messages.success(request, "Closure request returned to the worker with your reasons")
            return to_case_file(child)
        status = 400
    else:
        form = ClosureDecisionForm(initial={"version": item.version})
        status = 200
    assessment = authorised_assessment(item.episode)
    last_visit, last_seen = _visits(child)
    context = {
        **_request_context(item, request.user),
        "assessment": assessment,
        "assessment_outcome": assessment.get_outcome_display() if assessment else "",
        "factor_labels": _factor_labels(assessment),
        "last_visit": last_visit,
        "last_seen": last_seen,
        "today": timezone.localdate(),
    }
    return form_page(request, "casework/closure_review.html", child, form, status, **context)


@child_record(page="withdraw a closure request", changes=True)
@refusals_logged("withdraw a closure request")
def closure_withdraw(request, child, request_id):
    item = _closure_request(child, request_id)
    if not may_withdraw_closure(request.user, item):
        raise PermissionDenied("Only the worker who asked, or a manager, withdraws a closure request")
    if request.method == "GET" and not item.is_pending:
        messages.info(request, f"This request is {item.get_status_display().lower()}: it cannot be withdrawn")
        return redirect("casework:closure_request_detail", child_id=child.pk, request_id=item.pk)
    if request.method == "POST":
        form = ClosureWithdrawForm(request.POST)
        withdrawn = run_service(
            form,
            lambda data: closure.closure_withdraw(
                request=item, withdrawn_by=request.user, reason=data["reason"], version=data["version"]
            ),
            record=item,
        )
        if withdrawn is not None:
            messages.success(request, "Closure request withdrawn: the case stays open")
            return to_case_file(child)
        status = 400
    else:
        form = ClosureWithdrawForm(initial={"version": item.version})
        status = 200
    return form_page(
        request, "casework/closure_withdraw.html", child, form, status, **_request_context(item, request.user)
    )


@child_record(page="reopen the case", changes=True)
@refusals_logged("reopen the case")
def episode_reopen(request, child, episode_id):
    """A manager reopens the child's latest closed case: a new episode, linked to it."""
    if not may_authorise(request.user, child):
        raise PermissionDenied("Only a team manager or head of service reopens a case")
    episode = get_object_or_404(CinEpisode.objects.select_related("team", "area"), pk=episode_id, child=child)
    today = timezone.localdate()
    if request.method == "GET" and episode.is_open:
        messages.info(request, "This case is open: there is nothing to reopen")
        return to_case_file(child)
    if request.method == "POST":
        form = ReopenForm(request.POST, on=today)
        reopened = run_service(
            form,
            lambda data: closure.cin_episode_reopen(
                episode=episode,
                reopened_by=request.user,
                reopened_on=data["reopened_on"],
                referral_source=data["referral_source"],
                reason=data["reason"],
            ),
        )
        if reopened is not None:
            due = new_deadlines(
                child, started_by="cin_episode.opened", on=reopened.referral_date, scope=reopened
            )
            messages.success(
                request, f"Case reopened from {reopened.referral_date:%-d %B %Y}.{due_message(due)}"
            )
            return to_case_file(child)
        status = 400
    else:
        form = ReopenForm(initial={"reopened_on": today}, on=today)
        status = 200
    return form_page(
        request,
        "casework/episode_reopen.html",
        child,
        form,
        status,
        episode=episode,
        closure_reason=label("closure_reason", episode.closure_reason) if episode.closure_reason else "",
    )


# -- bulk closure alerts (not one child's page) ---------------------------------------------------------------


@policy(
    "the head of service for the team's area and the director (inspectors read only): a team's closures "
    "approved within a short window, listing the children; viewing is logged with how many it listed"
)
def bulk_closure_alert(request, alert_id):
    alert = get_object_or_404(
        BulkClosureAlert.objects.select_related("team", "area", "acknowledged_by"), pk=alert_id
    )
    subject = f"bulk closure alert {alert.pk}"
    if not may_see_bulk_closure_alert(request.user, alert):
        return refuse(
            request,
            "bulk closure alerts are for the head of service for the area and the director",
            subject=subject,
        )
    may_acknowledge = alert.is_open and may_acknowledge_bulk_closure_alert(request.user, alert)
    form = None
    status = 200
    if request.method == "POST":
        if not may_acknowledge:
            reason = (
                "this alert has already been acknowledged"
                if not alert.is_open
                else "only the head of service for the area or the director acknowledges an alert"
            )
            return refuse(request, reason, subject=f"acknowledge {subject}")
        form = AcknowledgeForm(request.POST)
        done = run_service(
            form,
            lambda data: closure.bulk_closure_alert_acknowledge(
                alert=alert, acknowledged_by=request.user, note=data["note"], version=data["version"]
            ),
            record=alert,
        )
        if done is not None:
            messages.success(request, "Alert acknowledged")
            return redirect("work:bulk_closure_alert", alert_id=alert.pk)
        status = 400
    elif may_acknowledge:
        form = AcknowledgeForm(initial={"version": alert.version})
    closures = list(alert_closures(alert))
    # A list of children's names is case data: the viewing is logged, with how many it listed.
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, "bulk closure alert"),
        subject=subject,
        result_count=len(closures),
    )
    context = {
        "alert": alert,
        "closures": closures,
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "casework/bulk_closure_alert.html", context, status=status)


def bulk_closure_home_panel(user, today: datetime.date) -> dict | None:
    """Open bulk closure alerts at the top of the home page of the head of service and the director."""
    worker = worker_for(user)
    if worker is None or worker.role not in (Role.HEAD_OF_SERVICE, Role.DIRECTOR):
        return None
    alerts = bulk_closure_alerts(user, open_only=True)
    shown = list(alerts[: HOME_PANEL_ALERTS + 1])
    if not shown:
        return None
    total = alerts.count() if len(shown) > HOME_PANEL_ALERTS else len(shown)
    return {"alerts": shown[:HOME_PANEL_ALERTS], "total": total}
