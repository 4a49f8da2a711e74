"""Reads at the front door, always for a user: the queue, one contact, and what is already known."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from safeguard.audit.policy import is_front_door, without_closed, worker_for
from safeguard.compliance.models import DeadlineStatus
from safeguard.core.calendar import add_calendar_months
from safeguard.frontdoor.models import (
    Contact,
    ContactStatus,
    EducationWithdrawal,
    Rag,
    Referral,
    decision_deadlines,
)
from safeguard.organisation.models import Allocation, AllocationRole, Role
from safeguard.people.models import SIBLING_TYPES, Child, HouseholdMembership, Relationship


def contacts_for(user) -> QuerySet[Contact]:
    """Contacts ``user`` may see: their front door team's; every front door contact for a head of service
    or the director (who answer for the front door's timeliness)."""
    worker = worker_for(user)
    contacts = without_closed(user, Contact.objects.all())
    if worker is None:
        return contacts.none()
    if worker.role in (Role.DIRECTOR, Role.HEAD_OF_SERVICE):
        return contacts
    if is_front_door(worker) and worker.team_id:
        return contacts.filter(team_id=worker.team_id)
    return contacts.none()


def decision_overdue(today: datetime.date) -> Exists:
    """For a contact: its decision deadline is open after the end of its due day (the engine's
    ``DeadlineQuerySet.overdue``), to count overdue contacts in the query that counts them all."""
    return Exists(decision_deadlines().overdue(today).filter(scope_id=OuterRef("pk")))


def decision_met_on_time() -> Exists:
    """For a contact: its decision deadline was met on or before its due day (no days late)."""
    return Exists(
        decision_deadlines().filter(
            scope_id=OuterRef("pk"), status=DeadlineStatus.MET, closed_on__lte=F("due_on")
        )
    )


def front_door_queue(*, user) -> QuerySet[Contact]:
    """Contacts awaiting a decision, most urgent first: immediate risk, then red, amber, green, unrated,
    then the longest waiting, each with its ``decision_due`` from its deadline. Served by the partial index
    on awaiting contacts and the deadlines' scope index."""
    rag_rank = Case(
        When(rag=Rag.RED, then=Value(0)),
        When(rag=Rag.AMBER, then=Value(1)),
        When(rag=Rag.GREEN, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        contacts_for(user)
        .filter(status=ContactStatus.AWAITING_DECISION)
        .with_decision_due()
        .select_related("child__person", "area")
        .annotate(rag_rank=rag_rank, withdrawn_from_school=withdrawn_from_school())
        .order_by("-immediate_risk", "rag_rank", "received_at", "pk")
    )


def withdrawn_from_school() -> Exists:
    """For a contact: its child has a withdrawal from school not yet considered, their own or one that names
    them as a known sibling (issue 9), for the queue's tag in the query that lists it."""
    own = EducationWithdrawal.objects.filter(considered_at__isnull=True, child_id=OuterRef("child_id"))
    sibling = EducationWithdrawal.objects.filter(
        considered_at__isnull=True, known_siblings=OuterRef("child_id")
    )
    return Exists(own) | Exists(sibling)


def may_open_contact(user, contact: Contact) -> bool:
    return contacts_for(user).filter(pk=contact.pk).exists()


# ----------------------------------------------------------------------------------------------------------
# What is already known about a child: shown on screen the moment a contact is recorded.


@dataclass(frozen=True)
class Flag:
    """One thing the front door must know: ``kind`` for styling and tests, ``text`` for the worker."""

    kind: str
    text: str


# Casework adds its own flags (a child protection plan in the household, previous s47 enquiries) by
# appending a function here from its AppConfig.ready: (child, today, related children ids) -> [Flag].
FLAG_PROVIDERS: list[Callable[[Child, datetime.date, set[int]], list[Flag]]] = []

REPEAT_REFERRAL_MONTHS = 12  # DfE: a re-referral is a referral within 12 months of a previous one


def related_child_ids(child: Child, today: datetime.date) -> dict[int, str]:
    """Siblings (by relationship) and children living in the same household today, with how they relate."""
    person_id = child.pk
    related: dict[int, str] = {}
    relationships = Relationship.objects.filter(relationship_type__in=SIBLING_TYPES).filter(
        Q(from_person_id=person_id) | Q(to_person_id=person_id)
    )
    for relationship in relationships:
        other = (
            relationship.to_person_id
            if relationship.from_person_id == person_id
            else relationship.from_person_id
        )
        related[other] = relationship.get_relationship_type_display().lower()
    households = (
        HouseholdMembership.objects.current_on(today).filter(person_id=person_id).values("household_id")
    )
    for other in (
        HouseholdMembership.objects.current_on(today)
        .filter(household_id__in=households)
        .exclude(person_id=person_id)
        .values_list("person_id", flat=True)
    ):
        related.setdefault(other, "lives in the same household")
    known_children = set(Child.objects.filter(pk__in=related).values_list("pk", flat=True))
    return {pk: how for pk, how in related.items() if pk in known_children}


def known_to_service(
    *, child: Child, today: datetime.date | None = None, excluding: Contact | None = None
) -> list[Flag]:
    """Everything the front door must see at once about ``child``: an open case, a referral or contacts in the
    last 12 months (a repeat referral), and siblings or household members known to the service."""
    today = today or timezone.localdate()
    year_ago = add_calendar_months(today, -REPEAT_REFERRAL_MONTHS)
    flags: list[Flag] = []
    allocation = (
        Allocation.objects.current(today)
        .filter(child=child, role=AllocationRole.SOCIAL_WORKER)
        .select_related("worker__user", "team")
        .first()
    )
    if allocation:
        flags.append(
            Flag("open_case", f"Open case: allocated to {allocation.worker.name}, {allocation.team.name}")
        )
    referrals = Referral.objects.filter(child=child, referral_date__gte=year_ago, referral_date__lte=today)
    if excluding is not None:  # the referral this very contact became is not a previous one
        referrals = referrals.exclude(contact=excluding)
    referrals = list(referrals)
    if referrals:
        latest = max(referral.referral_date for referral in referrals)
        flags.append(
            Flag(
                "repeat_referral",
                f"Repeat referral: referred {len(referrals)} time{'s' if len(referrals) > 1 else ''} in the last "
                f"12 months, most recently on {latest:%-d %B %Y}",
            )
        )
    contacts = Contact.objects.filter(child=child, received_at__date__gte=year_ago)
    if excluding is not None:
        contacts = contacts.exclude(pk=excluding.pk)
    if count := contacts.count():
        flags.append(
            Flag(
                "previous_contacts", f"{count} other contact{'s' if count > 1 else ''} in the last 12 months"
            )
        )
    related = related_child_ids(child, today)
    if related:
        known = set(
            Allocation.objects.current(today).filter(child_id__in=related).values_list("child_id", flat=True)
        ) | set(
            Referral.objects.filter(child_id__in=related, referral_date__gte=year_ago).values_list(
                "child_id", flat=True
            )
        )
        names = dict(Child.objects.filter(pk__in=known).values_list("pk", "person__first_name"))
        for pk in sorted(known):
            flags.append(Flag("sibling_known", f"{names[pk]} ({related[pk]}) is known to the service"))
    for provider in FLAG_PROVIDERS:
        flags.extend(provider(child, today, set(related)))
    return flags
