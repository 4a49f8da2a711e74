"""Reads of shares, each scoped to the user asking."""

from safeguard.audit.policy import worker_for
from safeguard.people.models import Child
from safeguard.sharing.models import Share, ShareQuerySet, StaffShare


def shares_of_child(child: Child) -> ShareQuerySet:
    """Every share of ``child``'s record, newest first. Called only under ``@child_record``: whoever may open
    the record may see who it has been shared with."""
    return Share.objects.filter(child=child).select_related(
        "agency", "partner_user__worker__user", "approved_by__user", "revoked_by__user"
    )


def shares_for_partner(user) -> ShareQuerySet:
    """The shares in force now for ``user``'s agency (or for them by name); nothing for anyone else."""
    worker = worker_for(user)
    if worker is None:
        return Share.objects.none()
    return (
        Share.objects.in_force()
        .for_partner(worker)
        .select_related("child__person", "agency")
        .order_by("expires_at", "pk")
    )


def staff_shares_of_child(child: Child) -> ShareQuerySet:
    """Every grant of time-limited access to ``child``'s record, newest first (under ``@child_record``)."""
    return StaffShare.objects.filter(child=child).select_related(
        "worker__user", "approved_by__user", "revoked_by__user"
    )
