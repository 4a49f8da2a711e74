"""Every change at the front door. Each service validates, runs in one transaction, guards its transition
against a concurrent one, and writes its own AuditEvent; nothing happens in a signal.

The one-working-day clock (Working Together 2023 ch.3) is the compliance engine's: ``contact_record`` raises
``contact.received``, which opens the contact's ``contact_decision`` deadline, and ``contact_decide`` raises
``contact.decided``, which meets it, in the same transaction as the change itself.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.audit.services import audit_event_record, changes_between
from safeguard.casework.services import cin_episode_open
from safeguard.compliance.services import compliance_event
from safeguard.core.reference import codes_valid_on
from safeguard.frontdoor.models import (
    REFERRAL_OUTCOMES,
    Agency,
    Consent,
    Contact,
    ContactStatus,
    LevelOfNeed,
    MashCheck,
    Outcome,
    Rag,
    Referral,
    ThresholdDecision,
)
from safeguard.frontdoor.policies import may_decide, may_work_at_front_door
from safeguard.organisation.models import Area, Team
from safeguard.people.models import Child

CONTACT_FIELDS = [
    "child_id",
    "received_at",
    "source",
    "referrer_name",
    "referrer_organisation",
    "external_reference",
    "immediate_risk",
    "consent",
    "rag",
    "status",
    "decision_due",  # read from the deadline opened with the contact
    "team_id",
]


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def validate_source(source: str, on: datetime.date) -> None:
    """ReferralSource must be a code valid on the day (5D arrived in 2022-23)."""
    if source not in codes_valid_on("referral_source", on):
        raise ValidationError({"source": "Choose who made the contact from the list"})


def contact_record(
    *,
    recorded_by,
    child: Child,
    team: Team,
    area: Area,
    source: str,
    reported: str,
    worry: str,
    consent: str,
    immediate_risk: bool = False,
    rag: str = "",
    received_at: datetime.datetime | None = None,
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_contact_details: str = "",
    external_reference: str = "",
    batch=None,
) -> Contact:
    _require(may_work_at_front_door(recorded_by), "Only front door staff record contacts")
    received_at = received_at or timezone.now()
    errors = {}
    try:
        validate_source(source, timezone.localtime(received_at).date())
    except ValidationError as error:
        errors.update(error.message_dict)
    if not reported.strip():
        errors["reported"] = "Enter what was reported"
    if not worry.strip():
        errors["worry"] = "Enter what the worry is for the child"
    if consent not in Consent.values:
        errors["consent"] = "Choose whether the family consented"
    if rag and rag not in Rag.values:
        errors["rag"] = "Choose a priority"
    if received_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["received_at"] = "The time the contact was received cannot be in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = Contact.objects.create(
            child=child,
            team=team,
            area=area,
            received_at=received_at,
            source=source,
            referrer_name=referrer_name.strip(),
            referrer_organisation=referrer_organisation.strip(),
            referrer_contact_details=referrer_contact_details.strip(),
            external_reference=external_reference.strip(),
            reported=reported.strip(),
            worry=worry.strip(),
            immediate_risk=immediate_risk,
            consent=consent,
            rag=Rag.RED if immediate_risk and not rag else rag,
            batch=batch,
            created_by=recorded_by,
            modified_by=recorded_by,
        )
        compliance_event(
            event="contact.received",
            child=child,
            on=timezone.localtime(received_at).date(),
            scope=contact,
            actor=recorded_by,
            team=team,
            area=area,
        )
        audit_event_record(
            actor=recorded_by,
            action="contact.recorded",
            entity=contact,
            child=child,
            changes=changes_between(None, contact, CONTACT_FIELDS),
        )
    return contact


def contact_acknowledge(*, contact: Contact, acknowledged_by, at: datetime.datetime | None = None) -> Contact:
    """Record that the referrer was told their contact arrived (WT 2023 ch.3: acknowledge within 1 working day)."""
    _require(may_work_at_front_door(acknowledged_by), "Only front door staff acknowledge contacts")
    at = at or timezone.now()
    if at < contact.received_at:
        raise ValidationError({"acknowledged_at": "The acknowledgement cannot be before the contact arrived"})
    with transaction.atomic():
        updated = Contact.objects.filter(pk=contact.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=at, modified_by=acknowledged_by, modified_at=timezone.now()
        )
        if not updated:
            raise ValidationError("The referrer's acknowledgement was already recorded")
        contact.acknowledged_at = at
        audit_event_record(
            actor=acknowledged_by,
            action="contact.acknowledged",
            entity=contact,
            child=contact.child,
            changes={"acknowledged_at": [None, at.isoformat()]},
        )
    return contact


def mash_check_request(*, contact: Contact, agency: str, requested_by) -> MashCheck:
    _require(may_work_at_front_door(requested_by), "Only front door staff request checks")
    if agency not in Agency.values:
        raise ValidationError({"agency": "Choose an agency"})
    if contact.status != ContactStatus.AWAITING_DECISION:
        raise ValidationError("Checks are requested before the decision, and this contact has been decided")
    with transaction.atomic():
        if MashCheck.objects.filter(contact=contact, agency=agency).exists():
            raise ValidationError(
                {"agency": f"{Agency(agency).label} has already been asked about this contact"}
            )
        check = MashCheck.objects.create(
            contact=contact,
            agency=agency,
            requested_by=requested_by,
            created_by=requested_by,
            modified_by=requested_by,
        )
        audit_event_record(
            actor=requested_by,
            action="mash_check.requested",
            entity=check,
            child=contact.child,
            changes={"agency": [None, agency]},
        )
    return check


def mash_check_respond(
    *, check: MashCheck, responded_on: datetime.date, response: str, recorded_by
) -> MashCheck:
    _require(may_work_at_front_door(recorded_by), "Only front door staff record check responses")
    errors = {}
    if not response.strip():
        errors["response"] = "Enter what the agency said"
    if responded_on > timezone.localdate():
        errors["responded_on"] = "The date of the response cannot be in the future"
    elif responded_on < timezone.localtime(check.requested_at).date():
        errors["responded_on"] = "The response cannot be before the check was requested"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = MashCheck.objects.filter(pk=check.pk, responded_on__isnull=True).update(
            responded_on=responded_on,
            response=response.strip(),
            modified_by=recorded_by,
            modified_at=timezone.now(),
        )
        if not updated:
            raise ValidationError("This agency's response was already recorded; it is not overwritten")
        check.responded_on, check.response = responded_on, response.strip()
        audit_event_record(
            actor=recorded_by,
            action="mash_check.responded",
            entity=check,
            child=check.contact.child,
            changes={"responded_on": [None, responded_on.isoformat()], "response": [None, check.response]},
        )
    return check


def contact_decide(
    *,
    contact: Contact,
    decided_by,
    level_of_need: str,
    rag: str,
    rationale: str,
    outcome: str,
    primary_need: str = "",
    decided_at: datetime.datetime | None = None,
) -> ThresholdDecision:
    """A manager's threshold decision, which meets the contact's one-working-day deadline (late if made after
    its day: the deadline keeps the breach). A referral outcome makes the referral and opens the child in
    need episode at once (``casework.services.cin_episode_open``: its 45 working day assessment clock starts).

    A referral needs the child's primary need as it appears at referral (reference data ``primary_need``,
    N0 to N9). The CIN census asks every referral that led to further action for a primary need code (DfE
    CIN census, rule 8610), and an episode is returned while its assessment is still open; the manager who
    authorises the assessment confirms or changes it. Other outcomes record no need.

    Two managers deciding the same contact at the same moment: the second is told it is already decided,
    and the first decision stands (the status moves from awaiting to decided exactly once).
    """
    _require(
        may_decide(decided_by), "Only a front door manager or a head of service makes threshold decisions"
    )
    decided_at = decided_at or timezone.now()
    errors = {}
    if level_of_need not in LevelOfNeed.values:
        errors["level_of_need"] = "Choose the level of need"
    if rag not in Rag.values:
        errors["rag"] = "Choose a priority"
    if outcome not in Outcome.values:
        errors["outcome"] = "Choose what happens next"
    if not rationale.strip():
        errors["rationale"] = (
            "Explain the decision: the rationale is what an auditor and the family will read"
        )
    if level_of_need == LevelOfNeed.CHILD_PROTECTION and outcome != Outcome.STRATEGY_DISCUSSION:
        errors["outcome"] = "A child protection level of need needs a strategy discussion"
    if outcome == Outcome.STRATEGY_DISCUSSION and level_of_need != LevelOfNeed.CHILD_PROTECTION:
        errors["level_of_need"] = "A strategy discussion is for a child protection level of need"
    if decided_at < contact.received_at:
        errors["decided_at"] = "The decision cannot be before the contact arrived"
    if outcome in REFERRAL_OUTCOMES:
        if primary_need not in codes_valid_on("primary_need", timezone.localtime(decided_at).date()):
            errors["primary_need"] = "Choose the child's primary need as it appears now"
    elif primary_need:
        errors["primary_need"] = "Record a primary need only when the contact becomes a referral"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        moved = Contact.objects.filter(pk=contact.pk, status=ContactStatus.AWAITING_DECISION).update(
            status=ContactStatus.DECIDED, rag=rag, modified_by=decided_by, modified_at=timezone.now()
        )
        if not moved:
            raise ValidationError("This contact has already been decided; the decision stands as recorded")
        contact.status, contact.rag = ContactStatus.DECIDED, rag
        decision = ThresholdDecision.objects.create(
            contact=contact,
            decided_at=decided_at,
            decided_by=decided_by,
            level_of_need=level_of_need,
            rag=rag,
            rationale=rationale.strip(),
            outcome=outcome,
            created_by=decided_by,
            modified_by=decided_by,
        )
        compliance_event(
            event="contact.decided",
            child=contact.child,
            on=timezone.localtime(decided_at).date(),
            scope=contact,
            actor=decided_by,
        )
        audit_event_record(
            actor=decided_by,
            action="contact.decided",
            entity=contact,
            child=contact.child,
            changes={
                "status": [ContactStatus.AWAITING_DECISION, ContactStatus.DECIDED],
                "level_of_need": [None, level_of_need],
                "rag": [None, rag],
                "outcome": [None, outcome],
                "on_time": [None, decision.was_on_time],
            },
            reason=decision.rationale,
        )
        if outcome in REFERRAL_OUTCOMES:
            referral = Referral.objects.create(
                child=contact.child,
                contact=contact,
                referral_date=timezone.localtime(contact.received_at).date(),
                source=contact.source,
                urgent_child_protection=outcome == Outcome.STRATEGY_DISCUSSION,
                created_by=decided_by,
                modified_by=decided_by,
            )
            audit_event_record(
                actor=decided_by,
                action="referral.created",
                entity=referral,
                child=contact.child,
                changes={
                    "referral_date": [None, referral.referral_date.isoformat()],
                    "source": [None, referral.source],
                },
            )
            cin_episode_open(referral=referral, opened_by=decided_by, primary_need=primary_need)
    return decision
