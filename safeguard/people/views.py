"""Finding a child and reading their record. Both go through the one access policy and are logged."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessAction, AuditEvent
from safeguard.audit.policy import Decision, is_front_door, may_change, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import child_record, policy
from safeguard.core.reference import label
from safeguard.people.forms import ChildSearchForm
from safeguard.people.kept_search import kept_search_form, remember_search
from safeguard.people.links import child_pages, record_notices
from safeguard.people.selectors import (
    child_allocations,
    child_search,
    household_members,
    relationships_of,
)

RESULTS_PER_PAGE = 25


@policy("signed-in staff: results are only the children the access policy lets them see")
def search(request):
    if request.method == "POST":
        form = ChildSearchForm(request.POST)
        if form.is_valid():
            return redirect(f"{reverse('children:search')}?results={remember_search(request)}")
        return render(request, "people/search.html", {"form": form, "page": None}, status=400)

    form = kept_search_form(request)
    if form is None:
        return render(request, "people/search.html", {"form": ChildSearchForm(), "page": None})
    terms = form.search()
    results = child_search(user=request.user, search=terms)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    access_event_record(
        request=request,
        action=AccessAction.SEARCH,
        decision=Decision(True, "search"),
        subject=f"{terms.describe()} page={page.number}",
        result_count=page.paginator.count,
    )
    context = {
        "form": form,
        "page": page,
        "results_key": request.GET["results"],
        # The front door finds any child but opens a record only through a contact: its results lead there.
        "via_front_door": (worker := worker_for(request.user)) is not None and is_front_door(worker),
    }
    return render(request, "people/search.html", context)


@child_record(page="record")
def record(request, child):
    person = child.person
    today = timezone.localdate()
    context = {
        "child": child,
        "person": person,
        "age": person.age_on(today),
        "ethnicity": label("ethnicity", person.ethnicity) if person.ethnicity else "Not recorded",
        "disabilities": [label("disability", d.code) for d in child.disabilities.all()],
        "upn_unknown": label("upn_unknown", child.upn_unknown_reason) if child.upn_unknown_reason else "",
        "allocations": list(child_allocations(child=child)),
        "household": household_members(person=person, on=today),
        "relationships": relationships_of(person=person),
        "addresses": list(person.addresses.select_related("address").order_by("-start_date")),
        "chronology": AuditEvent.objects.filter(child=child).select_related("actor").order_by("-at")[:50],
        "read_only": not may_change(request.user, child).allowed,
        "basis": request.access_basis,
        "pages": child_pages(child, request.user),
        "notices": record_notices(child, request.user, today),
    }
    return render(request, "people/record.html", context)
