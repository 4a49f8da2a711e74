"""Writes to people's records. Each service validates, runs in one transaction and writes its AuditEvent."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from safeguard.audit.services import audit_event_record, changes_between
from safeguard.core.reference import codes
from safeguard.people.identifiers import NHS_NUMBER_ERROR, is_valid_nhs_number
from safeguard.people.models import Child, Person, PersonKind, Sex

CHILD_FIELDS = ["first_name", "last_name", "date_of_birth", "sex", "ethnicity", "nhs_number"]


def next_la_child_id() -> str:
    """The next local child ID: one more than the highest numeric ID in use."""
    numeric = Child.objects.filter(la_child_id__regex=r"^[0-9]+$").aggregate(top=Max("la_child_id"))["top"]
    # IDs are compared as text; the synthetic and imported ones are of one length, so text order is numeric.
    return str(int(numeric) + 1) if numeric else "1000001"


def child_create(
    *,
    created_by,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None = None,
    expected_date_of_birth: datetime.date | None = None,
    sex: str = Sex.UNKNOWN,
    ethnicity: str = "",
    nhs_number: str = "",
    la_child_id: str = "",
) -> Child:
    """Record a child new to the service. The caller has already shown the likely duplicates
    (``safeguard.people.duplicates``) and the worker has chosen to create a new record anyway."""
    errors = {}
    if not first_name.strip() and not last_name.strip():
        errors["first_name"] = "Enter the child's first name or last name"
    if date_of_birth is None and expected_date_of_birth is None:
        errors["date_of_birth"] = "Enter the child's date of birth, or the expected date for an unborn child"
    if nhs_number and not is_valid_nhs_number(nhs_number):
        errors["nhs_number"] = NHS_NUMBER_ERROR
    if ethnicity and ethnicity not in codes("ethnicity"):
        errors["ethnicity"] = "Choose an ethnicity from the list"
    if sex not in Sex.values:
        errors["sex"] = "Choose the child's sex"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        person = Person.objects.create(
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            kind=PersonKind.CHILD,
            date_of_birth=date_of_birth,
            sex=sex,
            ethnicity=ethnicity,
            nhs_number=nhs_number.replace(" ", ""),
            created_by=created_by,
            modified_by=created_by,
        )
        child = Child.objects.create(
            person=person,
            la_child_id=la_child_id or next_la_child_id(),
            expected_date_of_birth=expected_date_of_birth if date_of_birth is None else None,
            created_by=created_by,
            modified_by=created_by,
        )
        audit_event_record(
            actor=created_by,
            action="child.created",
            entity=child,
            child=child,
            changes=changes_between(None, person, CHILD_FIELDS) | {"la_child_id": [None, child.la_child_id]},
        )
    return child
