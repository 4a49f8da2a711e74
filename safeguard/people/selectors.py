"""Reads of people, always scoped to the user through the one access policy."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from safeguard.audit.policy import findable_children
from safeguard.organisation.models import Allocation
from safeguard.people.models import (
    Child,
    EducationStatus,
    HouseholdMembership,
    Person,
    Relationship,
    name_key,
)


@dataclass
class ChildSearch:
    name: str = ""
    date_of_birth: datetime.date | None = None
    nhs_number: str = ""
    la_child_id: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.name.strip() or self.date_of_birth or self.nhs_number.strip() or self.la_child_id.strip()
        )

    def describe(self) -> str:
        """The terms as the access log records them."""
        parts = [
            f"name={self.name.strip()}" if self.name.strip() else "",
            f"dob={self.date_of_birth:%Y-%m-%d}" if self.date_of_birth else "",
            f"nhs={self.nhs_number.strip()}" if self.nhs_number.strip() else "",
            f"id={self.la_child_id.strip()}" if self.la_child_id.strip() else "",
        ]
        return " ".join(part for part in parts if part)


def _prefix(field: str, key: str) -> Q:
    """``field`` starts with ``key``, written as a range so a plain B-tree index serves it on any database."""
    return Q(**{f"{field}__gte": key, f"{field}__lt": key + "\uffff"})


def child_search(*, user, search: ChildSearch) -> QuerySet[Child]:
    """Children the user may find (``findable_children``) that match every term given.

    Each word of the name must start the first or the last name ("jo smi" finds Joanne Smith); date of
    birth, NHS number and local child ID match exactly.
    """
    children = findable_children(user).select_related("person")
    for word in search.name.split():
        key = name_key(word)
        if key:
            children = children.filter(
                _prefix("person__first_name_key", key) | _prefix("person__last_name_key", key)
            )
    if search.date_of_birth:
        children = children.filter(person__date_of_birth=search.date_of_birth)
    if search.nhs_number.strip():
        children = children.filter(person__nhs_number=search.nhs_number.replace(" ", ""))
    if search.la_child_id.strip():
        children = children.filter(la_child_id=search.la_child_id.strip().upper())
    # Ordered by the names as shown, which no index provides, on purpose: ordered by the keys, PostgreSQL
    # walks the whole key index in order to fill the first page, which for a late prefix ("smi") read
    # most of the council (300 ms at 274,000 children, docs/benchmarks.md); this way it gathers the matches
    # from both key indexes and sorts just those.
    return children.order_by("person__last_name", "person__first_name", "pk")


def child_allocations(*, child: Child) -> QuerySet[Allocation]:
    """The child's current allocations. The caller has already passed the policy for this child."""
    return Allocation.objects.current().filter(child=child).select_related("worker__user", "team__area")


def relationships_of(*, person: Person) -> list[tuple[Person, str, Relationship]]:
    """Everyone ``person`` is related to, each with what they are to ``person``, current ones first."""
    rows = Relationship.objects.filter(Q(from_person=person) | Q(to_person=person)).select_related(
        "from_person", "to_person"
    )
    seen = []
    for relationship in rows:
        other, label = relationship.seen_from(person)
        seen.append((other, label, relationship))
    seen.sort(key=lambda row: (row[2].end_date is not None, row[1], row[0].last_name))
    return seen


def household_members(*, person: Person, on: datetime.date) -> list[HouseholdMembership]:
    """Who lives with ``person`` on ``on``: the members of each household they belong to that day."""
    households = HouseholdMembership.objects.current_on(on).filter(person=person).values("household_id")
    return list(
        HouseholdMembership.objects.current_on(on)
        .filter(household_id__in=households)
        .exclude(person=person)
        .select_related("person", "household__address")
        .order_by("person__date_of_birth")
    )


# ----------------------------------------------------------------------------------------------------------
# Education status (issue 9). The caller has already passed the policy for this child.


def education_history(*, child: Child) -> list[EducationStatus]:
    """Every education status ever recorded for ``child``, newest change first, corrected rows included (the
    page shows them struck through with their correction)."""
    return list(
        EducationStatus.objects.filter(child=child)
        .select_related("created_by", "corrects")
        .order_by("-changed_on", "-created_at", "-pk")
    )


def education_status_on(
    *, child: Child, on: datetime.date, excluding: int | None = None
) -> EducationStatus | None:
    """The child's education on ``on``: the last status in effect that changed on or before that day (of two
    on one day, the later recorded). ``excluding`` leaves out one row (the one just recorded, to find what it
    changed from)."""
    rows = EducationStatus.objects.in_effect().filter(child=child, changed_on__lte=on)
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return rows.order_by("-changed_on", "-created_at", "-pk").first()
