"""Restricted records, the register of staff connections, and emergency ("break-glass") access (ADR 0013).

A *restriction* closes a child's record to everyone not on its access list, the director and inspectors
included: a sealed adoption (the Adoption Agencies Regulations 2005 reg 41 and the Adoption and Children Act
2002 keep adoption records confidential), a case in the news, or a record connected to a member of staff. A
*staff connection* closes one child to one worker (a relative, a neighbour), whatever their relationship.
Both are owned by the information governance officers, who manage them without thereby opening the record.

*Emergency access* lets a named role read, for at most an hour, a record they would otherwise be refused,
with a reason and their password; the Caldicott Guardian and the child's team manager are told at once and
every use is reviewed within five working days (Caldicott principles 1, "justify the purpose", and 4,
"need to know"; National Data Guardian 2020). It never opens a sealed adoption record.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguard.core.models import Recorded
from safeguard.organisation.models import Worker
from safeguard.people.models import Child

# The longest an emergency access lasts: long enough to act on an emergency, short enough that a second need
# is a second, separately justified, use (issue 8).
EMERGENCY_ACCESS_MINUTES = 60
# Every use is reviewed within this many working days (issue 8).
EMERGENCY_REVIEW_WORKING_DAYS = 5


class RestrictionKind(models.TextChoices):
    SEALED_ADOPTION = "sealed_adoption", "Sealed adoption"
    HIGH_PROFILE = "high_profile", "High profile"
    STAFF_CONNECTED = "staff_connected", "Connected to a member of staff"


class RestrictionQuerySet(models.QuerySet):
    def in_force(self) -> "RestrictionQuerySet":
        return self.filter(lifted_at__isnull=True)


class RecordRestriction(Recorded):
    """A child's record closed to everyone not on its access list. At most one in force per child."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="restrictions")
    kind = models.CharField(max_length=20, choices=RestrictionKind.choices)
    reason = models.TextField(help_text="Why the record is restricted: read by the next governance officer.")
    set_by = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lifted_reason = models.TextField(blank=True)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RestrictionKind.values), name="restriction_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(lifted_at__isnull=True),
                name="one_restriction_in_force_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} restriction on child {self.child_id}"

    @property
    def is_sealed(self) -> bool:
        return self.kind == RestrictionKind.SEALED_ADOPTION


class AccessListQuerySet(models.QuerySet):
    def current(self, day: datetime.date | None = None) -> "AccessListQuerySet":
        """Entries that give access on ``day`` (today): the restriction in force, and the entry not ended
        (an end date is the last day of access, inclusive, as for allocations)."""
        day = day or timezone.localdate()
        return self.filter(restriction__lifted_at__isnull=True).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class AccessListEntry(Recorded):
    """One worker allowed to open a restricted record, until an optional end date."""

    restriction = models.ForeignKey(RecordRestriction, on_delete=models.PROTECT, related_name="access_list")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, help_text="Why they need to see it (their role in the case).")
    end_date = models.DateField(
        null=True, blank=True, help_text="Their last day of access; empty for no end."
    )
    added_by = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")

    objects = AccessListQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["worker", "restriction"], name="access_list_worker_idx")]

    def __str__(self) -> str:
        return f"{self.worker} on {self.restriction}"


class ConnectionKind(models.TextChoices):
    RELATIVE = "relative", "Relative"
    FRIEND = "friend", "Friend"
    NEIGHBOUR = "neighbour", "Neighbour"
    FOSTER_OR_ADOPTER = "carer", "Foster carer or adopter"
    OTHER = "other", "Other connection"


class StaffConnectionQuerySet(models.QuerySet):
    def current(self) -> "StaffConnectionQuerySet":
        return self.filter(ended_at__isnull=True)


class StaffConnection(Recorded):
    """A member of staff connected to a child outside work: they may not open the child's record, whatever
    their role (a conflict of interest; Caldicott principle 4)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ConnectionKind.choices)
    details = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = StaffConnectionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["worker", "child"], name="staff_connection_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ConnectionKind.values), name="connection_kind_valid"),
            models.UniqueConstraint(
                fields=["worker", "child"], condition=Q(ended_at__isnull=True), name="one_current_connection"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} connected to child {self.child_id} ({self.get_kind_display().lower()})"


class CaldicottGuardianQuerySet(models.QuerySet):
    def current(self, day: datetime.date | None = None) -> "CaldicottGuardianQuerySet":
        day = day or timezone.localdate()
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class CaldicottGuardian(Recorded):
    """Who the council's Caldicott Guardian is (a senior person who protects the confidentiality of people's
    information: Health and Social Care (National Data Guardian) Act 2018 s1 guidance; every council with
    social care functions appoints one). Set in the administration pages; alerted to every emergency access."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = CaldicottGuardianQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Caldicott Guardian: {self.worker} from {self.start_date}"


class EmergencyReason(models.TextChoices):
    RISK_OF_HARM = "risk_of_harm", "A child may be at immediate risk of significant harm"
    OUT_OF_HOURS = "out_of_hours", "Out of hours, and the team that holds the case cannot be reached"
    POLICE_OR_HEALTH = (
        "police_or_health",
        "An urgent request from the police or health about a child's safety",
    )
    MISSING = "missing", "A child is missing or their whereabouts are unknown"
    OTHER = "other", "Another urgent safeguarding need"


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified: taken up with the worker's manager"


class EmergencyAccessQuerySet(models.QuerySet):
    def active(self, at: datetime.datetime | None = None) -> "EmergencyAccessQuerySet":
        return self.filter(expires_at__gt=at or timezone.now())

    def awaiting_review(self) -> "EmergencyAccessQuerySet":
        return self.filter(reviewed_at__isnull=True)


class EmergencyAccess(models.Model):
    """One use of emergency access: who, which child, why, until when, and its review."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    reason_category = models.CharField(max_length=20, choices=EmergencyReason.choices)
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    review_due = models.DateField(help_text="Five working days after the use (issue 8).")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    review_notes = models.TextField(blank=True)

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["worker", "child", "expires_at"], name="emergency_active_idx"),
            models.Index(
                fields=["review_due"], name="emergency_review_due_idx", condition=Q(reviewed_at__isnull=True)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason_category__in=EmergencyReason.values), name="emergency_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("granted_at")), name="emergency_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Emergency access by {self.worker} to child {self.child_id} at {self.granted_at:%Y-%m-%d %H:%M}"
        )

    def is_overdue(self, today: datetime.date) -> bool:
        return self.reviewed_at is None and today > self.review_due


class EmergencyAlert(models.Model):
    """An emergency access shown at once on a recipient's home page until they mark it seen (there is no email:
    the service sends nothing outside itself)."""

    emergency_access = models.ForeignKey(EmergencyAccess, on_delete=models.PROTECT, related_name="alerts")
    recipient = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    because = models.CharField(max_length=60, help_text='"Caldicott Guardian" or "team manager".')
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["recipient"], name="emergency_alert_unseen_idx", condition=Q(seen_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"Alert to {self.recipient} ({self.because}) of {self.emergency_access}"
