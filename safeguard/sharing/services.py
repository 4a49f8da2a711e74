"""Writes: linking a partner user to their agency, sharing a child's record, revoking a share. Each checks who
may, validates, and writes its ``AuditEvent`` in the same transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.audit.policy import worker_for
from safeguard.audit.services import audit_event_record, changes_between
from safeguard.organisation.models import Role, Worker
from safeguard.people.models import Child
from safeguard.sharing.catalogue import CATALOGUE
from safeguard.sharing.models import (
    MAX_SHARE_DAYS,
    MAX_STAFF_SHARE_DAYS,
    LawfulBasis,
    PartnerAgency,
    PartnerUser,
    Share,
    StaffShare,
)
from safeguard.sharing.policies import SHARING_ROLES, sharing_refusal

SHARE_FIELDS = [
    "child",
    "agency",
    "partner_user",
    "fields",
    "purpose",
    "lawful_basis",
    "approved_by",
    "starts_at",
    "expires_at",
]


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The moment ``day`` ends in the council's time zone: midnight at the start of the next day. A share
    whose last day is ``day`` is in force until just before this moment, and refused from it."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def partner_user_link(*, worker: Worker, agency: PartnerAgency, linked_by) -> PartnerUser:
    """Record that ``worker`` (a partner-agency sign-in) works for ``agency``. Only for partner users: a
    member of staff linked to an agency would gain nothing, and would confuse the shares list."""
    if worker.role != Role.PARTNER_AGENCY:
        raise ValidationError({"worker": "Only a partner agency user can be linked to a partner agency"})
    with transaction.atomic():
        partner, _ = PartnerUser.objects.update_or_create(
            worker=worker, defaults={"agency": agency, "modified_by": linked_by}
        )
        audit_event_record(
            actor=linked_by, action="partner_user_link", entity=partner, changes={"agency": [None, agency.pk]}
        )
    return partner


def share_create(
    *,
    child: Child,
    agency: PartnerAgency,
    partner_user: PartnerUser | None,
    fields: list[str],
    purpose: str,
    lawful_basis: str,
    last_day: datetime.date,
    created_by,
) -> Share:
    """Share ``fields`` of ``child``'s record with ``agency`` (or one named user in it) from now until the end
    of ``last_day``, at most ``MAX_SHARE_DAYS`` days ahead. Only a manager who may change the record shares it
    (``policies.sharing_refusal``); the decision, its purpose and lawful basis are recorded."""
    refusal = sharing_refusal(created_by, child)
    if refusal:
        raise PermissionDenied(refusal)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not fields:
        errors["fields"] = "Choose at least one thing to share"
    elif any(code not in CATALOGUE for code in fields):
        errors["fields"] = "Choose only from the list"
    if not purpose.strip():
        errors["purpose"] = "Enter why the agency needs this information"
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Choose the lawful basis for sharing"
    if last_day < today:
        errors["last_day"] = "The last day of the share must be today or in the future"
    elif last_day > today + datetime.timedelta(days=MAX_SHARE_DAYS):
        errors["last_day"] = f"The last day of the share must be within {MAX_SHARE_DAYS} days of today"
    if partner_user is not None and partner_user.agency_id != agency.pk:
        errors["partner_user"] = "Choose someone who works for the agency you are sharing with"
    if errors:
        raise ValidationError(errors)
    approver = worker_for(created_by)
    assert approver is not None and approver.role in SHARING_ROLES  # sharing_refusal said so
    with transaction.atomic():
        share = Share.objects.create(
            child=child,
            agency=agency,
            partner_user=partner_user,
            fields=[code for code in CATALOGUE if code in fields],
            purpose=purpose.strip(),
            lawful_basis=lawful_basis,
            approved_by=approver,
            starts_at=timezone.now(),
            expires_at=end_of_day(last_day),
            created_by=created_by,
            modified_by=created_by,
        )
        audit_event_record(
            actor=created_by,
            action="share_create",
            entity=share,
            child=child,
            changes=changes_between(None, share, SHARE_FIELDS),
            reason=share.purpose,
        )
    return share


def share_revoke(*, share: Share, reason: str, revoked_by) -> Share:
    """End a share now, before its expiry: the partner is refused on their very next request."""
    return _revoke(Share, share, reason, revoked_by, action="share_revoke")


def _revoke(model, share, reason: str, revoked_by, *, action: str):
    refusal = sharing_refusal(revoked_by, share.child)
    if refusal:
        raise PermissionDenied(refusal)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the share is revoked"})
    now = timezone.now()
    with transaction.atomic():
        # Guarded: of two managers revoking at once, the second is told rather than overwriting the first.
        updated = model.objects.filter(pk=share.pk, revoked_at__isnull=True, expires_at__gt=now).update(
            revoked_at=now,
            revoked_by=worker_for(revoked_by),
            revoked_reason=reason.strip(),
            modified_by=revoked_by,
        )
        if not updated:
            raise ValidationError({"reason": "This share has already ended"})
        share.refresh_from_db()
        audit_event_record(
            actor=revoked_by,
            action=action,
            entity=share,
            child=share.child,
            changes={"revoked_at": [None, now.isoformat()]},
            reason=share.revoked_reason,
        )
    return share


# -- time-limited access for staff ----------------------------------------------------------------------------

STAFF_SHARE_FIELDS = ["child", "worker", "reason", "approved_by", "starts_at", "expires_at"]


def staff_share_create(
    *, child: Child, worker: Worker, reason: str, last_day: datetime.date, created_by
) -> StaffShare:
    """Give ``worker`` (a member of staff, not a partner) access to ``child``'s record from now until the end
    of ``last_day``, at most ``MAX_STAFF_SHARE_DAYS`` ahead. A manager who may change the record decides."""
    refusal = sharing_refusal(created_by, child)
    if refusal:
        raise PermissionDenied(refusal)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if worker.role in {Role.PARTNER_AGENCY, Role.ADMINISTRATOR}:
        errors["worker"] = "Choose a member of staff who works with children"
    elif not worker.user.is_active:
        errors["worker"] = "Choose someone who can still sign in"
    if not reason.strip():
        errors["reason"] = "Enter why they need access"
    if last_day < today:
        errors["last_day"] = "The last day of access must be today or in the future"
    elif last_day > today + datetime.timedelta(days=MAX_STAFF_SHARE_DAYS):
        errors["last_day"] = f"The last day of access must be within {MAX_STAFF_SHARE_DAYS} days of today"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        share = StaffShare.objects.create(
            child=child,
            worker=worker,
            reason=reason.strip(),
            approved_by=worker_for(created_by),
            starts_at=timezone.now(),
            expires_at=end_of_day(last_day),
            created_by=created_by,
            modified_by=created_by,
        )
        audit_event_record(
            actor=created_by,
            action="staff_share_create",
            entity=share,
            child=child,
            changes=changes_between(None, share, STAFF_SHARE_FIELDS),
            reason=share.reason,
        )
    return share


def staff_share_revoke(*, share: StaffShare, reason: str, revoked_by) -> StaffShare:
    """End time-limited access now: the worker is refused on their very next request."""
    return _revoke(StaffShare, share, reason, revoked_by, action="staff_share_revoke")
