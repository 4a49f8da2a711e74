"""Pages for serious incidents: the list of those a user may see, one incident with its clocks, notifications,
reviews and access list, the forms for each step, and a child's page of the incidents in their household.

Every incident page asks ``policies.may_see_incident`` (the one rule, ADR 0018), refuses through ``refuse``
(logged), and logs each view against the subject child, with the basis "serious incident".
"""

from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import child_record, policy, refusals_logged, refuse
from safeguard.casework.views.common import run_service
from safeguard.incidents import selectors, services
from safeguard.incidents.forms import (
    AccessForm,
    IncidentForm,
    InErrorForm,
    NotificationForm,
    PracticeReviewForm,
    RapidReviewForm,
)
from safeguard.incidents.models import (
    REPORT_BEFORE_PUBLICATION_WORKING_DAYS,
    IncidentAccess,
    PracticeReview,
    RapidReview,
    SeriousIncident,
)
from safeguard.incidents.policies import (
    may_manage_access,
    may_mark_in_error,
    may_record_incident,
    may_record_progress,
    may_see_incident,
)
from safeguard.organisation.models import Role
from safeguard.people.links import RecordNotice

CHILD_PAGE = "serious incidents"
NOT_YOURS = "this serious incident is restricted to those who need to see it"
BASIS = "serious incident"


def _incident_or_refusal(request, incident_id: int, subject: str):
    """The incident, or the logged refusal page."""
    incident = get_object_or_404(
        SeriousIncident.objects.select_related("child__person", "lead__user", "team", "area"), pk=incident_id
    )
    if not may_see_incident(request.user, incident):
        return None, refuse(request, NOT_YOURS, child=incident.child, subject=subject)
    return incident, None


def _viewed(request, incident: SeriousIncident, subject: str) -> None:
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, BASIS),
        child=incident.child,
        subject=subject,
    )


def learning_url(incident: SeriousIncident) -> str:
    """Helper B's learning actions page, if it exists yet."""
    try:
        return reverse("learning:incident", kwargs={"incident_id": incident.pk})
    except NoReverseMatch:
        return ""


# -- registrations: notices, home panel ------------------------------------------------------------------------


def record_notices(child, user, today) -> list[RecordNotice]:
    """On a child's record, for those who may see them: every serious incident in the household."""
    return [
        RecordNotice(
            kind="serious_incident",
            text=f"Serious incident in this household: {incident.get_harm_display().lower()}, "
            f"aware {incident.became_aware_on:%-d %B %Y}",
            href=reverse("incidents:incident", kwargs={"incident_id": incident.pk}),
        )
        for incident in selectors.household_incidents(child, user, today)
        if not incident.is_in_error  # kept on the incident pages, marked; no longer a warning on records
    ]


def home_panel(user, today) -> dict | None:
    """For the director and heads of service: the incident clocks due soon and overdue."""
    worker = worker_for(user)
    if worker is None or worker.role not in (Role.DIRECTOR, Role.HEAD_OF_SERVICE):
        return None
    soon, overdue = selectors.clocks_due_soon(user, today)
    if not (soon or overdue):
        return None
    return {"soon": soon, "overdue": overdue}


# -- pages ----------------------------------------------------------------------------------------------------


@policy(
    "those a serious incident names (director, head of service, lead, managers and workers of its children, "
    "IROs, inspectors, its access list): the incidents each may see"
)
def index(request):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    today = timezone.localdate()
    incidents = list(selectors.incidents_for(request.user)[:200])
    summaries = selectors.clock_summaries(incidents, today)
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, BASIS),
        subject="serious incidents",
        result_count=len(incidents),
    )
    return render(
        request,
        "incidents/index.html",
        {"rows": [(incident, summaries[incident.pk]) for incident in incidents], "today": today},
    )


@child_record(page=CHILD_PAGE)
def child_incidents(request, child):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    today = timezone.localdate()
    return render(
        request,
        "incidents/child.html",
        {
            "child": child,
            "person": child.person,
            "incidents": selectors.household_incidents(child, request.user, today),
            "may_record": may_record_incident(request.user, child),
        },
    )


@child_record(page="record a serious incident", changes=True)
@refusals_logged("record a serious incident")
def incident_new(request, child):
    if not may_record_incident(request.user, child):
        return refuse(
            request,
            "only the child's team manager, head of service or the director records a serious incident",
            child=child,
            subject="record a serious incident",
        )
    form = IncidentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        incident = run_service(
            form,
            lambda data: services.serious_incident_record(
                child=child,
                harm=data["harm"],
                abuse_or_neglect=data["abuse_or_neglect"],
                occurred_on=data["occurred_on"],
                became_aware_on=data["became_aware_on"],
                looked_after=data["looked_after"] == "yes",
                summary=data["summary"],
                lead=data["lead"],
                recorded_by=request.user,
            ),
        )
        if incident is not None:
            return redirect("incidents:incident", incident_id=incident.pk)
    return render(
        request,
        "incidents/incident_new.html",
        {"child": child, "person": child.person, "form": form},
        status=400 if form.errors else 200,
    )


@policy("those a serious incident names (policies.may_see_incident): one incident, its clocks and reviews")
def incident(request, incident_id: int):
    incident, refusal = _incident_or_refusal(request, incident_id, "serious incident")
    if refusal:
        return refusal
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    _viewed(request, incident, "serious incident")
    today = timezone.localdate()
    practice = PracticeReview.objects.filter(incident=incident).first()
    return render(
        request,
        "incidents/incident.html",
        {
            "incident": incident,
            "today": today,
            "children": list(incident.children.select_related("child__person")),
            "clocks": selectors.clocks(incident),
            "notifications": list(incident.notifications.all()),
            "rapid_review": RapidReview.objects.filter(incident=incident).first(),
            "practice": practice,
            "report_in_time": practice.report_sent_in_time() if practice else None,
            "report_days": REPORT_BEFORE_PUBLICATION_WORKING_DAYS,
            "access_list": list(incident.access_list.select_related("worker__user", "created_by")),
            "may_record": may_record_progress(request.user, incident) and not incident.is_in_error,
            "may_mark_in_error": may_mark_in_error(request.user, incident),
            "may_manage": may_manage_access(request.user, incident),
            "learning_url": learning_url(incident),
        },
    )


def _step(request, incident_id, *, subject, form_class, call, template, initial=None, extra=None):
    incident, refusal = _incident_or_refusal(request, incident_id, subject)
    if refusal:
        return refusal
    if not may_record_progress(request.user, incident):
        return refuse(
            request, "only the lead officer or a manager records this", child=incident.child, subject=subject
        )
    _viewed(request, incident, subject)
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        done = run_service(form, lambda data: call(incident, data))
        if done is not None:
            return redirect("incidents:incident", incident_id=incident.pk)
    return render(
        request,
        template,
        {"incident": incident, "form": form, **(extra or {})},
        status=400 if form.errors else 200,
    )


@policy("the lead officer and managers who may see the incident: record a notification")
def notification_new(request, incident_id: int):
    return _step(
        request,
        incident_id,
        subject="record a serious incident notification",
        form_class=NotificationForm,
        template="incidents/notification_new.html",
        call=lambda incident, data: services.incident_notification_record(
            incident=incident,
            recipient=data["recipient"],
            notified_on=data["notified_on"],
            reference=data["reference"],
            in_placement=data["in_placement"],
            notes=data["notes"],
            recorded_by=request.user,
        ),
    )


@policy("the lead officer and managers who may see the incident: record the rapid review")
def rapid_review_new(request, incident_id: int):
    return _step(
        request,
        incident_id,
        subject="record a rapid review",
        form_class=RapidReviewForm,
        template="incidents/rapid_review_new.html",
        call=lambda incident, data: services.rapid_review_record(
            incident=incident,
            completed_on=data["completed_on"],
            sent_to_panel_on=data["sent_to_panel_on"],
            decision=data["decision"],
            summary=data["summary"],
            recorded_by=request.user,
        ),
    )


@policy(
    "the lead officer and managers who may see the incident: the practice review's report and publication"
)
def practice_review(request, incident_id: int):
    # Whether a review exists is itself about the incident: asked only of those who may see it.
    incident, refusal = _incident_or_refusal(request, incident_id, "record a practice review")
    if refusal:
        return refusal
    review = get_object_or_404(PracticeReview, incident=incident)
    return _step(
        request,
        incident_id,
        subject="record a practice review",
        form_class=PracticeReviewForm,
        template="incidents/practice_review.html",
        initial={
            "reviewer": review.reviewer,
            "report_sent_on": review.report_sent_on,
            "published_on": review.published_on,
        },
        extra={"review": review},
        call=lambda incident, data: services.practice_review_update(
            review=review,
            reviewer=data["reviewer"],
            report_sent_on=data["report_sent_on"],
            published_on=data["published_on"],
            recorded_by=request.user,
        ),
    )


@policy("the director, the head of service of its area and its lead: who else may see an incident")
def access_add(request, incident_id: int):
    incident, refusal = _incident_or_refusal(request, incident_id, "serious incident access list")
    if refusal:
        return refusal
    if not may_manage_access(request.user, incident):
        return refuse(
            request,
            "only the director, the head of service or the lead officer changes who sees this",
            child=incident.child,
            subject="serious incident access list",
        )
    _viewed(request, incident, "serious incident access list")
    form = AccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        entry = run_service(
            form,
            lambda data: services.incident_access_add(
                incident=incident, worker=data["worker"], reason=data["reason"], added_by=request.user
            ),
        )
        if entry is not None:
            return redirect("incidents:incident", incident_id=incident.pk)
    return render(
        request,
        "incidents/access_add.html",
        {"incident": incident, "form": form},
        status=400 if form.errors else 200,
    )


@policy("the director and the head of service of its area: decide an incident was recorded in error")
def in_error(request, incident_id: int):
    subject = "serious incident recorded in error"
    incident, refusal = _incident_or_refusal(request, incident_id, subject)
    if refusal:
        return refusal
    if not may_mark_in_error(request.user, incident):
        return refuse(
            request,
            "only the director or the head of service of its area decides an incident was recorded in error, "
            "while it stands",
            child=incident.child,
            subject=subject,
        )
    _viewed(request, incident, subject)
    form = InErrorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = run_service(
            form,
            lambda data: services.serious_incident_record_in_error(
                incident=incident, decided_by=request.user, reason=data["reason"]
            ),
        )
        if done is not None:
            return redirect("incidents:incident", incident_id=incident.pk)
    return render(
        request,
        "incidents/in_error.html",
        {"incident": incident, "form": form},
        status=400 if form.errors else 200,
    )


@policy("the director, the head of service of its area and its lead: end someone's place on the access list")
def access_end(request, entry_id: int):
    entry = get_object_or_404(IncidentAccess.objects.select_related("incident__child"), pk=entry_id)
    incident = entry.incident
    if not may_manage_access(request.user, incident):
        return refuse(
            request,
            "only the director, the head of service or the lead officer changes who sees this",
            child=incident.child,
            subject="serious incident access list",
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if entry.ended_at is None:
        services.incident_access_end(entry=entry, ended_by=request.user)
    return redirect("incidents:incident", incident_id=incident.pk)
