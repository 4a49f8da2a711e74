"""Who may do what with subject access requests, on top of the one access policy (``safeguard.audit.policy``).

Information governance officers answer subject access requests (UK GDPR art. 15). By role they open no
child's record; the officer *assigned* to an open request reaches that child's record while the request is
open (``SAR_REACH``), because they must read everything to decide what to disclose and what to withhold (DPA
2018 Sch. 2 and 3). Any information governance officer may log a request, assign it and see the list of
requests (the team shares the one-month clock); only the assigned officer works on it.
"""

from django.db.models import QuerySet

from safeguard.audit.policy import Reach, worker_for
from safeguard.organisation.models import Role, Worker
from safeguard.sar.models import OPEN_STATUSES, SubjectAccessRequest

SUBJECT_ACCESS = "subject access request"


def _requested_children(worker: Worker) -> QuerySet | None:
    if worker.role != Role.INFORMATION_GOVERNANCE:
        return None
    return SubjectAccessRequest.objects.filter(assigned_to_id=worker.pk, status__in=OPEN_STATUSES).values(
        "child_id"
    )


SAR_REACH = Reach(basis=SUBJECT_ACCESS, children=_requested_children)


def is_information_governance(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role == Role.INFORMATION_GOVERNANCE and user.is_active


def work_refusal(user, request: SubjectAccessRequest) -> str | None:
    """Why ``user`` may not work on ``request`` (read the export, redact, disclose), or None if they may."""
    worker = worker_for(user)
    if worker is None or worker.role != Role.INFORMATION_GOVERNANCE:
        return "Only information governance officers work on subject access requests"
    if request.assigned_to_id != worker.pk:
        return "Only the information governance officer assigned to this request may work on it"
    if not request.is_open:
        return "This request is no longer open"
    return None
