"""Writing the two logs. Every service that changes case data calls ``audit_event_record`` itself, inside its
own transaction, so that a change and its audit row commit or fail together."""

from typing import Any

from django.db import models

from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome, AuditEvent
from safeguard.audit.policy import Decision
from safeguard.people.models import Child


def client_ip(request) -> str | None:
    """The caller's address. Behind a proxy, gunicorn's ``--forwarded-allow-ips`` sets REMOTE_ADDR for us."""
    return request.META.get("REMOTE_ADDR") or None


def access_event_record(
    *,
    request,
    action: AccessAction,
    decision: Decision,
    child: Child | None = None,
    subject: str = "",
    result_count: int | None = None,
) -> AccessEvent:
    return AccessEvent.objects.create(
        user=request.user,
        child=child,
        action=action,
        outcome=AccessOutcome.ALLOWED if decision.allowed else AccessOutcome.REFUSED,
        basis=decision.reason[:60],
        subject=subject[:300],
        result_count=result_count,
        ip_address=client_ip(request),
    )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def changes_between(before: models.Model | None, after: models.Model, fields: list[str]) -> dict[str, list]:
    """``{field: [old, new]}`` for the fields that differ (every field, with old None, for a new row)."""
    changed = {}
    for name in fields:
        new = _jsonable(getattr(after, name))
        old = _jsonable(getattr(before, name)) if before is not None else None
        if before is None or old != new:
            changed[name] = [old, new]
    return changed


def audit_event_record(
    *,
    actor,
    action: str,
    entity: models.Model,
    child: Child | None = None,
    changes: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        entity_type=entity._meta.label_lower,
        entity_id=str(entity.pk),
        child=child,
        changes=changes or {},
        reason=reason,
    )
