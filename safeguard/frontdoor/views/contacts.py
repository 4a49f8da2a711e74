"""Recording a contact (search first, pick or create the child, then the contact), and working it: the
one-working-day clock, the referrer's acknowledgement, MASH checks and the manager's threshold decision.

Every page that shows a child's details writes an ``AccessEvent``; every refusal does too. Each POST view
checks permission again, calls a service, and shows the service's ``ValidationError`` on the page with what
was typed kept.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision, findable_children, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import policy, refuse
from safeguard.core.reference import label
from safeguard.frontdoor.education import education_check_respond
from safeguard.frontdoor.forms import (
    CONTACT_RENAMED,
    AcknowledgeForm,
    CheckRequestForm,
    CheckResponseForm,
    DecisionForm,
    EducationCheckResponseForm,
    NewChildForm,
    NewContactForm,
)
from safeguard.frontdoor.models import Agency, Contact, ContactStatus, MashCheck, Referral, ThresholdDecision
from safeguard.frontdoor.policies import may_decide, may_work_at_front_door
from safeguard.frontdoor.selectors import known_to_service, may_open_contact
from safeguard.frontdoor.services import (
    contact_acknowledge,
    contact_decide,
    contact_record,
    mash_check_request,
    mash_check_respond,
)
from safeguard.organisation.models import Allocation, AllocationRole
from safeguard.people.duplicates import likely_duplicates
from safeguard.people.forms import ChildSearchForm
from safeguard.people.kept_search import kept_search_form, remember_search
from safeguard.people.models import Child
from safeguard.people.selectors import child_search
from safeguard.people.services import child_create
from safeguard.ui.forms import add_service_errors

RESULTS_PER_PAGE = 25
FRONT_DOOR_ONLY = "Only front door staff record contacts."
NOT_THIS_TEAM = "not before this user's front door team"


# ----------------------------------------------------------------------------------------------------------
# Recording a contact: find the child first


@policy("front door staff: find the child a contact is about")
def start(request):
    if not may_work_at_front_door(request.user):
        return refuse(request, FRONT_DOOR_ONLY, subject="record a contact")
    if request.method == "POST":
        form = ChildSearchForm(request.POST)
        if form.is_valid():
            return redirect(f"{reverse('frontdoor:start')}?results={remember_search(request)}")
        return render(request, "frontdoor/start.html", {"form": form, "page": None}, status=400)

    form = kept_search_form(request)
    if form is None:
        return render(request, "frontdoor/start.html", {"form": ChildSearchForm(), "page": None})
    terms = form.search()
    page = Paginator(child_search(user=request.user, search=terms), RESULTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    access_event_record(
        request=request,
        action=AccessAction.SEARCH,
        decision=Decision(True, "front door: finding a contact's child"),
        subject=f"{terms.describe()} page={page.number}",
        result_count=page.paginator.count,
    )
    context = {"form": form, "page": page, "results_key": request.GET["results"]}
    return render(request, "frontdoor/start.html", context)


def _initial_from_search(request) -> dict:
    """What the worker searched for, to start the new child's form with."""
    form = kept_search_form(request)
    if form is None or form.errors:
        return {}
    data = form.cleaned_data
    words = (data.get("name") or "").split()
    initial = {"nhs_number": data.get("nhs_number") or "", "date_of_birth": data.get("date_of_birth")}
    if words:
        initial["first_name"] = words[0].capitalize()
        initial["last_name"] = " ".join(words[1:]).capitalize()
    return initial


@policy("front door staff: record a child new to the service")
def new_child(request):
    if not may_work_at_front_door(request.user):
        return refuse(request, FRONT_DOOR_ONLY, subject="new child")
    if request.method != "POST":
        form = NewChildForm(initial=_initial_from_search(request))
        return render(request, "frontdoor/new_child.html", {"form": form, "matches": None})

    form = NewChildForm(request.POST)
    if not form.is_valid():
        return render(request, "frontdoor/new_child.html", {"form": form, "matches": None}, status=400)
    data = form.cleaned_data
    matches = likely_duplicates(
        first_name=data["first_name"],
        last_name=data["last_name"],
        date_of_birth=data["date_of_birth"] or data["expected_date_of_birth"],
        nhs_number=data["nhs_number"],
        among=findable_children(request.user),
    )
    if matches and not data["confirm_new"]:
        # Showing who may already be this child is a search of the records: it is logged as one.
        access_event_record(
            request=request,
            action=AccessAction.SEARCH,
            decision=Decision(True, "front door: checking for duplicates"),
            subject="likely duplicates of a new child",
            result_count=len(matches),
        )
        return render(request, "frontdoor/new_child.html", {"form": form, "matches": matches})
    try:
        child = child_create(
            created_by=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            expected_date_of_birth=data["expected_date_of_birth"],
            sex=data["sex"],
            ethnicity=data["ethnicity"],
            nhs_number=data["nhs_number"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, "frontdoor/new_child.html", {"form": form, "matches": None}, status=400)
    messages.success(
        request, f"{child.person.full_name} is recorded, with local child ID {child.la_child_id}"
    )
    return redirect("frontdoor:new_contact", child.pk)


def _allocation_area_id(child: Child) -> int | None:
    allocation = (
        Allocation.objects.current()
        .filter(child=child, role=AllocationRole.SOCIAL_WORKER)
        .select_related("team")
        .first()
    )
    return allocation.team.area_id if allocation else None


@policy("front door staff: record a contact about a child")
def new_contact(request, child_id):
    child = get_object_or_404(Child.objects.select_related("person"), pk=child_id)
    worker = worker_for(request.user)
    if not may_work_at_front_door(request.user) or worker is None or not worker.team_id:
        return refuse(request, FRONT_DOOR_ONLY, child=child, subject="new contact")
    today = timezone.localdate()
    if request.method == "POST":
        form = NewContactForm(request.POST, today=today)
        if form.is_valid():
            try:
                contact = contact_record(
                    recorded_by=request.user, child=child, team=worker.team, **form.service_arguments()
                )
            except ValidationError as error:
                add_service_errors(form, error, CONTACT_RENAMED)
            else:
                messages.success(
                    request, f"Contact recorded. A decision is due by {contact.decision_due:%-d %B %Y}"
                )
                return redirect("frontdoor:contact", contact.pk)
        status = 400
    else:
        now = timezone.localtime()
        form = NewContactForm(
            initial={
                "received_on": now.date(),
                "received_time": now.strftime("%H:%M"),
                "area": _allocation_area_id(child),
            },
            today=today,
        )
        status = 200
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, "front door: recording a contact"),
        child=child,
        subject="new contact",
    )
    context = {"child": child, "person": child.person, "flags": known_to_service(child=child), "form": form}
    return render(request, "frontdoor/new_contact.html", context, status=status)


# ----------------------------------------------------------------------------------------------------------
# One contact


def _contact_or_404(contact_id) -> Contact:
    return get_object_or_404(Contact.objects.select_related("child__person", "area", "team"), pk=contact_id)


def _contact_page(request, contact: Contact, *, status=200, **forms):
    """The contact page; a POST view that failed passes its bound form so the errors and input show."""
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, "front door"),
        child=contact.child,
        subject=f"contact {contact.pk}",
    )
    today = timezone.localdate()
    checks = list(contact.checks.all())
    decision = ThresholdDecision.objects.filter(contact=contact).select_related("decided_by").first()
    if decision:
        decision.contact = contact  # the same row: its deadline is read once for "due" and "on time"
    referral = Referral.objects.filter(contact=contact).first() if decision else None
    awaiting = contact.status == ContactStatus.AWAITING_DECISION
    works_here = may_work_at_front_door(request.user)
    context = {
        "failed": [form for form in forms.values() if form is not None],
        "contact": contact,
        "child": contact.child,
        "person": contact.child.person,
        "flags": known_to_service(child=contact.child, excluding=contact),
        "source": label("referral_source", contact.source),
        "waited_days": contact.working_days_waited(today),
        "overdue": contact.is_overdue(today),
        "checks": checks,
        "decision": decision,
        "referral": referral,
        "awaiting": awaiting,
        "works_here": works_here,
        "acknowledge_form": forms.get("acknowledge_form") or AcknowledgeForm(),
        "check_form": (
            forms.get("check_form") or CheckRequestForm(asked={check.agency for check in checks})
            if awaiting and works_here
            else None
        ),
        "decision_form": (
            forms.get("decision_form") or DecisionForm(initial={"rag": contact.rag or None})
            if awaiting and may_decide(request.user)
            else None
        ),
    }
    return render(request, "frontdoor/contact.html", context, status=status)


def _guard(request, contact: Contact, *, allowed: bool, reason: str):
    """None when the user may go on; otherwise the logged refusal."""
    if not may_open_contact(request.user, contact):
        return refuse(request, NOT_THIS_TEAM, child=contact.child, subject=f"contact {contact.pk}")
    if not allowed:
        return refuse(request, reason, child=contact.child, subject=f"contact {contact.pk}")
    return None


@policy("front door staff of the contact's team, heads of service, the director")
def contact(request, contact_id):
    contact = _contact_or_404(contact_id)
    if refused := _guard(request, contact, allowed=True, reason=""):
        return refused
    return _contact_page(request, contact)


@policy("front door staff of the contact's team")
@require_POST
def acknowledge(request, contact_id):
    contact = _contact_or_404(contact_id)
    if refused := _guard(
        request,
        contact,
        allowed=may_work_at_front_door(request.user),
        reason="only front door staff acknowledge",
    ):
        return refused
    try:
        contact_acknowledge(contact=contact, acknowledged_by=request.user)
    except PermissionDenied as error:
        return refuse(request, str(error), child=contact.child, subject=f"contact {contact.pk}")
    except ValidationError as error:
        form = AcknowledgeForm(request.POST)
        form.is_valid()
        add_service_errors(form, error)
        return _contact_page(request, contact, status=400, acknowledge_form=form)
    messages.success(request, "The referrer's acknowledgement is recorded")
    return redirect("frontdoor:contact", contact.pk)


@policy("front door staff of the contact's team")
@require_POST
def request_check(request, contact_id):
    contact = _contact_or_404(contact_id)
    if refused := _guard(
        request,
        contact,
        allowed=may_work_at_front_door(request.user),
        reason="only front door staff request checks",
    ):
        return refused
    asked = set(contact.checks.values_list("agency", flat=True))
    form = CheckRequestForm(request.POST, asked=asked)
    if form.is_valid():
        try:
            check = mash_check_request(
                contact=contact, agency=form.cleaned_data["agency"], requested_by=request.user
            )
        except PermissionDenied as error:
            return refuse(request, str(error), child=contact.child, subject=f"contact {contact.pk}")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{check.get_agency_display()} check requested")
            return redirect("frontdoor:contact", contact.pk)
    return _contact_page(request, contact, status=400, check_form=form)


@policy("front door staff of the contact's team")
def record_response(request, check_id):
    check = get_object_or_404(
        MashCheck.objects.select_related("contact__child__person", "contact__area", "contact__team"),
        pk=check_id,
    )
    contact = check.contact
    if refused := _guard(
        request,
        contact,
        allowed=may_work_at_front_door(request.user),
        reason="only front door staff record check responses",
    ):
        return refused
    status = 200
    # The education check also records where the child is educated (issue 9; frontdoor.education).
    is_education = check.agency == Agency.EDUCATION
    form_class = EducationCheckResponseForm if is_education else CheckResponseForm
    respond = education_check_respond if is_education else mash_check_respond
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                respond(check=check, recorded_by=request.user, **form.cleaned_data)
            except PermissionDenied as error:
                return refuse(request, str(error), child=contact.child, subject=f"contact {contact.pk}")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{check.get_agency_display()}'s response is recorded")
                return redirect("frontdoor:contact", contact.pk)
        status = 400
    else:
        form = form_class(initial={"responded_on": timezone.localdate()})
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, "front door"),
        child=contact.child,
        subject=f"contact {contact.pk} check {check.pk}",
    )
    context = {
        "check": check,
        "contact": contact,
        "person": contact.child.person,
        "form": form,
        "is_education": is_education,
    }
    return render(request, "frontdoor/record_response.html", context, status=status)


@policy("front door managers and heads of service")
@require_POST
def decide(request, contact_id):
    contact = _contact_or_404(contact_id)
    if refused := _guard(
        request,
        contact,
        allowed=may_decide(request.user),
        reason="only a front door manager or a head of service makes threshold decisions",
    ):
        return refused
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decision = contact_decide(contact=contact, decided_by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            return refuse(request, str(error), child=contact.child, subject=f"contact {contact.pk}")
        except ValidationError as error:
            add_service_errors(form, error)
            contact.refresh_from_db()
        else:
            messages.success(request, f"Decision recorded: {decision.get_outcome_display()}")
            return redirect("frontdoor:contact", contact.pk)
    return _contact_page(request, contact, status=400, decision_form=form)
