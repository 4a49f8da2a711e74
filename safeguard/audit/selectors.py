"""Reading the two logs. The access-log pages (``safeguard/audit/log_views.py``) and subject access requests
read through these; who may call them is decided by the views (only managers and the information
governance officer read access logs), so these take the child or the user whose log is read.

Both logs are read newest first, through the ``(child, at)`` and ``(user, at)`` indexes declared on
``AccessEvent`` (``access_child_at_idx``, ``access_user_at_idx``) and ``AuditEvent`` (``audit_child_at_idx``).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from safeguard.audit.models import AccessEvent, AuditEvent
from safeguard.people.models import Child


def access_events_for_child(child: Child) -> QuerySet[AccessEvent]:
    """Every look at this child's record (allowed or refused), newest first, with who looked."""
    return (
        AccessEvent.objects.filter(child=child)
        .select_related("user", "user__worker", "user__worker__team")
        .order_by("-at", "-pk")
    )


def audit_events_for_child(child: Child) -> QuerySet[AuditEvent]:
    """Every change to this child's record, newest first, with who made it."""
    return (
        AuditEvent.objects.filter(child=child)
        .select_related("actor", "actor__worker", "actor__worker__team")
        .order_by("-at", "-pk")
    )


def access_events_by_user(user) -> QuerySet[AccessEvent]:
    """Every look at case data by this user, newest first, with the child's local ID (not their name)."""
    return (
        AccessEvent.objects.filter(user=user)
        .select_related("child")
        .only(
            "at",
            "user_id",
            "action",
            "outcome",
            "basis",
            "subject",
            "result_count",
            "ip_address",
            "child__la_child_id",
        )
        .order_by("-at", "-pk")
    )


def between(events: QuerySet, *, start: datetime.date | None, end: datetime.date | None) -> QuerySet:
    """The events on or after ``start`` and on or before ``end`` (whole days, in the service's time zone)."""
    # A range on ``at`` itself (not ``at__date``, which wraps the column in a function) so that the
    # ``(child, at)`` and ``(user, at)`` indexes serve the filter as well as the order.
    if start is not None:
        events = events.filter(at__gte=_start_of(start))
    if end is not None:
        events = events.filter(at__lt=_start_of(end + datetime.timedelta(days=1)))
    return events


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def users_with_workers() -> QuerySet:
    """Everyone who can sign in, by name, for the auditor's pick-a-user page."""
    return (
        get_user_model()
        .objects.select_related("worker", "worker__team")
        .order_by("last_name", "first_name", "username")
    )
