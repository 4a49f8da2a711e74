"""How a view declares its access policy. Every URL in the service must use one of these; a test walks the
URL resolver and fails on any view without a declaration (safeguard/audit/tests/test_url_policies.py).

- ``@child_record(...)``: the view shows or changes one child's record. It loads the child, asks the
  policy, writes an ``AccessEvent`` (allowed or refused) in the request's transaction, and calls the view
  with the child, or shows the refusal page with status 403.
- ``@policy("...")``: the view shows no single child's record; the string says who may use it and why, and
  the view itself scopes any case data it shows through a selector that takes the user.

A view that refuses something itself (a step only a manager may take) answers with ``refuse``, which logs the
refusal as the decorators do; ``@refusals_logged`` turns a service's ``PermissionDenied`` into the same.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision, access_basis, may_change, refusal_offers
from safeguard.audit.services import access_event_record
from safeguard.people.models import Child


def policy(description: str) -> Callable:
    def declare(view: Callable) -> Callable:
        view.access_policy = description
        return view

    return declare


def child_record(*, action: AccessAction = AccessAction.VIEW, page: str, changes: bool = False) -> Callable:
    """Guard a view of one child's record, taken from the URL's ``child_id``; ``page`` names it in the log."""
    check = may_change if changes else access_basis

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request: HttpRequest, child_id: int, *args, **kwargs) -> HttpResponse:
            child = Child.objects.select_related("person").filter(pk=child_id).first()
            if child is None:
                raise Http404("No child has that ID")
            decision = check(request.user, child)
            access_event_record(request=request, action=action, decision=decision, child=child, subject=page)
            if not decision.allowed:
                # A named role may be offered another way in (emergency access), registered by its app.
                offers = refusal_offers(request.user, child)
                return render(
                    request, "ui/403.html", {"reason": decision.reason, "offers": offers}, status=403
                )
            request.access_basis = decision.reason
            return view(request, child, *args, **kwargs)

        guarded.access_policy = f"child record ({page}): safeguard.audit.policy"
        return guarded

    return decorate


def refuse(
    request: HttpRequest,
    reason: str,
    *,
    child: Child | None = None,
    subject: str = "",
    action: AccessAction = AccessAction.VIEW,
) -> HttpResponse:
    """The refusal page (403), with the refusal written to the access log as what was asked for: a refused
    export is logged as an export (``action=AccessAction.EXPORT``), so an auditor filtering on exports sees
    the attempts too."""
    access_event_record(
        request=request,
        action=action,
        decision=Decision(False, reason),
        child=child,
        subject=subject,
    )
    return render(request, "ui/403.html", {"reason": reason[:1].upper() + reason[1:]}, status=403)


def refusals_logged(subject: str) -> Callable:
    """A ``PermissionDenied`` from the view or a service it calls becomes the logged refusal page. Goes under
    ``@child_record``, which has already said the user may see (or change) the record at all."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, child: Child, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, child, *args, **kwargs)
            except PermissionDenied as error:
                return refuse(request, str(error) or "You cannot do this", child=child, subject=subject)

        return wrapped

    return decorate
