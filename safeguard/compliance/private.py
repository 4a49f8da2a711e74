"""Deadlines whose record is itself restricted: a serious incident's clocks name the incident, which only the
people its app allows may know of (safeguard.incidents.policies, ADR 0018). An app above compliance registers
the record type (``scope_type``) with a function giving the ids of those records a user may see; every list of
a child's or a worker's deadlines, and the legal exposure register, then drops the others with
``without_private``. Nothing is registered for ordinary records, whose deadlines follow the child's record.
"""

from collections.abc import Callable

from django.db.models import QuerySet

# scope_type ("incidents.seriousincident") -> visible(user): a queryset of the ids of such records user may see
PRIVATE_SCOPES: dict[str, Callable[[object], QuerySet]] = {}


def register_private_scope(scope_type: str, visible: Callable[[object], QuerySet]) -> None:
    """Called from an app's ``AppConfig.ready``."""
    PRIVATE_SCOPES[scope_type] = visible


def hidden_deadline_ids(user) -> list[int]:
    """The deadlines of private records ``user`` may not see: a few, read through the scope index."""
    from safeguard.compliance.models import Deadline

    hidden: list[int] = []
    for scope_type, visible in PRIVATE_SCOPES.items():
        hidden += (
            Deadline.objects.filter(scope_type=scope_type)
            .exclude(scope_id__in=visible(user))
            .values_list("pk", flat=True)
        )
    return hidden


def without_private(user, rows: QuerySet) -> QuerySet:
    """``rows`` (deadlines) less those belonging to a private record that ``user`` may not see.

    The hidden rows are found first and excluded by id (none, usually: the query is then unchanged), so that
    a list that reads a partial index (the legal exposure register's) still reads it."""
    hidden = hidden_deadline_ids(user)
    return rows.exclude(pk__in=hidden) if hidden else rows
