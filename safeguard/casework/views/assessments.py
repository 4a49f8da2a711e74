"""A child and family assessment (Children Act 1989 s17; Working Together 2023 ch.3): started from the open
child in need episode, worked on (child seen, factors, analysis, outcome), submitted, and authorised by a
team manager or head of service, or returned to the worker for more work.

Two people may have the assessment open at once: each form carries the version it was read at, and a save
at an older version is refused with who changed what (``VersionConflict``), keeping what was typed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.audit.policy import may_change
from safeguard.audit.views import child_record
from safeguard.casework import services
from safeguard.casework.forms import (
    AssessmentForm,
    AssessmentStartForm,
    AuthoriseForm,
    ReturnForm,
    SubmitForm,
    WithdrawForm,
    factor_label,
)
from safeguard.casework.models import Assessment, AssessmentStatus
from safeguard.casework.policies import may_authorise
from safeguard.casework.views.common import (
    assessment_deadlines,
    due_message,
    new_deadlines,
    open_episode,
    refusals_logged,
    run_service,
)
from safeguard.core.reference import codes, label

MANAGERS_ONLY = "Only a team manager or head of service authorises, returns or withdraws an assessment"


def _assessment(child, assessment_id) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("episode", "submitted_by", "authorised_by", "modified_by"),
        pk=assessment_id,
        child=child,
    )


# The steps of an assessment's life a worker and manager need to see again, with the words that went with
# them (the reason it was returned, the manager's rationale), as the services wrote them in the audit log.
HISTORY = {
    "assessment.started": "Started",
    "assessment.submitted": "Submitted for authorisation",
    "assessment.returned": "Returned for more work",
    "assessment.authorised": "Authorised",
    "assessment.withdrawn": "Withdrawn",
}


def _history(assessment: Assessment) -> list[AuditEvent]:
    """The assessment's steps, oldest first (one indexed query on the entity: its cost is this record's)."""
    return list(
        AuditEvent.objects.filter(
            entity_type=Assessment._meta.label_lower, entity_id=str(assessment.pk), action__in=HISTORY
        )
        .select_related("actor")
        .order_by("at", "pk")
    )


def _factor_labels(assessment: Assessment) -> list[str]:
    known = codes("assessment_factor")
    return [f"{factor_label(known.get(code, code))} ({code})" for code in assessment.factors]


def _context(request, child, assessment: Assessment | None = None, **extra) -> dict:
    context = {"child": child, "person": child.person, **extra}
    if assessment is not None:
        context.update(
            assessment=assessment,
            factor_labels=_factor_labels(assessment),
            primary_need=label("primary_need", assessment.episode.primary_need)
            if assessment.episode.primary_need
            else "",
        )
    return context


def _require_manager(request, child) -> None:
    if not may_authorise(request.user, child):
        raise PermissionDenied(MANAGERS_ONLY)


def _not_at(request, child, item: Assessment, status: str, doing: str):
    """On opening a step that does not apply to the assessment as it now is, say so on its page."""
    if request.method == "GET" and item.status != status:
        messages.info(
            request, f"This assessment is {item.get_status_display().lower()}: it cannot be {doing}"
        )
        return redirect("casework:assessment", child_id=child.pk, assessment_id=item.pk)
    return None


@child_record(page="start an assessment", changes=True)
@refusals_logged("start an assessment")
def assessment_start(request, child):
    episode = open_episode(child)
    if episode is None:
        return render(
            request, "casework/no_episode.html", _context(request, child, doing="start an assessment")
        )
    if request.method == "POST":
        form = AssessmentStartForm(request.POST)
        assessment = run_service(
            form,
            lambda data: services.assessment_start(
                episode=episode, started_by=request.user, start_date=data["start_date"]
            ),
        )
        if assessment is not None:
            due = new_deadlines(
                child, started_by="assessment.started", on=assessment.start_date, scope=episode
            )
            messages.success(request, f"Assessment started.{due_message(due)}")
            return redirect("casework:assessment_edit", child_id=child.pk, assessment_id=assessment.pk)
        status = 400
    else:
        form = AssessmentStartForm(initial={"start_date": timezone.localdate()})
        status = 200
    context = _context(request, child, form=form, episode=episode)
    return render(request, "casework/assessment_start.html", context, status=status)


@child_record(page="assessment")
def assessment(request, child, assessment_id):
    """The assessment as recorded, read only, with both 45 working day clocks and what the user may do next."""
    item = _assessment(child, assessment_id)
    may_record = may_change(request.user, child).allowed
    context = _context(
        request,
        child,
        item,
        deadlines=assessment_deadlines(item),
        history=[(HISTORY[event.action], event) for event in _history(item)],
        today=timezone.localdate(),
        may_edit=may_record and item.status == AssessmentStatus.IN_PROGRESS,
        may_decide=item.status == AssessmentStatus.SUBMITTED and may_authorise(request.user, child),
        may_withdraw=item.is_open and may_authorise(request.user, child),
        may_explain=may_record,
    )
    return render(request, "casework/assessment.html", context)


@child_record(page="edit an assessment", changes=True)
@refusals_logged("edit an assessment")
def assessment_edit(request, child, assessment_id):
    item = _assessment(child, assessment_id)
    if elsewhere := _not_at(request, child, item, AssessmentStatus.IN_PROGRESS, "changed"):
        return elsewhere
    if request.method == "POST":
        form = AssessmentForm(request.POST, start_date=item.start_date)
        saved = run_service(
            form,
            lambda data: services.assessment_update(
                assessment=item,
                updated_by=request.user,
                version=data["version"],
                child_seen_on=data["child_seen_on"],
                factors=data["factors"],
                analysis=data["analysis"],
                outcome=data["outcome"],
            ),
            record=item,
        )
        if saved is not None:
            messages.success(request, "Assessment saved")
            return redirect("casework:assessment", child_id=child.pk, assessment_id=item.pk)
        status = 400
    else:
        form = AssessmentForm(
            initial={
                "version": item.version,
                "child_seen_on": item.child_seen_on,
                "factors": item.factors,
                "analysis": item.analysis,
                "outcome": item.outcome,
            },
            start_date=item.start_date,
        )
        status = 200
    returned = [event for event in _history(item) if event.action == "assessment.returned"]
    context = _context(request, child, item, form=form, returned=returned[-1] if returned else None)
    return render(request, "casework/assessment_edit.html", context, status=status)


@child_record(page="submit an assessment", changes=True)
@refusals_logged("submit an assessment")
def assessment_submit(request, child, assessment_id):
    """Check the assessment, then send it to a manager (the GOV.UK "check your answers" pattern)."""
    item = _assessment(child, assessment_id)
    if elsewhere := _not_at(request, child, item, AssessmentStatus.IN_PROGRESS, "submitted"):
        return elsewhere
    if request.method == "POST":
        form = SubmitForm(request.POST)
        submitted = run_service(
            form,
            lambda data: services.assessment_submit(
                assessment=item, submitted_by=request.user, version=data["version"]
            ),
            record=item,
        )
        if submitted is not None:
            messages.success(request, "Assessment submitted to your manager for authorisation")
            return redirect("casework:assessment", child_id=child.pk, assessment_id=item.pk)
        status = 400
    else:
        form = SubmitForm(initial={"version": item.version})
        status = 200
    context = _context(request, child, item, form=form, deadlines=assessment_deadlines(item))
    return render(request, "casework/assessment_submit.html", context, status=status)


@child_record(page="authorise an assessment", changes=True)
@refusals_logged("authorise an assessment")
def assessment_authorise(request, child, assessment_id):
    _require_manager(request, child)
    item = _assessment(child, assessment_id)
    if elsewhere := _not_at(request, child, item, AssessmentStatus.SUBMITTED, "authorised"):
        return elsewhere
    today = timezone.localdate()
    if request.method == "POST":
        form = AuthoriseForm(request.POST, on=today)
        authorised = run_service(
            form,
            lambda data: services.assessment_authorise(
                assessment=item,
                authorised_by=request.user,
                version=data["version"],
                primary_need=data["primary_need"],
                rationale=data["rationale"],
                on=today,
            ),
            record=item,
        )
        if authorised is not None:
            messages.success(request, "Assessment authorised")
            return redirect("casework:assessment", child_id=child.pk, assessment_id=item.pk)
        status = 400
    else:
        form = AuthoriseForm(
            initial={"version": item.version, "primary_need": item.episode.primary_need or None}, on=today
        )
        status = 200
    context = _context(
        request, child, item, form=form, deadlines=assessment_deadlines(item), today=today, may_explain=True
    )
    return render(request, "casework/assessment_authorise.html", context, status=status)


@child_record(page="return an assessment", changes=True)
@refusals_logged("return an assessment")
def assessment_return(request, child, assessment_id):
    _require_manager(request, child)
    item = _assessment(child, assessment_id)
    if elsewhere := _not_at(request, child, item, AssessmentStatus.SUBMITTED, "returned"):
        return elsewhere
    if request.method == "POST":
        form = ReturnForm(request.POST)
        returned = run_service(
            form,
            lambda data: services.assessment_return(
                assessment=item, returned_by=request.user, version=data["version"], reason=data["reason"]
            ),
            record=item,
        )
        if returned is not None:
            messages.success(request, "Assessment returned to the worker for more work")
            return redirect("casework:assessment", child_id=child.pk, assessment_id=item.pk)
        status = 400
    else:
        form = ReturnForm(initial={"version": item.version})
        status = 200
    context = _context(request, child, item, form=form)
    return render(request, "casework/assessment_return.html", context, status=status)


@child_record(page="withdraw an assessment", changes=True)
@refusals_logged("withdraw an assessment")
def assessment_withdraw(request, child, assessment_id):
    """A manager withdraws an assessment started in error or no longer needed, saying why; the referral's
    own 45 working day clock keeps running."""
    _require_manager(request, child)
    item = _assessment(child, assessment_id)
    if request.method == "GET" and not item.is_open:
        messages.info(
            request, f"This assessment is {item.get_status_display().lower()}: it cannot be withdrawn"
        )
        return redirect("casework:assessment", child_id=child.pk, assessment_id=item.pk)
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        withdrawn = run_service(
            form,
            lambda data: services.assessment_withdraw(
                assessment=item, withdrawn_by=request.user, version=data["version"], reason=data["reason"]
            ),
            record=item,
        )
        if withdrawn is not None:
            messages.success(request, "Assessment withdrawn")
            return redirect("casework:assessment", child_id=child.pk, assessment_id=item.pk)
        status = 400
    else:
        form = WithdrawForm(initial={"version": item.version})
        status = 200
    return render(
        request, "casework/assessment_withdraw.html", _context(request, child, item, form=form), status=status
    )
