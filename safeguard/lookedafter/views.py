"""Pages for a looked-after child and a care leaver: an overview of each, and a page to record each change.

Every page is about one child and declares it with ``@child_record`` (the access policy decides, and the
access is logged); a page that records something uses ``changes=True``. A page finds the record it is about
within the child's own records, so an id from another child's record is a 404. Each form's
``cleaned_data`` goes to a service, and the service's ``ValidationError`` comes back onto the form (GOV.UK
error summary, what was typed kept); a version conflict tells the user who changed the record and what.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from safeguard.audit.policy import may_change
from safeguard.audit.views import child_record, refusals_logged
from safeguard.casework.services import VersionConflict
from safeguard.compliance.models import Deadline
from safeguard.core.years import CollectionYear
from safeguard.lookedafter import forms, services
from safeguard.lookedafter.models import (
    Adoption,
    CareLeaver,
    DeprivationOfLiberty,
    LacPlanKind,
    MissingEpisode,
    PathwayPlan,
    PeriodOfCare,
    UascStatus,
    convictions_apply,
    health_check_applies,
    placements_of,
    sdq_age_reason_allowed,
    sdq_applies,
)
from safeguard.lookedafter.selectors import (
    adoptions_of,
    care_leaver_summary,
    looked_after_summary,
    outcome_years,
)
from safeguard.people.models import Child
from safeguard.ui.forms import add_service_errors

# -- what every page shares ----------------------------------------------------------------------------------


STALE_PAGE = (
    "This record has changed since you opened this page (someone has begun a new one in its place). "
    "Nothing has been saved: check what it says now, then make your change again."
)


def _run(
    form, call: Callable[[dict], Any], record: models.Model | None, version: Callable[[], int] | None
) -> Any:
    """The service's result, or None with the errors on the form.

    A versioned form must be about the record the page is about now (``record``: a new period of care begun
    since the page was read is another record), at the version the service checks; after a conflict the
    form takes the version now stored (``version()``), so saving again is the user's decision, having read
    what changed.
    """
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    versioned = isinstance(form, forms.VersionedForm) and record is not None and version is not None
    try:
        if versioned and data.pop("record") != record.pk:
            raise VersionConflict(STALE_PAGE)
        return call(data)
    except ValidationError as error:
        add_service_errors(form, error)
        if isinstance(error, VersionConflict) and versioned:
            form.take_version(record.pk, version())
        return None


def _due_message(child: Child, *, on) -> str:
    """The deadlines just opened, as the engine recorded them ("the next review is due by ...")."""
    rows = Deadline.objects.open().filter(child=child, starts_on=on).select_related("duty").order_by("due_on")
    return "".join(f" {row.duty.name}: due by {row.due_on:%-d %B %Y}." for row in rows)


def _form_page(
    request,
    child: Child,
    *,
    form_class,
    call: Callable[[dict], Any],
    title: str,
    submit: str,
    success: Callable[[Any], str],
    back: str,
    initial: dict | None = None,
    record: models.Model | None = None,
    version: Callable[[], int] | None = None,
    intro: list[str] | None = None,
    form_kwargs: dict | None = None,
) -> HttpResponse:
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        done = _run(form, call, record, version)
        if done is not None:
            messages.success(request, success(done))
            return redirect(back)
        status = 400
    else:
        initial = dict(initial or {})
        if record is not None and version is not None and issubclass(form_class, forms.VersionedForm):
            initial.update(record=record.pk, version=version())
        form = form_class(initial=initial, **form_kwargs)
        status = 200
    context = {
        "child": child,
        "person": child.person,
        "form": form,
        "title": title,
        "submit": submit,
        "back": back,
        "intro": intro or [],
    }
    return render(request, "lookedafter/form.html", context, status=status)


def _looked_after_url(child: Child) -> str:
    return reverse("lookedafter:looked_after", kwargs={"child_id": child.pk})


def _leaving_care_url(child: Child) -> str:
    return reverse("lookedafter:leaving_care", kwargs={"child_id": child.pk})


def _link(name: str, child: Child) -> str:
    """A page another app provides (recording a visit), if it is installed."""
    try:
        return reverse(name, kwargs={"child_id": child.pk})
    except NoReverseMatch:
        return ""


def _latest_period(child: Child) -> PeriodOfCare | None:
    return (
        PeriodOfCare.objects.filter(child=child)
        .select_related("child__person")
        .order_by("-start_date")
        .first()
    )


def _latest_care_leaver(child: Child) -> CareLeaver | None:
    return (
        CareLeaver.objects.filter(child=child).select_related("child__person").order_by("-start_date").first()
    )


def _not_looked_after(request, child: Child):
    messages.info(request, f"{child.person.full_name} is not looked after: start a period of care first")
    return redirect("lookedafter:looked_after", child_id=child.pk)


def _not_care_leaver(request, child: Child):
    messages.info(request, f"{child.person.full_name} has no open leaving care record: start one first")
    return redirect("lookedafter:leaving_care", child_id=child.pk)


def _today():
    return timezone.localdate()


def _episode_version(period: PeriodOfCare) -> int:
    """The version of the period's current episode: the one its changes are checked against."""
    return period.episodes.open().values_list("version", flat=True).first() or 0


def _version_now(record: models.Model) -> int:
    return type(record).objects.values_list("version", flat=True).get(pk=record.pk)


# -- overviews -----------------------------------------------------------------------------------------------


@child_record(page="looked after")
def looked_after(request, child):
    today = _today()
    summary = looked_after_summary(child=child, today=today)
    period = summary.period if summary else None
    context = {
        "child": child,
        "person": child.person,
        "today": today,
        "summary": summary,
        "earlier_periods": list(PeriodOfCare.objects.filter(child=child).exclude(pk=period.pk))
        if period
        else [],
        "plans": list(period.plans.order_by("-completed_on")) if period else [],
        "reviews": list(period.reviews.order_by("-held_on")) if period else [],
        "health": list(period.health_assessments.order_by("-done_on")) if period else [],
        "peps": list(period.education_plans.order_by("-completed_on")) if period else [],
        "missing": list(period.missing_episodes.order_by("-start_date")) if period else [],
        "outcome_years": outcome_years(child=child, today=today) if period else [],
        "uasc": list(UascStatus.objects.filter(child=child).order_by("-start_date")) if period else [],
        "dolos": list(DeprivationOfLiberty.objects.filter(child=child).order_by("-start_date"))
        if period
        else [],
        "adoptions": list(adoptions_of(child=child)) if period else [],
        "may_record": may_change(request.user, child).allowed,
        "visit_url": _link("casework:visit", child),
    }
    return render(request, "lookedafter/looked_after.html", context)


@child_record(page="leaving care")
def leaving_care(request, child):
    summary = care_leaver_summary(child=child)
    record = summary.care_leaver if summary else None
    context = {
        "child": child,
        "person": child.person,
        "today": _today(),
        "summary": summary,
        "contacts": list(record.contacts.order_by("-contacted_on")[:20]) if record else [],
        "accommodation": list(record.accommodation.order_by("-start_date")[:20]) if record else [],
        "activities": list(record.activities.order_by("-start_date")[:20]) if record else [],
        "reviews": list(summary.pathway_plan.reviews.order_by("-reviewed_on"))
        if summary and summary.pathway_plan
        else [],
        "may_record": may_change(request.user, child).allowed,
        "visit_url": _link("casework:visit", child),
    }
    return render(request, "lookedafter/leaving_care.html", context)


# -- periods of care and episodes ----------------------------------------------------------------------------


@child_record(page="start a period of care", changes=True)
@refusals_logged("start a period of care")
def period_start(request, child):
    last = PeriodOfCare.objects.filter(child=child).order_by("-start_date").first()
    home = (
        last.episodes.order_by("-start_date").values_list("home_postcode", flat=True).first() if last else ""
    )
    return _form_page(
        request,
        child,
        form_class=forms.PeriodStartForm,
        call=lambda data: services.period_of_care_start(child=child, started_by=request.user, **data),
        title="Start a period of care",
        submit="Record that the child is looked after",
        # Becoming looked after starts six clocks at once: the page lists them under "What is due".
        success=lambda period: (
            f"The child is looked after from {period.start_date:%-d %B %Y}. What is now due is listed below."
        ),
        back=_looked_after_url(child),
        initial={"start_date": _today(), "home_postcode": home or ""},
        form_kwargs={"today": _today()},
    )


def _current(request, child: Child):
    """The open period and its current episode, or None."""
    period = PeriodOfCare.objects.open().filter(child=child).select_related("child__person").first()
    if period is None:
        return None, None
    return period, period.episodes.open().first()


def _usual_placement(period: PeriodOfCare, episode) -> dict:
    """During a temporary placement, the usual one's details: the child returns to it (SSDA903 rule 383)."""
    if not episode.is_temporary:
        return {}
    usual = list(placements_of(period.episodes.order_by("start_date")))[-1].settled
    fields = (
        "placement_type",
        "placement_provider",
        "provider_name",
        "placement_postcode",
        "urn",
        "long_term",
    )
    return {name: getattr(usual, name) for name in fields}


@child_record(page="change of placement", changes=True)
@refusals_logged("change of placement")
def placement_change(request, child):
    period, episode = _current(request, child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.PlacementChangeForm,
        call=lambda data: services.lac_placement_change(period=period, changed_by=request.user, **data),
        title="Record a change of placement",
        submit="Record the move",
        success=lambda new: (
            f"Move on {new.start_date:%-d %B %Y} recorded.{_due_message(child, on=new.start_date)}"
        ),
        back=_looked_after_url(child),
        initial={"on": _today(), **_usual_placement(period, episode)},
        record=period,
        version=lambda: _episode_version(period),
        intro=[f"Current placement: {episode.placement_type_label}, since {episode.start_date:%-d %B %Y}."],
        form_kwargs={"today": _today()},
    )


@child_record(page="placement details", changes=True)
@refusals_logged("placement details")
def placement_details(request, child):
    period, episode = _current(request, child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.PlacementDetailsForm,
        call=lambda data: services.lac_episode_update(episode=episode, updated_by=request.user, **data),
        title="Change the placement's details",
        submit="Save the details",
        success=lambda _episode: "The placement's details are saved.",
        back=_looked_after_url(child),
        initial={
            "provider_name": episode.provider_name,
            "placement_postcode": episode.placement_postcode,
            "home_postcode": episode.home_postcode,
            "urn": episode.urn,
            "long_term": episode.long_term,
        },
        record=period,
        version=lambda: _episode_version(period),
        intro=[
            f"{episode.placement_type_label}, since {episode.start_date:%-d %B %Y}. A change of placement type, "
            "provider or legal status is a new episode: record a change of placement or of legal status."
        ],
    )


@child_record(page="change of legal status", changes=True)
@refusals_logged("change of legal status")
def legal_status_change(request, child):
    period, episode = _current(request, child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.LegalStatusForm,
        call=lambda data: services.lac_legal_status_change(period=period, changed_by=request.user, **data),
        title="Record a change of legal status",
        submit="Record the change",
        success=lambda new: (
            f"Legal status {new.legal_status_label} from {new.start_date:%-d %B %Y} recorded."
        ),
        back=_looked_after_url(child),
        initial={"on": _today()},
        record=period,
        version=lambda: _episode_version(period),
        intro=[f"Current legal status: {episode.legal_status_label}."],
        form_kwargs={"today": _today()},
    )


@child_record(page="cease to be looked after", changes=True)
@refusals_logged("cease to be looked after")
def period_end(request, child):
    period, episode = _current(request, child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.PeriodEndForm,
        call=lambda data: services.period_of_care_end(period=period, ended_by=request.user, **data),
        title="Record that the child ceased to be looked after",
        submit="Record it",
        success=lambda ended: f"The child ceased to be looked after on {ended.end_date:%-d %B %Y}.",
        back=_looked_after_url(child),
        initial={"end_date": _today()},
        record=period,
        version=lambda: _episode_version(period),
        form_kwargs={"today": _today()},
    )


# -- plans, reviews, health and education --------------------------------------------------------------------


def _plan_page(request, child, kind: str):
    period, _episode = _current(request, child)
    if period is None:
        return _not_looked_after(request, child)
    service = (
        services.care_plan_complete if kind == LacPlanKind.CARE_PLAN else services.placement_plan_complete
    )
    what = LacPlanKind(kind).label
    return _form_page(
        request,
        child,
        form_class=forms.PlanForm,
        call=lambda data: service(period=period, recorded_by=request.user, **data),
        title=f"Record the {what.lower()}",
        submit=f"Record the {what.lower()}",
        success=lambda plan: f"{what} completed on {plan.completed_on:%-d %B %Y} recorded.",
        back=_looked_after_url(child),
        initial={"completed_on": _today()},
    )


@child_record(page="care plan", changes=True)
@refusals_logged("care plan")
def care_plan(request, child):
    return _plan_page(request, child, LacPlanKind.CARE_PLAN)


@child_record(page="placement plan", changes=True)
@refusals_logged("placement plan")
def placement_plan(request, child):
    return _plan_page(request, child, LacPlanKind.PLACEMENT_PLAN)


@child_record(page="looked-after review", changes=True)
@refusals_logged("looked-after review")
def review(request, child):
    period = _latest_period(child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.ReviewForm,
        call=lambda data: services.lac_review_record(period=period, recorded_by=request.user, **data),
        title="Record a looked-after review",
        submit="Record the review",
        success=lambda held: (
            f"Review on {held.held_on:%-d %B %Y} recorded.{_due_message(child, on=held.held_on)}"
        ),
        back=_looked_after_url(child),
        initial={"held_on": _today()},
        form_kwargs={"today": _today()},
    )


@child_record(page="health check", changes=True)
@refusals_logged("health check")
def health(request, child):
    period = _latest_period(child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.HealthForm,
        call=lambda data: services.health_assessment_record(period=period, recorded_by=request.user, **data),
        title="Record a health assessment or dental check",
        submit="Record the check",
        success=lambda check: (
            f"{check.get_kind_display()} on {check.done_on:%-d %B %Y} recorded."
            f"{_due_message(child, on=check.done_on)}"
        ),
        back=_looked_after_url(child),
        initial={"done_on": _today()},
    )


@child_record(page="personal education plan", changes=True)
@refusals_logged("personal education plan")
def pep(request, child):
    period = _latest_period(child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.PepForm,
        call=lambda data: services.pep_record(period=period, recorded_by=request.user, **data),
        title="Record a personal education plan",
        submit="Record the plan",
        success=lambda plan: (
            f"Personal education plan on {plan.completed_on:%-d %B %Y} recorded."
            f"{_due_message(child, on=plan.completed_on)}"
        ),
        back=_looked_after_url(child),
        initial={"completed_on": _today()},
    )


# -- missing from placement ----------------------------------------------------------------------------------


@child_record(page="missing episode", changes=True)
@refusals_logged("missing episode")
def missing_new(request, child):
    period = _latest_period(child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.MissingForm,
        call=lambda data: services.missing_episode_record(period=period, recorded_by=request.user, **data),
        title="Record that the child went missing",
        submit="Record it",
        success=lambda missing: (
            f"{missing.get_kind_display()} from {missing.start_date:%-d %B %Y} recorded."
            + (_due_message(child, on=missing.end_date) if missing.end_date else "")
        ),
        back=_looked_after_url(child),
        initial={"start_date": _today()},
    )


def _missing(child: Child, missing_id: int) -> MissingEpisode:
    return get_object_or_404(
        MissingEpisode.objects.select_related("period", "child__person"), pk=missing_id, child=child
    )


@child_record(page="return from missing", changes=True)
@refusals_logged("return from missing")
def missing_return(request, child, missing_id):
    missing = _missing(child, missing_id)
    return _form_page(
        request,
        child,
        form_class=forms.MissingReturnForm,
        call=lambda data: services.missing_episode_end(missing=missing, recorded_by=request.user, **data),
        title="Record the child's return",
        submit="Record the return",
        success=lambda back: (
            f"Return on {back.end_date:%-d %B %Y} recorded.{_due_message(child, on=back.end_date)}"
        ),
        back=_looked_after_url(child),
        initial={"end_date": _today()},
        record=missing,
        version=lambda: _version_now(missing),
        intro=[f"{missing.get_kind_display()} from {missing.start_date:%-d %B %Y}."],
    )


@child_record(page="return interview", changes=True)
@refusals_logged("return interview")
def return_interview(request, child, missing_id):
    missing = _missing(child, missing_id)
    return _form_page(
        request,
        child,
        form_class=forms.ReturnInterviewForm,
        call=lambda data: services.return_interview_record(missing=missing, recorded_by=request.user, **data),
        title="Record the return interview",
        submit="Record the interview",
        success=lambda _missing: "The return interview is recorded.",
        back=_looked_after_url(child),
        initial={
            "offered_on": missing.interview_offered_on or _today(),
            "accepted_on": missing.interview_accepted_on,
        },
        record=missing,
        version=lambda: _version_now(missing),
        intro=[
            f"{missing.get_kind_display()} from {missing.start_date:%-d %B %Y}"
            + (f", returned {missing.end_date:%-d %B %Y}." if missing.end_date else ".")
        ],
    )


# -- care leavers --------------------------------------------------------------------------------------------


@child_record(page="start leaving care", changes=True)
@refusals_logged("start leaving care")
def care_leaver_start(request, child):
    return _form_page(
        request,
        child,
        form_class=forms.CareLeaverStartForm,
        call=lambda data: services.care_leaver_start(child=child, started_by=request.user, **data),
        title="Record the young person as a care leaver",
        submit="Record it",
        success=lambda record: (
            f"{record.get_status_display()} from {record.start_date:%-d %B %Y}."
            f"{_due_message(child, on=record.start_date)}"
        ),
        back=_leaving_care_url(child),
        initial={"start_date": _today()},
    )


def _open_care_leaver(child: Child) -> CareLeaver | None:
    return CareLeaver.objects.open().filter(child=child).select_related("child__person").first()


@child_record(page="care leaver eligibility and adviser", changes=True)
@refusals_logged("care leaver eligibility and adviser")
def care_leaver_update(request, child):
    record = _open_care_leaver(child)
    if record is None:
        return _not_care_leaver(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.CareLeaverUpdateForm,
        call=lambda data: services.care_leaver_update(care_leaver=record, updated_by=request.user, **data),
        title="Change eligibility or personal adviser",
        submit="Save",
        success=lambda saved: f"Saved: {saved.get_status_display()}.",
        back=_leaving_care_url(child),
        initial={
            "status": record.status,
            "status_since": record.status_since,
            "personal_adviser": record.personal_adviser_id,
        },
        record=record,
        version=lambda: _version_now(record),
    )


@child_record(page="end leaving care", changes=True)
@refusals_logged("end leaving care")
def care_leaver_end(request, child):
    record = _open_care_leaver(child)
    if record is None:
        return _not_care_leaver(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.CareLeaverEndForm,
        call=lambda data: services.care_leaver_end(care_leaver=record, ended_by=request.user, **data),
        title="End leaving care support",
        submit="End it",
        success=lambda ended: f"Leaving care support ended on {ended.end_date:%-d %B %Y}.",
        back=_leaving_care_url(child),
        initial={"end_date": _today()},
        record=record,
        version=lambda: _version_now(record),
    )


def _care_leaver_page(request, child, *, form_class, service, title, submit, success, date_field, **extra):
    record = _latest_care_leaver(child)
    if record is None:
        return _not_care_leaver(request, child)
    return _form_page(
        request,
        child,
        form_class=form_class,
        call=lambda data: service(care_leaver=record, recorded_by=request.user, **data),
        title=title,
        submit=submit,
        success=success,
        back=_leaving_care_url(child),
        initial={date_field: _today()},
        **extra,
    )


@child_record(page="needs assessment", changes=True)
@refusals_logged("needs assessment")
def needs_assessment(request, child):
    return _care_leaver_page(
        request,
        child,
        form_class=forms.NeedsAssessmentForm,
        service=services.needs_assessment_complete,
        title="Record the needs assessment",
        submit="Record the assessment",
        success=lambda done: f"Needs assessment on {done.completed_on:%-d %B %Y} recorded.",
        date_field="completed_on",
    )


@child_record(page="pathway plan", changes=True)
@refusals_logged("pathway plan")
def pathway_plan(request, child):
    return _care_leaver_page(
        request,
        child,
        form_class=forms.PathwayPlanForm,
        service=services.pathway_plan_start,
        title="Record the pathway plan",
        submit="Record the plan",
        success=lambda plan: (
            f"Pathway plan from {plan.started_on:%-d %B %Y} recorded."
            f"{_due_message(child, on=plan.started_on)}"
        ),
        date_field="started_on",
    )


@child_record(page="pathway plan review", changes=True)
@refusals_logged("pathway plan review")
def pathway_review(request, child):
    plan = (
        PathwayPlan.objects.filter(child=child)
        .select_related("care_leaver__child__person")
        .order_by("-started_on")
        .first()
    )
    if plan is None:
        messages.info(request, "Record the pathway plan first")
        return redirect("lookedafter:leaving_care", child_id=child.pk)
    return _form_page(
        request,
        child,
        form_class=forms.PathwayReviewForm,
        call=lambda data: services.pathway_plan_review_record(plan=plan, recorded_by=request.user, **data),
        title="Record a pathway plan review",
        submit="Record the review",
        success=lambda review: (
            f"Review on {review.reviewed_on:%-d %B %Y} recorded.{_due_message(child, on=review.reviewed_on)}"
        ),
        back=_leaving_care_url(child),
        initial={"reviewed_on": _today()},
    )


@child_record(page="care leaver contact", changes=True)
@refusals_logged("care leaver contact")
def care_leaver_contact(request, child):
    return _care_leaver_page(
        request,
        child,
        form_class=forms.CareLeaverContactForm,
        service=services.care_leaver_contact_record,
        title="Record a contact with the young person",
        submit="Record the contact",
        success=lambda contact: f"Contact on {contact.contacted_on:%-d %B %Y} recorded.",
        date_field="contacted_on",
        form_kwargs={"today": _today()},
    )


@child_record(page="care leaver accommodation", changes=True)
@refusals_logged("care leaver accommodation")
def accommodation(request, child):
    return _care_leaver_page(
        request,
        child,
        form_class=forms.AccommodationForm,
        service=services.care_leaver_accommodation_record,
        title="Record where the young person lives",
        submit="Record the accommodation",
        success=lambda place: (
            f"Accommodation from {place.start_date:%-d %B %Y} recorded."
            f"{_due_message(child, on=place.start_date)}"
        ),
        date_field="start_date",
        form_kwargs={"today": _today()},
    )


@child_record(page="care leaver activity", changes=True)
@refusals_logged("care leaver activity")
def activity(request, child):
    return _care_leaver_page(
        request,
        child,
        form_class=forms.ActivityForm,
        service=services.care_leaver_activity_record,
        title="Record what the young person is doing",
        submit="Record the activity",
        success=lambda done: f"Activity from {done.start_date:%-d %B %Y} recorded.",
        date_field="start_date",
        form_kwargs={"today": _today()},
    )


# -- outcomes for a year (SSDA903 OC2) and UASC status --------------------------------------------------------


def _yes_no(value) -> str:
    return "Yes" if value else "No"


@child_record(page="outcomes for the year", changes=True)
@refusals_logged("outcomes for the year")
def outcomes(request, child, year_end):
    """Record, or change, the outcomes of a year the child was looked after throughout (SSDA903 OC2). Only
    the items the records do not already hold are asked; those they hold are shown."""
    year = next(
        (item for item in outcome_years(child=child, today=_today()) if item.year_end == year_end), None
    )
    if year is None:
        messages.info(
            request,
            f"{child.person.full_name} was not looked after throughout {year_end - 1}-{year_end % 100:02d}: "
            "outcomes are recorded for the years a child is looked after continuously",
        )
        return redirect("lookedafter:looked_after", child_id=child.pk)
    born = child.person.date_of_birth
    applies = {
        "sdq": born is None or sdq_applies(born, year_end),
        "sdq_age_reason": born is None or sdq_age_reason_allowed(born, year_end),
        "convictions": born is None or convictions_apply(born, year_end),
        "today": CollectionYear(year_end).end,
    }
    derived = year.derived
    intro = [
        f"For the year 1 April {year_end - 1} to 31 March {year_end}. From the health records: "
        f"a dental check in the year: {_yes_no(derived['teeth_check'])}; "
        f"a health assessment in the year: {_yes_no(derived['health_assessment'])}"
        + (
            f"; health assessments and development checks up to date on 31 March: {_yes_no(derived['health_check'])}"
            if born is not None and health_check_applies(born, year_end)
            else ""
        )
        + ". Record a health assessment or dental check to change these."
    ]
    outcome = year.outcome
    if outcome is None:
        return _form_page(
            request,
            child,
            form_class=forms.OutcomeForm,
            call=lambda data: services.annual_outcome_record(
                child=child, recorded_by=request.user, year_end=year_end, **data
            ),
            title=f"Outcomes for {year.label}",
            submit="Save the outcomes",
            success=lambda saved: f"Outcomes for {saved.year_label} saved.",
            back=_looked_after_url(child),
            intro=intro,
            form_kwargs=applies,
        )
    return _form_page(
        request,
        child,
        form_class=forms.OutcomeChangeForm,
        call=lambda data: services.annual_outcome_update(outcome=outcome, updated_by=request.user, **data),
        title=f"Outcomes for {year.label}",
        submit="Save the outcomes",
        success=lambda saved: f"Outcomes for {saved.year_label} saved.",
        back=_looked_after_url(child),
        initial={
            "sdq_score": outcome.sdq_score,
            "sdq_reason": outcome.sdq_reason,
            "notes": outcome.notes,
            **{
                name: forms.yes_no_initial(getattr(outcome, name))
                for name in (
                    "convicted",
                    "immunisations",
                    "substance_misuse",
                    "intervention_received",
                    "intervention_offered",
                )
            },
        },
        record=outcome,
        version=lambda: _version_now(outcome),
        intro=intro,
        form_kwargs=applies,
    )


@child_record(page="UASC status", changes=True)
@refusals_logged("UASC status")
def uasc_new(request, child):
    period = _latest_period(child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.UascForm,
        call=lambda data: services.uasc_status_record(child=child, recorded_by=request.user, **data),
        title="Record that the child is an unaccompanied asylum-seeking child",
        submit="Record it",
        success=lambda status: f"Unaccompanied asylum-seeking child from {status.start_date:%-d %B %Y}.",
        back=_looked_after_url(child),
        initial={"start_date": period.start_date},
    )


@child_record(page="UASC status", changes=True)
@refusals_logged("UASC status")
def uasc_change(request, child, uasc_id):
    status = get_object_or_404(UascStatus.objects.select_related("child__person"), pk=uasc_id, child=child)
    return _form_page(
        request,
        child,
        form_class=forms.UascChangeForm,
        call=lambda data: services.uasc_status_update(uasc_status=status, updated_by=request.user, **data),
        title="Change the UASC status, or record that it ceased",
        submit="Save",
        success=lambda saved: (
            "UASC status saved" + (f": ceased on {saved.end_date:%-d %B %Y}." if saved.end_date else ".")
        ),
        back=_looked_after_url(child),
        initial={
            "start_date": status.start_date,
            "end_date": status.end_date,
            "end_reason": status.end_reason,
            "notes": status.notes,
        },
        record=status,
        version=lambda: _version_now(status),
    )


@child_record(page="Deprivation of liberty order", changes=True)
@refusals_logged("Deprivation of liberty order")
def dolo_new(request, child):
    if _latest_period(child) is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.DeprivationOfLibertyForm,
        call=lambda data: services.deprivation_of_liberty_record(
            child=child, recorded_by=request.user, **data
        ),
        title="Record a deprivation of liberty order",
        submit="Record it",
        success=lambda order: f"Deprivation of liberty order from {order.start_date:%-d %B %Y} recorded.",
        back=_looked_after_url(child),
    )


@child_record(page="Deprivation of liberty order", changes=True)
@refusals_logged("Deprivation of liberty order")
def dolo_change(request, child, dolo_id):
    order = get_object_or_404(
        DeprivationOfLiberty.objects.select_related("child__person"), pk=dolo_id, child=child
    )
    return _form_page(
        request,
        child,
        form_class=forms.DeprivationOfLibertyChangeForm,
        call=lambda data: services.deprivation_of_liberty_update(
            order=order, updated_by=request.user, **data
        ),
        title="Change the deprivation of liberty order, or record that it ended",
        submit="Save",
        success=lambda saved: (
            "Deprivation of liberty order saved"
            + (f": ended on {saved.end_date:%-d %B %Y}." if saved.end_date else ".")
        ),
        back=_looked_after_url(child),
        initial={"start_date": order.start_date, "end_date": order.end_date, "notes": order.notes},
        record=order,
        version=lambda: _version_now(order),
    )


def _adoption_initial(adoption: Adoption) -> dict:
    values = {name: getattr(adoption, name) for name in services.ADOPTION_FIELDS}
    foster = values["adopted_by_foster_carers"]
    values["adopted_by_foster_carers"] = "" if foster is None else ("yes" if foster else "no")
    values["number_of_adopters"] = (
        "" if values["number_of_adopters"] is None else str(values["number_of_adopters"])
    )
    return values


@child_record(page="adoption", changes=True)
@refusals_logged("adoption")
def adoption_new(request, child):
    period = _latest_period(child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.AdoptionForm,
        call=lambda data: services.adoption_record(child=child, recorded_by=request.user, **data),
        title="Record the decision that the child should be placed for adoption",
        submit="Record it",
        success=lambda adoption: (
            f"Decision to place for adoption of {adoption.decided_on:%-d %B %Y} recorded."
        ),
        back=_looked_after_url(child),
        intro=[
            "Record the agency decision maker's decision, and any later step that has already happened. "
            "Come back to record the match, the placement, the adoption order or a reversal as each happens."
        ],
    )


@child_record(page="adoption", changes=True)
@refusals_logged("adoption")
def adoption_change(request, child, adoption_id):
    adoption = get_object_or_404(
        Adoption.objects.select_related("child__person"), pk=adoption_id, child=child
    )
    return _form_page(
        request,
        child,
        form_class=forms.AdoptionChangeForm,
        call=lambda data: services.adoption_update(adoption=adoption, updated_by=request.user, **data),
        title="Record the next step of the adoption, or correct it",
        submit="Save",
        success=lambda saved: "Adoption saved.",
        back=_looked_after_url(child),
        initial=_adoption_initial(adoption),
        record=adoption,
        version=lambda: _version_now(adoption),
    )


@child_record(page="previous permanence", changes=True)
@refusals_logged("previous permanence")
def previous_permanence(request, child):
    period = _latest_period(child)
    if period is None:
        return _not_looked_after(request, child)
    return _form_page(
        request,
        child,
        form_class=forms.PreviousPermanenceForm,
        call=lambda data: services.previous_permanence_record(
            period=period, recorded_by=request.user, **data
        ),
        title="Previous permanence",
        submit="Save",
        success=lambda saved: "Previous permanence saved.",
        back=_looked_after_url(child),
        initial={name: getattr(period, name) for name in services.PERMANENCE_FIELDS},
        record=period,
        version=lambda: _version_now(period),
        intro=[
            f"Before this period of care, from {period.start_date:%-d %B %Y}: had the child been adopted, or "
            "left care or been made subject to a special guardianship or child arrangements order?"
        ],
    )
