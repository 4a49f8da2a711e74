"""Serious incidents: a child dies or is seriously harmed and abuse or neglect is known or suspected
(Children Act 2004 s16C(1)), and what follows from it: the notification to the Child Safeguarding Practice
Review Panel, the rapid review, and any local child safeguarding practice review.

An incident is recorded against the child it happened to; ``SeriousIncidentChild`` links it to every child
of the household at the time (the subject and their siblings), so that each of their records can show it to
those who may see it (``policies``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.core.calendar import working_days_between
from safeguard.core.models import Recorded
from safeguard.organisation.models import Area, Team, Worker
from safeguard.people.models import Child


class Harm(models.TextChoices):
    DIED = "died", "The child died"
    SERIOUSLY_HARMED = "seriously_harmed", "The child was seriously harmed"


class AbuseOrNeglect(models.TextChoices):
    KNOWN = "known", "Known"
    SUSPECTED = "suspected", "Suspected"


class SeriousIncident(Recorded):
    """One serious incident, recorded against the child it happened to.

    ``became_aware_on`` is the day the council became aware of it: every statutory clock runs from it
    (Children Act 2004 s16C(1); Working Together 2023 ch.5).
    """

    reference = models.CharField(max_length=20, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="serious_incidents")
    harm = models.CharField(max_length=20, choices=Harm.choices)
    abuse_or_neglect = models.CharField(max_length=10, choices=AbuseOrNeglect.choices)
    occurred_on = models.DateField(null=True, blank=True)
    became_aware_on = models.DateField()
    looked_after = models.BooleanField(help_text="The child was looked after when it happened")
    summary = models.TextField()
    lead = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="serious_incidents_led", help_text="The lead officer"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Recorded in error (the wrong child, not a serious incident after all): the incident is kept, its clocks
    # stop, and the notice leaves the household's records; the decision is the director's or the area's head
    # of service's, with its reason (DESIGN.md: "recorded in error" is a state with a reason and an approval).
    in_error_on = models.DateField("recorded in error on", null=True, blank=True)
    in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    in_error_reason = models.TextField("why it was recorded in error", blank=True)

    class Meta:
        ordering = ["-became_aware_on", "-pk"]
        indexes = [models.Index(fields=["child", "became_aware_on"], name="serious_incident_child_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(harm__in=Harm.values), name="serious_incident_harm_valid"),
            models.CheckConstraint(
                condition=Q(abuse_or_neglect__in=AbuseOrNeglect.values),
                name="serious_incident_abuse_valid",
            ),
            models.CheckConstraint(
                condition=Q(occurred_on__isnull=True) | Q(occurred_on__lte=models.F("became_aware_on")),
                name="serious_incident_aware_after_it_happened",
            ),
            models.CheckConstraint(
                condition=Q(in_error_on__isnull=True, in_error_by__isnull=True, in_error_reason="")
                | (Q(in_error_on__isnull=False, in_error_by__isnull=False) & ~Q(in_error_reason="")),
                name="serious_incident_in_error_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_in_error(self) -> bool:
        return self.in_error_on is not None

    def duty_applies(self, duty_code: str, on) -> bool:
        """Asked by the deadline engine: Ofsted is notified separately only where the child was looked after
        (Care Planning, Placement and Case Review (England) Regulations 2010; docs/domain.md §8)."""
        if duty_code == "incident_ofsted_notification":
            return self.looked_after
        return True


class HouseholdRelation(models.TextChoices):
    SUBJECT = "subject", "The child it happened to"
    SIBLING = "sibling", "Sibling"
    HOUSEHOLD = "household", "Another child of the household"


class SeriousIncidentChild(models.Model):
    """A child of the household when the incident happened: the subject, a sibling, another child there."""

    incident = models.ForeignKey(SeriousIncident, on_delete=models.PROTECT, related_name="children")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="serious_incident_links")
    relation = models.CharField(max_length=10, choices=HouseholdRelation.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "child"], name="serious_incident_child_once"),
            models.CheckConstraint(
                condition=Q(relation__in=HouseholdRelation.values), name="serious_incident_relation_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: child {self.child_id} ({self.relation})"


# -- added by issue 9's incidents work (migration 0002) ------------------------------------------------------


class Recipient(models.TextChoices):
    """Who a notification went to. The Child Safeguarding Online Notification System sends one form to the
    Panel, Ofsted and the Department for Education together (docs/domain.md §8); a separate Ofsted
    notification is recorded for a serious incident in a placement."""

    PANEL = "panel", "Child Safeguarding Practice Review Panel"
    OFSTED = "ofsted", "Ofsted"
    SECRETARY_OF_STATE = "secretary_of_state", "Secretary of State (Department for Education)"


class IncidentNotification(Recorded):
    """One notification made about the incident: to whom, when, and the reference they gave."""

    incident = models.ForeignKey(SeriousIncident, on_delete=models.PROTECT, related_name="notifications")
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    notified_on = models.DateField()
    reference = models.CharField(max_length=40, blank=True, help_text="The recipient's reference, if given")
    in_placement = models.BooleanField(
        default=False, help_text="A serious incident in the child's placement (an Ofsted notification)"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["notified_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__in=Recipient.values), name="incident_notification_recipient_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_recipient_display()} notified {self.notified_on}"


class ReviewDecision(models.TextChoices):
    LCSPR = "lcspr", "A local child safeguarding practice review is to be commissioned"
    NATIONAL = "national", "Recommend a national review to the Panel"
    NO_REVIEW = "no_review", "No further review: the learning is taken from the rapid review"


class RapidReview(Recorded):
    """The safeguarding partners' rapid review (Working Together 2023 ch.5): completed, its decision, and the
    day it was sent to the Panel."""

    incident = models.OneToOneField(SeriousIncident, on_delete=models.PROTECT, related_name="rapid_review")
    completed_on = models.DateField()
    sent_to_panel_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    summary = models.TextField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=ReviewDecision.values), name="rapid_review_decision_valid"
            ),
        ]


# The final report goes to the Panel and the Secretary of State at least this many working days before it is
# published (Working Together 2023 ch.5; docs/domain.md §8 [S]). It counts back from publication, so it is
# a check on the two dates rather than a deadline that runs forward.
REPORT_BEFORE_PUBLICATION_WORKING_DAYS = 7


class PracticeReview(Recorded):
    """A local child safeguarding practice review (LCSPR), commissioned on the rapid review's decision."""

    incident = models.OneToOneField(SeriousIncident, on_delete=models.PROTECT, related_name="practice_review")
    commissioned_on = models.DateField()
    reviewer = models.CharField(max_length=200, blank=True)
    report_sent_on = models.DateField(
        null=True, blank=True, help_text="Final report sent to the Panel and the Secretary of State"
    )
    published_on = models.DateField(null=True, blank=True)

    def report_sent_in_time(self) -> bool | None:
        """Was the final report sent at least 7 working days before publication? None until both happened."""
        if self.report_sent_on is None or self.published_on is None:
            return None
        if self.report_sent_on >= self.published_on:
            return False
        gap = working_days_between(self.report_sent_on, self.published_on, counting="exclusive")
        return gap >= REPORT_BEFORE_PUBLICATION_WORKING_DAYS


class IncidentAccess(Recorded):
    """A named person added to the incident's own access list (e.g. the partnership's reviewer), until ended."""

    incident = models.ForeignKey(SeriousIncident, on_delete=models.PROTECT, related_name="access_list")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="serious_incident_access")
    reason = models.CharField(max_length=300)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["worker", "incident"], name="incident_access_worker_idx")]
