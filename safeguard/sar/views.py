"""Subject access request pages: the list (overdue first), logging a request, its page, the redaction
workspace and the disclosure.

Pages about the request itself are for information governance officers (``policies``). The workspace and the
disclosure read the whole record of the person, so they are for the officer assigned to the open request
only, and each look is logged as an ``AccessEvent`` on the child (allowed with the basis "subject access
request", or refused) as ``@child_record`` would; the URL carries the request's id, not the child's.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision
from safeguard.audit.services import access_event_record
from safeguard.audit.views import policy, refuse
from safeguard.people.models import Child
from safeguard.sar import policies, selectors, services
from safeguard.sar.forms import (
    AssignForm,
    DiscloseForm,
    ExtendForm,
    IdentityForm,
    ReasonForm,
    ReceiveForm,
    RedactionForm,
    WithdrawForm,
)
from safeguard.sar.models import EVERYWHERE, SarStatus
from safeguard.sar.package import apply_redactions
from safeguard.ui.accounts import step_up
from safeguard.ui.forms import add_service_errors

OFFICERS = (
    "information governance officers: subject access requests (the request, its dates and status); no "
    "child's record"
)
ASSIGNED = (
    "the information governance officer assigned to the open request, who reaches the person's record "
    "through safeguard.audit.policy (basis 'subject access request'); every look logged"
)


def _officer_or_refusal(request):
    if policies.is_information_governance(request.user):
        return None
    return refuse(request, "Subject access requests are handled by information governance officers")


def _request_or_404(request, request_id: int):
    found = selectors.requests_for(request.user).filter(pk=request_id).first()
    if found is None:
        raise Http404("No subject access request has that number")
    return found


def _run(form, call):
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def home_panel(user, today) -> dict | None:
    """Open, overdue and assigned-to-me counts for an information governance officer's home page."""
    if not policies.is_information_governance(user):
        return None
    requests = selectors.requests_for(user)
    return {
        "open": requests.open().count(),
        "overdue": requests.overdue(today).count(),
        "mine": requests.open().filter(assigned_to__user=user).count(),
    }


@policy(OFFICERS)
def request_list(request):
    refused = _officer_or_refusal(request)
    if refused:
        return refused
    today = timezone.localdate()
    requests = selectors.requests_for(request.user)
    context = {
        "today": today,
        "overdue": list(selectors.overdue_requests(request.user, today)),
        "open_requests": list(requests.open()),
        "finished": list(requests.exclude(pk__in=requests.open()).order_by("-finished_on", "-pk")[:50]),
    }
    return render(request, "sar/list.html", context)


@policy(OFFICERS)
def receive(request):
    refused = _officer_or_refusal(request)
    if refused:
        return refused
    form = ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Matched on two identifiers, so a mistyped ID cannot attach the request to someone else's record.
        child = Child.objects.filter(
            la_child_id=data["la_child_id"].strip().upper(), person__date_of_birth=data["date_of_birth"]
        ).first()
        # The match is a look-up of a record by its identifiers: logged as a search, as the search page's are.
        access_event_record(
            request=request,
            action=AccessAction.SEARCH,
            decision=Decision(True, policies.SUBJECT_ACCESS),
            child=child,
            subject="match for a new subject access request",
            result_count=0 if child is None else 1,
        )
        if child is None:
            form.add_error("la_child_id", "No record has that local child ID and date of birth")
        else:
            made = _run(
                form,
                lambda data: services.sar_receive(
                    by=request.user,
                    child=child,
                    requester_kind=data["requester_kind"],
                    requester_name=data["requester_name"],
                    requester_authority=data["requester_authority"],
                    received_on=data["received_on"],
                    identity_requested=data["identity_requested"],
                    identity_checked_on=data["identity_checked_on"],
                    assigned_to=data["assigned_to"],
                ),
            )
            if made is not None:
                return redirect("sar:detail", request_id=made.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "sar/receive.html", {"form": form}, status=status)


@policy(OFFICERS)
def detail(request, request_id: int):
    refused = _officer_or_refusal(request)
    if refused:
        return refused
    sar = _request_or_404(request, request_id)
    context = {
        "sar": sar,
        "today": timezone.localdate(),
        "may_work": policies.work_refusal(request.user, sar) is None,
        "disclosures": list(sar.disclosures.select_related("disclosed_by")),
        "assign_form": AssignForm(initial={"assigned_to": sar.assigned_to_id}),
    }
    return render(request, "sar/detail.html", context)


def _form_page(request, sar, form, *, title: str, button: str, make, template="sar/form.html"):
    if request.method == "POST":
        done = _run(form, make)
        if done is not None:
            return redirect("sar:detail", request_id=sar.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, template, {"sar": sar, "form": form, "title": title, "button": button}, status=status
    )


def _guarded(view):
    """Officers only; the request must exist; a service's ``PermissionDenied`` becomes the logged refusal."""

    def wrapped(request, request_id: int, *args, **kwargs):
        refused = _officer_or_refusal(request)
        if refused:
            return refused
        sar = _request_or_404(request, request_id)
        try:
            return view(request, sar, *args, **kwargs)
        except PermissionDenied as error:
            return refuse(request, str(error), child=sar.child, subject=f"subject access request {sar.pk}")

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _assigned_only(request, sar) -> None:
    """A step only the officer assigned to the open request may take: refused (and logged) for anyone else,
    on the form's page as well as on posting it."""
    refusal = policies.work_refusal(request.user, sar)
    if refusal:
        raise PermissionDenied(refusal)


@policy(OFFICERS)
@_guarded
def assign(request, sar):
    form = AssignForm(request.POST or None, initial={"assigned_to": sar.assigned_to_id})
    return _form_page(
        request,
        sar,
        form,
        title="Assign the request",
        button="Assign",
        make=lambda d: services.sar_assign(request=sar, by=request.user, officer=d["assigned_to"]),
    )


@policy(OFFICERS)
@_guarded
def identity(request, sar):
    form = IdentityForm(request.POST or None)
    return _form_page(
        request,
        sar,
        form,
        title="Record the identity check",
        button="Save",
        make=lambda d: services.sar_record_identity(request=sar, by=request.user, checked_on=d["checked_on"]),
    )


@policy(ASSIGNED)
@_guarded
def extend(request, sar):
    _assigned_only(request, sar)
    form = ExtendForm(request.POST or None)
    return _form_page(
        request,
        sar,
        form,
        title="Extend by two months",
        button="Extend",
        make=lambda d: services.sar_extend(
            request=sar, by=request.user, reason=d["reason"], told_on=d["told_on"]
        ),
    )


@policy(ASSIGNED)
@_guarded
def refuse_request(request, sar):
    _assigned_only(request, sar)
    form = ReasonForm(request.POST or None)
    return _form_page(
        request,
        sar,
        form,
        title="Refuse the request",
        button="Refuse",
        make=lambda d: services.sar_refuse(request=sar, by=request.user, reason=d["reason"]),
    )


@policy(OFFICERS)
@_guarded
def close(request, sar):
    form = ReasonForm(request.POST or None)
    return _form_page(
        request,
        sar,
        form,
        title="Close the request",
        button="Close",
        make=lambda d: services.sar_close(request=sar, by=request.user, reason=d["reason"]),
    )


@policy(ASSIGNED)
@require_POST
@_guarded
def move(request, sar):
    _assigned_only(request, sar)
    to = request.POST.get("to", "")
    try:
        services.sar_move(request=sar, by=request.user, to=to)
    except ValidationError as error:
        return render(
            request,
            "sar/detail.html",
            {
                "sar": sar,
                "today": timezone.localdate(),
                "may_work": True,
                "move_errors": error.messages,
                "disclosures": list(sar.disclosures.all()),
                "assign_form": AssignForm(),
            },
            status=400,
        )
    return redirect("sar:detail", request_id=sar.pk)


def _opened(request, sar, page: str):
    """The items, once the policy allows, with the look logged; or the logged refusal page."""
    refusal = selectors.export_refusal(request.user, sar)
    if refusal:
        return None, refuse(request, refusal, child=sar.child, subject=page)
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, policies.SUBJECT_ACCESS),
        child=sar.child,
        subject=page,
    )
    return selectors.export_items(request.user, sar), None


@policy(ASSIGNED)
@_guarded
def workspace(request, sar):
    items, refused = _opened(request, sar, f"subject access workspace {sar.pk}")
    if refused:
        return refused
    redactions = list(sar.redactions.select_related("made_by", "withdrawn_by"))
    shown = apply_redactions(items, redactions)
    context = {"sar": sar, "shown": shown, "redactions": redactions, "sources": _counts(shown)}
    return render(request, "sar/workspace.html", context)


def _counts(shown) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for entry in shown:
        counts[entry.item.source] = counts.get(entry.item.source, 0) + 1
    return list(counts.items())


@policy(ASSIGNED)
@_guarded
def redact(request, sar):
    items, refused = _opened(request, sar, f"subject access redaction {sar.pk}")
    if refused:
        return refused
    key = request.POST.get("item") or request.GET.get("item", "")
    item = next((found for found in items if found.key == key), None)
    if item is None:
        raise Http404("That record is not in this person's export")
    form = RedactionForm(request.POST or None, item=item, initial={"item": key})
    if request.method == "POST":
        made = _run(
            form,
            lambda d: services.redaction_add(
                request=sar,
                by=request.user,
                item=item,
                field=d["field"],
                text=d["text"],
                reason=d["reason"],
                explanation=d["explanation"],
                everywhere=d["everywhere"],
            ),
        )
        if made is not None:
            return redirect(f"{_workspace_url(sar)}#{item.key.replace(':', '-').replace('.', '-')}")
    status = 400 if request.method == "POST" else 200
    redactions = [r for r in sar.redactions.all() if r.item_key in (key, EVERYWHERE)]
    shown = apply_redactions([item], redactions)[0]
    return render(
        request, "sar/redact.html", {"sar": sar, "item": item, "shown": shown, "form": form}, status=status
    )


def _workspace_url(sar) -> str:
    return reverse("sar:workspace", kwargs={"request_id": sar.pk})


@policy(ASSIGNED)
@_guarded
def withdraw(request, sar, redaction_id: int):
    _assigned_only(request, sar)
    redaction = sar.redactions.filter(pk=redaction_id).first()
    if redaction is None:
        raise Http404("No redaction has that number on this request")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST":
        done = _run(
            form,
            lambda d: services.redaction_withdraw(redaction=redaction, by=request.user, reason=d["reason"]),
        )
        if done is not None:
            return redirect("sar:workspace", request_id=sar.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "sar/form.html",
        {
            "sar": sar,
            "form": form,
            "title": "Withdraw a redaction",
            "button": "Withdraw",
            "redaction": redaction,
        },
        status=status,
    )


@policy(ASSIGNED)
@_guarded
def disclose(request, sar):
    _assigned_only(request, sar)
    step_up(request)  # the whole file of one person leaves the building
    form = DiscloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = selectors.export_refusal(request.user, sar)
        if refusal:
            return refuse(
                request,
                refusal,
                child=sar.child,
                subject=f"subject access disclosure {sar.pk}",
                action=AccessAction.EXPORT,
            )
        items = selectors.export_items(request.user, sar)
        try:
            _disclosure, package = services.disclosure_make(
                request=sar,
                by=request.user,
                items=items,
                sent_to=form.cleaned_data["sent_to"],
                method=form.cleaned_data["method"],
                http_request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = HttpResponse(package.content, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{package.file_name}"'
            response["X-Content-Type-Options"] = "nosniff"
            return response
    status = 400 if request.method == "POST" else 200
    context = {
        "sar": sar,
        "form": form,
        "title": "Disclose the package",
        "button": "Make and download the package",
        "ready": sar.status == SarStatus.READY_FOR_REVIEW,
    }
    return render(request, "sar/disclose.html", context, status=status)
