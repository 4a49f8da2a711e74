"""Who the record is about: children, the adults around them, households, addresses and relationships.

A ``Person`` is anyone the service records (a child, a parent, a carer, a professional); a ``Child`` is a
person with the identifiers and characteristics that the statutory returns need. Relationships and
household memberships join persons, so a child's parent and a parent's other children are found the same way.
The fields follow the CIN census ChildIdentifiers/ChildCharacteristics and the SSDA903 header (DOMAIN.md §3-4).
"""

import datetime
import re
import unicodedata

from django.db import models
from django.db.models import Q

from safeguard.core.models import Recorded


class Sex(models.TextChoices):
    """CIN census ``Sex`` and SSDA903 SEX from 2024-25 (DfE CIN census 2024-25 specification, item N00783)."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Unknown or not stated"


class PersonKind(models.TextChoices):
    CHILD = "child", "Child"
    ADULT = "adult", "Adult (family or household member)"
    PROFESSIONAL = "professional", "Professional"


def name_key(name: str) -> str:
    """A name as search compares it: accents, case, spaces, hyphens and apostrophes dropped.

    "O'Neill-Brown" and "oneill brown" are the same key, so a worker need not guess the spelling of
    punctuation; prefix search on the key runs on a plain B-tree index on every database.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode().lower())


class Person(Recorded):
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100)
    known_as = models.CharField(max_length=100, blank=True, help_text="Preferred or other name")
    kind = models.CharField(max_length=20, choices=PersonKind.choices, default=PersonKind.ADULT)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, blank=True, help_text="DfE ethnicity code (reference data)")
    nhs_number = models.CharField(max_length=10, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    # For professionals: their role and organisation ("GP, Moss Lane Surgery").
    occupation = models.CharField(max_length=200, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    # Derived from the names on every save (``name_key``); what search matches on.
    first_name_key = models.CharField(max_length=100, editable=False, default="")
    last_name_key = models.CharField(max_length=100, editable=False, default="")

    class Meta:
        indexes = [
            models.Index(fields=["last_name_key", "first_name_key"], name="person_name_key_idx"),
            models.Index(fields=["first_name_key"], name="person_first_name_key_idx"),
            models.Index(fields=["date_of_birth"], name="person_dob_idx"),
            models.Index(fields=["nhs_number"], name="person_nhs_idx", condition=~Q(nhs_number="")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="person_sex_valid"),
            models.CheckConstraint(condition=Q(kind__in=PersonKind.values), name="person_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.set_name_keys()
        super().save(*args, **kwargs)

    def set_name_keys(self) -> None:
        """Bulk loads call this themselves, since ``bulk_create`` bypasses ``save``."""
        self.first_name_key = name_key(self.first_name)
        self.last_name_key = name_key(self.last_name)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Child(Recorded):
    """A child the service records, keyed by their person row.

    Identifiers as the CIN census defines them (DfE CIN census specification, ChildIdentifiers): the local
    child ID (``LAchildID``, at most 20 alphanumeric characters, unique in the council), the UPN, a former
    UPN, the reason a UPN is unknown (UN1-UN7), and an expected date of birth for an unborn child.
    """

    person = models.OneToOneField(Person, primary_key=True, on_delete=models.PROTECT, related_name="child")
    la_child_id = models.CharField("local child ID", max_length=20, unique=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    upn_unknown_reason = models.CharField(max_length=3, blank=True, help_text="UN1-UN7 (reference data)")
    expected_date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["upn"], name="child_upn_idx", condition=~Q(upn="")),
            # The duplicate check looks up unborn children by expected date (safeguard/people/duplicates.py).
            models.Index(
                fields=["expected_date_of_birth"],
                name="child_expected_dob_idx",
                condition=Q(expected_date_of_birth__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(la_child_id__regex=r"^[A-Za-z0-9]{1,20}$"), name="child_la_id_alphanumeric"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.la_child_id})"

    def save(self, *args, **kwargs):
        # Search matches IDs exactly against the unique index, so they are stored in one case.
        self.la_child_id = self.la_child_id.strip().upper()
        super().save(*args, **kwargs)

    @property
    def is_unborn(self) -> bool:
        return self.person.date_of_birth is None and self.expected_date_of_birth is not None


class ChildDisability(models.Model):
    """One disability code recorded for a child (CIN census Disabilities/Disability; NONE stands alone)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="disabilities")
    code = models.CharField(max_length=4, help_text="DfE disability code (reference data)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "code"], name="unique_child_disability")]

    def __str__(self) -> str:
        return self.code


class Address(Recorded):
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8)
    uprn = models.CharField("UPRN", max_length=12, blank=True)

    class Meta:
        verbose_name_plural = "addresses"
        indexes = [models.Index(fields=["postcode"], name="address_postcode_idx")]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.line_1, self.line_2, self.town, self.postcode) if part)


def current_on_q(day: datetime.date, prefix: str = "") -> Q:
    """A dated row holds on ``day``: from ``start_date`` to ``end_date`` inclusive, open-ended where either is
    null. ``prefix`` reaches the row through a relation ("allocations__"), e.g. in an aggregate's filter."""
    return (Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": day})) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


class DatedQuerySet(models.QuerySet):
    """Rows that hold from ``start_date`` to ``end_date`` (inclusive; open-ended while ``end_date`` is null)."""

    def current_on(self, day: datetime.date) -> "DatedQuerySet":
        return self.filter(current_on_q(day))


class Dated(models.Model):
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_current_on(self, day: datetime.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or self.end_date >= day
        )


def dates_in_order() -> Q:
    """A dated row may be open at either end, but may not end before it starts."""
    return Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date"))


class PersonAddress(Recorded, Dated):
    """Where a person lived, and when: the address history a record shows and a placement postcode reads."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="addresses")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="residents")

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=dates_in_order(), name="person_address_dates_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.address}"


class Household(Recorded):
    """People who live together, which is how siblings, step-parents and a parent's new partner are found."""

    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.description or f"Household {self.pk}"


class HouseholdMembership(Recorded, Dated):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="household_memberships")

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(condition=dates_in_order(), name="household_membership_dates_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.household}"


class RelationshipType(models.TextChoices):
    """A relationship read from ``from_person`` to ``to_person`` ("A is the parent of B").

    ``INVERSE`` gives how the same row reads from the other end, so each relationship is stored once and
    shown from either side.
    """

    PARENT = "parent", "Parent"
    CHILD = "child", "Child"
    STEP_PARENT = "step_parent", "Step-parent"
    STEP_CHILD = "step_child", "Step-child"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half_sibling", "Half-sibling"
    STEP_SIBLING = "step_sibling", "Step-sibling"
    GRANDPARENT = "grandparent", "Grandparent"
    GRANDCHILD = "grandchild", "Grandchild"
    PARTNER = "partner", "Partner"
    CARER = "carer", "Carer"
    CARED_FOR = "cared_for", "Cared for"
    PROFESSIONAL = "professional", "Professional involved"
    CLIENT = "client", "Child or family worked with"
    OTHER_RELATIVE = "other_relative", "Other relative"
    FRIEND = "friend", "Family friend"


RelationshipType.INVERSE = {
    RelationshipType.PARENT: RelationshipType.CHILD,
    RelationshipType.CHILD: RelationshipType.PARENT,
    RelationshipType.STEP_PARENT: RelationshipType.STEP_CHILD,
    RelationshipType.STEP_CHILD: RelationshipType.STEP_PARENT,
    RelationshipType.SIBLING: RelationshipType.SIBLING,
    RelationshipType.HALF_SIBLING: RelationshipType.HALF_SIBLING,
    RelationshipType.STEP_SIBLING: RelationshipType.STEP_SIBLING,
    RelationshipType.GRANDPARENT: RelationshipType.GRANDCHILD,
    RelationshipType.GRANDCHILD: RelationshipType.GRANDPARENT,
    RelationshipType.PARTNER: RelationshipType.PARTNER,
    RelationshipType.CARER: RelationshipType.CARED_FOR,
    RelationshipType.CARED_FOR: RelationshipType.CARER,
    RelationshipType.PROFESSIONAL: RelationshipType.CLIENT,
    RelationshipType.CLIENT: RelationshipType.PROFESSIONAL,
    RelationshipType.OTHER_RELATIVE: RelationshipType.OTHER_RELATIVE,
    RelationshipType.FRIEND: RelationshipType.FRIEND,
}
SIBLING_TYPES = (RelationshipType.SIBLING, RelationshipType.HALF_SIBLING, RelationshipType.STEP_SIBLING)


class Relationship(Recorded, Dated):
    from_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_from")
    to_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_to")
    relationship_type = models.CharField(max_length=20, choices=RelationshipType.choices)
    has_parental_responsibility = models.BooleanField(
        default=False, help_text="For a parent or carer: holds parental responsibility (Children Act 1989 s3)"
    )
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            # A caseload's siblings (allocation.caseload): the relationships of thousands of children at once,
            # read from the index alone (the director's caseloads: 85 ms to 42 ms on SQLite, 310,000 children).
            models.Index(
                fields=["from_person", "relationship_type", "to_person"], name="relationship_from_type_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_person=models.F("to_person")), name="relationship_not_self"
            ),
            models.CheckConstraint(
                condition=Q(relationship_type__in=RelationshipType.values), name="relationship_type_valid"
            ),
            models.CheckConstraint(condition=dates_in_order(), name="relationship_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} is {self.get_relationship_type_display().lower()} to {self.to_person}"

    def seen_from(self, person: Person) -> tuple[Person, str]:
        """The other person and what they are to ``person``: on a child's record, their mother reads "Parent".

        ``relationship_type`` is what ``from_person`` is to ``to_person``.
        """
        if person.pk == self.to_person_id:
            return self.from_person, RelationshipType(self.relationship_type).label
        inverse = RelationshipType.INVERSE[RelationshipType(self.relationship_type)]
        return self.to_person, inverse.label


# ----------------------------------------------------------------------------------------------------------
# Education status (issue 9): where a child is educated, over time.


class EducationSetting(models.TextChoices):
    """Where a child is educated, in the words of the DfE's guidance (reference codes, stored as the value).

    - On a school roll: a registered pupil at a school (School Attendance (Pupil Registration) (England)
      Regulations 2024), whose URN is the school's in Get Information about Schools.
    - Electively home educated: the parents have chosen to educate the child at home instead of at school
      (Education Act 1996 s7; DfE "Elective home education: departmental guidance for local authorities",
      April 2019).
    - Children missing education: of compulsory school age, not a registered pupil at a school and not
      receiving suitable education otherwise than at a school (DfE "Children missing education: statutory
      guidance for local authorities", September 2016, updated 19 August 2024; Education Act 1996 s436A).
      It includes a child awaiting a school place, and a home educated child whose education the local
      authority has found unsuitable.
    - Not in school, other: anything else, explained in the notes (education arranged by the local authority
      otherwise than at school, a child below or above compulsory school age, a young person in work-based
      training).
    """

    ON_ROLL = "on_roll", "On a school roll"
    ELECTIVE_HOME_EDUCATION = "ehe", "Electively home educated"
    MISSING_EDUCATION = "cme", "Not in school: child missing education"
    NOT_IN_SCHOOL_OTHER = "not_in_school", "Not in school: other"


# A move from a school roll to any of these is a withdrawal from school (issue 9).
NOT_ON_ROLL = (
    EducationSetting.ELECTIVE_HOME_EDUCATION,
    EducationSetting.MISSING_EDUCATION,
    EducationSetting.NOT_IN_SCHOOL_OTHER,
)


class EducationSource(models.TextChoices):
    """Who told us: the answer is only as good as where it came from."""

    FRONT_DOOR_CHECK = "front_door_check", "The front door's education check"
    SCHOOL = "school", "The school"
    LOCAL_AUTHORITY_EDUCATION = "la_education", "The council's education service (EHE or CME team)"
    SOCIAL_WORKER = "social_worker", "The social worker"
    PARENT = "parent", "A parent or carer"


class EducationStatusQuerySet(models.QuerySet):
    def in_effect(self) -> "EducationStatusQuerySet":
        """Rows not replaced by a correction: the history as it is now believed to be."""
        return self.filter(corrected_by__isnull=True)

    def in_order(self) -> "EducationStatusQuerySet":
        """Oldest change first; two changes on one day in the order they were recorded."""
        return self.order_by("changed_on", "created_at", "pk")


class EducationStatus(Recorded):
    """One change in where a child is educated, from the day it changed. Rows are never edited: a new
    status is a new row, and a mistake is put right by a new row that ``corrects`` the wrong one, with a
    reason, so what was believed and when is never lost (DESIGN.md, "data never lost"). The child's status
    on a day is the last row in effect that changed on or before it. ``created_by`` is who recorded it."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="education_statuses")
    setting = models.CharField(max_length=20, choices=EducationSetting.choices)
    changed_on = models.DateField(help_text="The day the child's education changed to this")
    school_name = models.CharField(max_length=200, blank=True)
    school_urn = models.CharField(
        "school URN",
        max_length=6,
        blank=True,
        help_text="Unique reference number in Get Information about Schools",
    )
    source = models.CharField(max_length=20, choices=EducationSource.choices)
    notes = models.TextField(blank=True)
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        help_text="The earlier row this one puts right (that row stays, shown as corrected)",
    )

    objects = EducationStatusQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "education statuses"
        indexes = [models.Index(fields=["child", "changed_on"], name="education_status_child_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(setting__in=EducationSetting.values), name="education_setting_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=EducationSource.values), name="education_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(school_urn="") | Q(school_urn__regex=r"^[0-9]{6}$"),
                name="education_urn_six_digits",
            ),
            models.CheckConstraint(
                condition=Q(setting=EducationSetting.ON_ROLL) | (Q(school_name="") & Q(school_urn="")),
                name="education_school_only_on_roll",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_setting_display()} from {self.changed_on} ({self.child_id})"

    @property
    def describe(self) -> str:
        """As a page shows it: "On a school roll: Northgate Primary (URN 100001)"."""
        if self.setting != EducationSetting.ON_ROLL or not self.school_name:
            return self.get_setting_display()
        urn = f" (URN {self.school_urn})" if self.school_urn else ""
        return f"{self.get_setting_display()}: {self.school_name}{urn}"
