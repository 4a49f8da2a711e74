"""Legal holds and disposal reviews: every write checks who is asking, validates, and writes its ``AuditEvent``
in the same transaction. Nothing here deletes or changes a child's record (DOMAIN.md §7: "Never dispose
automatically: disposal needs human review"); the most a review does is mark a record approved for disposal,
which a second information governance officer must confirm (docs/adr/0014-retention.md)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.audit.services import audit_event_record, changes_between
from safeguard.people.models import Child
from safeguard.retention.models import ApprovalStatus, DisposalReview, HoldReason, LegalHold, ReviewDecision
from safeguard.retention.policies import REFUSAL, may_review
from safeguard.retention.rules import long_date, retention_for

HOLD_FIELDS = [
    "child",
    "reason_kind",
    "reason",
    "placed_by",
    "placed_at",
    "lifted_by",
    "lifted_at",
    "lift_reason",
]
REVIEW_FIELDS = [
    "child",
    "decision",
    "reason",
    "retain_until",
    "keep_until_then",
    "rule_code",
    "reviewed_by",
    "status",
    "confirmed_by",
    "confirmation_note",
]


def _reviewer(user) -> None:
    if not may_review(user):
        raise PermissionDenied(REFUSAL)


def _hold_refusal(child: Child) -> str | None:
    hold = LegalHold.objects.in_force().filter(child=child).first()
    if hold is None:
        return None
    return (
        f"This record is on legal hold ({hold.get_reason_kind_display().lower()}), so it cannot be approved "
        "for disposal. The hold must be lifted first."
    )


def legal_hold_place(*, child: Child, reason_kind: str, reason: str, placed_by) -> LegalHold:
    _reviewer(placed_by)
    if reason_kind not in HoldReason.values:
        raise ValidationError({"reason_kind": "Choose why the record is held"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter what the hold is for, e.g. the claim or inquiry"})
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()
        hold = LegalHold.objects.create(
            child=child,
            reason_kind=reason_kind,
            reason=reason.strip(),
            placed_by=placed_by,
            placed_at=timezone.now(),
            created_by=placed_by,
            modified_by=placed_by,
        )
        audit_event_record(
            actor=placed_by,
            action="retention.legal_hold_placed",
            entity=hold,
            child=child,
            changes=changes_between(None, hold, HOLD_FIELDS),
            reason=hold.reason,
        )
    return hold


def legal_hold_lift(*, hold: LegalHold, reason: str, lifted_by) -> LegalHold:
    _reviewer(lifted_by)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the hold is lifted"})
    with transaction.atomic():
        before = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if not before.in_force:
            raise ValidationError("This hold has already been lifted")
        hold = LegalHold.objects.get(pk=hold.pk)
        hold.lifted_by = lifted_by
        hold.lifted_at = timezone.now()
        hold.lift_reason = reason.strip()
        hold.modified_by = lifted_by
        hold.save()
        audit_event_record(
            actor=lifted_by,
            action="retention.legal_hold_lifted",
            entity=hold,
            child=hold.child,
            changes=changes_between(before, hold, HOLD_FIELDS),
            reason=hold.lift_reason,
        )
    return hold


def disposal_review_record(
    *,
    child: Child,
    decision: str,
    reason: str,
    reviewed_by,
    retain_until: datetime.date | None = None,
) -> DisposalReview:
    """Record a review of ``child``'s record: keep it until ``retain_until`` (after today), or approve it for
    disposal, which waits for a second person (``disposal_approval_confirm``). An approval is refused while
    the record is on legal hold, before its retention date, or while another approval stands."""
    _reviewer(reviewed_by)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if decision not in ReviewDecision.values:
        errors["decision"] = "Choose whether to keep the record or approve it for disposal"
    if not reason.strip():
        errors["reason"] = "Enter the reason for your decision"
    if decision == ReviewDecision.RETAIN:
        if retain_until is None:
            errors["retain_until"] = "Enter the date to keep the record until"
        elif retain_until <= today:
            errors["retain_until"] = "The date to keep the record until must be in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # One review at a time per child: two officers approving the same record at once would both pass the
        # "no approval stands" check below.
        Child.objects.select_for_update().filter(pk=child.pk).first()
        retention = retention_for(child)
        if retention.keep_until is None:
            raise ValidationError(retention.unknown_because)
        if decision == ReviewDecision.RETAIN and retain_until <= retention.keep_until:
            raise ValidationError(
                {
                    "retain_until": f"The rules already keep this record until {long_date(retention.keep_until)}: "
                    "enter a later date"
                }
            )
        if decision == ReviewDecision.DISPOSE:
            refusal = _hold_refusal(child)
            if refusal:
                raise ValidationError(refusal)
            if retention.keep_until > today:
                raise ValidationError(
                    f"This record must be kept until {long_date(retention.keep_until)} "
                    f"({retention.rule.title.lower()}), so it cannot be approved for disposal yet"
                )
            if DisposalReview.objects.approvals_standing().filter(child=child).exists():
                raise ValidationError("This record has already been approved for disposal")
        review = DisposalReview.objects.create(
            child=child,
            decision=decision,
            reason=reason.strip(),
            retain_until=retain_until if decision == ReviewDecision.RETAIN else None,
            keep_until_then=retention.keep_until,
            rule_code=retention.rule.code,
            reviewed_by=reviewed_by,
            reviewed_at=timezone.now(),
            status=ApprovalStatus.AWAITING if decision == ReviewDecision.DISPOSE else ApprovalStatus.NONE,
            created_by=reviewed_by,
            modified_by=reviewed_by,
        )
        audit_event_record(
            actor=reviewed_by,
            action="retention.disposal_reviewed",
            entity=review,
            child=child,
            changes=changes_between(None, review, REVIEW_FIELDS),
            reason=review.reason,
        )
    return review


def disposal_approval_confirm(
    *, review: DisposalReview, confirm: bool, note: str, confirmed_by
) -> DisposalReview:
    """A second information governance officer confirms (or declines) an approval for disposal. Confirmed,
    the record is "approved for disposal": marked, not deleted. Refused while the record is on legal hold."""
    _reviewer(confirmed_by)
    if not confirm and not note.strip():
        raise ValidationError({"note": "Enter why you do not confirm the approval"})
    with transaction.atomic():
        before = DisposalReview.objects.select_for_update().get(pk=review.pk)
        if before.decision != ReviewDecision.DISPOSE or before.status != ApprovalStatus.AWAITING:
            raise ValidationError("This approval is not waiting for confirmation")
        if before.reviewed_by_id == confirmed_by.pk:
            raise ValidationError(
                "You made this approval: a second information governance officer must confirm it"
            )
        if confirm:
            refusal = _hold_refusal(before.child)
            if refusal:
                raise ValidationError(refusal)
            retention = retention_for(before.child)
            if not retention.due_by(timezone.localdate()):
                raise ValidationError(
                    "The retention date of this record has changed since the approval and has not passed: "
                    "decline the approval and review the record again"
                )
        review = DisposalReview.objects.get(pk=review.pk)
        review.status = ApprovalStatus.CONFIRMED if confirm else ApprovalStatus.DECLINED
        review.confirmed_by = confirmed_by
        review.confirmed_at = timezone.now()
        review.confirmation_note = note.strip()
        review.modified_by = confirmed_by
        review.save()
        audit_event_record(
            actor=confirmed_by,
            action="retention.disposal_confirmed" if confirm else "retention.disposal_declined",
            entity=review,
            child=review.child,
            changes=changes_between(before, review, REVIEW_FIELDS),
            reason=review.confirmation_note,
        )
    return review
