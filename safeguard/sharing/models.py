"""Partner agencies, their users, and shares: a named set of fields of one child's record, given to one
agency (or one named person in it) for a stated purpose, on a stated lawful basis, until a stated moment.

A partner-agency user has no working relationship with any child: the one access policy refuses them every
record, list and search (``safeguard.sharing.policies.PARTNER_USERS``, registered as a restriction). What they
see comes only through a share in force, on the share's own page, one field at a time (ADR 0016).
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguard.core.models import Recorded
from safeguard.organisation.models import Worker
from safeguard.people.models import Child

# The longest a share may run. Working Together 2023 ch.1 ("information sharing") asks that what is shared be
# necessary, proportionate and timely; a share that outlives the enquiry it served is none of these, so it
# lapses and is made again, with a manager's fresh decision, if it is still needed.
MAX_SHARE_DAYS = 90


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    OTHER = "other", "Other"


class PartnerAgency(Recorded):
    """An organisation outside the council that the council shares children's information with: the three
    statutory safeguarding partners (police and the integrated care board: Children Act 2004 s16E) and the
    relevant agencies that work with them (schools, probation)."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)

    class Meta:
        verbose_name_plural = "partner agencies"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AgencyKind.values), name="partner_agency_kind_valid")
        ]

    def __str__(self) -> str:
        return self.name


class PartnerUser(Recorded):
    """A sign-in held by someone at a partner agency: a ``Worker`` with ``Role.PARTNER_AGENCY`` (so that the
    access policy knows them and refuses them every record) linked to the agency they work for."""

    worker = models.OneToOneField(Worker, on_delete=models.PROTECT, related_name="partner")
    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, related_name="users")

    def __str__(self) -> str:
        return f"{self.worker.name} ({self.agency})"


class LawfulBasis(models.TextChoices):
    """Why the council may give this information to this agency. Each is the legal gateway a manager records
    when they decide to share (Working Together 2023 ch.1 para 20-30; HM Government, Information sharing:
    advice for practitioners, 2024)."""

    S47_ENQUIRY = (
        "s47",
        "Children Act 1989 s47 enquiry: agencies must help with the enquiry (s47(9)-(11))",
    )
    CHILD_IN_NEED = (
        "s17",
        "Children Act 1989 s17 and s27: co-operation to provide services to a child in need",
    )
    SAFEGUARDING_PARTNERS = (
        "s16e",
        "Children Act 2004 s16E-16H: the local safeguarding arrangements",
    )
    PUBLIC_TASK_SAFEGUARDING = (
        "gdpr_6_1_e",
        "UK GDPR art. 6(1)(e) public task, with DPA 2018 Sch. 1 para 18 (safeguarding of children)",
    )


class TimeLimited:
    """In force from ``starts_at`` until ``expires_at`` (exclusive: at that moment it has ended), unless
    revoked first; the same test as ``ShareQuerySet.in_force``, for one row."""

    def refusal(self, at: datetime.datetime | None = None) -> str | None:
        """Why this share gives nothing at ``at`` (now by default), or None while it is in force."""
        at = at or timezone.now()
        if self.revoked_at is not None and self.revoked_at <= at:
            return "this share was revoked"
        if at < self.starts_at:
            return "this share has not started"
        if at >= self.expires_at:
            return "this share has expired"
        return None

    @property
    def is_in_force(self) -> bool:
        return self.refusal() is None


class ShareQuerySet(models.QuerySet):
    def in_force(self, at: datetime.datetime | None = None) -> "ShareQuerySet":
        """Shares that have started, have not reached their expiry, and have not been revoked, at ``at`` (now
        by default). Read on every request: an expired or revoked share gives nothing on the next one."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, expires_at__gt=at, revoked_at__isnull=True)

    def for_partner(self, worker: Worker) -> "ShareQuerySet":
        """Shares given to ``worker``'s agency as a whole, or to them by name."""
        partner = PartnerUser.objects.filter(worker=worker).first()
        if partner is None:
            return self.none()
        return self.filter(agency_id=partner.agency_id).filter(
            Q(partner_user__isnull=True) | Q(partner_user=partner)
        )


class Share(TimeLimited, Recorded):
    """Some fields of one child's record, shared with a partner agency (or one named user in it) from
    ``starts_at`` until ``expires_at`` (exclusive: at that moment the share has ended), unless revoked first.

    ``fields`` holds codes from the catalogue in ``safeguard.sharing.catalogue``; only those are ever shown.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="shares")
    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, related_name="shares")
    partner_user = models.ForeignKey(
        PartnerUser,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shares",
        help_text="Only this person at the agency; empty for everyone at the agency with a sign-in.",
    )
    fields = models.JSONField(default=list)
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    approved_by = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="shares_approved")
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="shares_revoked"
    )
    revoked_reason = models.TextField(blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "expires_at"], name="share_agency_expires_idx"),
            models.Index(fields=["child", "expires_at"], name="share_child_expires_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("starts_at")), name="share_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(lawful_basis__in=LawfulBasis.values), name="share_basis_valid"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="share_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Share of {self.child} with {self.agency} until {self.expires_at:%Y-%m-%d %H:%M}"


# A member of staff given time-limited access covers for a short while (a visit while the allocated worker is
# away): a longer need is an allocation, which the allocation app records and the caseload counts.
MAX_STAFF_SHARE_DAYS = 28


class StaffShare(TimeLimited, Recorded):
    """Access to one child's whole record for one member of staff with no other working relationship with
    the child (a worker in another team asked to cover a visit), from ``starts_at`` until ``expires_at``
    (exclusive), unless revoked first. It is a relationship like an allocation: registered with the one
    policy as the ``STAFF_SHARE_REACH`` (basis "time-limited share"), read on every request."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="staff_shares")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="staff_shares")
    reason = models.TextField()
    approved_by = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="staff_shares_approved")
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="staff_shares_revoked"
    )
    revoked_reason = models.TextField(blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["worker", "expires_at"], name="staff_share_worker_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("starts_at")), name="staff_share_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="staff_share_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Time-limited access to {self.child} for {self.worker} until {self.expires_at:%Y-%m-%d %H:%M}"
