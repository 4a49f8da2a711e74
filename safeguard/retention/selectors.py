"""Reads for retention. The disposal review queue is one query over every child (``rules.children_due``),
paged, with the exact dates worked out for the page shown only (``rules.facts_for``: five queries), so its
cost grows with the page, not with the council (docs/benchmarks.md, "Retention").

Every reader of case-record lists here is an information governance officer (``policies.may_review``); the
child's own retention page goes through ``@child_record`` instead.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from safeguard.people.models import Child
from safeguard.retention.models import ApprovalStatus, DisposalReview, LegalHold, ReviewDecision
from safeguard.retention.policies import may_review
from safeguard.retention.rules import Retention, children_due, facts_for, retention_of


@dataclass
class QueueRow:
    child: Child
    retention: Retention


def disposal_queue(*, user, cutoff: datetime.date) -> QuerySet[Child]:
    """Children whose retention date is on or before ``cutoff``, with no legal hold in force and no review that
    covers them (an approval standing, or a decision to keep them past ``cutoff``): what is left to review."""
    if not may_review(user):
        return Child.objects.none()
    held = Exists(LegalHold.objects.in_force().filter(child=OuterRef("pk")))
    reviewed = Exists(
        DisposalReview.objects.filter(child=OuterRef("pk")).filter(
            Q(decision=ReviewDecision.RETAIN, retain_until__gt=cutoff)
            | Q(
                decision=ReviewDecision.DISPOSE,
                status__in=[ApprovalStatus.AWAITING, ApprovalStatus.CONFIRMED],
            )
        )
    )
    return (
        children_due(cutoff)
        .exclude(held)
        .exclude(reviewed)
        .select_related("person")
        .order_by("retention_birth", "la_child_id")
    )


def with_retention(children: list[Child]) -> list[QueueRow]:
    facts = facts_for(children)
    return [QueueRow(child, retention_of(facts[child.pk])) for child in children]


def approvals_awaiting(*, user) -> QuerySet[DisposalReview]:
    if not may_review(user):
        return DisposalReview.objects.none()
    return (
        DisposalReview.objects.filter(decision=ReviewDecision.DISPOSE, status=ApprovalStatus.AWAITING)
        .select_related("child__person", "reviewed_by")
        .order_by("reviewed_at", "pk")
    )


def approved_for_disposal(*, user) -> QuerySet[DisposalReview]:
    """Confirmed approvals whose record is not (now) on legal hold: what the council may go on to dispose of,
    outside this system (docs/how-to/retention.md)."""
    if not may_review(user):
        return DisposalReview.objects.none()
    held = Exists(LegalHold.objects.in_force().filter(child=OuterRef("child")))
    return (
        DisposalReview.objects.filter(decision=ReviewDecision.DISPOSE, status=ApprovalStatus.CONFIRMED)
        .exclude(held)
        .select_related("child__person", "reviewed_by", "confirmed_by")
        .order_by("confirmed_at", "pk")
    )


def holds_in_force(*, user) -> QuerySet[LegalHold]:
    if not may_review(user):
        return LegalHold.objects.none()
    return (
        LegalHold.objects.in_force().select_related("child__person", "placed_by").order_by("placed_at", "pk")
    )


def holds_of(child: Child) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(child=child).select_related("placed_by", "lifted_by")


def reviews_of(child: Child) -> QuerySet[DisposalReview]:
    return DisposalReview.objects.filter(child=child).select_related("reviewed_by", "confirmed_by")
