"""Writes for serious incidents: recording one, its notifications, the rapid review, the local child
safeguarding practice review, and the incident's access list. Each checks who may do it, validates, runs in
one transaction, raises the compliance events that start and meet the statutory clocks (docs/domain.md §8),
and writes its ``AuditEvent``.

The clocks run from the day the council became aware (``became_aware_on``), are scoped to the incident, and
sit on the subject child with the incident's team and area, so the legal exposure register shows a breach
like any other. A child's death does not cancel them: they are about it.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.audit.policy import worker_for
from safeguard.audit.services import audit_event_record
from safeguard.compliance.services import compliance_event
from safeguard.incidents.models import (
    AbuseOrNeglect,
    Harm,
    HouseholdRelation,
    IncidentAccess,
    IncidentNotification,
    PracticeReview,
    RapidReview,
    Recipient,
    ReviewDecision,
    SeriousIncident,
    SeriousIncidentChild,
)
from safeguard.incidents.policies import (
    may_manage_access,
    may_mark_in_error,
    may_record_incident,
    may_record_progress,
)
from safeguard.organisation.models import Allocation, AllocationRole, Role, Worker
from safeguard.people.models import SIBLING_TYPES, Child, HouseholdMembership, Relationship


def household_children(child: Child, on: datetime.date) -> dict[int, str]:
    """The children of ``child``'s household on ``on``: child id -> relation (subject, sibling, household).

    Siblings are those recorded as such (any sibling relationship in force that day, read from either end);
    the household is everyone in a household with the child that day (``HouseholdMembership``) who has a
    child's record."""
    found = {child.pk: HouseholdRelation.SUBJECT}
    households = HouseholdMembership.objects.current_on(on).filter(person_id=child.pk).values("household_id")
    sharing = (
        HouseholdMembership.objects.current_on(on)
        .filter(household_id__in=households)
        .exclude(person_id=child.pk)
        .values_list("person_id", flat=True)
    )
    siblings = Relationship.objects.current_on(on).filter(relationship_type__in=SIBLING_TYPES)
    sibling_ids = set(siblings.filter(from_person_id=child.pk).values_list("to_person_id", flat=True)) | set(
        siblings.filter(to_person_id=child.pk).values_list("from_person_id", flat=True)
    )
    candidates = set(sharing) | sibling_ids
    for pk in Child.objects.filter(pk__in=candidates).values_list("pk", flat=True):
        found[pk] = HouseholdRelation.SIBLING if pk in sibling_ids else HouseholdRelation.HOUSEHOLD
    return found


def _holding_team(child: Child):
    """The team (and its area) holding the child's case now, which answers for the incident's clocks."""
    allocation = (
        Allocation.objects.in_force()
        .filter(child=child, role=AllocationRole.SOCIAL_WORKER)
        .select_related("team")
        .order_by("-start_date", "-pk")
        .first()
    )
    return allocation.team if allocation is not None else None


REFERENCE_ATTEMPTS = 3


def _next_reference(year: int) -> str:
    prefix = f"SI-{year}-"
    last = (
        SeriousIncident.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _not_future(field: str, day: datetime.date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{what} must be today or in the past"})


def serious_incident_record(
    *,
    child: Child,
    harm: str,
    abuse_or_neglect: str,
    occurred_on: datetime.date | None,
    became_aware_on: datetime.date,
    looked_after: bool,
    summary: str,
    lead: Worker,
    recorded_by,
) -> SeriousIncident:
    """Record a serious incident (Children Act 2004 s16C(1)) against ``child``, link every child of the
    household at the time, and start its clocks from the day the council became aware."""
    if not may_record_incident(recorded_by, child):
        raise PermissionDenied("Only the child's team manager, head of service or the director records this")
    errors = {}
    if harm not in Harm.values:
        errors["harm"] = "Choose whether the child died or was seriously harmed"
    if abuse_or_neglect not in AbuseOrNeglect.values:
        errors["abuse_or_neglect"] = "Choose whether abuse or neglect is known or suspected"
    if not summary.strip():
        errors["summary"] = "Enter what happened"
    if became_aware_on is None:
        errors["became_aware_on"] = "Enter the date the council became aware"
    elif became_aware_on > timezone.localdate():
        errors["became_aware_on"] = "The date the council became aware must be today or in the past"
    elif occurred_on is not None and became_aware_on < occurred_on:
        errors["became_aware_on"] = (
            "The date the council became aware must be the same as or after the incident"
        )
    if occurred_on is not None and occurred_on > timezone.localdate():
        errors["occurred_on"] = "The date of the incident must be today or in the past"
    if lead is None or lead.role == Role.ADMINISTRATOR or not lead.user.is_active:
        errors["lead"] = "Choose the lead officer"
    if errors:
        raise ValidationError(errors)
    team = _holding_team(child)
    if team is None:
        recorder = worker_for(recorded_by)
        team = recorder.team if recorder is not None else None
    area = team.area if team is not None else worker_for(recorded_by).area
    with transaction.atomic():
        fields = {
            "child": child,
            "harm": harm,
            "abuse_or_neglect": abuse_or_neglect,
            "occurred_on": occurred_on,
            "became_aware_on": became_aware_on,
            "looked_after": looked_after,
            "summary": summary.strip(),
            "lead": lead,
            "team": team,
            "area": area,
            "created_by": recorded_by,
            "modified_by": recorded_by,
        }
        # Two incidents recorded at the same moment may draw the same next reference: the unique constraint
        # refuses the second, which draws again (in a savepoint, so the rest of the transaction stands).
        for attempt in range(REFERENCE_ATTEMPTS):
            try:
                with transaction.atomic():
                    incident = SeriousIncident.objects.create(
                        reference=_next_reference(became_aware_on.year), **fields
                    )
                break
            except IntegrityError:
                if attempt == REFERENCE_ATTEMPTS - 1:
                    raise
        linked = household_children(child, occurred_on or became_aware_on)
        SeriousIncidentChild.objects.bulk_create(
            SeriousIncidentChild(incident=incident, child_id=pk, relation=relation)
            for pk, relation in linked.items()
        )
        compliance_event(
            event="serious_incident.recorded",
            child=child,
            on=became_aware_on,
            scope=incident,
            actor=recorded_by,
            team=team,
            area=area,
        )
        audit_event_record(
            actor=recorded_by,
            action="serious_incident.recorded",
            entity=incident,
            child=child,
            changes={
                "reference": incident.reference,
                "harm": harm,
                "became_aware_on": became_aware_on.isoformat(),
                "lead": lead.pk,
                "children": sorted(linked),
            },
        )
    return incident


def _progress(user, incident: SeriousIncident) -> None:
    if not may_record_progress(user, incident):
        raise PermissionDenied("Only the lead officer or a manager who may see this incident records this")
    if incident.is_in_error:
        raise ValidationError(
            f"This incident was recorded in error on {incident.in_error_on:%-d %B %Y}: nothing more is recorded on it"
        )


def serious_incident_record_in_error(
    *, incident: SeriousIncident, decided_by, reason: str
) -> SeriousIncident:
    """The director or the area's head of service decides the incident was recorded in error (the wrong
    child; not a serious incident after all). Nothing is deleted: the incident stays, marked, with the reason;
    its open clocks are cancelled (a clock already late stays a breach); the notice leaves the household's
    records. Its learning actions are left for a manager to close as no longer needed, each with its own
    reason, since some learning may stand whatever the incident was."""
    if not may_mark_in_error(decided_by, incident):
        raise PermissionDenied(
            "Only the director or the head of service of its area decides an incident was recorded in error"
        )
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the incident was recorded in error"})
    today = timezone.localdate()
    with transaction.atomic():
        marked = SeriousIncident.objects.filter(pk=incident.pk, in_error_on__isnull=True).update(
            in_error_on=today,
            in_error_by=decided_by,
            in_error_reason=reason.strip(),
            modified_by=decided_by,
            modified_at=timezone.now(),
        )
        if not marked:
            raise ValidationError("Someone else has just marked this incident as recorded in error")
        incident.refresh_from_db()
        compliance_event(
            event="serious_incident.recorded_in_error",
            child=incident.child,
            on=today,
            scope=incident,
            actor=decided_by,
        )
        audit_event_record(
            actor=decided_by,
            action="serious_incident.recorded_in_error",
            entity=incident,
            child=incident.child,
            changes={"in_error_on": [None, today.isoformat()]},
            reason=incident.in_error_reason,
        )
    return incident


def _check_since_aware(field: str, day: datetime.date | None, incident: SeriousIncident, what: str) -> None:
    if day is None:
        raise ValidationError({field: f"Enter {what[0].lower()}{what[1:]}"})
    _not_future(field, day, what)
    if day < incident.became_aware_on:
        raise ValidationError(
            {
                field: f"{what} must be the same as or after {incident.became_aware_on:%-d %B %Y}, when the "
                "council became aware"
            }
        )


def incident_notification_record(
    *,
    incident: SeriousIncident,
    recipient: str,
    notified_on: datetime.date,
    reference: str = "",
    in_placement: bool = False,
    notes: str = "",
    recorded_by,
) -> list[IncidentNotification]:
    """Record a notification. The Panel's (through the Child Safeguarding Online Notification System) goes
    to Ofsted too, so for a looked-after child it meets the Ofsted clock as well, and both are recorded.
    An Ofsted notification on its own is for a serious incident in a placement."""
    _progress(recorded_by, incident)
    if recipient not in Recipient.values:
        raise ValidationError({"recipient": "Choose who was notified"})
    _check_since_aware("notified_on", notified_on, incident, "The date of the notification")
    reference = reference.strip()
    if recipient == Recipient.PANEL and not reference:
        raise ValidationError({"reference": "Enter the Panel's reference for the notification"})
    recipients = [recipient]
    if recipient == Recipient.PANEL and incident.looked_after:
        recipients.append(Recipient.OFSTED)
    events = {
        Recipient.PANEL: "serious_incident.panel_notified",
        Recipient.OFSTED: "serious_incident.ofsted_notified",
    }
    made = []
    with transaction.atomic():
        for each in recipients:
            notification = IncidentNotification.objects.create(
                incident=incident,
                recipient=each,
                notified_on=notified_on,
                reference=reference,
                in_placement=in_placement and each == Recipient.OFSTED,
                notes=notes.strip()
                if each == recipient
                else "By the same online notification as the Panel's",
                created_by=recorded_by,
                modified_by=recorded_by,
            )
            made.append(notification)
            if each in events:
                compliance_event(
                    event=events[each],
                    child=incident.child,
                    on=notified_on,
                    scope=incident,
                    actor=recorded_by,
                )
            audit_event_record(
                actor=recorded_by,
                action="serious_incident.notified",
                entity=notification,
                child=incident.child,
                changes={
                    "incident": incident.reference,
                    "recipient": each,
                    "notified_on": notified_on.isoformat(),
                    "reference": reference,
                },
            )
    return made


def rapid_review_record(
    *,
    incident: SeriousIncident,
    completed_on: datetime.date,
    sent_to_panel_on: datetime.date,
    decision: str,
    summary: str,
    recorded_by,
) -> RapidReview:
    """Record the rapid review: it meets its clock on the day it was sent to the Panel. A decision to
    commission a local child safeguarding practice review starts that review's clock, from the day of the
    decision (the review's completion)."""
    _progress(recorded_by, incident)
    if RapidReview.objects.filter(incident=incident).exists():
        raise ValidationError("The rapid review is already recorded")
    _check_since_aware("completed_on", completed_on, incident, "The date the rapid review was completed")
    _check_since_aware("sent_to_panel_on", sent_to_panel_on, incident, "The date it was sent to the Panel")
    if sent_to_panel_on < completed_on:
        raise ValidationError(
            {
                "sent_to_panel_on": "The date it was sent to the Panel must be the same as or after its completion"
            }
        )
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": "Choose what the rapid review decided"})
    if not summary.strip():
        raise ValidationError({"summary": "Enter the rapid review's findings"})
    with transaction.atomic():
        review = RapidReview.objects.create(
            incident=incident,
            completed_on=completed_on,
            sent_to_panel_on=sent_to_panel_on,
            decision=decision,
            summary=summary.strip(),
            created_by=recorded_by,
            modified_by=recorded_by,
        )
        compliance_event(
            event="serious_incident.rapid_review_completed",
            child=incident.child,
            on=sent_to_panel_on,
            scope=incident,
            actor=recorded_by,
        )
        if decision == ReviewDecision.LCSPR:
            practice = PracticeReview.objects.create(
                incident=incident,
                commissioned_on=completed_on,
                created_by=recorded_by,
                modified_by=recorded_by,
            )
            compliance_event(
                event="serious_incident.lcspr_commissioned",
                child=incident.child,
                on=completed_on,
                scope=incident,
                actor=recorded_by,
                team=incident.team,
                area=incident.area,
            )
            audit_event_record(
                actor=recorded_by,
                action="serious_incident.lcspr_commissioned",
                entity=practice,
                child=incident.child,
                changes={"incident": incident.reference, "commissioned_on": completed_on.isoformat()},
            )
        audit_event_record(
            actor=recorded_by,
            action="serious_incident.rapid_review_recorded",
            entity=review,
            child=incident.child,
            changes={
                "incident": incident.reference,
                "completed_on": completed_on.isoformat(),
                "sent_to_panel_on": sent_to_panel_on.isoformat(),
                "decision": decision,
            },
        )
    return review


def practice_review_update(
    *,
    review: PracticeReview,
    reviewer: str,
    report_sent_on: datetime.date | None,
    published_on: datetime.date | None,
    recorded_by,
) -> PracticeReview:
    """Record the reviewer, the day the final report went to the Panel and the Secretary of State, and the
    day it was published (which meets the publication clock). A publication date, once recorded, stands."""
    incident = review.incident
    _progress(recorded_by, incident)
    for field, day, what in (
        ("report_sent_on", report_sent_on, "The date the report was sent"),
        ("published_on", published_on, "The date of publication"),
    ):
        if day is None:
            continue
        _not_future(field, day, what)
        if day < review.commissioned_on:
            raise ValidationError(
                {
                    field: f"{what} must be the same as or after {review.commissioned_on:%-d %B %Y}, when the "
                    "review was commissioned"
                }
            )
    if published_on is not None and report_sent_on is None:
        raise ValidationError(
            {
                "report_sent_on": "Enter the date the final report was sent to the Panel and the Secretary of State"
            }
        )
    if published_on is not None and report_sent_on > published_on:
        raise ValidationError({"report_sent_on": "The report must be sent before it is published"})
    if review.published_on is not None and published_on != review.published_on:
        raise ValidationError({"published_on": "The publication is already recorded"})
    before = {
        "reviewer": review.reviewer,
        "report_sent_on": review.report_sent_on and review.report_sent_on.isoformat(),
        "published_on": review.published_on and review.published_on.isoformat(),
    }
    newly_published = review.published_on is None and published_on is not None
    with transaction.atomic():
        review.reviewer = reviewer.strip()
        review.report_sent_on = report_sent_on
        review.published_on = published_on
        review.modified_by = recorded_by
        review.save()
        if newly_published:
            compliance_event(
                event="serious_incident.lcspr_published",
                child=incident.child,
                on=published_on,
                scope=incident,
                actor=recorded_by,
            )
        after = {
            "reviewer": review.reviewer,
            "report_sent_on": report_sent_on and report_sent_on.isoformat(),
            "published_on": published_on and published_on.isoformat(),
        }
        audit_event_record(
            actor=recorded_by,
            action="serious_incident.lcspr_updated",
            entity=review,
            child=incident.child,
            changes={key: [before[key], after[key]] for key in after if before[key] != after[key]},
        )
    return review


def incident_access_add(
    *, incident: SeriousIncident, worker: Worker, reason: str, added_by
) -> IncidentAccess:
    """Put a named person on the incident's access list (the director, head of service of its area or lead)."""
    if not may_manage_access(added_by, incident):
        raise PermissionDenied(
            "Only the director, the head of service or the lead officer changes who sees this"
        )
    if worker is None or worker.role == Role.ADMINISTRATOR:
        raise ValidationError({"worker": "Choose who needs to see the incident"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why they need to see it"})
    with transaction.atomic():
        if IncidentAccess.objects.filter(incident=incident, worker=worker, ended_at__isnull=True).exists():
            raise ValidationError({"worker": f"{worker} is already on the access list"})
        entry = IncidentAccess.objects.create(
            incident=incident, worker=worker, reason=reason.strip(), created_by=added_by, modified_by=added_by
        )
        audit_event_record(
            actor=added_by,
            action="serious_incident.access_added",
            entity=entry,
            child=incident.child,
            changes={"incident": incident.reference, "worker": worker.pk},
            reason=entry.reason,
        )
    return entry


def incident_access_end(*, entry: IncidentAccess, ended_by) -> IncidentAccess:
    if not may_manage_access(ended_by, entry.incident):
        raise PermissionDenied(
            "Only the director, the head of service or the lead officer changes who sees this"
        )
    with transaction.atomic():
        now = timezone.now()
        ended = IncidentAccess.objects.filter(pk=entry.pk, ended_at__isnull=True).update(
            ended_at=now, ended_by=ended_by, modified_by=ended_by, modified_at=now
        )
        if not ended:
            raise ValidationError("This entry has already been ended")
        entry.refresh_from_db()
        audit_event_record(
            actor=ended_by,
            action="serious_incident.access_ended",
            entity=entry,
            child=entry.incident.child,
            changes={"incident": entry.incident.reference, "worker": entry.worker_id},
        )
    return entry
