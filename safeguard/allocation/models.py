"""What the allocation app stores itself: the decision to allocate over a worker's caseload limit.

Allocations are ``organisation.Allocation`` rows (dated, one open per child and role, every change a new row);
the unallocated queue and caseloads are derived from them. Going over a worker's limit is a management decision
with a rationale (issue 5: "going over it needs a recorded reason"), so it is kept as a row of its own, which
the oversight dashboard reads (``selectors.over_limit_allocations``) alongside approvals and closures.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguard.organisation.models import Allocation, Team, Worker


class OverLimitAllocation(models.Model):
    """A manager allocated children to a worker knowing it took the worker over their caseload limit.

    The figures are kept as they were at the time, with the weights then in force, because caseloads and the
    council's weights change afterwards and the decision must be judged on what the manager saw. Never edited:
    a later decision is a new row.
    """

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="over_limit_allocations")
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="over_limit_allocations",
        help_text="The worker's team then",
    )
    allocations = models.ManyToManyField(Allocation, related_name="over_limit_decisions")
    weighted_before = models.DecimalField(max_digits=7, decimal_places=2)
    weighted_after = models.DecimalField(max_digits=7, decimal_places=2)
    limit = models.DecimalField(max_digits=7, decimal_places=2, help_text="The worker's limit (FTE-adjusted)")
    weights = models.JSONField(default=dict, help_text="The caseload weights in force, {name: number}")
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["team", "decided_at"], name="over_limit_team_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(weighted_after__gt=models.F("limit")), name="over_limit_is_over"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="over_limit_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} to {self.weighted_after} of {self.limit} on {self.decided_at:%Y-%m-%d}"


# The SW_REASON a child's first social worker's episode gives: first contact or re-referral (DfE SSDA903 guide
# 2023-24, social worker episodes). Reference data ``social_worker_change``; named here because the service
# records it itself when a child who had no social worker is allocated one.
FIRST_CONTACT = "FCONTA"


class SocialWorkerChange(models.Model):
    """Why a child's social worker episode began: the reason for the change of social worker (SSDA903
    SW_Episodes: SW_REASON, reference data ``social_worker_change``; DfE SSDA903 guide 2023-24, "Reason for
    social worker change"). One for each social worker allocation that has one; ``FCONTA`` when the child had
    no social worker before (a first contact or a re-referral).

    The reason belongs to the episode that begins, not the one that ends: the DfE asks it of each episode
    (rules SW01b, SW03 and SW15) and compares it with last year's open episode (SW16a, SW16c). It is kept
    here, beside the allocation (``organisation.Allocation``, the foundation's row the access policy reads),
    and recorded in the same transaction by ``services.allocation_allocate``. Never edited: it is what the
    manager said when they made the change.
    """

    allocation = models.OneToOneField(
        Allocation, on_delete=models.PROTECT, related_name="social_worker_change", primary_key=True
    )
    reason = models.CharField(max_length=6, help_text="SW_REASON (reference data: social_worker_change)")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="social_worker_change_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.allocation_id}: {self.reason}"
