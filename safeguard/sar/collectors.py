"""The sources of a subject access export, one per app, registered from ``SarConfig.ready``.

Each reads the app's records about one child through the child (or the person), whole rows, every version:
a case note's every version is a row of its own (``casenotes.CaseNote``, one per version), so all of them are
items. The access log is disclosable in itself (Caldicott principle 8, 2020: people should know how their
data is used; DOMAIN.md §7), and so is the history of changes to the record (what was recorded about the
person before it was corrected is still their personal data, UK GDPR art. 15).
"""

from collections.abc import Iterable

from django.db.models import Q

from safeguard.allocation.models import SocialWorkerChange
from safeguard.audit.models import AccessEvent, AuditEvent
from safeguard.audit.selectors import access_events_for_child, audit_events_for_child
from safeguard.casenotes.models import CaseNote, Document
from safeguard.casework import models as casework
from safeguard.frontdoor.models import Contact, MashCheck, Referral, ThresholdDecision
from safeguard.lookedafter import models as lookedafter
from safeguard.organisation.models import Allocation
from safeguard.oversight.models import (
    CaseAudit,
    CaseAuditAction,
    CaseAuditAnswer,
    ManagementDecision,
    SupervisionAction,
    SupervisionCase,
)
from safeguard.people.models import (
    Child,
    ChildDisability,
    HouseholdMembership,
    Person,
    PersonAddress,
    Relationship,
)
from safeguard.sar.sources import Item, ItemField, Source, item_key, model_source, row_item, rows


def _identity(child: Child) -> Iterable[Item]:
    label = "Identity and household"
    person = child.person
    yield row_item(label, person, leave_out=())
    yield row_item(label, child, leave_out=("person",))
    for model, lookup in (
        (ChildDisability, {"child": child}),
        (PersonAddress, {"person": person}),
        (HouseholdMembership, {"person": person}),
    ):
        for row in rows(model, **lookup):
            yield row_item(label, row, leave_out=("child", "person"))
    # Relationships name the other person: theirs is third-party information to weigh before disclosure.
    for row in Relationship._base_manager.filter(Q(from_person=person) | Q(to_person=person)).order_by("pk"):
        yield row_item(label, row, leave_out=())


IDENTITY = Source(
    name="people",
    label="Identity and household",
    collect=_identity,
    paths=(
        (Person, "child"),
        (Child, "pk"),
        (ChildDisability, "child"),
        (PersonAddress, "person__child"),
        (HouseholdMembership, "person__child"),
        (Relationship, "from_person__child"),
        (Relationship, "to_person__child"),
    ),
)

FRONT_DOOR = model_source(
    "frontdoor",
    "Contacts and referrals",
    [
        (Contact, "child"),
        (MashCheck, "contact__child"),
        (ThresholdDecision, "contact__child"),
        (Referral, "child"),
    ],
)

CASEWORK = model_source(
    "casework",
    "Assessments, plans and child protection",
    [
        (casework.CinEpisode, "child"),
        (casework.Assessment, "child"),
        (casework.CinPlan, "child"),
        (casework.CinPlanReview, "child"),
        (casework.StrategyDiscussion, "child"),
        (casework.S47Enquiry, "child"),
        (casework.ChildProtectionConference, "child"),
        (casework.CPPlan, "child"),
        (casework.CoreGroupMeeting, "child"),
        (casework.Visit, "child"),
        (casework.ClosureRequest, "child"),
    ],
)

LOOKED_AFTER = model_source(
    "lookedafter",
    "Looked after, care leaving and adoption",
    [
        (lookedafter.PeriodOfCare, "child"),
        (lookedafter.LacEpisode, "child"),
        (lookedafter.LacPlan, "child"),
        (lookedafter.LacReview, "child"),
        (lookedafter.HealthAssessment, "child"),
        (lookedafter.PersonalEducationPlan, "child"),
        (lookedafter.MissingEpisode, "child"),
        (lookedafter.CareLeaver, "child"),
        (lookedafter.NeedsAssessment, "child"),
        (lookedafter.PathwayPlan, "child"),
        (lookedafter.PathwayPlanReview, "child"),
        (lookedafter.CareLeaverContact, "child"),
        (lookedafter.CareLeaverAccommodation, "child"),
        (lookedafter.CareLeaverActivity, "child"),
        (lookedafter.AnnualOutcome, "child"),
        (lookedafter.UascStatus, "child"),
        (lookedafter.Adoption, "child"),
        (lookedafter.DeprivationOfLiberty, "child"),
    ],
)


def _case_notes(child: Child) -> Iterable[Item]:
    label = "Case notes and documents"
    # Every version of every note, drafts and superseded versions included: all are held.
    for note in rows(CaseNote, child=child).order_by("thread_id", "version_number"):
        yield row_item(label, note)
    for document in rows(Document, child=child):
        yield row_item(label, document, document=document)


CASE_NOTES = Source(
    name="casenotes",
    label="Case notes and documents",
    collect=_case_notes,
    paths=((CaseNote, "child"), (Document, "child")),
)

ALLOCATIONS = model_source(
    "allocation",
    "Allocations",
    [(Allocation, "child"), (SocialWorkerChange, "allocation__child")],
)

OVERSIGHT = model_source(
    "oversight",
    "Management oversight",
    [
        (ManagementDecision, "child"),
        (SupervisionCase, "child"),
        (SupervisionAction, "case__child"),
        (CaseAudit, "child"),
        (CaseAuditAnswer, "audit__child"),
        (CaseAuditAction, "audit__child"),
    ],
)


def _access_log(child: Child) -> Iterable[Item]:
    label = "Who looked at the record"
    for event in access_events_for_child(child).order_by("at", "pk"):
        yield Item(
            source=label,
            record_type="Access log entry",
            key=item_key(event),
            date=event.at.date(),
            title=f"{event.get_action_display()} {event.at:%Y-%m-%d %H:%M}",
            fields=[
                ItemField("at", "When", f"{event.at:%Y-%m-%d %H:%M:%S}"),
                ItemField("user", "Who", event.user.get_full_name() or event.user.get_username()),
                ItemField("action", "What", event.get_action_display()),
                ItemField("outcome", "Outcome", event.get_outcome_display()),
                ItemField("basis", "Basis or reason", event.basis),
                ItemField("subject", "Page or file", event.subject),
            ],
        )


ACCESS_LOG = Source(
    name="access", label="Who looked at the record", collect=_access_log, paths=((AccessEvent, "child"),)
)


def _change_history(child: Child) -> Iterable[Item]:
    label = "Changes to the record"
    # The handling of a subject access request is the council's, not the person's record, and a redaction's
    # explanation can name what it withholds: those entries stay out (as ``sources.NOT_EXPORTED`` says).
    for event in audit_events_for_child(child).exclude(entity_type__startswith="sar.").order_by("at", "pk"):
        actor = event.actor.get_full_name() or event.actor.get_username() if event.actor else "the system"
        yield Item(
            source=label,
            record_type="Change log entry",
            key=item_key(event),
            date=event.at.date(),
            title=f"{event.action} {event.at:%Y-%m-%d %H:%M}",
            fields=[
                ItemField("at", "When", f"{event.at:%Y-%m-%d %H:%M:%S}"),
                ItemField("actor", "Who", actor),
                ItemField("action", "What", event.action),
                ItemField("entity", "Record", f"{event.entity_type}:{event.entity_id}"),
                ItemField("changes", "Changes", _changes_text(event.changes)),
                ItemField("reason", "Reason", event.reason),
            ],
        )


def _changes_text(changes: dict) -> str:
    """``{field: [before, after]}`` as "field: before -> after; ..." (anything else as it is)."""
    parts = []
    for name, change in sorted(changes.items()):
        if isinstance(change, list | tuple) and len(change) == 2:
            parts.append(f"{name}: {change[0]!s} -> {change[1]!s}")
        else:
            parts.append(f"{name}: {change!s}")
    return "; ".join(parts)


CHANGE_HISTORY = Source(
    name="changes", label="Changes to the record", collect=_change_history, paths=((AuditEvent, "child"),)
)

ALL_SOURCES = (
    IDENTITY,
    FRONT_DOOR,
    CASEWORK,
    LOOKED_AFTER,
    CASE_NOTES,
    ALLOCATIONS,
    OVERSIGHT,
    ACCESS_LOG,
    CHANGE_HISTORY,
)
