"""What casework contributes to pages it does not own: chronology entries (front door and casework records)
and the front door's "already known" flags (a child protection plan in the household, earlier section 47
enquiries). Registered from ``CaseworkConfig.ready``."""

import datetime

from django.urls import reverse

from safeguard.casework.chronology import Entry, by_name
from safeguard.casework.models import (
    Assessment,
    AssessmentStatus,
    ChildProtectionConference,
    CinEpisode,
    CinPlan,
    CinPlanReview,
    ClosureRequest,
    ClosureRequestStatus,
    CoreGroupMeeting,
    CPPlan,
    S47Enquiry,
    StrategyDiscussion,
    Visit,
)
from safeguard.core.calendar import add_calendar_months
from safeguard.core.reference import label
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.selectors import Flag
from safeguard.people.models import Child

PREVIOUS_S47_YEARS = 5  # how far back the front door is shown earlier enquiries


def front_door_entries(child: Child):
    for contact in Contact.objects.filter(child=child).select_related("decision", "referral", "created_by"):
        yield Entry(
            on=contact.received_at.date(),
            kind="front_door",
            title=f"Contact from {label('referral_source', contact.source)}",
            detail=contact.worry,
            by=contact.referrer_organisation or contact.referrer_name,
        )
        decision = getattr(contact, "decision", None)
        if decision is not None:
            yield Entry(
                on=decision.decided_at.date(),
                kind="front_door",
                title=f"Front door decision: {decision.get_outcome_display()}",
                detail=decision.rationale,
                order=1,
            )


def episode_entries(child: Child):
    for episode in CinEpisode.objects.filter(child=child).select_related("team", "previous_episode"):
        previous = episode.previous_episode
        if previous is not None and episode.reopen_reason:
            title = f"Case reopened: the episode closed on {previous.closure_date:%-d %B %Y} followed by a new one"
            detail = episode.reopen_reason
        elif previous is not None:
            title = f"Re-referral: child in need episode opened, the last closed on {previous.closure_date:%-d %B %Y}"
            detail = f"Held by {episode.team.name}"
        else:
            title, detail = "Referral: child in need episode opened", f"Held by {episode.team.name}"
        yield Entry(on=episode.referral_date, kind="closure", title=title, detail=detail, order=2)
        if episode.closure_date:
            yield Entry(
                on=episode.closure_date,
                kind="closure",
                title=f"Case closed: {label('closure_reason', episode.closure_reason)}",
                order=9,
            )


CLOSURE_DECISIONS = {
    ClosureRequestStatus.APPROVED: "Closure approved",
    ClosureRequestStatus.RETURNED: "Closure request returned to the worker",
    ClosureRequestStatus.WITHDRAWN: "Closure request withdrawn",
}


def closure_request_entries(child: Child):
    """Each request to close the case, and what became of it, with the manager's reasons."""
    rows = ClosureRequest.objects.filter(child=child).select_related("requested_by", "decided_by")
    for item in rows:
        url = reverse("casework:closure_request_detail", kwargs={"child_id": child.pk, "request_id": item.pk})
        yield Entry(
            on=item.requested_on,
            kind="closure",
            title=f"Closure requested: {item.reason_label}",
            detail=item.risk_analysis,
            by=by_name(item.requested_by),
            url=url,
            order=8,
        )
        if item.decided_on is not None:
            yield Entry(
                on=item.decided_on,
                kind="closure",
                title=CLOSURE_DECISIONS[item.status],
                detail=item.decision_rationale,
                by=by_name(item.decided_by),
                url=url,
                order=9,
            )


def assessment_entries(child: Child):
    for assessment in Assessment.objects.filter(child=child).select_related("authorised_by", "created_by"):
        url = reverse("casework:assessment", kwargs={"child_id": child.pk, "assessment_id": assessment.pk})
        yield Entry(
            on=assessment.start_date,
            kind="assessment",
            title="Assessment started",
            by=by_name(assessment.created_by),
            url=url,
            order=3,
        )
        if assessment.child_seen_on:
            yield Entry(
                on=assessment.child_seen_on, kind="assessment", title="Child seen for the assessment", url=url
            )
        if assessment.status == AssessmentStatus.AUTHORISED:
            yield Entry(
                on=assessment.authorised_on,
                kind="assessment",
                title=f"Assessment authorised: {assessment.get_outcome_display().lower()}",
                detail=assessment.analysis,
                by=by_name(assessment.authorised_by),
                url=url,
                order=4,
            )


def protection_entries(child: Child):
    for discussion in StrategyDiscussion.objects.filter(child=child):
        yield Entry(
            on=discussion.held_on,
            kind="child_protection",
            title=f"Strategy discussion: {discussion.get_outcome_display().lower()}",
            detail=discussion.concerns,
            by=discussion.participants,
            order=5,
        )
    for enquiry in S47Enquiry.objects.filter(child=child, concluded_on__isnull=False):
        yield Entry(
            on=enquiry.concluded_on,
            kind="child_protection",
            title=f"Section 47 enquiry concluded: {enquiry.get_outcome_display().lower()}",
            detail=enquiry.findings,
            order=6,
        )
    for conference in ChildProtectionConference.objects.filter(child=child).select_related("chair__user"):
        category = f" ({label('abuse_category', conference.category)})" if conference.category else ""
        yield Entry(
            on=conference.held_on,
            kind="child_protection",
            title=f"{conference.get_kind_display()}: {conference.get_decision_display().lower()}{category}",
            detail=conference.summary,
            by=f"Chair: {conference.chair.name}" if conference.chair else "",
            order=7,
        )
    for meeting in CoreGroupMeeting.objects.filter(child=child):
        yield Entry(
            on=meeting.held_on, kind="child_protection", title="Core group meeting", detail=meeting.summary
        )


def plan_entries(child: Child):
    for plan in CPPlan.objects.filter(child=child):
        yield Entry(
            on=plan.start_date,
            kind="plan",
            title=f"Child protection plan started: {label('abuse_category', plan.initial_category)}",
            order=8,
        )
        if plan.end_date:
            yield Entry(
                on=plan.end_date, kind="plan", title="Child protection plan ended", detail=plan.end_reason
            )
    for plan in CinPlan.objects.filter(child=child):
        yield Entry(on=plan.start_date, kind="plan", title="Child in need plan started", detail=plan.summary)
        if plan.end_date:
            yield Entry(on=plan.end_date, kind="plan", title="Child in need plan ended")
    for review in CinPlanReview.objects.filter(child=child):
        yield Entry(on=review.held_on, kind="plan", title="Child in need plan review", detail=review.summary)


def visit_entries(child: Child):
    for visit in Visit.objects.filter(child=child).select_related("visited_by__user"):
        if visit.seen_alone:
            seen = "child seen alone"
        elif visit.child_seen:
            seen = "child seen"
        else:
            seen = "child not seen"
        yield Entry(
            on=visit.visited_on,
            kind="visit",
            title=f"Visit {visit.get_location_display().lower()}: {seen}",
            detail=visit.summary,
            by=visit.visited_by.name,
        )


SOURCES = [
    front_door_entries,
    episode_entries,
    closure_request_entries,
    assessment_entries,
    protection_entries,
    plan_entries,
    visit_entries,
]


def casework_flags(child: Child, today: datetime.date, related: set[int]) -> list[Flag]:
    """For the front door: a child protection plan for the child or anyone related or in the household, and
    this child's section 47 enquiries in the last five years (Working Together 2023 ch.3: the history of
    harm informs the decision)."""
    flags = []
    on_plan = dict(
        CPPlan.objects.filter(child_id__in={child.pk} | related, end_date__isnull=True).values_list(
            "child_id", "start_date"
        )
    )
    if child.pk in on_plan:
        flags.append(Flag("cp_plan", f"On a child protection plan since {on_plan[child.pk]:%-d %B %Y}"))
    others = sorted(pk for pk in on_plan if pk != child.pk)
    if others:
        names = dict(Child.objects.filter(pk__in=others).values_list("pk", "person__first_name"))
        for pk in others:
            flags.append(Flag("cp_plan_household", f"{names[pk]} is on a child protection plan"))
    since = add_calendar_months(today, -12 * PREVIOUS_S47_YEARS)
    enquiries = list(
        S47Enquiry.objects.filter(child=child, start_date__gte=since).values_list("start_date", flat=True)
    )
    if enquiries:
        flags.append(
            Flag(
                "previous_s47",
                f"{len(enquiries)} section 47 enquir{'ies' if len(enquiries) > 1 else 'y'} in the last "
                f"{PREVIOUS_S47_YEARS} years, most recently from {max(enquiries):%-d %B %Y}",
            )
        )
    return flags
