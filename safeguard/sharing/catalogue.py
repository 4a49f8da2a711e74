"""What may be shared: a catalogue of fields, each with its label, what it tells a partner, and how it is read
from the record. A share lists codes from here; the shared-record page reads only those, so a field that is not
shared is never loaded, let alone rendered (data minimisation, UK GDPR art. 5(1)(c); Working Together 2023
ch.1: share what is "necessary, proportionate, relevant, adequate, accurate, timely and secure").

Every reader takes the child and the day and returns a list of (label, value) rows, empty when the record
holds nothing for it (shown as "Not recorded"). Readers are given one child at a time: a share is one child.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from safeguard.casework.models import CinEpisode, CinPlan, CPPlan
from safeguard.core.reference import label
from safeguard.lookedafter.models import PeriodOfCare
from safeguard.organisation.models import Allocation, AllocationRole
from safeguard.people.models import Child, PersonAddress
from safeguard.ui.forms import format_date

Rows = list[tuple[str, str]]


@dataclass(frozen=True)
class SharedField:
    code: str
    label: str
    description: str
    read: Callable[[Child, datetime.date], Rows]


def _identity(child: Child, today: datetime.date) -> Rows:
    person = child.person
    born = person.date_of_birth
    rows = [("Name", person.full_name), ("Local child ID", child.la_child_id)]
    if born:
        rows.append(("Date of birth", format_date(born)))
    elif child.expected_date_of_birth:
        rows.append(("Expected date of birth", format_date(child.expected_date_of_birth)))
    return rows


def _nhs_number(child: Child, today: datetime.date) -> Rows:
    return [("NHS number", child.person.nhs_number)] if child.person.nhs_number else []


def _address(child: Child, today: datetime.date) -> Rows:
    lived = (
        PersonAddress.objects.current_on(today)
        .filter(person_id=child.pk)
        .select_related("address")
        .order_by("-start_date")
        .first()
    )
    if lived is None:
        return []
    address = lived.address
    parts = [address.line_1, address.line_2, address.town, address.postcode]
    return [("Current address", ", ".join(part for part in parts if part))]


def _plan(child: Child, today: datetime.date) -> Rows:
    """The plan the child is on today, the most protective first: looked after (Children Act 1989 s22), a
    child protection plan (s47), a child in need plan (s17), or an open child in need episode with no plan."""
    if PeriodOfCare.objects.filter(child=child, end_date__isnull=True).exists():
        kind = "Looked after (CLA)"
    elif CPPlan.objects.filter(child=child, end_date__isnull=True).exists():
        kind = "Child protection plan (CP)"
    elif CinPlan.objects.filter(child=child, end_date__isnull=True).exists():
        kind = "Child in need plan (CIN)"
    elif CinEpisode.objects.filter(child=child).open().exists():
        kind = "Open to children's social care, no plan yet"
    else:
        kind = "Not open to children's social care"
    return [("Current plan", kind)]


def _contact(child: Child, today: datetime.date) -> Rows:
    allocation = (
        Allocation.objects.current()
        .filter(child=child, role=AllocationRole.SOCIAL_WORKER)
        .select_related("worker__user", "team")
        .first()
    )
    if allocation is None:
        return [("Allocated social worker", "Not allocated")]
    return [("Allocated social worker", allocation.worker.name), ("Team", allocation.team.name)]


def _cp_categories(child: Child, today: datetime.date) -> Rows:
    """The categories of abuse of the open child protection plan (CIN census: Initial/LatestCategoryOfAbuse)."""
    plan = CPPlan.objects.filter(child=child, end_date__isnull=True).first()
    if plan is None:
        return []
    return [
        ("Initial category of abuse", label("abuse_category", plan.initial_category)),
        ("Latest category of abuse", label("abuse_category", plan.latest_category)),
    ]


def _key_dates(child: Child, today: datetime.date) -> Rows:
    rows: Rows = []
    episode = CinEpisode.objects.filter(child=child).open().order_by("-referral_date").first()
    if episode:
        rows.append(("Referral date", format_date(episode.referral_date)))
    plan = CPPlan.objects.filter(child=child, end_date__isnull=True).first()
    if plan:
        rows.append(("Child protection plan since", format_date(plan.start_date)))
    period = PeriodOfCare.objects.filter(child=child, end_date__isnull=True).first()
    if period:
        rows.append(("Looked after since", format_date(period.start_date)))
    return rows


CATALOGUE: dict[str, SharedField] = {
    field.code: field
    for field in [
        SharedField("identity", "Identity", "Name, local child ID and date of birth", _identity),
        SharedField("nhs_number", "NHS number", "For matching health records", _nhs_number),
        SharedField("address", "Address", "Where the child lives now", _address),
        SharedField("plan", "Current plan", "Child in need, child protection or looked after", _plan),
        SharedField(
            "contact", "Social worker", "The allocated social worker and their team, to contact", _contact
        ),
        SharedField(
            "cp_categories",
            "Categories of abuse",
            "The child protection plan's initial and latest category",
            _cp_categories,
        ),
        SharedField(
            "key_dates",
            "Key dates",
            "Referral, child protection plan and looked-after start dates",
            _key_dates,
        ),
    ]
}

FIELD_CHOICES = [(field.code, f"{field.label}: {field.description}") for field in CATALOGUE.values()]


def shared_rows(child: Child, codes: list[str], today: datetime.date) -> list[tuple[SharedField, Rows]]:
    """The shared fields of ``child``, in catalogue order, read now; codes not in the catalogue are ignored."""
    return [(field, field.read(child, today)) for code, field in CATALOGUE.items() if code in codes]
