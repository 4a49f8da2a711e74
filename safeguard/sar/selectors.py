"""Reads for subject access requests, scoped to the reader.

The list of requests is for information governance officers only. The export itself (everything held about
the person) is read only by the officer assigned to an open request, and only while the one access policy
says they may see the child (``SAR_REACH``): both are checked, so that neither alone opens a record.
"""

import datetime

from django.db.models import QuerySet

from safeguard.audit.policy import access_basis
from safeguard.sar import policies
from safeguard.sar.models import SubjectAccessRequest
from safeguard.sar.sources import Item, collect_items


def requests_for(user) -> QuerySet[SubjectAccessRequest]:
    if not policies.is_information_governance(user):
        return SubjectAccessRequest.objects.none()
    return SubjectAccessRequest.objects.select_related("child__person", "assigned_to")


def overdue_requests(user, today: datetime.date) -> QuerySet[SubjectAccessRequest]:
    return requests_for(user).overdue(today)


def export_refusal(user, request: SubjectAccessRequest) -> str | None:
    refusal = policies.work_refusal(user, request)
    if refusal:
        return refusal
    decision = access_basis(user, request.child)
    return None if decision.allowed else decision.reason


def export_items(user, request: SubjectAccessRequest) -> list[Item]:
    """Everything held about the request's person; the caller has checked ``export_refusal``."""
    if export_refusal(user, request):
        return []
    return collect_items(request.child)
