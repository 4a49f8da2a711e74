"""How a view declares its access policy. Every URL in the service must use one of these; a test walks the
URL resolver and fails on any view without a declaration (safeguard/audit/tests/test_url_policies.py).

- ``@child_record(...)``: the view shows or changes one child's record. It loads the child, asks the
  policy, writes an ``AccessEvent`` (allowed or refused) in the request's transaction, and calls the view
  with the child, or shows the refusal page with status 403.
- ``@policy("...")``: the view shows no single child's record; the string says who may use it and why, and
  the view itself scopes any case data it shows through a selector that takes the user.
"""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import access_basis, may_change
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
                return render(request, "ui/403.html", {"reason": decision.reason}, status=403)
            request.access_basis = decision.reason
            return view(request, child, *args, **kwargs)

        guarded.access_policy = f"child record ({page}): safeguard.audit.policy"
        return guarded

    return decorate
