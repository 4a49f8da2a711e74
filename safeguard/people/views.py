"""Finding a child and reading their record. Both go through the one access policy and are logged."""

import secrets

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessAction, AuditEvent
from safeguard.audit.policy import Decision, is_front_door, may_change, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import child_record, policy
from safeguard.core.reference import label
from safeguard.people.forms import ChildSearchForm
from safeguard.people.selectors import (
    child_allocations,
    child_search,
    household_members,
    relationships_of,
)

RESULTS_PER_PAGE = 25


# Search terms are personal data, so they never travel in a URL (DOMAIN.md §7, ASVS 5.0 V14.2): the form
# is posted, its terms kept in the session under a random key, and the results pages carry only that key.
SEARCHES_KEPT = 10


def _remember_search(request, data) -> str:
    searches = request.session.get("child_searches", {})
    key = secrets.token_urlsafe(8)
    searches[key] = data
    request.session["child_searches"] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return key


@policy("signed-in staff: results are only the children the access policy lets them see")
def search(request):
    if request.method == "POST":
        form = ChildSearchForm(request.POST)
        if form.is_valid():
            fields = {
                name: request.POST.getlist(name) for name in request.POST if name != "csrfmiddlewaretoken"
            }
            return redirect(f"{reverse('children:search')}?results={_remember_search(request, fields)}")
        return render(request, "people/search.html", {"form": form, "page": None}, status=400)

    kept = request.session.get("child_searches", {}).get(request.GET.get("results", ""))
    if kept is None:
        return render(request, "people/search.html", {"form": ChildSearchForm(), "page": None})
    form = ChildSearchForm(_as_querydict(kept))
    form.is_valid()
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


def _as_querydict(data: dict[str, list[str]]):
    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, values)
    return query


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
    }
    return render(request, "people/record.html", context)
