"""Every change to a subject access request, its redactions and its disclosures.

Each service checks who is acting (``policies``), validates, runs in one transaction, guards a status change
against a concurrent one, and writes its own ``AuditEvent``; bad input raises ``ValidationError`` keyed by the
argument it is about, and changes nothing. A disclosure also writes an ``AccessEvent`` (an export of the
child's record) in the same transaction. Nothing here changes the records disclosed.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision, worker_for
from safeguard.audit.services import access_event_record, audit_event_record, changes_between
from safeguard.organisation.models import Role, Worker
from safeguard.people.models import Child
from safeguard.sar import policies
from safeguard.sar.models import (
    EVERYWHERE,
    OPEN_STATUSES,
    Disclosure,
    Redaction,
    RedactionReason,
    RequesterKind,
    SarStatus,
    SubjectAccessRequest,
    response_due,
)
from safeguard.sar.package import Package, PackageError, apply_redactions, build_package
from safeguard.sar.sources import Item

REQUEST_FIELDS = [
    "child",
    "requester_kind",
    "requester_name",
    "requester_authority",
    "received_on",
    "identity_requested",
    "identity_checked_on",
    "clock_starts_on",
    "due_on",
    "extended_due_on",
    "extension_reason",
    "extension_told_on",
    "status",
    "assigned_to",
    "outcome_reason",
    "finished_on",
]

# The steps of the work, and where each may be taken from.
MOVES = {
    SarStatus.IN_PROGRESS: (SarStatus.RECEIVED, SarStatus.READY_FOR_REVIEW),
    SarStatus.READY_FOR_REVIEW: (SarStatus.IN_PROGRESS,),
}


def _officer(user) -> Worker:
    if not policies.is_information_governance(user):
        raise PermissionDenied("Only information governance officers handle subject access requests")
    return worker_for(user)


def _assigned(user, request: SubjectAccessRequest) -> None:
    refusal = policies.work_refusal(user, request)
    if refusal:
        raise PermissionDenied(refusal)


def _check_assignee(officer: Worker | None) -> None:
    if officer is None:
        return
    if officer.role != Role.INFORMATION_GOVERNANCE or not officer.user.is_active:
        raise ValidationError({"assigned_to": "Choose an information governance officer"})


def _clock(received_on, identity_requested, identity_checked_on):
    """When the month starts: on receipt, or, if proof of identity or authority had to be asked for, on the
    day it arrived (UK GDPR art. 12(6); ICO: "within one month of receipt of ... any information requested to
    confirm the requester's identity"). ``None`` while still waiting for it."""
    if identity_requested:
        return identity_checked_on
    return received_on


def _save_changes(request: SubjectAccessRequest, before: SubjectAccessRequest, by, action: str, reason=""):
    request.modified_by = by
    request.save()
    audit_event_record(
        actor=by,
        action=action,
        entity=request,
        child=request.child,
        changes=changes_between(before, request, REQUEST_FIELDS),
        reason=reason,
    )


def _locked(request: SubjectAccessRequest) -> tuple[SubjectAccessRequest, SubjectAccessRequest]:
    """The request as stored now, locked for this transaction, and a copy to compare against."""
    current = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    before = SubjectAccessRequest.objects.get(pk=request.pk)
    return current, before


def sar_receive(
    *,
    by,
    child: Child,
    requester_kind: str,
    received_on: datetime.date,
    requester_name: str = "",
    requester_authority: str = "",
    identity_requested: bool = False,
    identity_checked_on: datetime.date | None = None,
    assigned_to: Worker | None = None,
) -> SubjectAccessRequest:
    """Log a request as it arrives; the due date follows from the day it arrived (``models.response_due``)."""
    _officer(by)
    today = timezone.localdate()
    errors = {}
    if requester_kind not in RequesterKind.values:
        errors["requester_kind"] = "Choose who made the request"
    elif requester_kind != RequesterKind.SUBJECT:
        if not requester_name.strip():
            errors["requester_name"] = "Enter the name of the person who made the request"
        if not requester_authority.strip():
            errors["requester_authority"] = (
                "Enter the authority they showed to act for the person (parental responsibility, written "
                "consent, a court order)"
            )
    if received_on > today:
        errors["received_on"] = "The date the request was received must be today or in the past"
    if identity_checked_on is not None:
        if identity_checked_on > today:
            errors["identity_checked_on"] = "The date identity was checked must be today or in the past"
        elif identity_checked_on < received_on:
            errors["identity_checked_on"] = (
                "The date identity was checked must be on or after the date received"
            )
    try:
        _check_assignee(assigned_to)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    clock = _clock(received_on, identity_requested, identity_checked_on)
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            child=child,
            requester_kind=requester_kind,
            requester_name=requester_name.strip(),
            requester_authority=requester_authority.strip(),
            received_on=received_on,
            identity_requested=identity_requested,
            identity_checked_on=identity_checked_on,
            clock_starts_on=clock,
            due_on=response_due(clock) if clock else None,
            assigned_to=assigned_to,
            created_by=by,
            modified_by=by,
        )
        audit_event_record(
            actor=by,
            action="subject_access_request.received",
            entity=request,
            child=child,
            changes=changes_between(None, request, REQUEST_FIELDS),
        )
    return request


def sar_assign(*, request: SubjectAccessRequest, by, officer: Worker) -> SubjectAccessRequest:
    _officer(by)
    _check_assignee(officer)
    with transaction.atomic():
        request, before = _locked(request)
        if not request.is_open:
            raise ValidationError({"assigned_to": "This request is no longer open"})
        request.assigned_to = officer
        _save_changes(request, before, by, "subject_access_request.assigned")
    return request


def sar_record_identity(
    *, request: SubjectAccessRequest, by, checked_on: datetime.date
) -> SubjectAccessRequest:
    """Proof of identity (or of authority to act) has arrived and been checked; if the clock was waiting for
    it, the month starts now."""
    _officer(by)
    with transaction.atomic():
        request, before = _locked(request)
        if not request.is_open:
            raise ValidationError({"checked_on": "This request is no longer open"})
        if checked_on > timezone.localdate():
            raise ValidationError(
                {"checked_on": "The date identity was checked must be today or in the past"}
            )
        if checked_on < request.received_on:
            raise ValidationError(
                {"checked_on": "The date identity was checked must be on or after the date received"}
            )
        if request.extended_due_on is not None:
            raise ValidationError(
                {"checked_on": "The request has been extended: its clock can no longer move"}
            )
        request.identity_checked_on = checked_on
        request.clock_starts_on = _clock(request.received_on, request.identity_requested, checked_on)
        request.due_on = response_due(request.clock_starts_on)
        _save_changes(request, before, by, "subject_access_request.identity_checked")
    return request


def sar_extend(
    *, request: SubjectAccessRequest, by, reason: str, told_on: datetime.date
) -> SubjectAccessRequest:
    """Extend by two further months: once, for a complex request or many requests, with the reason, and only
    if the requester was told within the first month (UK GDPR art. 12(3))."""
    _assigned(by, request)
    with transaction.atomic():
        request, before = _locked(request)
        errors = {}
        if request.due_on is None:
            errors["told_on"] = "The clock has not started: record the identity check first"
        elif request.extended_due_on is not None:
            errors["told_on"] = (
                "This request has already been extended: it can be extended once, by two months"
            )
        if not reason.strip():
            errors["reason"] = "Enter why the request needs longer (how it is complex, or how many requests)"
        if not errors:
            if told_on > timezone.localdate():
                errors["told_on"] = "The date the requester was told must be today or in the past"
            elif told_on < request.received_on:
                errors["told_on"] = "The date the requester was told must be on or after the date received"
            elif told_on > request.due_on:
                errors["told_on"] = (
                    f"The requester must be told within the first month, by {request.due_on:%-d %B %Y}: "
                    "the request can no longer be extended"
                )
        if errors:
            raise ValidationError(errors)
        request.extended_due_on = request.latest_extended_due
        request.extension_reason = reason.strip()
        request.extension_told_on = told_on
        _save_changes(request, before, by, "subject_access_request.extended", reason=reason.strip())
    return request


def sar_move(*, request: SubjectAccessRequest, by, to: str) -> SubjectAccessRequest:
    """Start the work, send it for review, or take it back from review."""
    _assigned(by, request)
    if to not in MOVES:
        raise ValidationError({"status": "Choose what to do next"})
    with transaction.atomic():
        request, before = _locked(request)
        if request.status not in MOVES[to]:
            raise ValidationError(
                {
                    "status": f"A request that is {request.get_status_display().lower()} cannot be moved to that step"
                }
            )
        request.status = to
        _save_changes(request, before, by, f"subject_access_request.{to}")
    return request


def _finish(request, by, *, status: str, reason: str, allowed_from, action: str) -> SubjectAccessRequest:
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason"})
    with transaction.atomic():
        request, before = _locked(request)
        if request.status not in allowed_from:
            raise ValidationError(
                {"reason": f"A request that is {request.get_status_display().lower()} cannot be {status}"}
            )
        request.status = status
        request.outcome_reason = reason.strip()
        request.finished_on = timezone.localdate()
        _save_changes(request, before, by, action, reason=reason.strip())
    return request


def sar_refuse(*, request: SubjectAccessRequest, by, reason: str) -> SubjectAccessRequest:
    """Refuse a request (manifestly unfounded or excessive, UK GDPR art. 12(5); identity never proved), with
    the reason, which the requester must be told with their right to complain (art. 12(4))."""
    _assigned(by, request)
    return _finish(
        request,
        by,
        status=SarStatus.REFUSED,
        reason=reason,
        allowed_from=OPEN_STATUSES,
        action="subject_access_request.refused",
    )


def sar_close(*, request: SubjectAccessRequest, by, reason: str) -> SubjectAccessRequest:
    """Close a request: after disclosure, or when the requester withdraws it."""
    _officer(by)
    return _finish(
        request,
        by,
        status=SarStatus.CLOSED,
        reason=reason,
        allowed_from=(*OPEN_STATUSES, SarStatus.DISCLOSED),
        action="subject_access_request.closed",
    )


def redaction_add(
    *,
    request: SubjectAccessRequest,
    by,
    item: Item | None,
    field: str = "",
    text: str = "",
    reason: str,
    explanation: str,
    everywhere: bool = False,
) -> Redaction:
    """Withhold a whole item, one of its fields, or an exact run of text in a field (which must be there).

    With ``everywhere``, the run of text is withheld wherever it appears in the package: a third party's name
    is in a note, and also in the change log's copy of the note and perhaps in a plan."""
    _assigned(by, request)
    errors = {}
    if item is None:
        errors["item"] = "That record is not in this person's export"
    elif field and item.field(field) is None:
        errors["field"] = "Choose a field of this record"
    elif text and not field:
        errors["text"] = "Choose the field the text is in"
    elif text and text not in item.field(field).value:
        errors["text"] = "The text to withhold must be copied exactly from the field"
    elif everywhere and not text:
        errors["text"] = "Enter the exact text to withhold wherever it appears"
    if reason not in RedactionReason.values:
        errors["reason"] = "Choose the exemption you are relying on"
    if not explanation.strip():
        errors["explanation"] = "Explain why the exemption applies here"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        redaction = Redaction.objects.create(
            request=request,
            item_key=EVERYWHERE if everywhere else item.key,
            field=EVERYWHERE if everywhere else field,
            text=text,
            reason=reason,
            explanation=explanation.strip(),
            made_by=by,
        )
        audit_event_record(
            actor=by,
            action="redaction.added",
            entity=redaction,
            child=request.child,
            changes={
                "item_key": [None, redaction.item_key],
                "field": [None, redaction.field],
                "reason": [None, reason],
            },
            reason=explanation.strip(),
        )
    return redaction


def redaction_withdraw(*, redaction: Redaction, by, reason: str) -> Redaction:
    _assigned(by, redaction.request)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the redaction is withdrawn"})
    with transaction.atomic():
        updated = Redaction.objects.filter(pk=redaction.pk, withdrawn_at__isnull=True).update(
            withdrawn_by=by, withdrawn_at=timezone.now(), withdrawn_reason=reason.strip()
        )
        if not updated:
            raise ValidationError({"reason": "This redaction has already been withdrawn"})
        redaction.refresh_from_db()
        audit_event_record(
            actor=by,
            action="redaction.withdrawn",
            entity=redaction,
            child=redaction.request.child,
            changes={"withdrawn_at": [None, redaction.withdrawn_at.isoformat()]},
            reason=reason.strip(),
        )
    return redaction


def disclosure_make(
    *, request: SubjectAccessRequest, by, items: list[Item], sent_to: str, method: str, http_request
) -> tuple[Disclosure, Package]:
    """Build the package with the redactions in force, log what went to whom (a ``Disclosure`` row, an
    ``AuditEvent`` and an ``AccessEvent`` export), and mark the request disclosed."""
    _assigned(by, request)
    errors = {}
    if not sent_to.strip():
        errors["sent_to"] = "Enter who the package is being sent to"
    if not method.strip():
        errors["method"] = "Enter how it is being sent"
    if request.status != SarStatus.READY_FOR_REVIEW:
        errors["sent_to"] = "Send the request for review before disclosing"
    if request.identity_checked_on is None:
        errors["sent_to"] = "Record the identity check before disclosing"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request, before = _locked(request)
        redactions = list(request.redactions.filter(withdrawn_at__isnull=True))
        shown = apply_redactions(items, redactions)
        try:
            package = build_package(request=request, shown=shown, made_on=timezone.localdate())
        except PackageError as error:
            raise ValidationError({"sent_to": str(error)}) from error
        disclosure = Disclosure.objects.create(
            request=request,
            disclosed_by=by,
            sent_to=sent_to.strip(),
            method=method.strip(),
            items=[
                {"key": e.item.key, "fingerprint": e.item.fingerprint, "withheld": e.withheld is not None}
                for e in shown
            ],
            redactions=[
                {"id": r.pk, "item_key": r.item_key, "field": r.field, "reason": r.reason} for r in redactions
            ],
            documents=package.documents,
            file_name=package.file_name,
            package_sha256=package.sha256,
        )
        request.status = SarStatus.DISCLOSED
        request.finished_on = timezone.localdate()
        _save_changes(request, before, by, "subject_access_request.disclosed")
        audit_event_record(
            actor=by,
            action="disclosure.made",
            entity=disclosure,
            child=request.child,
            changes={"sent_to": [None, disclosure.sent_to], "items": [None, len(shown)]},
        )
        access_event_record(
            request=http_request,
            action=AccessAction.EXPORT,
            decision=Decision(True, policies.SUBJECT_ACCESS),
            child=request.child,
            subject=package.file_name,
            result_count=len(shown),
        )
    return disclosure, package
