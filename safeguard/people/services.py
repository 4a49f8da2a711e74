"""Writes to people's records. Each service validates, runs in one transaction and writes its AuditEvent."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from safeguard.audit.services import audit_event_record, changes_between
from safeguard.core.reference import codes
from safeguard.people.identifiers import NHS_NUMBER_ERROR, is_valid_nhs_number
from safeguard.people.models import (
    Child,
    EducationSetting,
    EducationSource,
    EducationStatus,
    Person,
    PersonKind,
    Sex,
)

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


# ----------------------------------------------------------------------------------------------------------
# Education status (issue 9). The front door's ``frontdoor.education.education_status_change`` is what pages
# call: it records the change with this service and, in the same transaction, looks for a withdrawal from
# school while the child or a sibling was known. This one only validates and writes the row.


def education_status_record(
    *,
    child: Child,
    recorded_by,
    setting: str,
    changed_on: datetime.date,
    source: str,
    school_name: str = "",
    school_urn: str = "",
    notes: str = "",
    corrects: EducationStatus | None = None,
) -> EducationStatus:
    """Record that ``child``'s education changed to ``setting`` on ``changed_on``, as ``source`` said.

    A school's name is asked for a child on a school roll and refused otherwise; its URN, if known, is six
    digits. "Not in school: other" and a correction need a note saying what and why. A correction names the
    row it puts right, which must be this child's and not already corrected; the wrong row stays.
    """
    school_name, school_urn, notes = school_name.strip(), school_urn.strip(), notes.strip()
    errors = {}
    if setting not in EducationSetting.values:
        errors["setting"] = "Choose where the child is educated"
    if source not in EducationSource.values:
        errors["source"] = "Choose who told you"
    if changed_on is None:
        errors["changed_on"] = "Enter the date the child's education changed"
    elif changed_on > timezone.localdate():
        errors["changed_on"] = "The date the child's education changed cannot be in the future"
    elif child.person.date_of_birth and changed_on < child.person.date_of_birth:
        errors["changed_on"] = "The date the child's education changed cannot be before they were born"
    if setting == EducationSetting.ON_ROLL:
        if not school_name:
            errors["school_name"] = "Enter the name of the school"
        if school_urn and not re.fullmatch(r"[0-9]{6}", school_urn):
            errors["school_urn"] = "A school's URN is 6 digits, like 100001; leave it blank if not known"
    elif school_name or school_urn:
        errors["school_name"] = "Give a school only for a child on a school roll"
    if setting == EducationSetting.NOT_IN_SCHOOL_OTHER and not notes:
        errors["notes"] = "Say why the child is not in school"
    if corrects is not None:
        if corrects.child_id != child.pk:
            errors["corrects"] = "A correction is of this child's own education status"
        elif EducationStatus.objects.filter(corrects=corrects).exists():
            errors["corrects"] = "That status has already been corrected"
        if not notes:
            errors["notes"] = "Say what was wrong with the status you are correcting"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        status = EducationStatus.objects.create(
            child=child,
            setting=setting,
            changed_on=changed_on,
            source=source,
            school_name=school_name,
            school_urn=school_urn,
            notes=notes,
            corrects=corrects,
            created_by=recorded_by,
            modified_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="education_status.corrected" if corrects else "education_status.recorded",
            entity=status,
            child=child,
            changes={
                "setting": [corrects.setting if corrects else None, setting],
                "changed_on": [corrects.changed_on.isoformat() if corrects else None, changed_on.isoformat()],
                "source": [None, source],
                "school_name": [corrects.school_name if corrects else None, school_name],
                "school_urn": [corrects.school_urn if corrects else None, school_urn],
            },
            reason=notes,
        )
    return status
