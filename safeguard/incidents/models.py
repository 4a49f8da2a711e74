"""Serious incidents: a child dies or is seriously harmed and abuse or neglect is known or suspected
(Children Act 2004 s16C(1)), and what follows from it: the notification to the Child Safeguarding Practice
Review Panel, the rapid review, and any local child safeguarding practice review.

An incident is recorded against the child it happened to; ``SeriousIncidentChild`` links it to every child
of the household at the time (the subject and their siblings), so that each of their records can show it to
those who may see it (``policies``).
"""

from django.db import models
from django.db.models import Q

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
        ]

    def __str__(self) -> str:
        return self.reference


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
