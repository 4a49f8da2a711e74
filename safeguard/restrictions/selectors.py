"""Reads for the register's owners: restricted records, staff connections, the report of every access to
them, emergency accesses waiting for review, and a user's own alerts. Each takes the user and returns nothing
to someone who may not see it."""

import datetime

from django.db.models import Q, QuerySet

from safeguard.audit.models import AccessEvent
from safeguard.audit.policy import worker_for
from safeguard.restrictions.models import (
    EmergencyAccess,
    EmergencyAlert,
    RecordRestriction,
    StaffConnection,
)
from safeguard.restrictions.policies import may_manage_register, may_review_emergency_access


def restrictions_in_force(user) -> QuerySet[RecordRestriction]:
    if not may_manage_register(user):
        return RecordRestriction.objects.none()
    return (
        RecordRestriction.objects.in_force()
        .select_related("child__person", "set_by__user")
        .order_by("-created_at")
    )


def staff_connections(user) -> QuerySet[StaffConnection]:
    if not may_manage_register(user):
        return StaffConnection.objects.none()
    return (
        StaffConnection.objects.current()
        .select_related("worker__user", "child__person")
        .order_by("-created_at")
    )


def restricted_record_accesses(user, *, since: datetime.datetime | None = None) -> QuerySet[AccessEvent]:
    """Every access, allowed or refused, to a record restricted now or to a child with a staff connection now:
    the report the register's owner reads (issue 8: "every access is reported to the restricted-records
    owner"). Read from the access log itself, so nothing can reach the record without appearing here."""
    if not may_manage_register(user):
        return AccessEvent.objects.none()
    watched = Q(child_id__in=RecordRestriction.objects.in_force().values("child_id")) | Q(
        child_id__in=StaffConnection.objects.current().values("child_id")
    )
    events = AccessEvent.objects.filter(watched)
    if since is not None:
        events = events.filter(at__gte=since)
    return events.select_related("user", "child__person").order_by("-at", "-pk")


def emergency_accesses_to_review(user) -> QuerySet[EmergencyAccess]:
    """Every use of emergency access, the unreviewed first and the oldest due first."""
    if not may_review_emergency_access(user):
        return EmergencyAccess.objects.none()
    return EmergencyAccess.objects.select_related(
        "worker__user", "child__person", "reviewed_by__user"
    ).order_by("reviewed_at", "review_due", "granted_at")


def unseen_alerts(user) -> QuerySet[EmergencyAlert]:
    worker = worker_for(user)
    if worker is None:
        return EmergencyAlert.objects.none()
    return (
        EmergencyAlert.objects.filter(recipient=worker, seen_at__isnull=True)
        .select_related("emergency_access__worker__user", "emergency_access__child__person")
        .order_by("-created_at")
    )
