"""The returns pages: choose a return and a year, read its validation report, download it, explain a query.

The report names children (their LAchildID and census facts), so every view of it, and every download, is
written to the access log with how many children it covered. Who sees what is ``returns.policies``'; the
report is scoped by ``returns.selectors``; explanations are written by ``returns.services``.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision
from safeguard.audit.services import access_event_record
from safeguard.audit.views import policy, refuse
from safeguard.core.years import FIRST_YEAR, CollectionYear
from safeguard.returns import policies, services
from safeguard.returns.catalogue import ANNEX_A, COLLECTIONS, Collection
from safeguard.returns.models import QueryExplanation
from safeguard.returns.rules import Source, rules_for
from safeguard.returns.selectors import return_report
from safeguard.ui.accounts import step_up
from safeguard.ui.forms import add_service_errors

REFUSAL = "The statutory returns are for performance analysts, managers and the director"
SHOWN_PER_RULE = 10  # failures listed under each rule on the report; "show all" lists every one
POLICY = (
    "performance analysts and the director (the council's whole return), heads of service and team managers "
    "(the failures about children they may see): statutory returns and their validation"
)

# The page that shows each kind of record, for a failure's link (casework pages take the child and the item).
RECORD_PAGES = {
    "people.child": ("children:record", ()),
    "casework.assessment": ("casework:assessment", ("assessment_id",)),
    "lookedafter.lacepisode": ("lookedafter:looked_after", ()),
    "lookedafter.lacreview": ("lookedafter:looked_after", ()),
    "lookedafter.missingepisode": ("lookedafter:looked_after", ()),
    "lookedafter.careleaver": ("lookedafter:leaving_care", ()),
    "lookedafter.annualoutcome": ("lookedafter:looked_after", ()),
    "lookedafter.uascstatus": ("lookedafter:looked_after", ()),
    "organisation.allocation": ("allocation:change_reason", ("allocation_id",)),
}


def record_url(source: Source | None) -> str:
    """The page where the fact behind a failure is put right: the record itself where it has a page of its
    own, else the child's case file."""
    if source is None or source.child_pk is None:
        return ""
    name, extra = RECORD_PAGES.get(source.model, ("casework:case_file", ()))
    kwargs = {"child_id": source.child_pk} | {key: source.pk for key in extra}
    return reverse(name, kwargs=kwargs)


def _collection(slug: str) -> Collection:
    if slug not in COLLECTIONS:
        raise Http404("No such return")
    return COLLECTIONS[slug]


def _year(year: int) -> CollectionYear:
    chosen = CollectionYear(year)
    if not FIRST_YEAR <= year <= _latest().end_year:
        raise Http404("No return for that year")
    return chosen


def _latest() -> CollectionYear:
    """The year in progress: its return so far is worth checking long before 31 March."""
    return CollectionYear.containing(timezone.localdate())


def _logged(request, action: AccessAction, subject: str, count: int) -> None:
    access_event_record(
        request=request,
        action=action,
        decision=Decision(True, "statutory returns"),
        subject=subject,
        result_count=count,
    )


@policy(POLICY)
def index(request):
    if not policies.may_see_reports(request.user):
        return refuse(request, REFUSAL, subject="statutory returns")
    latest = _latest()
    years = [CollectionYear(end) for end in range(latest.end_year, FIRST_YEAR - 1, -1)]
    return render(
        request,
        "returns/index.html",
        {
            "collections": COLLECTIONS.values(),
            "years": years,
            "latest": latest,
            "complete": CollectionYear.latest_complete(timezone.localdate()),
        },
    )


@policy(POLICY)
def report(request, collection: str, year: int):
    chosen_collection = _collection(collection)
    if not policies.may_see_reports(request.user):
        return refuse(request, REFUSAL, subject=f"{chosen_collection.title} validation")
    chosen = _year(year)
    only = request.GET.get("rule", "").strip()[:12]
    result = return_report(request.user, chosen_collection, chosen)
    groups = result.by_rule()
    if only:
        groups = [group for group in groups if group.rule.code == only]
    _logged(
        request,
        AccessAction.VIEW,
        f"{chosen_collection.title} {chosen} validation{' rule=' + only if only else ''}",
        len({finding.la_child_id for group in groups for finding in group.findings}),
    )
    context = {
        "collection": chosen_collection,
        "year": chosen,
        "result": result,
        "groups": groups,
        "only": only,
        "shown": None if only else SHOWN_PER_RULE,
        "links": policies.opens_records(request.user),
        "record_url": record_url,
        "may_download": policies.may_download(request.user),
        "may_explain": policies.may_explain(request.user),
        "in_progress": chosen == _latest(),
    }
    return render(request, "returns/report.html", context)


@policy(POLICY + "; the return's file(s), for analysts and the director only, logged as an export")
def download(request, collection: str, year: int):
    chosen_collection = _collection(collection)
    if not policies.may_download(request.user):
        return refuse(
            request,
            "Only performance analysts and the director download a return",
            subject=chosen_collection.title,
            action=AccessAction.EXPORT,
        )
    step_up(request)
    chosen = _year(year)
    the_return = chosen_collection.build(chosen)
    file = chosen_collection.download(the_return)
    _logged(
        request,
        AccessAction.EXPORT,
        f"{chosen_collection.title} {chosen} {file.filename}",
        len(the_return.children),
    )
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


class ExplanationForm(forms.Form):
    explanation = forms.CharField(
        label="Why the data is right as it is",
        help_text="The Department for Education reads this with the return. Say what is unusual and why it is "
        "correct; do not name the child.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.EXPLANATION_MAX,
        error_messages={"required": "Enter why the data is right as it is"},
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


@policy("performance analysts: the explanation of a query in a return")
def explain(request, collection: str, year: int, code: str):
    chosen_collection = _collection(collection)
    if not policies.may_explain(request.user):
        return refuse(
            request,
            "Only performance analysts explain queries",
            subject=f"{chosen_collection.title} query {code}",
        )
    chosen = _year(year)
    rule = rules_for(chosen_collection.code, chosen).get(code)
    if rule is None or not rule.is_query:
        raise Http404("No such query")
    la_child_id = (request.GET.get("child") or request.POST.get("child") or "").strip()[:20]
    existing = QueryExplanation.objects.filter(
        collection=chosen_collection.code, year=chosen.end_year, code=code, la_child_id=la_child_id
    ).first()
    status = 200
    if request.method == "POST":
        form = ExplanationForm(request.POST)
        if form.is_valid():
            try:
                services.query_explain(
                    by=request.user,
                    collection=chosen_collection.code,
                    year=chosen,
                    code=code,
                    la_child_id=la_child_id,
                    explanation=form.cleaned_data["explanation"],
                    version=form.cleaned_data["version"],
                )
            except PermissionDenied as error:
                return refuse(request, str(error), subject=f"{chosen_collection.title} query {code}")
            except ValidationError as error:
                add_service_errors(form, error, {})
            else:
                messages.success(request, f"Explanation of {code} recorded.")
                return redirect(
                    f"{reverse('returns:report', args=[collection, chosen.end_year])}?rule={code}"
                )
        status = 400
    else:
        form = ExplanationForm(
            initial={"explanation": existing.explanation, "version": existing.version} if existing else {}
        )
    return render(
        request,
        "returns/explain.html",
        {
            "form": form,
            "collection": chosen_collection,
            "rule": rule,
            "year": chosen,
            "la_child_id": la_child_id,
            "existing": existing,
        },
        status=status,
    )


# -- Ofsted Annex A: as things stood on a date ----------------------------------------------------------------

ANNEX_A_REFUSAL = "Ofsted's Annex A lists are for performance analysts and the director"
ANNEX_A_POLICY = (
    "performance analysts and the director: Ofsted's Annex A lists of the whole council as at a date (row "
    "counts on the page, the workbook as an export)"
)


def annex_a_date(text: str, today: datetime.date) -> tuple[datetime.date | None, str]:
    """The date asked for (``YYYY-MM-DD``, as a date field sends it, or ``dd/mm/yyyy``), or an error message.
    Blank is today. A date to come is refused: the lists say what had happened by the date."""
    text = (text or "").strip()
    if not text:
        return today, ""
    day = None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.datetime.strptime(text, pattern).date()
            break
        except ValueError:
            continue
    if day is None:
        return None, "Enter the date as a real date, for example 30/06/2026"
    if day > today:
        return None, "The date must be today or in the past"
    return day, ""


@policy(ANNEX_A_POLICY)
def annex_a(request):
    if not policies.may_download(request.user):
        return refuse(request, ANNEX_A_REFUSAL, subject=ANNEX_A.title)
    today = timezone.localdate()
    typed = request.GET.get("as_of", "")
    as_of, error = annex_a_date(typed, today)
    context = {"annex": ANNEX_A, "typed": typed or today.isoformat(), "error": error, "today": today}
    if error:
        return render(request, "returns/annex_a.html", context, status=400)
    built = ANNEX_A.build(as_of)
    _logged(
        request, AccessAction.VIEW, f"{ANNEX_A.title} at {as_of.isoformat()} (row counts)", built.children
    )
    context |= {
        "as_of": as_of,
        "lists": [(annex_list, len(built.rows.get(annex_list.number, []))) for annex_list in ANNEX_A.lists],
    }
    return render(request, "returns/annex_a.html", context)


@policy(ANNEX_A_POLICY + "; the workbook, logged as an export")
def annex_a_download(request):
    if not policies.may_download(request.user):
        return refuse(request, ANNEX_A_REFUSAL, subject=ANNEX_A.title, action=AccessAction.EXPORT)
    step_up(request)
    as_of, error = annex_a_date(request.GET.get("as_of", ""), timezone.localdate())
    if error:
        return annex_a(request)  # the page, with the message and what was typed
    built = ANNEX_A.build(as_of)
    file = ANNEX_A.download(built)
    _logged(
        request,
        AccessAction.EXPORT,
        f"{ANNEX_A.title} at {as_of.isoformat()} {file.filename}",
        built.children,
    )
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
