"""Pages for the register of restricted records and staff connections (information governance officers), the
report of every access to them, emergency access (named roles), its review queue (the Caldicott Guardian and
governance officers), and the alerts on the home page (ADR 0013).

None of these pages opens a child's record: the register names the children it restricts (its owners must
know which), the emergency access page names none until access is granted, and the record itself is opened
through the child's own page, guarded by ``@child_record`` and the one policy.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.audit.models import AccessAction, AccessEvent
from safeguard.audit.policy import Decision, access_basis
from safeguard.audit.services import access_event_record
from safeguard.audit.views import policy, refuse
from safeguard.casework.views.common import run_service
from safeguard.people.models import Child
from safeguard.restrictions import selectors, services
from safeguard.restrictions.forms import (
    AccessListForm,
    EmergencyAccessForm,
    LiftForm,
    RestrictionForm,
    ReviewForm,
    StaffConnectionForm,
)
from safeguard.restrictions.models import (
    EMERGENCY_ACCESS_MINUTES,
    AccessListEntry,
    EmergencyAccess,
    EmergencyAlert,
    RecordRestriction,
    StaffConnection,
)
from safeguard.restrictions.policies import (
    emergency_access_refusal,
    may_manage_register,
    may_review_emergency_access,
)

ROWS_PER_PAGE = 50
OWNERS_ONLY = "Only an information governance officer can see the register of restricted records"
REVIEWERS_ONLY = "Only the Caldicott Guardian or an information governance officer reviews emergency access"


def _listed(request, subject: str, count: int) -> None:
    """A page that names children is case data: its viewing is logged, with how many it showed."""
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, subject),
        subject=subject,
        result_count=count,
    )


def _page(request, rows):
    return Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))


# -- home page panels -----------------------------------------------------------------------------------------


def alerts_panel(user, today) -> dict | None:
    """Emergency accesses this user is told of (Caldicott Guardian, team manager), until they mark them seen."""
    alerts = list(selectors.unseen_alerts(user)[:20])
    return {"alerts": alerts} if alerts else None


def governance_panel(user, today) -> dict | None:
    """For the register's owners and reviewers: reviews waiting and overdue, and accesses this week."""
    if not may_review_emergency_access(user):
        return None
    waiting = selectors.emergency_accesses_to_review(user).filter(reviewed_at__isnull=True)
    context = {"waiting": waiting.count(), "overdue": waiting.filter(review_due__lt=today).count()}
    if may_manage_register(user):
        since = timezone.now() - datetime.timedelta(days=7)
        context["accesses_this_week"] = selectors.restricted_record_accesses(user, since=since).count()
    return context


# -- the register ---------------------------------------------------------------------------------------------


@policy("information governance officers: the register of restricted records and staff connections")
def register(request):
    if not may_manage_register(request.user):
        return refuse(request, OWNERS_ONLY, subject="restricted records register")
    restrictions = list(selectors.restrictions_in_force(request.user))
    connections = list(selectors.staff_connections(request.user))
    _listed(request, "restricted records register", len(restrictions) + len(connections))
    return render(
        request, "restrictions/register.html", {"restrictions": restrictions, "connections": connections}
    )


@policy("information governance officers: restrict a child's record")
def restriction_new(request):
    if not may_manage_register(request.user):
        return refuse(request, OWNERS_ONLY, subject="restrict a record")
    form = RestrictionForm(request.POST or None)
    if request.method == "POST":
        restriction = run_service(
            form,
            lambda data: services.restriction_set(
                child=data["child"], kind=data["kind"], reason=data["reason"], set_by=request.user
            ),
        )
        if restriction is not None:
            return redirect("restrictions:restriction", restriction_id=restriction.pk)
    return render(
        request, "restrictions/restriction_new.html", {"form": form}, status=400 if form.errors else 200
    )


@policy("information governance officers: one restricted record's access list (the record is not opened)")
def restriction(request, restriction_id: int):
    if not may_manage_register(request.user):
        return refuse(request, OWNERS_ONLY, subject="restricted record access list")
    restriction = get_object_or_404(
        RecordRestriction.objects.select_related("child__person", "set_by__user"), pk=restriction_id
    )
    add_form = AccessListForm(request.POST if request.POST.get("form") == "add" else None)
    lift_form = LiftForm(request.POST if request.POST.get("form") == "lift" else None)
    if request.method == "POST" and request.POST.get("form") == "add":
        entry = run_service(
            add_form,
            lambda data: services.access_list_add(
                restriction=restriction,
                worker=data["worker"],
                reason=data["reason"],
                end_date=data["end_date"],
                added_by=request.user,
            ),
        )
        if entry is not None:
            return redirect("restrictions:restriction", restriction_id=restriction.pk)
    lifting = request.method == "POST" and request.POST.get("form") == "lift"
    lift = lambda data: services.restriction_lift(  # noqa: E731
        restriction=restriction, reason=data["reason"], lifted_by=request.user
    )
    if lifting and run_service(lift_form, lift):
        return redirect("restrictions:register")
    entries = list(
        AccessListEntry.objects.filter(restriction=restriction)
        .select_related("worker__user")
        .order_by("-created_at")
    )
    accesses = list(
        selectors.restricted_record_accesses(request.user).filter(child_id=restriction.child_id)[
            :ROWS_PER_PAGE
        ]
    )
    _listed(request, "restricted record access list", 1)
    today = timezone.localdate()
    return render(
        request,
        "restrictions/restriction.html",
        {
            "restriction": restriction,
            "entries": entries,
            "current_ids": {e.pk for e in entries if e.end_date is None or e.end_date >= today},
            "add_form": add_form,
            "lift_form": lift_form,
            "accesses": accesses,
        },
        status=400 if add_form.errors or lift_form.errors else 200,
    )


@policy("information governance officers: end a worker's place on an access list")
def access_list_end(request, entry_id: int):
    if not may_manage_register(request.user) or request.method != "POST":
        return refuse(request, OWNERS_ONLY, subject="end access list entry")
    entry = get_object_or_404(AccessListEntry.objects.select_related("restriction__child"), pk=entry_id)
    services.access_list_end(entry=entry, ended_by=request.user)
    return redirect("restrictions:restriction", restriction_id=entry.restriction_id)


@policy("information governance officers: record a staff connection to a child")
def connection_new(request):
    if not may_manage_register(request.user):
        return refuse(request, OWNERS_ONLY, subject="record a staff connection")
    form = StaffConnectionForm(request.POST or None)
    if request.method == "POST":
        connection = run_service(
            form,
            lambda data: services.staff_connection_record(
                worker=data["worker"],
                child=data["child"],
                kind=data["kind"],
                details=data["details"],
                recorded_by=request.user,
            ),
        )
        if connection is not None:
            return redirect("restrictions:register")
    return render(
        request, "restrictions/connection_new.html", {"form": form}, status=400 if form.errors else 200
    )


@policy("information governance officers: end a staff connection")
def connection_end(request, connection_id: int):
    if not may_manage_register(request.user) or request.method != "POST":
        return refuse(request, OWNERS_ONLY, subject="end staff connection")
    connection = get_object_or_404(StaffConnection, pk=connection_id)
    services.staff_connection_end(connection=connection, ended_by=request.user)
    return redirect("restrictions:register")


@policy("information governance officers: every access to a restricted or staff-connected record")
def accesses(request):
    if not may_manage_register(request.user):
        return refuse(request, OWNERS_ONLY, subject="restricted record accesses")
    page = _page(request, selectors.restricted_record_accesses(request.user))
    _listed(request, "restricted record accesses", len(page.object_list))
    return render(request, "restrictions/accesses.html", {"page": page})


# -- emergency access -----------------------------------------------------------------------------------------


@policy(
    "front door workers, team managers and heads of service: emergency read-only access to one child for "
    "60 minutes, with a reason and their password (never a sealed adoption); the record itself is then "
    "opened through its own page and safeguard.audit.policy"
)
def emergency_access(request, child_id: int):
    child = Child.objects.filter(pk=child_id).first()
    if child is None:
        return render(request, "ui/404.html", status=404)
    refusal = emergency_access_refusal(request.user, child)
    if refusal:
        return refuse(request, refusal, child=child, subject="emergency access")
    if access_basis(request.user, child).allowed:
        return redirect("children:record", child_id=child.pk)
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST":
        grant = run_service(
            form,
            lambda data: services.emergency_access_grant(
                user=request.user,
                child=child,
                reason_category=data["reason_category"],
                reason=data["reason"],
                password=data["password"],
            ),
        )
        if grant is not None:
            return redirect("children:record", child_id=child.pk)
    return render(
        request,
        "restrictions/emergency_access.html",
        {"form": form, "child_id": child.pk, "minutes": EMERGENCY_ACCESS_MINUTES},
        status=400 if form.errors else 200,
    )


@policy("the Caldicott Guardian and information governance officers: every use of emergency access")
def reviews(request):
    if not may_review_emergency_access(request.user):
        return refuse(request, REVIEWERS_ONLY, subject="emergency access reviews")
    page = _page(request, selectors.emergency_accesses_to_review(request.user))
    _listed(request, "emergency access reviews", len(page.object_list))
    return render(request, "restrictions/reviews.html", {"page": page, "today": timezone.localdate()})


@policy("the Caldicott Guardian and information governance officers: review one use of emergency access")
def review(request, emergency_access_id: int):
    if not may_review_emergency_access(request.user):
        return refuse(request, REVIEWERS_ONLY, subject="emergency access review")
    use = get_object_or_404(
        EmergencyAccess.objects.select_related("worker__user", "child__person", "reviewed_by__user"),
        pk=emergency_access_id,
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and use.reviewed_at is None:
        try:
            done = run_service(
                form,
                lambda data: services.emergency_access_review(
                    emergency_access=use,
                    outcome=data["outcome"],
                    notes=data["notes"],
                    reviewed_by=request.user,
                ),
            )
        except PermissionDenied as error:
            return refuse(request, str(error), subject="emergency access review")
        if done is not None:
            return redirect("restrictions:reviews")
    # What the worker saw while it lasted: the access log's rows for that child, by that worker, in that hour.
    seen = list(
        AccessEvent.objects.filter(
            user_id=use.worker.user_id, child_id=use.child_id, at__gte=use.granted_at, at__lte=use.expires_at
        ).order_by("at")
    )
    _listed(request, "emergency access review", 1)
    return render(
        request,
        "restrictions/review.html",
        {"use": use, "form": form, "seen": seen, "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )


@policy("the alert's recipient: marks their own emergency access alert as seen")
def alert_seen(request, alert_id: int):
    alert = get_object_or_404(EmergencyAlert, pk=alert_id)
    if request.method != "POST":
        return redirect("home")
    try:
        services.emergency_alert_seen(alert=alert, user=request.user)
    except PermissionDenied as error:
        return refuse(request, str(error), subject="emergency access alert")
    return redirect("home")
