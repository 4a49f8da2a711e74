"""Child protection: the strategy discussion, the section 47 enquiry it may start, the initial conference
the enquiry may lead to, review conferences (one of which ends the plan), and core group meetings
(Children Act 1989 s47; Working Together 2023 ch.3). The clocks each step starts are the deadline engine's;
the success messages read the dates it set."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from safeguard.audit.views import child_record
from safeguard.casework import services
from safeguard.casework.forms import (
    CoreGroupForm,
    InitialConferenceForm,
    ReviewConferenceForm,
    S47ConcludeForm,
    StrategyDiscussionForm,
)
from safeguard.casework.models import ConferenceDecision, CPPlan, S47Enquiry, S47Outcome, StrategyOutcome
from safeguard.casework.views.common import (
    due_message,
    form_page,
    new_deadlines,
    open_episode,
    refusals_logged,
    run_service,
    to_case_file,
)
from safeguard.compliance.models import Deadline
from safeguard.compliance.registry import duty
from safeguard.core.reference import label


def _enquiry(child, enquiry_id) -> S47Enquiry:
    return get_object_or_404(
        S47Enquiry.objects.select_related("episode", "strategy_discussion"), pk=enquiry_id, child=child
    )


def _cp_plan(child, plan_id) -> CPPlan:
    return get_object_or_404(CPPlan.objects.select_related("episode"), pk=plan_id, child=child)


@child_record(page="record a strategy discussion", changes=True)
@refusals_logged("record a strategy discussion")
def strategy_discussion(request, child):
    episode = open_episode(child)
    if episode is None:
        context = {"child": child, "person": child.person, "doing": "record a strategy discussion"}
        return render(request, "casework/no_episode.html", context)
    if request.method == "POST":
        form = StrategyDiscussionForm(request.POST)
        discussion = run_service(
            form,
            lambda data: services.strategy_discussion_record(
                episode=episode, recorded_by=request.user, **data
            ),
        )
        if discussion is not None:
            text = "Strategy discussion recorded."
            if discussion.outcome == StrategyOutcome.SECTION_47:
                enquiry = S47Enquiry.objects.get(strategy_discussion=discussion)
                due = new_deadlines(child, started_by="s47.started", on=discussion.held_on, scope=enquiry)
                text = f"Strategy discussion recorded and section 47 enquiry started.{due_message(due)}"
            messages.success(request, text)
            return to_case_file(child)
        status = 400
    else:
        form = StrategyDiscussionForm(initial={"held_on": timezone.localdate()})
        status = 200
    return form_page(request, "casework/strategy_discussion.html", child, form, status, episode=episode)


@child_record(page="conclude a section 47 enquiry", changes=True)
@refusals_logged("conclude a section 47 enquiry")
def s47_conclude(request, child, enquiry_id):
    enquiry = _enquiry(child, enquiry_id)
    if request.method == "POST":
        form = S47ConcludeForm(request.POST)
        concluded = run_service(
            form,
            lambda data: services.s47_conclude(
                enquiry=enquiry,
                concluded_by=request.user,
                version=data["version"],
                concluded_on=data["concluded_on"],
                outcome=data["outcome"],
                findings=data["findings"],
            ),
            record=enquiry,
        )
        if concluded is not None:
            text = "Section 47 enquiry concluded."
            if concluded.outcome == S47Outcome.CONFERENCE:
                text += " Record the initial child protection conference once it has been held."
            messages.success(request, text)
            return to_case_file(child)
        status = 400
    else:
        form = S47ConcludeForm(initial={"concluded_on": timezone.localdate(), "version": enquiry.version})
        status = 200
    return form_page(request, "casework/s47_conclude.html", child, form, status, enquiry=enquiry)


@child_record(page="record an initial child protection conference", changes=True)
@refusals_logged("record an initial child protection conference")
def initial_conference(request, child, enquiry_id):
    enquiry = _enquiry(child, enquiry_id)
    today = timezone.localdate()
    usual = str(duty("cp_visit").effective_period)
    if request.method == "POST":
        form = InitialConferenceForm(request.POST, on=today, usual_visit=usual)
        conference = run_service(
            form,
            lambda data: services.initial_conference_record(
                enquiry=enquiry, recorded_by=request.user, **data
            ),
        )
        if conference is not None:
            text = "Initial child protection conference recorded."
            if conference.decision == ConferenceDecision.PLAN:
                plan = CPPlan.objects.get(initial_conference=conference)
                due = new_deadlines(child, started_by="cp_plan.started", on=conference.held_on, scope=plan)
                text = f"Initial conference recorded and child protection plan started.{due_message(due)}"
            messages.success(request, text)
            return to_case_file(child)
        status = 400
    else:
        form = InitialConferenceForm(initial={"held_on": today}, on=today, usual_visit=usual)
        status = 200
    context = {"enquiry": enquiry, "due": _icpc_deadline(enquiry)}
    return form_page(request, "casework/initial_conference.html", child, form, status, **context)


def _icpc_deadline(enquiry: S47Enquiry) -> Deadline | None:
    """The conference's 15 working day clock, as the deadline engine set it when the enquiry started."""
    return (
        Deadline.objects.for_scope(enquiry)
        .filter(duty_id="initial_cp_conference")
        .select_related("duty")
        .order_by("-starts_on", "-pk")
        .first()
    )


def _review(request, child, plan_id, *, ending: bool):
    plan = _cp_plan(child, plan_id)
    today = timezone.localdate()
    options = {"on": today, "current_category": plan.latest_category, "ending": ending}
    if request.method == "POST":
        form = ReviewConferenceForm(request.POST, **options)
        conference = run_service(
            form,
            lambda data: services.review_conference_record(
                plan=plan,
                recorded_by=request.user,
                version=data["version"],
                held_on=data["held_on"],
                chair=data["chair"],
                decision=data["decision"],
                category=data.get("category", ""),
                summary=data["summary"],
            ),
            record=plan,
        )
        if conference is not None:
            if conference.decision == ConferenceDecision.END:
                messages.success(request, "Review conference recorded and the child protection plan ended")
            else:
                due = new_deadlines(child, started_by="cp_review.held", on=conference.held_on, scope=plan)
                messages.success(request, f"Review conference recorded.{due_message(due)}")
            return to_case_file(child)
        status = 400
    else:
        form = ReviewConferenceForm(initial={"held_on": today, "version": plan.version}, **options)
        status = 200
    context = {"plan": plan, "category": label("abuse_category", plan.latest_category), "ending": ending}
    return form_page(request, "casework/review_conference.html", child, form, status, **context)


@child_record(page="record a review child protection conference", changes=True)
@refusals_logged("record a review child protection conference")
def review_conference(request, child, plan_id):
    return _review(request, child, plan_id, ending=False)


@child_record(page="end a child protection plan", changes=True)
@refusals_logged("end a child protection plan")
def cp_plan_end(request, child, plan_id):
    """A plan ends at a review conference that decides so (Working Together 2023 ch.3): the same record, with
    the decision already made."""
    return _review(request, child, plan_id, ending=True)


@child_record(page="record a core group meeting", changes=True)
@refusals_logged("record a core group meeting")
def core_group(request, child, plan_id):
    plan = _cp_plan(child, plan_id)
    if request.method == "POST":
        form = CoreGroupForm(request.POST)
        meeting = run_service(
            form, lambda data: services.core_group_record(plan=plan, recorded_by=request.user, **data)
        )
        if meeting is not None:
            messages.success(request, "Core group meeting recorded")
            return to_case_file(child)
        status = 400
    else:
        form = CoreGroupForm(initial={"held_on": timezone.localdate()})
        status = 200
    return form_page(request, "casework/core_group.html", child, form, status, plan=plan)
