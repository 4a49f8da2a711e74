"""Writes for restricted records, staff connections and emergency access. Each checks who may do it, runs in
one transaction and writes its ``AuditEvent`` (ADR 0013)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.audit.policy import worker_for
from safeguard.audit.services import audit_event_record, changes_between
from safeguard.core.calendar import add_working_days
from safeguard.organisation.models import Allocation, AllocationRole, Role, Worker
from safeguard.people.models import Child
from safeguard.restrictions.models import (
    EMERGENCY_ACCESS_MINUTES,
    EMERGENCY_REVIEW_WORKING_DAYS,
    AccessListEntry,
    CaldicottGuardian,
    ConnectionKind,
    EmergencyAccess,
    EmergencyAlert,
    EmergencyReason,
    RecordRestriction,
    RestrictionKind,
    ReviewOutcome,
    StaffConnection,
)
from safeguard.restrictions.policies import (
    emergency_access_refusal,
    may_manage_register,
    may_review_emergency_access,
)


def _governance_officer(user) -> Worker:
    if not may_manage_register(user):
        raise PermissionDenied("Only an information governance officer manages restricted records")
    return worker_for(user)


def restriction_set(*, child: Child, kind: RestrictionKind, reason: str, set_by) -> RecordRestriction:
    officer = _governance_officer(set_by)
    if kind not in RestrictionKind.values:
        raise ValidationError({"kind": "Choose why the record is restricted"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the record is restricted"})
    with transaction.atomic():
        if RecordRestriction.objects.in_force().filter(child=child).exists():
            raise ValidationError({"child": "This child's record is already restricted"})
        restriction = RecordRestriction.objects.create(
            child=child,
            kind=kind,
            reason=reason.strip(),
            set_by=officer,
            created_by=set_by,
            modified_by=set_by,
        )
        audit_event_record(
            actor=set_by,
            action="restriction.set",
            entity=restriction,
            child=child,
            changes=changes_between(None, restriction, ["kind", "set_by"]),
            reason=restriction.reason,
        )
    return restriction


def restriction_lift(*, restriction: RecordRestriction, reason: str, lifted_by) -> RecordRestriction:
    officer = _governance_officer(lifted_by)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the restriction is lifted"})
    with transaction.atomic():
        updated = RecordRestriction.objects.filter(pk=restriction.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=officer, lifted_reason=reason.strip(), modified_by=lifted_by
        )
        if not updated:
            raise ValidationError("This restriction has already been lifted")
        restriction.refresh_from_db()
        audit_event_record(
            actor=lifted_by,
            action="restriction.lifted",
            entity=restriction,
            child=restriction.child,
            changes={"lifted_at": [None, restriction.lifted_at.isoformat()]},
            reason=restriction.lifted_reason,
        )
    return restriction


def access_list_add(
    *, restriction: RecordRestriction, worker: Worker, reason: str, end_date: datetime.date | None, added_by
) -> AccessListEntry:
    officer = _governance_officer(added_by)
    if restriction.lifted_at is not None:
        raise ValidationError("This restriction has been lifted")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why they need to see the record"})
    if end_date is not None and end_date < timezone.localdate():
        raise ValidationError({"end_date": "The last day of access must be today or in the future"})
    if StaffConnection.objects.current().filter(worker=worker, child_id=restriction.child_id).exists():
        raise ValidationError({"worker": "This worker is recorded as connected to the child"})
    with transaction.atomic():
        entry = AccessListEntry.objects.create(
            restriction=restriction,
            worker=worker,
            reason=reason.strip(),
            end_date=end_date,
            added_by=officer,
            created_by=added_by,
            modified_by=added_by,
        )
        audit_event_record(
            actor=added_by,
            action="restriction.access_granted",
            entity=entry,
            child=restriction.child,
            changes=changes_between(None, entry, ["worker", "end_date"]),
            reason=entry.reason,
        )
    return entry


def access_list_end(*, entry: AccessListEntry, ended_by) -> AccessListEntry:
    """Ends a worker's access today: yesterday becomes their last day, so it stops at once."""
    _governance_officer(ended_by)
    before = AccessListEntry.objects.get(pk=entry.pk)
    with transaction.atomic():
        entry.end_date = timezone.localdate() - datetime.timedelta(days=1)
        entry.modified_by = ended_by
        entry.save(update_fields=["end_date", "modified_by", "modified_at"])
        audit_event_record(
            actor=ended_by,
            action="restriction.access_ended",
            entity=entry,
            child=entry.restriction.child,
            changes=changes_between(before, entry, ["end_date"]),
        )
    return entry


def staff_connection_record(
    *, worker: Worker, child: Child, kind: ConnectionKind, details: str, recorded_by
) -> StaffConnection:
    officer = _governance_officer(recorded_by)
    with transaction.atomic():
        if StaffConnection.objects.current().filter(worker=worker, child=child).exists():
            raise ValidationError({"worker": "This connection is already recorded"})
        connection = StaffConnection.objects.create(
            worker=worker,
            child=child,
            kind=kind,
            details=details.strip(),
            recorded_by=officer,
            created_by=recorded_by,
            modified_by=recorded_by,
        )
        # A connected worker cannot stay on the access list of the child's restricted record.
        for entry in AccessListEntry.objects.current().filter(worker=worker, restriction__child=child):
            access_list_end(entry=entry, ended_by=recorded_by)
        audit_event_record(
            actor=recorded_by,
            action="staff_connection.recorded",
            entity=connection,
            child=child,
            changes=changes_between(None, connection, ["worker", "kind"]),
            reason=connection.details,
        )
    return connection


def staff_connection_end(*, connection: StaffConnection, ended_by) -> StaffConnection:
    officer = _governance_officer(ended_by)
    with transaction.atomic():
        updated = StaffConnection.objects.filter(pk=connection.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=officer, modified_by=ended_by
        )
        if not updated:
            raise ValidationError("This connection has already ended")
        connection.refresh_from_db()
        audit_event_record(
            actor=ended_by,
            action="staff_connection.ended",
            entity=connection,
            child=connection.child,
            changes={"ended_at": [None, connection.ended_at.isoformat()]},
        )
    return connection


def team_managers_of(child: Child) -> list[Worker]:
    """The team managers of the teams holding the child's current social worker allocations."""
    teams = (
        Allocation.objects.current().filter(child=child, role=AllocationRole.SOCIAL_WORKER).values("team_id")
    )
    return list(Worker.objects.filter(role=Role.TEAM_MANAGER, team_id__in=teams, user__is_active=True))


def emergency_access_grant(
    *, user, child: Child, reason_category: EmergencyReason, reason: str, password: str
) -> EmergencyAccess:
    """Open ``child``'s record to ``user`` to read, for an hour, in an emergency. Nothing is granted unless the
    password is right, a reason is given and the rules allow it (``policies.emergency_access_refusal``)."""
    refusal = emergency_access_refusal(user, child)
    if refusal:
        raise PermissionDenied(refusal)
    errors = {}
    if reason_category not in EmergencyReason.values:
        errors["reason_category"] = "Choose the kind of emergency"
    if not reason.strip():
        errors["reason"] = "Enter what the emergency is and why you need this record"
    if not password or not user.check_password(password):
        errors["password"] = "Your password is not right: enter the password you signed in with"  # noqa: S105
    if errors:
        raise ValidationError(errors)
    worker = worker_for(user)
    now = timezone.now()
    with transaction.atomic():
        grant = EmergencyAccess.objects.create(
            worker=worker,
            child=child,
            reason_category=reason_category,
            reason=reason.strip(),
            granted_at=now,
            expires_at=now + datetime.timedelta(minutes=EMERGENCY_ACCESS_MINUTES),
            review_due=add_working_days(timezone.localtime(now).date(), EMERGENCY_REVIEW_WORKING_DAYS),
        )
        recipients: dict[int, tuple[Worker, str]] = {}
        for guardian in CaldicottGuardian.objects.current().select_related("worker"):
            recipients.setdefault(guardian.worker_id, (guardian.worker, "Caldicott Guardian"))
        managers = team_managers_of(child)
        if not managers and worker.manager_id:
            # No team holds the child: their own manager answers for why they looked.
            managers = [worker.manager]
        for manager in managers:
            recipients.setdefault(manager.pk, (manager, "team manager"))
        recipients.pop(worker.pk, None)  # nobody is alerted to their own use; the review still is
        EmergencyAlert.objects.bulk_create(
            EmergencyAlert(emergency_access=grant, recipient=recipient, because=because)
            for recipient, because in recipients.values()
        )
        audit_event_record(
            actor=user,
            action="emergency_access.granted",
            entity=grant,
            child=child,
            changes={
                "reason_category": [None, grant.reason_category],
                "expires_at": [None, grant.expires_at.isoformat()],
            },
            reason=grant.reason,
        )
    return grant


def emergency_access_review(
    *, emergency_access: EmergencyAccess, outcome: ReviewOutcome, notes: str, reviewed_by
) -> EmergencyAccess:
    if not may_review_emergency_access(reviewed_by):
        raise PermissionDenied(
            "Only the Caldicott Guardian or an information governance officer reviews this"
        )
    reviewer = worker_for(reviewed_by)
    if reviewer.pk == emergency_access.worker_id:
        raise PermissionDenied("Nobody reviews their own emergency access")
    errors = {}
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = "Choose whether the emergency access was justified"
    if not notes.strip():
        errors["notes"] = "Enter what you checked and what you found"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = EmergencyAccess.objects.filter(pk=emergency_access.pk, reviewed_at__isnull=True).update(
            reviewed_at=timezone.now(),
            reviewed_by=reviewer,
            review_outcome=outcome,
            review_notes=notes.strip(),
        )
        if not updated:
            raise ValidationError("This emergency access has already been reviewed")
        emergency_access.refresh_from_db()
        audit_event_record(
            actor=reviewed_by,
            action="emergency_access.reviewed",
            entity=emergency_access,
            child=emergency_access.child,
            changes={"review_outcome": [None, outcome]},
            reason=emergency_access.review_notes,
        )
    return emergency_access


def emergency_alert_seen(*, alert: EmergencyAlert, user) -> EmergencyAlert:
    worker = worker_for(user)
    if worker is None or alert.recipient_id != worker.pk:
        raise PermissionDenied("This alert is someone else's")
    with transaction.atomic():
        EmergencyAlert.objects.filter(pk=alert.pk, seen_at__isnull=True).update(seen_at=timezone.now())
        alert.refresh_from_db()
        audit_event_record(actor=user, action="emergency_alert.seen", entity=alert, child=None)
    return alert
