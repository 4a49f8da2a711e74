"""Bulk arrival: a file of notifications from one agency (typically a police domestic abuse batch) becomes
contacts, all or nothing.

The file is a CSV with a header row; its columns are described in ``COLUMNS`` and, for the people who make
the files, in docs/how-to/front-door-import.md. Every row is checked before anything is written, and every
problem with every row is reported (row number as a spreadsheet shows it, the header being row 1, the
column, and what to do). If any row is rejected nothing at all is imported, so a worker can fix the file
and upload the whole of it again without wondering which notifications arrived: a notification that is
half-imported is one that nobody knows to look for.

Each row's child is found, in order of certainty:

1. by NHS number (the record must have the same date of birth, or the row is rejected: a mistyped NHS
   number must not put a police notification on another child's record);
2. by exact name (the search keys: case, accents and punctuation ignored) and date of birth, when exactly
   one child has them (and that child's record has no other NHS number);
3. otherwise, if anyone may be the child by the rules of ``safeguard.people.duplicates`` (a similar name,
   either way round, with the same date of birth or its day and month swapped), the row is rejected and the worker records that contact by hand,
   choosing the right child: guessing here either splits a child's record or joins two children's;
4. otherwise a new child is recorded with ``child_create``. Rows in one file about the same new child (the
   same NHS number, or the same name and date of birth) share one new record.

Re-uploading a file never duplicates: a row whose ``external_reference`` was already imported from the
same source for the same child is rejected (the database's unique constraint backs this up).
"""

import csv
import datetime
import functools
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.audit.services import audit_event_record
from safeguard.core.reference import codes_valid_on, label
from safeguard.frontdoor.models import Consent, Contact, ContactImportBatch
from safeguard.frontdoor.policies import may_work_at_front_door
from safeguard.frontdoor.services import contact_record
from safeguard.organisation.models import Area, Team
from safeguard.people.duplicates import _similar, _swapped  # its rules, for a whole file: _possible_matches
from safeguard.people.identifiers import is_valid_nhs_number
from safeguard.people.models import Child, name_key
from safeguard.people.services import child_create, next_la_child_id

MAX_BYTES = 2 * 1024 * 1024  # 2 MB: a day's police notifications for a large city is well under 1 MB
# Each row costs about 4 ms to write (a contact, perhaps a child, and their audit events), so 2,000 rows stay
# under 10 s in one request at the scale of a large city; a day's police batch there is about 50 rows.
MAX_ROWS = 2_000

# Column name -> (required, what it holds). The order is the order of the example in the how-to.
COLUMNS: dict[str, tuple[bool, str]] = {
    "external_reference": (True, "the sender's own reference, e.g. the police occurrence number"),
    "received_at": (True, "when the notification arrived: 2026-11-27 09:15 or 27/11/2026 09:15"),
    "child_first_name": (True, "the child's first name"),
    "child_last_name": (True, "the child's last name"),
    "child_date_of_birth": (True, "27/03/2015 or 2015-03-27"),
    "child_nhs_number": (False, "10 digits, spaces allowed; leave blank if not known"),
    "area": (True, "the area the child lives in: its code or its name"),
    "reported": (True, "what was reported"),
    "worry": (True, "what the worry is for the child"),
    "immediate_risk": (True, "Y or N"),
    "consent": (True, "given, refused, not sought (risk) or not known"),
    "referrer_name": (False, "who made the notification"),
    "referrer_organisation": (False, "their organisation, e.g. the police force"),
    "referrer_contact_details": (False, "a phone number or email address"),
}
IDENTITY_COLUMNS = ("child_first_name", "child_last_name", "child_date_of_birth", "child_nhs_number")
REQUIRED_COLUMNS = [name for name, (required, _) in COLUMNS.items() if required]

YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}
CONSENT_WORDS = {
    "given": Consent.GIVEN,
    "yes": Consent.GIVEN,
    "refused": Consent.REFUSED,
    "no": Consent.REFUSED,
    "not sought": Consent.NOT_SOUGHT_RISK,
    "not sought (risk)": Consent.NOT_SOUGHT_RISK,
    "not_sought_risk": Consent.NOT_SOUGHT_RISK,
    "not known": Consent.NOT_KNOWN,
    "not_known": Consent.NOT_KNOWN,
    "unknown": Consent.NOT_KNOWN,
}
for _consent in Consent:
    CONSENT_WORDS.setdefault(_consent.label.lower(), _consent)

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
)


@dataclass(frozen=True)
class Problem:
    """Why a file or a row was rejected. ``row`` is as a spreadsheet shows it (the header is row 1); None
    for a problem with the whole file."""

    message: str
    row: int | None = None
    column: str = ""


class ImportRejected(Exception):
    """Nothing was imported. ``problems`` says why: either one problem with the whole file, or every
    problem with every rejected row."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.message for problem in problems[:3]))
        self.problems = problems

    @property
    def rows(self) -> dict[int, list[Problem]]:
        """Row problems grouped by row, in row order."""
        grouped: dict[int, list[Problem]] = {}
        for problem in sorted(
            (problem for problem in self.problems if problem.row is not None), key=lambda p: p.row
        ):
            grouped.setdefault(problem.row, []).append(problem)
        return grouped


@dataclass
class ImportResult:
    batch: ContactImportBatch
    contacts: list[Contact]
    children_created: int
    children_matched: int


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    received_at: datetime.datetime | None = None
    date_of_birth: datetime.date | None = None
    nhs_number: str = ""
    area: Area | None = None
    immediate_risk: bool = False
    consent: str = ""
    child: Child | None = None
    new_child_key: tuple | None = None

    def reject(self, column: str, message: str) -> None:
        self.problems.append(Problem(message=message, row=self.number, column=column))

    def problems_on_identity(self) -> bool:
        return any(problem.column in IDENTITY_COLUMNS for problem in self.problems)

    @property
    def first_name(self) -> str:
        return self.values.get("child_first_name", "")

    @property
    def last_name(self) -> str:
        return self.values.get("child_last_name", "")


def _parse_date(text: str) -> datetime.date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _parse_datetime(text: str) -> datetime.datetime | None:
    for pattern in DATETIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return timezone.make_aware(moment)  # the council's time (Europe/London), as the sender wrote it
    try:  # a full ISO 8601 time with an offset, e.g. 2026-11-27T09:15:00+00:00
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError:
        raise ImportRejected(
            [
                Problem(
                    "The file is not in UTF-8. In Excel, choose Save As and the type "
                    "\u201cCSV UTF-8 (Comma delimited)\u201d, then upload it again"
                )
            ]
        ) from None


def _read(data: bytes | str) -> list[_Row]:
    """The file's rows, or ImportRejected with one problem about the whole file."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_BYTES:
        raise ImportRejected(
            [
                Problem(
                    f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. "
                    f"Split it into smaller files of at most {MAX_ROWS:,} rows"
                )
            ]
        )
    text = _decode(data)
    if not text.strip():
        raise ImportRejected([Problem("The file is empty")])
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportRejected([Problem(f"The file is not a readable CSV file ({error})")]) from None
    header = [name.strip().lower() for name in records[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if missing or unknown or repeated:
        parts = []
        if missing:
            parts.append("it has no column " + ", ".join(f"\u201c{name}\u201d" for name in missing))
        if unknown:
            parts.append(
                "it has columns this import does not know: " + ", ".join(f"\u201c{n}\u201d" for n in unknown)
            )
        if repeated:
            parts.append("it has more than one column " + ", ".join(f"\u201c{n}\u201d" for n in repeated))
        raise ImportRejected(
            [
                Problem(
                    "The first row of the file must be the column names, and "
                    + "; ".join(parts)
                    + ". Use the column names in the guide to importing a file"
                )
            ]
        )
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # spreadsheets often end with blank rows
        row = _Row(number=index, values={})
        if len(record) != len(header):
            row.reject(
                "",
                f"Row {index} has {len(record)} values but the header has {len(header)} columns: "
                "check for a missing or extra comma",
            )
        for name, cell in zip(header, record, strict=False):
            if name:
                row.values[name] = cell.strip()
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise ImportRejected(
                [Problem(f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files")]
            )
    if not rows:
        raise ImportRejected([Problem("The file has column names but no rows of notifications")])
    return rows


@functools.cache
def _valid_sources(day: datetime.date) -> frozenset[str]:
    return frozenset(codes_valid_on("referral_source", day))


def _source_valid_on(source: str, day: datetime.date) -> bool:
    return source in _valid_sources(day)


def _check_fields(row: _Row, *, source: str, areas: dict[str, Area], now: datetime.datetime) -> None:
    values = row.values
    today = timezone.localdate(now)
    reference = values.get("external_reference", "")
    if not reference:
        row.reject(
            "external_reference", "Enter the sender's reference (for the police, the occurrence number)"
        )
    elif len(reference) > Contact._meta.get_field("external_reference").max_length:
        row.reject("external_reference", "The reference must be 60 characters or fewer")

    received = values.get("received_at", "")
    if not received:
        row.reject("received_at", "Enter when the notification was received")
    else:
        row.received_at = _parse_datetime(received)
        if row.received_at is None:
            row.reject(
                "received_at",
                f"\u201c{received}\u201d is not a date and time: write it like 27/11/2026 09:15 or 2026-11-27 09:15",
            )
        elif row.received_at > now + datetime.timedelta(minutes=5):
            row.reject("received_at", "The time the notification was received cannot be in the future")
        elif not _source_valid_on(source, timezone.localtime(row.received_at).date()):
            row.reject(
                "received_at",
                f"The source \u201c{label('referral_source', source)}\u201d was not a valid CIN census "
                "source on that date",
            )

    if not row.first_name:
        row.reject("child_first_name", "Enter the child's first name")
    if not row.last_name:
        row.reject("child_last_name", "Enter the child's last name")
    for column in ("child_first_name", "child_last_name"):
        if len(values.get(column, "")) > 100:
            row.reject(column, "The name must be 100 characters or fewer")

    born = values.get("child_date_of_birth", "")
    if not born:
        row.reject(
            "child_date_of_birth",
            "Enter the child's date of birth (an unborn child's contact is recorded by hand)",
        )
    else:
        row.date_of_birth = _parse_date(born)
        if row.date_of_birth is None:
            row.reject(
                "child_date_of_birth",
                f"\u201c{born}\u201d is not a date: write it like 27/03/2015 or 2015-03-27",
            )
        elif row.date_of_birth > today:
            row.reject("child_date_of_birth", "The date of birth cannot be in the future")
        elif row.date_of_birth.year < today.year - 25:
            row.reject("child_date_of_birth", "The date of birth is more than 25 years ago: check it")

    number = values.get("child_nhs_number", "").replace(" ", "").replace("-", "")
    if number:
        if is_valid_nhs_number(number):
            row.nhs_number = number
        else:
            row.reject(
                "child_nhs_number",
                f"\u201c{values['child_nhs_number']}\u201d is not a valid NHS number: it has 10 digits, "
                "like 999 123 4560. Leave it blank if it is not known",
            )

    area = values.get("area", "")
    if not area:
        row.reject("area", "Enter the area the child lives in (its code or name)")
    else:
        row.area = areas.get(area.lower())
        if row.area is None:
            row.reject(
                "area",
                f"\u201c{area}\u201d is not an area: use one of "
                + ", ".join(sorted({a.name for a in areas.values()})),
            )

    if not values.get("reported", ""):
        row.reject("reported", "Enter what was reported")
    if not values.get("worry", ""):
        row.reject("worry", "Enter what the worry is for the child")

    risk = values.get("immediate_risk", "").lower()
    if risk in YES:
        row.immediate_risk = True
    elif risk not in NO:
        row.reject("immediate_risk", "Enter Y if the child is at immediate risk, or N if not")

    consent = values.get("consent", "").lower()
    row.consent = CONSENT_WORDS.get(consent, "")
    if not row.consent:
        row.reject(
            "consent", "Enter whether the family consented: given, refused, not sought (risk) or not known"
        )

    for column in ("referrer_name", "referrer_organisation", "referrer_contact_details"):
        if len(values.get(column, "")) > 200:
            row.reject(column, "This must be 200 characters or fewer")


def _children_born_on(dates: set[datetime.date]) -> dict[datetime.date, list[Child]]:
    """Every child born (or, unborn, expected) on one of ``dates``, by that date: two indexed queries for
    the whole file, where asking ``likely_duplicates`` row by row costs a query per row."""
    wanted = set(dates)
    for day in dates:
        if (swapped := _swapped(day)) is not None:
            wanted.add(swapped)
    born: dict[datetime.date, list[Child]] = {}
    for child in Child.objects.filter(person__date_of_birth__in=wanted).select_related("person"):
        born.setdefault(child.person.date_of_birth, []).append(child)
    unborn = Child.objects.filter(person__date_of_birth__isnull=True, expected_date_of_birth__in=wanted)
    for child in unborn.select_related("person"):
        born.setdefault(child.expected_date_of_birth, []).append(child)
    return born


def _possible_matches(row: _Row, born: dict[datetime.date, list[Child]]) -> list[Child]:
    """The children ``safeguard.people.duplicates.likely_duplicates`` would offer for this row's name and
    date of birth (a similar name, either way round, born the same day or with day and month swapped)."""
    first, last = name_key(row.first_name), name_key(row.last_name)
    days = [row.date_of_birth, _swapped(row.date_of_birth)]
    found = []
    for day in filter(None, days):
        for child in born.get(day, []):
            person = child.person
            if (_similar(first, person.first_name_key) and _similar(last, person.last_name_key)) or (
                _similar(first, person.last_name_key) and _similar(last, person.first_name_key)
            ):
                found.append(child)
    return found


def _find_children(rows: list[_Row]) -> None:
    """Match each row (whose identity fields are valid) to a child, or mark it for a new record, or reject it."""
    numbers = {row.nhs_number for row in rows if row.nhs_number}
    by_number: dict[str, list[Child]] = {}
    for child in Child.objects.filter(person__nhs_number__in=numbers).select_related("person"):
        by_number.setdefault(child.person.nhs_number, []).append(child)
    born = _children_born_on({row.date_of_birth for row in rows if row.date_of_birth})

    for row in rows:
        if row.date_of_birth is None or not (row.first_name and row.last_name) or row.problems_on_identity():
            continue
        key = (name_key(row.first_name), name_key(row.last_name), row.date_of_birth)
        if row.nhs_number and row.nhs_number in by_number:
            found = by_number[row.nhs_number]
            if len(found) > 1:
                row.reject(
                    "child_nhs_number",
                    "More than one child's record has this NHS number: record this contact by hand, "
                    "and tell your system administrator",
                )
            elif found[0].person.date_of_birth not in (None, row.date_of_birth):
                row.reject(
                    "child_nhs_number",
                    "This NHS number belongs to a child with a different date of birth: check the NHS "
                    "number and date of birth with the sender, or record this contact by hand",
                )
            else:
                row.child = found[0]
            continue
        exact = [
            child
            for child in born.get(row.date_of_birth, [])
            if (child.person.first_name_key, child.person.last_name_key, child.person.date_of_birth) == key
        ]
        if len(exact) == 1:
            recorded = exact[0].person.nhs_number
            if row.nhs_number and recorded and recorded != row.nhs_number:
                row.reject(
                    "child_nhs_number",
                    "A child with this name and date of birth has a different NHS number on their record: "
                    "check the NHS number with the sender, or record this contact by hand",
                )
            else:
                row.child = exact[0]
            continue
        if len(exact) > 1:
            row.reject(
                "child_last_name",
                f"{len(exact)} children have this name and date of birth: record this contact by hand, "
                "choosing the right child",
            )
            continue
        maybe = _possible_matches(row, born)
        if maybe:
            row.reject(
                "child_last_name",
                f"{len(maybe)} existing record{'s' if len(maybe) > 1 else ''} may be this child "
                "(a similar name and date of birth): record this contact by hand, choosing the right "
                "child or confirming that the child is new",
            )
            continue
        # A new child: rows about the same new child share one record (by NHS number, else by name and birth).
        row.new_child_key = ("nhs", row.nhs_number) if row.nhs_number else ("name", *key)


def _check_new_children(rows: list[_Row]) -> None:
    """Rows about one new child must agree on who the child is: one NHS number for one name and birth."""
    numbers_by_name: dict[tuple, set[str]] = {}
    for row in rows:
        if row.new_child_key is not None:
            key = (name_key(row.first_name), name_key(row.last_name), row.date_of_birth)
            numbers_by_name.setdefault(key, set()).add(row.nhs_number)
    for row in rows:
        if row.new_child_key is None:
            continue
        key = (name_key(row.first_name), name_key(row.last_name), row.date_of_birth)
        if len(numbers_by_name[key]) > 1:
            row.reject(
                "child_nhs_number",
                "Other rows about a child with this name and date of birth give a different (or no) NHS "
                "number: make the rows agree, or record these contacts by hand",
            )


def _check_repeats(rows: list[_Row], *, source: str) -> None:
    """A reference already imported for the child, or twice in the file for one child, is rejected."""
    references = {row.values.get("external_reference", "") for row in rows} - {""}
    imported = set(
        Contact.objects.filter(source=source, external_reference__in=references).values_list(
            "external_reference", "child_id"
        )
    )
    seen: dict[tuple, int] = {}
    for row in rows:
        reference = row.values.get("external_reference", "")
        if not reference:
            continue
        who = row.child.pk if row.child is not None else row.new_child_key
        if who is None:
            continue
        if row.child is not None and (reference, row.child.pk) in imported:
            row.reject(
                "external_reference",
                f"Reference {reference} from this source has already been imported for this child: "
                "remove the row (it is already on the child's record)",
            )
        elif (reference, who) in seen:
            row.reject(
                "external_reference",
                f"Reference {reference} is on row {seen[(reference, who)]} too, for the same child: "
                "remove one of the two rows",
            )
        else:
            seen[(reference, who)] = row.number


class _Rollback(Exception):
    pass


def contacts_import(
    *,
    uploaded_by,
    file_name: str,
    data: bytes | str,
    source: str,
    team: Team,
) -> ImportResult:
    """Import a file of notifications from ``source`` (a ReferralSource code) as contacts for ``team``.

    All or nothing: raises ``ImportRejected`` (having changed nothing) with every problem found, or returns
    what was imported. Writes the batch, the children new to the service and the contacts through their
    services (each with its own AuditEvent), and one AuditEvent for the batch, in one transaction.
    """
    if not may_work_at_front_door(uploaded_by):
        raise PermissionDenied("Only front door staff import contacts")
    now = timezone.now()
    if source not in codes_valid_on("referral_source", timezone.localdate(now)):
        raise ImportRejected([Problem("Choose who sent the file from the list")])
    rows = _read(data)

    areas: dict[str, Area] = {}
    for area in Area.objects.all():
        areas[area.code.lower()] = area
        areas[area.name.lower()] = area
    for row in rows:
        _check_fields(row, source=source, areas=areas, now=now)
    _find_children(rows)
    _check_new_children(rows)
    _check_repeats(rows, source=source)
    problems = [problem for row in rows for problem in row.problems]
    if problems:
        raise ImportRejected(problems)

    try:
        with transaction.atomic():
            return _write(rows, uploaded_by=uploaded_by, file_name=file_name, source=source, team=team)
    except _Rollback as rollback:
        raise ImportRejected(rollback.args[0]) from None
    except IntegrityError:
        # Someone recorded the same contact, or took the same new local child ID, at the same moment.
        raise ImportRejected(
            [Problem("Someone else changed the records while the file was being imported: upload it again")]
        ) from None


def _write(rows: list[_Row], *, uploaded_by, file_name: str, source: str, team: Team) -> ImportResult:
    batch = ContactImportBatch.objects.create(
        file_name=file_name[:200],
        source=source,
        rows=len(rows),
        created_by=uploaded_by,
        modified_by=uploaded_by,
    )
    new_children: dict[tuple, Child] = {}
    # Local child IDs for the new children, worked out once: next_la_child_id reads every ID in use.
    next_id = int(next_la_child_id()) if any(row.child is None for row in rows) else 0
    contacts: list[Contact] = []
    problems: list[Problem] = []
    matched = set()
    for row in rows:
        values = row.values
        try:
            child = row.child
            if child is not None:
                matched.add(child.pk)
            else:
                child = new_children.get(row.new_child_key)
                if child is None:
                    child = child_create(
                        created_by=uploaded_by,
                        first_name=row.first_name,
                        last_name=row.last_name,
                        date_of_birth=row.date_of_birth,
                        nhs_number=row.nhs_number,
                        la_child_id=str(next_id),
                    )
                    next_id += 1
                    new_children[row.new_child_key] = child
            contacts.append(
                contact_record(
                    recorded_by=uploaded_by,
                    child=child,
                    team=team,
                    area=row.area,
                    source=source,
                    reported=values["reported"],
                    worry=values["worry"],
                    consent=row.consent,
                    immediate_risk=row.immediate_risk,
                    received_at=row.received_at,
                    referrer_name=values.get("referrer_name", ""),
                    referrer_organisation=values.get("referrer_organisation", ""),
                    referrer_contact_details=values.get("referrer_contact_details", ""),
                    external_reference=values["external_reference"],
                    batch=batch,
                )
            )
        except ValidationError as error:  # a rule the checks above did not foresee: still all or nothing
            for column, messages in error.message_dict.items():
                for message in messages:
                    problems.append(
                        Problem(message=message, row=row.number, column="" if column == "__all__" else column)
                    )
    if problems:
        raise _Rollback(problems)
    audit_event_record(
        actor=uploaded_by,
        action="contact_import_batch.imported",
        entity=batch,
        changes={
            "file_name": [None, batch.file_name],
            "source": [None, source],
            "rows": [None, batch.rows],
            "contacts": [None, len(contacts)],
            "children_created": [None, len(new_children)],
        },
    )
    return ImportResult(
        batch=batch, contacts=contacts, children_created=len(new_children), children_matched=len(matched)
    )
