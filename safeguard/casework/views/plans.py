"""Child in need plans (CIN census CINPlanDates): start, review, end. A plan sets its own review interval
or takes the council's usual one; the review clock is the ``cin_plan_review`` deadline."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from safeguard.audit.views import child_record
from safeguard.casework import services
from safeguard.casework.forms import CinPlanEndForm, CinPlanReviewForm, CinPlanStartForm
from safeguard.casework.models import CinPlan
from safeguard.casework.views.common import (
    due_message,
    form_page,
    new_deadlines,
    open_episode,
    refusals_logged,
    run_service,
    to_case_file,
)
from safeguard.compliance.registry import duty


def _plan(child, plan_id) -> CinPlan:
    return get_object_or_404(CinPlan.objects.select_related("episode"), pk=plan_id, child=child)


@child_record(page="start a child in need plan", changes=True)
@refusals_logged("start a child in need plan")
def cin_plan_start(request, child):
    episode = open_episode(child)
    if episode is None:
        context = {"child": child, "person": child.person, "doing": "start a child in need plan"}
        return render(request, "casework/no_episode.html", context)
    usual = str(duty("cin_plan_review").effective_period)
    if request.method == "POST":
        form = CinPlanStartForm(request.POST, usual_review=usual)
        plan = run_service(
            form, lambda data: services.cin_plan_start(episode=episode, started_by=request.user, **data)
        )
        if plan is not None:
            due = new_deadlines(child, started_by="cin_plan.started", on=plan.start_date, scope=plan)
            messages.success(request, f"Child in need plan started.{due_message(due)}")
            return to_case_file(child)
        status = 400
    else:
        form = CinPlanStartForm(initial={"start_date": timezone.localdate()}, usual_review=usual)
        status = 200
    return form_page(request, "casework/cin_plan_start.html", child, form, status)


@child_record(page="review a child in need plan", changes=True)
@refusals_logged("review a child in need plan")
def cin_plan_review(request, child, plan_id):
    plan = _plan(child, plan_id)
    if request.method == "POST":
        form = CinPlanReviewForm(request.POST)
        review = run_service(
            form, lambda data: services.cin_plan_review_record(plan=plan, recorded_by=request.user, **data)
        )
        if review is not None:
            due = new_deadlines(child, started_by="cin_plan_review.held", on=review.held_on, scope=plan)
            messages.success(request, f"Child in need plan review recorded.{due_message(due)}")
            return to_case_file(child)
        status = 400
    else:
        form = CinPlanReviewForm(initial={"held_on": timezone.localdate()})
        status = 200
    return form_page(request, "casework/cin_plan_review.html", child, form, status, plan=plan)


@child_record(page="end a child in need plan", changes=True)
@refusals_logged("end a child in need plan")
def cin_plan_end(request, child, plan_id):
    plan = _plan(child, plan_id)
    if request.method == "POST":
        form = CinPlanEndForm(request.POST)
        ended = run_service(
            form,
            lambda data: services.cin_plan_end(
                plan=plan,
                ended_by=request.user,
                end_date=data["end_date"],
                version=data["version"],
                reason=data["reason"].strip(),
            ),
            record=plan,
        )
        if ended is not None:
            messages.success(request, "Child in need plan ended")
            return to_case_file(child)
        status = 400
    else:
        form = CinPlanEndForm(initial={"end_date": timezone.localdate(), "version": plan.version})
        status = 200
    return form_page(request, "casework/cin_plan_end.html", child, form, status, plan=plan)
