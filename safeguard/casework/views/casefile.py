"""A child's case file, their chronology, and a worker's "what is due" list."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision, may_change, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import child_record, policy
from safeguard.casework.casefile import other_actions, overriding_status, sections_for
from safeguard.casework.chronology import KINDS, chronology_for
from safeguard.casework.models import AssessmentStatus, CinEpisode, ClosureRequest, ClosureRequestStatus
from safeguard.casework.policies import may_authorise, may_decide_closure
from safeguard.casework.selectors import (
    CaseSummary,
    case_summary,
    deadlines_due_for_worker,
    open_deadlines_for_child,
)
from safeguard.compliance.private import without_private
from safeguard.core.calendar import add_working_days
from safeguard.core.reference import label
from safeguard.organisation.models import Allocation

RECENT_EVENTS = 10
STATUS_COLOURS = {
    "Looked after": "purple",
    "Care leaver": "pink",
    "Child protection plan": "red",
    "Section 47 enquiry": "orange",
    "Child in need plan": "blue",
    "Open assessment": "light-blue",
    "Open case": "light-blue",
}


def case_actions(
    request, child, summary: CaseSummary, *, may_record: bool, last_closed: CinEpisode | None = None
) -> list[tuple[str, str]]:
    """What the user can record next, given where the case stands (only what the services would allow)."""
    if not may_record:
        return []
    c = {"child_id": child.pk}
    if summary.episode is None:
        # A closed case: a manager may reopen the latest episode (closure.cin_episode_reopen).
        if (
            last_closed is not None
            and last_closed.closure_reason != "RC2"
            and may_authorise(request.user, child)
        ):
            return [
                (
                    "Reopen the case",
                    reverse("casework:episode_reopen", kwargs={**c, "episode_id": last_closed.pk}),
                )
            ]
        return []
    wanted = [("Record a visit", "casework:visit", c)]
    assessment = summary.assessment
    if assessment is None:
        wanted.append(("Start an assessment", "casework:assessment_start", c))
    elif assessment.status == AssessmentStatus.IN_PROGRESS:
        wanted.append(
            ("Continue the assessment", "casework:assessment_edit", {**c, "assessment_id": assessment.pk})
        )
    elif assessment.status == AssessmentStatus.SUBMITTED and may_authorise(request.user, child):
        wanted.append(
            (
                "Authorise the assessment",
                "casework:assessment_authorise",
                {**c, "assessment_id": assessment.pk},
            )
        )
    if summary.s47 is not None:
        wanted.append(
            ("Conclude the section 47 enquiry", "casework:s47_conclude", {**c, "enquiry_id": summary.s47.pk})
        )
    elif summary.awaiting_conference is not None:
        enquiry = {**c, "enquiry_id": summary.awaiting_conference.pk}
        wanted.append(
            ("Record the initial child protection conference", "casework:initial_conference", enquiry)
        )
    else:
        wanted.append(("Record a strategy discussion", "casework:strategy_discussion", c))
    if summary.cp_plan is not None:
        plan = {**c, "plan_id": summary.cp_plan.pk}
        wanted += [
            ("Record a review conference", "casework:review_conference", plan),
            ("Record a core group meeting", "casework:core_group", plan),
            ("End the child protection plan", "casework:cp_plan_end", plan),
        ]
    elif summary.cin_plan is not None:
        plan = {**c, "plan_id": summary.cin_plan.pk}
        wanted += [
            ("Record a child in need plan review", "casework:cin_plan_review", plan),
            ("End the child in need plan", "casework:cin_plan_end", plan),
        ]
    else:
        wanted.append(("Start a child in need plan", "casework:cin_plan_start", c))
    # Closing comes last: a request while none is pending; the manager who may decide one reviews it.
    pending = summary.closure_request
    closing = []
    if pending is None:
        closing = [("Request closure", "casework:closure_request", {**c, "episode_id": summary.episode.pk})]
    elif may_decide_closure(request.user, pending):
        closing = [("Review the closure request", "casework:closure_review", {**c, "request_id": pending.pk})]
    actions = [(text, reverse(name, kwargs=kwargs)) for text, name, kwargs in wanted]
    closing_actions = [(text, reverse(name, kwargs=kwargs)) for text, name, kwargs in closing]
    return actions + other_actions(child, timezone.localdate(), request.user) + closing_actions


RECENT_CLOSURE_REQUESTS = 5


def _approved_closure(episode: CinEpisode) -> ClosureRequest | None:
    """The approved request that closed ``episode``: its summary and risk analysis are what a re-referral's
    worker reads first."""
    return (
        ClosureRequest.objects.filter(episode=episode, status=ClosureRequestStatus.APPROVED)
        .order_by("-decided_on", "-pk")
        .first()
    )


@child_record(page="case file")
def case_file(request, child):
    today = timezone.localdate()
    summary = case_summary(child=child, today=today)
    may_record = may_change(request.user, child).allowed  # asked once: it reads the child's allocations
    sections = sections_for(child, today, request.user)
    episode = summary.episode
    last_closed = (
        None
        if episode is not None
        else CinEpisode.objects.filter(child=child).order_by("-referral_date", "-pk").first()
    )
    closure_requests = list(
        ClosureRequest.objects.filter(child=child)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_on", "-pk")[:RECENT_CLOSURE_REQUESTS]
    )
    context = {
        "child": child,
        "person": child.person,
        "today": today,
        "summary": summary,
        "status": (status := overriding_status(child, today) or summary.status),
        "status_colour": STATUS_COLOURS.get(status, "grey"),
        "referral_source": label("referral_source", episode.referral_source) if episode else "",
        "primary_need": label("primary_need", episode.primary_need)
        if episode and episode.primary_need
        else "",
        "cp_category": label("abuse_category", summary.cp_plan.latest_category) if summary.cp_plan else "",
        "deadlines": list(without_private(request.user, open_deadlines_for_child(child=child))),
        "sections": sections,
        "section_templates": [section.template for section, _ in sections],
        "recent": chronology_for(child)[:RECENT_EVENTS],
        "actions": case_actions(request, child, summary, may_record=may_record, last_closed=last_closed),
        "last_closed": last_closed,
        "last_closed_reason": label("closure_reason", last_closed.closure_reason) if last_closed else "",
        "closure_requests": closure_requests,
        "previous_closure": _approved_closure(episode.previous_episode)
        if episode and episode.previous_episode_id
        else None,
        "read_only": not may_record,
        "basis": request.access_basis,
    }
    return render(request, "casework/case_file.html", context)


@child_record(page="chronology")
def chronology(request, child):
    chosen = [kind for kind in request.GET.getlist("kind") if kind in KINDS]
    entries = chronology_for(child, kinds=chosen or None)
    context = {
        "child": child,
        "person": child.person,
        "entries": entries,
        "kinds": KINDS,
        "chosen": set(chosen),
        "chosen_labels": [KINDS[kind] for kind in chosen],
        "kind_items": [
            {"value": kind, "text": text, "checked": kind in chosen} for kind, text in KINDS.items()
        ],
        "print_query": urlencode([("kind", kind) for kind in chosen] + [("print", "1")]),
        "now": timezone.now(),
    }
    if request.GET.get("print") == "1":
        # A printed chronology leaves the system: it is logged as an export as well as a view.
        access_event_record(
            request=request,
            action=AccessAction.EXPORT,
            decision=Decision(True, request.access_basis),
            child=child,
            subject="chronology printed",
            result_count=len(entries),
        )
        return render(request, "casework/chronology_print.html", context)
    return render(request, "casework/chronology.html", context)


@policy("signed-in staff: the open deadlines of the children allocated to them")
def due(request):
    worker = worker_for(request.user)
    today = timezone.localdate()
    deadlines = list(deadlines_due_for_worker(worker=worker, today=today)) if worker is not None else []
    week_end = add_working_days(today, 5)
    children = (
        Allocation.objects.current(today).filter(worker=worker).values("child_id").distinct().count()
        if worker
        else 0
    )
    context = {
        "worker": worker,
        "today": today,
        "deadlines": deadlines,
        "children": children,
        "overdue": sum(deadline.due_on < today for deadline in deadlines),
        "this_week": sum(today <= deadline.due_on <= week_end for deadline in deadlines),
    }
    return render(request, "casework/due.html", context)
