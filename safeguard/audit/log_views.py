"""The access-log pages: who has looked at a child's record, what one user has looked at, and a child's access
log as a file for a subject access request.

Who reads them, and why:

- **"Who has looked at this record"** (one child): the managers who answer for the child's case, a team
  manager, a head of service or the director, and only for a child whose record they may open themselves
  (``@child_record``). A social worker or an IRO may open the record but not see which colleagues did: the
  log is a management and audit tool, not a case document.
- **A user's activity**: the information governance officer (the council's data protection function, UK GDPR
  arts. 37-39, which investigates misuse) and the director (Children Act 2004 s18: answers for all of it).
- **The access log as a file for a subject access request**: the information governance officer, who answers
  those requests. Caldicott principle 8 (2020) makes a person's access log disclosable to them; UK GDPR
  art. 15 gives them a copy of their data.

The information governance officer opens no case record by role (``safeguard.audit.policy``), so they never
reach the "who has looked" page, which is part of the record: they read a child's access log on its own page
for a subject access request, where the child is named only by their local child ID, and the log holds who
looked, when and at which page, never what the record says.

Every read of a log page is itself written to the access log, in the request's transaction: the auditors are
audited.
"""

import csv
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguard.audit import selectors
from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome
from safeguard.audit.policy import Decision, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import child_record, policy, refuse
from safeguard.core.spreadsheets import csv_cell
from safeguard.organisation.models import Role
from safeguard.people.models import Child
from safeguard.ui.accounts import step_up
from safeguard.ui.forms import GovukDateField

EVENTS_PER_PAGE = 50
USERS_PER_PAGE = 50

CHILD_LOG_PAGE = "who has looked at this record"
# Recorded as the basis of each read by the information governance officer (at most 60 characters).
GOVERNANCE_BASIS = "information governance: access log only"
DIRECTOR_BASIS = "director"

# Who answers for a child's case and so may see which colleagues looked at it (with a basis to open it).
CHILD_LOG_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR})
# Who investigates what a user has looked at.
ACTIVITY_ROLES = frozenset({Role.INFORMATION_GOVERNANCE, Role.DIRECTOR})
# Who answers subject access requests.
SUBJECT_ACCESS_ROLES = frozenset({Role.INFORMATION_GOVERNANCE})

CHILD_LOG_REFUSAL = "Only team managers, heads of service and the director see who has looked at a record"
ACTIVITY_REFUSAL = "Only the information governance officer and the director see what a user has looked at"
SUBJECT_ACCESS_REFUSAL = "Only the information governance officer reads a child's access log for a request"


def _role(user) -> str | None:
    worker = worker_for(user)
    return worker.role if worker is not None else None


def may_see_who_looked(user) -> bool:
    """The role rule of the "who has looked at this record" page; ``@child_record`` adds the child's."""
    return _role(user) in CHILD_LOG_ROLES


def may_see_user_activity(user) -> bool:
    return _role(user) in ACTIVITY_ROLES


def may_answer_subject_access(user) -> bool:
    return _role(user) in SUBJECT_ACCESS_ROLES


def _basis(user) -> str:
    return GOVERNANCE_BASIS if _role(user) == Role.INFORMATION_GOVERNANCE else DIRECTOR_BASIS


# ----------------------------------------------------------------------------------------------------------
# Filters


class LogFilters(forms.Form):
    """A date range (whole days, in the service's time zone), and for a user's activity what they did."""

    since = GovukDateField(
        label="From", required=False, not_in_future=True, help_text="For example, 1 9 2026"
    )
    until = GovukDateField(label="To", required=False, not_in_future=True, help_text="For example, 30 9 2026")

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "To must be the same as or after From")
        return cleaned

    def apply(self, events: QuerySet[AccessEvent]) -> QuerySet[AccessEvent]:
        data = self.cleaned_data
        events = selectors.between(events, start=data.get("since"), end=data.get("until"))
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("outcome"):
            events = events.filter(outcome=data["outcome"])
        return events

    def describe(self) -> str:
        """The filters in words, for the access log's ``subject``."""
        return " ".join(f"{name}={value}" for name, value in self.cleaned_data.items() if value)


class ActivityFilters(LogFilters):
    action = forms.ChoiceField(
        label="What they did", required=False, choices=[("", "Anything")] + AccessAction.choices
    )
    outcome = forms.ChoiceField(
        label="Allowed or refused",
        required=False,
        choices=[
            ("", "Either"),
            (AccessOutcome.REFUSED, "Refused only"),
            (AccessOutcome.ALLOWED, "Allowed only"),
        ],
    )


def _query_without_page(request) -> str:
    return urlencode([(key, value) for key, value in request.GET.items() if key != "page"])


def _page_base(request) -> str:
    query = _query_without_page(request)
    return "?" + (query + "&" if query else "") + "page="


def _filtered_page(request, events: QuerySet[AccessEvent], filters: LogFilters):
    """The page of events asked for, or None when the filters are wrong (the page shows why)."""
    if not filters.is_valid():
        return None
    page = Paginator(filters.apply(events), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    # Read now: the page's slice was sized by the count, and the read of this page is logged before the
    # template would otherwise run the query, which would then find the reader's own row too.
    page.object_list = list(page.object_list)
    return page


# ----------------------------------------------------------------------------------------------------------
# Pages


@policy(
    "the information governance officer and the director: find a user's activity, or a child's access log "
    "by local child ID; lists staff, not children"
)
def index(request):
    if not may_see_user_activity(request.user):
        return refuse(request, ACTIVITY_REFUSAL, subject="access logs")
    typed = request.GET.get("q", "").strip()[:100]
    users = selectors.users_with_workers()
    if typed:
        users = users.filter(
            Q(username__icontains=typed) | Q(first_name__icontains=typed) | Q(last_name__icontains=typed)
        )
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "typed": typed,
        "page": page,
        "page_base": _page_base(request),
        "child_id_typed": "",
        "child_id_error": "",
    }
    return render(request, "audit/index.html", context)


@policy(
    "the information governance officer and the director: opens a child's access log from their local child "
    "ID (a search, logged)"
)
def find_child(request):
    if not may_see_user_activity(request.user):
        return refuse(
            request, ACTIVITY_REFUSAL, subject="access logs: find a child", action=AccessAction.SEARCH
        )
    typed = request.GET.get("la_child_id", "").strip()[:20]
    child = Child.objects.filter(la_child_id__iexact=typed).first() if typed else None
    access_event_record(
        request=request,
        action=AccessAction.SEARCH,
        decision=Decision(True, _basis(request.user)),
        child=child,
        subject=f"access logs: local child ID {typed}",
        result_count=1 if child else 0,
    )
    if child is None:
        users = selectors.users_with_workers()
        context = {
            "typed": "",
            "page": Paginator(users, USERS_PER_PAGE).get_page(1),
            "page_base": "?page=",
            "child_id_typed": typed,
            "child_id_error": "Enter a local child ID" if not typed else "No child has that local child ID",
        }
        return render(request, "audit/index.html", context, status=400)
    if may_answer_subject_access(request.user):
        return redirect("audit:child_for_request", child_id=child.pk)
    return redirect("audit:child", child_id=child.pk)


@child_record(page=CHILD_LOG_PAGE)
def child_log(request, child):
    if not may_see_who_looked(request.user):
        return refuse(request, CHILD_LOG_REFUSAL, child=child, subject=CHILD_LOG_PAGE)
    filters = LogFilters(request.GET)
    page = _filtered_page(request, selectors.access_events_for_child(child), filters)
    context = {
        "child": child,
        "person": child.person,
        "filters": filters,
        "page": page,
        "page_base": _page_base(request),
        "for_request": False,
        "heading": "Who has looked at this record",
        "here": reverse("audit:child", kwargs={"child_id": child.pk}),
    }
    return render(request, "audit/child_log.html", context, status=200 if page is not None else 400)


@policy(
    "the information governance officer: one child's access log for a subject access request, the child "
    "named by local child ID only; logged against the child"
)
def child_log_for_request(request, child_id: int):
    child = _child(child_id)
    page_name = "access log for a subject access request"
    if not may_answer_subject_access(request.user):
        return refuse(request, SUBJECT_ACCESS_REFUSAL, child=child, subject=page_name)
    filters = LogFilters(request.GET)
    page = _filtered_page(request, selectors.access_events_for_child(child), filters)
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, GOVERNANCE_BASIS),
        child=child,
        subject=page_name if page is None else f"{page_name} page={page.number} {filters.describe()}".strip(),
        result_count=page.paginator.count if page is not None else None,
    )
    context = {
        "child": child,
        "filters": filters,
        "page": page,
        "page_base": _page_base(request),
        "csv_query": _query_without_page(request),
        "for_request": True,
        "heading": f"Access log for local child ID {child.la_child_id}",
        "here": _url_for_request(child),
    }
    return render(request, "audit/child_log.html", context, status=200 if page is not None else 400)


@policy(
    "the information governance officer: one child's access log as CSV for a subject access request, "
    "logged as an export"
)
def child_log_csv(request, child_id: int):
    child = _child(child_id)
    subject = "access log CSV for a subject access request"
    if not may_answer_subject_access(request.user):
        return refuse(
            request, SUBJECT_ACCESS_REFUSAL, child=child, subject=subject, action=AccessAction.EXPORT
        )
    step_up(request)
    filters = LogFilters(request.GET)
    if not filters.is_valid():
        return redirect(f"{_url_for_request(child)}?{_query_without_page(request)}")
    events = filters.apply(selectors.access_events_for_child(child))
    rows = list(events)
    filename = f"access-log-{child.la_child_id}-{timezone.localdate().isoformat()}.csv"
    access_event_record(
        request=request,
        action=AccessAction.EXPORT,
        decision=Decision(True, GOVERNANCE_BASIS),
        child=child,
        subject=f"{filename} {filters.describe()}".strip(),
        result_count=len(rows),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for event in rows:
        writer.writerow([csv_cell(value) for value in csv_values(event, child)])
    return response


@policy(
    "the information governance officer and the director: everything one user has looked at, children named "
    "by local child ID only; logged"
)
def user_activity(request, user_id: int):
    person = get_object_or_404(get_user_model().objects.select_related("worker", "worker__team"), pk=user_id)
    page_name = f"access log of user {person.get_username()} ({person.pk})"
    if not may_see_user_activity(request.user):
        return refuse(request, ACTIVITY_REFUSAL, subject=page_name)
    filters = ActivityFilters(request.GET)
    page = _filtered_page(request, selectors.access_events_by_user(person), filters)
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, _basis(request.user)),
        subject=page_name if page is None else f"{page_name} page={page.number} {filters.describe()}".strip(),
        result_count=page.paginator.count if page is not None else None,
    )
    refusals = AccessEvent.objects.filter(user=person, outcome=AccessOutcome.REFUSED).count()
    context = {
        "person": person,
        "worker": getattr(person, "worker", None),
        "filters": filters,
        "page": page,
        "page_base": _page_base(request),
        "refusals": refusals,
        "refusals_query": urlencode({"outcome": AccessOutcome.REFUSED}),
    }
    return render(request, "audit/user_activity.html", context, status=200 if page is not None else 400)


def _child(child_id: int) -> Child:
    child = Child.objects.filter(pk=child_id).first()
    if child is None:
        raise Http404("No child has that ID")
    return child


def _url_for_request(child: Child) -> str:
    return reverse("audit:child_for_request", kwargs={"child_id": child.pk})


# ----------------------------------------------------------------------------------------------------------
# The file for a subject access request

CSV_COLUMNS = [
    "When",
    "Local child ID",
    "Who",
    "Role",
    "Team",
    "What they did",
    "Page or file",
    "Basis",
    "Allowed or refused",
]
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV injection"): it is escaped with
# an apostrophe, as the legal exposure register's CSV does (safeguard/compliance/exports.py, which the
# foundation cannot import).


def csv_values(event: AccessEvent, child: Child) -> list:
    worker = getattr(event.user, "worker", None)
    return [
        timezone.localtime(event.at).replace(microsecond=0),
        child.la_child_id,
        event.user.get_full_name() or event.user.get_username(),
        worker.get_role_display() if worker else "",
        worker.team.name if worker and worker.team_id else "",
        event.get_action_display(),
        event.subject,
        event.basis,
        event.get_outcome_display(),
    ]
