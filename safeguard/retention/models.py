"""Legal holds and disposal reviews. Neither deletes anything: a hold keeps a record out of disposal review;
a review records a person's decision about a record whose retention date has passed (docs/adr/0014).

DOMAIN.md §7: "Legal holds (e.g. public inquiries) override disposal. Never dispose automatically: disposal
needs human review."
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safeguard.core.models import Recorded
from safeguard.people.models import Child


class HoldReason(models.TextChoices):
    LITIGATION = "litigation", "Litigation or a claim, made or expected"
    PUBLIC_INQUIRY = "public_inquiry", "A public inquiry (for example, an IICSA-style inquiry)"
    POLICE = "police", "A police or criminal investigation"
    REVIEW = "review", "A safeguarding practice review, complaint or Ombudsman investigation"
    INFORMATION_REQUEST = (
        "information_request",
        "A subject access or other information request being answered",
    )
    OTHER = "other", "Another reason (say what)"


class LegalHoldQuerySet(models.QuerySet):
    def in_force(self) -> "LegalHoldQuerySet":
        return self.filter(lifted_at__isnull=True)


class LegalHold(Recorded):
    """A stop on disposal, placed by the information governance officer, until they lift it. While any hold on
    a child is in force, their record never enters the disposal review queue and no disposal is approved."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="legal_holds")
    reason_kind = models.CharField(max_length=30, choices=HoldReason.choices)
    reason = models.TextField(help_text="What the hold is for, e.g. the claim or inquiry and its reference")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["child"], name="legal_hold_in_force_idx", condition=Q(lifted_at__isnull=True)
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True, lift_reason="")
                | Q(lifted_at__isnull=False, lifted_by__isnull=False) & ~Q(lift_reason=""),
                name="legal_hold_lifted_by_whom_when_why",
            ),
            models.CheckConstraint(
                condition=Q(reason_kind__in=HoldReason.values), name="legal_hold_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold ({self.get_reason_kind_display()})"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class ReviewDecision(models.TextChoices):
    RETAIN = "retain", "Keep the record until a new date"
    DISPOSE = "dispose", "Approve the record for disposal"


class ApprovalStatus(models.TextChoices):
    NONE = "", "Not an approval"
    AWAITING = "awaiting", "Awaiting a second person's confirmation"
    CONFIRMED = "confirmed", "Approved for disposal"
    DECLINED = "declined", "Not confirmed by the second person"


class DisposalReviewQuerySet(models.QuerySet):
    def approvals_standing(self) -> "DisposalReviewQuerySet":
        return self.filter(
            decision=ReviewDecision.DISPOSE, status__in=[ApprovalStatus.AWAITING, ApprovalStatus.CONFIRMED]
        )


class DisposalReview(Recorded):
    """A named person's decision about a record whose retention date has passed (or soon passes): keep it
    until a new date, with the reason, or approve it for disposal. An approval stands only once a second
    information governance officer confirms it. ``keep_until_then`` and ``rule_code`` record what the rules
    said at the time, so that the review still reads correctly if the facts later change."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="disposal_reviews")
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    reason = models.TextField()
    retain_until = models.DateField(null=True, blank=True)
    keep_until_then = models.DateField(help_text="The retention date the rules gave when reviewed")
    rule_code = models.CharField(max_length=40)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, blank=True, default="")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_note = models.TextField(blank=True)

    objects = DisposalReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        indexes = [models.Index(fields=["child", "reviewed_at"], name="disposal_review_child_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=ReviewDecision.RETAIN, retain_until__isnull=False, status="")
                | Q(
                    decision=ReviewDecision.DISPOSE,
                    retain_until__isnull=True,
                    status__in=[ApprovalStatus.AWAITING, ApprovalStatus.CONFIRMED, ApprovalStatus.DECLINED],
                ),
                name="disposal_review_decision_shape",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("reviewed_by")),
                name="disposal_review_confirmed_by_a_second_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Disposal review: {self.get_decision_display()}"
