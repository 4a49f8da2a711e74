"""A council's Ofsted Annex A workbook, imported (ADR 12, "Ofsted Annex A"): the inverse of ``annex_a.build``
for what Annex A alone can give, and a comparison with the records for the rest.

- **Lists 1 and 2** (contacts, early help) are in no DfE return, so they become front door ``Contact`` records:
  a list 1 row a contact received on its date from its source; a list 2 row the threshold decision "early
  help" on its start date, on the list 1 contact of the same child in the week before it (else on a contact
  recorded as received that day, its source not known). A contact with no list 2 row is recorded as decided,
  with no decision: Annex A does not say what was decided, and nothing is made up.
- **Lists 3 to 10** are about what the CIN census and the SSDA903 import: each row is compared with the
  records held for its child (a referral, assessment, enquiry, episode, plan, period of care or care leaver
  with the row's date). What is held is "matched" (a difference is listed to check); what is not is reported
  row by row as not imported, to be brought by importing the census or SSDA903 for the year.
- **List 11** (adopters): Safeguard holds no adopter records; every row is reported as not imported.

A child is found by the Child Unique ID (the council's local child ID): the ``ImportedChild`` an earlier
import recorded, then a child whose own local child ID it is. A date of birth that disagrees rejects the
child. A child not held is created only from lists 1 and 2. All or nothing, as the other imports: a value
that cannot be read (in lists 1 to 10), a disagreeing date of birth, one ID for two children, refuse the
whole workbook.
"""

import datetime
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from safeguard.casework.models import (
    Assessment,
    AssessmentStatus,
    CinEpisode,
    CPPlan,
    S47Enquiry,
)
from safeguard.core.reference import codes, label
from safeguard.core.years import CollectionYear
from safeguard.frontdoor.models import (
    Consent,
    Contact,
    ContactStatus,
    LevelOfNeed,
    Outcome,
    ThresholdDecision,
)
from safeguard.lookedafter.models import Adoption, CareLeaver, PeriodOfCare
from safeguard.organisation.models import Team, TeamKind
from safeguard.people.models import Child as ChildRecord
from safeguard.people.models import Sex
from safeguard.people.services import child_create
from safeguard.returns.annex_a import lists as L
from safeguard.returns.annex_a import workbook
from safeguard.returns.imports.common import (
    ChildOutcome,
    ImportReport,
    LocalChildIds,
    Note,
    Rollback,
    Unreadable,
    already_imported,
    batch_finish,
    file_hash,
    first_line,
    first_team,
    normalise_id,
)
from safeguard.returns.models import ImportBatch, ImportedChild, ImportedRecord
from safeguard.returns.policies import may_import

COLLECTION = "annex_a"
TITLE = "Ofsted Annex A"
NOT_RECORDED = "Not recorded: imported from the council's Ofsted Annex A"
PAIRING_DAYS = 7  # a list 2 row is the decision on a list 1 contact of the same child up to a week before
CENSUS_FIRST = "not imported: import the CIN census for the year first"
SSDA903_FIRST = "not imported: import the SSDA903 for the year first"
IMPORTED, COMPARED = (1, 2), (3, 4, 5, 6, 7, 8, 9, 10)

ASSUMPTIONS = [
    "Annex A has no names: a new child (only from lists 1 and 2) is named \u201cUnnamed (Annex A Child Unique ID "
    "...)\u201d until a worker records their name.",
    "The allocated team and worker columns are not imported: workers are Safeguard's own, and the children are "
    "allocated in Safeguard.",
    "A contact's time of day, referrer, what was reported and consent are not in list 1: the contact is recorded "
    "at midnight on its date, with \u201c"
    + NOT_RECORDED
    + "\u201d for what was reported and consent not known.",
    "A contact in list 1 with no early help row in list 2 is recorded as decided, with no threshold decision: "
    "Annex A does not say what was decided.",
    "An early help row of list 2 is a threshold decision \u201cearly help\u201d on its start date, made by the "
    "person importing (who decided is not in Annex A), with no priority (Annex A has none). It is the decision on the same child's list 1 contact received in the week before; if "
    "there is none, a contact is recorded as received on the start date, its source not known.",
    "List 2's completion date and organisation are not held by Safeguard: not imported.",
    "Lists 3 to 10 are compared with the records, not imported: import the CIN census and the SSDA903 to bring "
    "them. List 11 (adopters) is not imported: Safeguard holds no adopter records.",
]


@dataclass
class RowOutcome:
    """What the import did (or would do) with one row of a list."""

    number: int  # the list
    row: int | None  # the sheet's row, as Excel shows it
    la_child_id: str
    what: str  # "contact 05/01/2026"
    outcome: str = ""  # "created", "matched", "not imported" or "rejected"
    reason: str = ""

    @property
    def where(self) -> str:
        return f"List {self.number}" + (f" row {self.row}" if self.row else "")


@dataclass
class AnnexAReport(ImportReport):
    as_of: datetime.date | None = None
    rows: list[RowOutcome] = field(default_factory=list)

    def by_list(self) -> list[tuple[int, Counter]]:
        counts: dict[int, Counter] = {number: Counter() for number in L.BY_NUMBER}
        for row in self.rows:
            counts[row.number][row.outcome] += 1
        return [(number, counts[number]) for number in sorted(counts) if counts[number]]

    @property
    def not_imported(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.outcome == "not imported"]

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run or self.refused else "were"
        out = [
            f"{self.title} as at {self.as_of:%d/%m/%Y} ({self.year}) import of {self.file_name} "
            f"(SHA-256 {self.sha256[:12]}...)"
        ]
        if self.refused:
            out.append("REFUSED: nothing was imported.")
        elif self.dry_run:
            out.append("Dry run: checked, nothing written.")
        else:
            out.append(f"IMPORTED as batch {self.batch.pk}.")
        out += [f"  {problem}" for problem in self.problems]
        held = sum(1 for child in self.children if child.outcome == "not held")
        out.append(
            f"Children: {len(self.children):,} in the workbook; {self.count('created'):,} {verb} created, "
            f"{self.count('matched'):,} matched to children already held, {held:,} not held, "
            f"{len(self.rejected):,} rejected."
        )
        for number, counts in self.by_list():
            out.append(
                f"List {number} ({L.BY_NUMBER[number].title}): "
                + ", ".join(
                    f"{count:,} {outcome or 'not written'}" for outcome, count in sorted(counts.items())
                )
            )
        if self.created:
            out.append(
                f"Records {verb} created: " + ", ".join(f"{c:,} {n}" for n, c in sorted(self.created.items()))
            )
        if self.rejected:
            out.append("Rejected (put these right in the workbook, then import it again):")
            for child in self.rejected:
                for reason in child.reasons:
                    out.append(f"  Child Unique ID {child.la_child_id or '(none)'}: {reason}")
        if self.not_imported:
            out.append("Not imported, row by row:")
            out += [
                "  " + " ".join(filter(None, (row.where, row.la_child_id, row.what))) + f": {row.reason}"
                for row in self.not_imported
            ]
        remarks = [(child, remark) for child in self.children for remark in child.remarks]
        if remarks:
            out.append("To check:")
            out += [f"  Child Unique ID {child.la_child_id}: {remark}" for child, remark in remarks]
        if self.notes:
            out.append(f"What the reader did with the workbook's oddities ({len(self.notes):,}):")
            out += [f"  {note}" for note in self.notes]
        out.append("What Annex A does not give, and what is not imported:")
        out += [f"  {line}" for line in self.assumptions]
        return out


# -- reading the values ---------------------------------------------------------------------------------

LETTERED = re.compile(r"^[a-z]\d?\)\s*", re.IGNORECASE)
GENDERS = {
    "m": Sex.MALE,
    "male": Sex.MALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "u": Sex.UNKNOWN,
    "not stated/recorded": Sex.UNKNOWN,
}
ABUSE = {v.split(") ", 1)[1].lower(): k for k, v in L.ABUSE.items()}


def _plain(text: str) -> str:
    """A coded answer without Ofsted's letter: "q) 6: Police" -> "6: Police"."""
    return LETTERED.sub("", str(text or "").strip())


def _code(text: str) -> str:
    """The code of "N1: Abuse or neglect", "a) WBRI" or "RC8"."""
    return _plain(text).split(":", 1)[0].strip().upper()


def _yes(text: str) -> bool | None:
    word = _plain(text).lower()
    if word in ("yes", "y", "true", "1"):
        return True
    if word in ("no", "n", "false", "0"):
        return False
    return None


def _sex(text: str) -> str:
    word = _plain(text).lower()
    return GENDERS.get(word, Sex.UNKNOWN)


def _source(text: str) -> str | None:
    """A ReferralSource code from "q) 6: Police", "6" or "Police"; None if it is none of them."""
    if not str(text or "").strip():
        return ""
    code = _code(text)
    if code in L.SOURCE_ORDER:
        return code
    by_label = {label("referral_source", c).lower(): c for c in L.SOURCE_ORDER}
    return by_label.get(_plain(text).lower())


def _day(day: datetime.date | None) -> str:
    return format(day, "%d/%m/%Y") if day else "(no date)"


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@dataclass
class _Row:
    number: int
    row: int | None
    values: dict  # header -> value

    def __getitem__(self, header: str):
        return self.values.get(header)

    @property
    def key(self) -> str:
        return normalise_id(str(self.values.get("Child Unique ID") or ""))


def _sheet_rows(data: bytes) -> dict[int, tuple[str, list[int]]]:
    """Each list's sheet title and the sheet row of each of its rows, found as ``workbook.read`` finds them
    (the reader returns the values only; the report names rows as Excel shows them)."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    found: dict[int, tuple[str, list[int]]] = {}
    for sheet in book.worksheets:
        match = workbook.SHEET.match(sheet.title)
        number = int(match[1]) if match else None
        if number not in L.BY_NUMBER or number in found:
            continue
        wanted = {workbook._key(column.header) for column in L.BY_NUMBER[number].columns}
        numbers: list[int] = []
        header_row = None
        for index, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header_row is None:
                if sum(1 for cell in cells if workbook._key(cell) in wanted) >= 2:
                    header_row = index
                elif index >= workbook.HEADER_ROWS:
                    break
                continue
            if all(cell is None or str(cell).strip() == "" for cell in cells):
                continue
            numbers.append(index)
        found[number] = (sheet.title, numbers)
    book.close()
    return found


# -- the import -----------------------------------------------------------------------------------------


def default_team() -> Team | None:
    """The team imported contacts are recorded against when none is chosen: the first front door team."""
    return first_team(TeamKind.FRONT_DOOR)


def import_annex_a(
    *,
    data: bytes,
    file_name: str,
    imported_by,
    as_of: datetime.date | None = None,
    team: Team | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> AnnexAReport:
    """Import a council's Annex A workbook, all or nothing, or (``dry_run``) say what importing it would do.

    Raises ``PermissionDenied`` for a user who may not import, ``Unreadable`` for a file that is not an Annex
    A workbook. ``as_of`` is the date the lists were made as of, when the workbook's title does not say it."""
    if not may_import(imported_by):
        raise PermissionDenied("Only performance analysts and the director import returns")
    say = progress or (lambda message: None)
    try:
        annex, reader_notes = workbook.read(data, as_of=as_of)
        positions = _sheet_rows(data)
    except workbook.UnreadableWorkbook as error:
        raise Unreadable(str(error)) from None
    team = team or default_team()
    if team is None:
        raise Unreadable("Safeguard has no team yet to record the contacts against: set up the teams first")
    year = CollectionYear.containing(annex.as_of)
    report = AnnexAReport(
        collection=COLLECTION,
        title=TITLE,
        year=year,
        file_name=file_name,
        sha256=file_hash(data),
        dry_run=dry_run,
        as_of=annex.as_of,
        notes=[Note(n.sheet, n.row, n.column, n.message, n.problem) for n in reader_notes],
        assumptions=list(ASSUMPTIONS)
        + [f"Contacts are recorded against the team {team.name} ({team.area.name}): Annex A does not say."],
    )
    say(f"Read {sum(len(rows) for rows in annex.rows.values()):,} rows from {file_name}")
    if reason := already_imported(COLLECTION, report.sha256):
        report.problems.append(reason)
        return report

    rows: list[_Row] = []
    for number, values in annex.rows.items():
        headers = L.BY_NUMBER[number].headers()
        _, numbers = positions.get(number, ("", []))
        for index, row in enumerate(values):
            line = numbers[index] if len(numbers) == len(values) else None
            rows.append(_Row(number, line, dict(zip(headers, row, strict=True))))
    checker = _Checker(report, rows, positions, reader_notes, annex.as_of)
    checker.check()
    if report.refused:
        return report
    say("Writing the records" + (" (dry run: rolled back after)" if dry_run else ""))
    try:
        with transaction.atomic():
            checker.write(imported_by=imported_by, team=team)
            if report.refused or dry_run:
                raise Rollback
    except Rollback:
        report.batch = None
        return report
    report.imported = True
    return report


class _Checker:
    def __init__(self, report: AnnexAReport, rows: list[_Row], positions, reader_notes, as_of):
        self.report = report
        self.rows = rows
        self.positions = positions
        self.reader_notes = reader_notes
        self.as_of = as_of
        self.children: dict[str, ChildOutcome] = {}
        self.born: dict[str, datetime.date | None] = {}
        self.outcomes: dict[int, RowOutcome] = {}  # id(row) -> outcome
        self.matched: dict[str, ChildRecord] = {}

    # -- checking ---------------------------------------------------------------------------------------

    def check(self) -> None:
        report = self.report
        for row in self.rows:
            if row.number == 11:
                report.rows.append(
                    RowOutcome(
                        11,
                        row.row,
                        "",
                        f"adopter {row['Individual adopter identifier'] or '(no identifier)'}",
                        "not imported",
                        "Safeguard holds no adopter records",
                    )
                )
                continue
            outcome = RowOutcome(row.number, row.row, row.key, self._what(row))
            self.outcomes[id(row)] = outcome
            report.rows.append(outcome)
            if not row.key:
                report.problems.append(f"{outcome.where}: the row has no Child Unique ID")
                outcome.outcome = "rejected"
                continue
            child = self.children.get(row.key)
            if child is None:
                child = self.children[row.key] = ChildOutcome(
                    la_child_id=row.key, line=row.row, file=f"List {row.number}"
                )
                report.children.append(child)
            born = row["Date of Birth"]
            if born is not None:
                if self.born.get(row.key) not in (None, born):
                    child.reject(
                        f"{outcome.where} has the date of birth {_day(born)}, another row "
                        f"{_day(self.born[row.key])}: one ID for two children, or a mistyped date"
                    )
                self.born.setdefault(row.key, born)
        self._problems()
        self._find()
        self._values()

    def _what(self, row: _Row) -> str:
        header = {
            1: ("contact", "Date of Contact"),
            2: ("early help", "Assessment start date"),
            3: ("referral", "Date of referral"),
            4: ("assessment", "Continuous Assessment Start Date"),
            5: ("section 47 enquiry", "Strategy discussion initiating Section 47 Enquiry Start Date"),
            6: ("child in need episode", "CIN Start Date"),
            7: ("child protection plan", "Child Protection Plan Start Date"),
            8: ("period of care", "Date Started to be Looked After"),
            9: ("care leaver", None),
            10: ("adoption, in care", "Date the Child Entered Care"),
        }[row.number]
        return header[0] + (f" {_day(row[header[1]])}" if header[1] else "")

    def _problems(self) -> None:
        """A value the reader could not read, in lists 1 to 10, rejects its row's child."""
        by_place = {}
        for row in self.rows:
            title = self.positions.get(row.number, ("", []))[0]
            by_place[(title, row.row)] = row
        for note in self.reader_notes:
            if not note.problem:
                continue
            row = by_place.get((note.sheet, note.row))
            if row is None:
                if note.sheet != self.positions.get(11, ("", []))[0]:  # list 11 is not imported
                    self.report.problems.append(f"{note.sheet}, row {note.row}: {note.message}")
                continue
            if row.number == 11 or not row.key:
                continue
            self.children[row.key].reject(f"List {row.number} row {row.row}, {note.column}: {note.message}")
            self.outcomes[id(row)].outcome = "rejected"

    def _find(self) -> None:
        keys = list(self.children)
        imported = {
            link.la_child_id: link.child
            for link in ImportedChild.objects.filter(la_child_id__in=keys).select_related("child__person")
        }
        own = {
            child.la_child_id: child
            for child in ChildRecord.objects.filter(la_child_id__in=keys).select_related("person")
        }
        in_front_door = {row.key for row in self.rows if row.number in IMPORTED}
        for key, outcome in self.children.items():
            if outcome.rejected:
                continue
            born = self.born.get(key)
            child = imported.get(key) or own.get(key)
            if child is not None:
                held = child.person.date_of_birth or child.expected_date_of_birth
                if born is not None and held is not None and held != born:
                    how = "an earlier import recorded it" if key in imported else "it is their local child ID"
                    outcome.reject(
                        f"The Child Unique ID {key} is held for a child born {_day(held)} ({how}), not "
                        f"{_day(born)}: correct the date of birth in the workbook, or in the child's record"
                    )
                    continue
                if born is None:
                    outcome.remarks.append("no row gives a date of birth: matched by the ID alone")
                outcome.outcome, outcome.child_pk = "matched", child.pk
                outcome.how = (
                    "by the local child ID an earlier import recorded"
                    if key in imported
                    else "by local child ID and date of birth"
                )
                self.matched[key] = child
            elif key in in_front_door:
                if born is None:
                    outcome.reject(
                        "The child is not held and no row gives their date of birth: a new child needs one"
                    )
                    continue
                outcome.outcome = "created"
            else:
                outcome.outcome = "not held"

    def _values(self) -> None:
        """Values of lists 1 and 2 that would be written wrongly: rejected."""
        today = timezone.localdate()
        for row in self.rows:
            if row.number not in IMPORTED or not row.key:
                continue
            child = self.children[row.key]
            outcome = self.outcomes[id(row)]
            day = row["Date of Contact"] if row.number == 1 else row["Assessment start date"]
            column = "Date of Contact" if row.number == 1 else "Assessment start date"
            if day is None and outcome.outcome != "rejected":
                child.reject(f"{outcome.where}: no {column}: a contact needs the day it arrived")
                outcome.outcome = "rejected"
            elif day is not None and day > today:
                child.reject(f"{outcome.where}, {column}: {_day(day)} is in the future")
                outcome.outcome = "rejected"
            if row.number == 1 and _source(row["Contact Source"]) is None:
                child.reject(
                    f"{outcome.where}, Contact Source: {row['Contact Source']!r} is not a CIN census "
                    "ReferralSource code (1A to 10)"
                )
                outcome.outcome = "rejected"

    # -- writing ----------------------------------------------------------------------------------------

    def write(self, *, imported_by, team: Team) -> None:
        report = self.report
        self.user = imported_by
        self.team = team
        self.records: list[ImportedRecord] = []
        self.batch = ImportBatch.objects.create(
            collection=COLLECTION,
            year=report.year.end_year,
            file_name=report.file_name[:300],
            sha256=report.sha256,
            created_by=imported_by,
            modified_by=imported_by,
        )
        report.batch = self.batch
        self.local_ids = LocalChildIds(self.born)
        self.held = self._held([child.pk for child in self.matched.values()])
        by_child: dict[str, list[_Row]] = defaultdict(list)
        for row in self.rows:
            if row.number != 11 and row.key:
                by_child[row.key].append(row)
        for key, outcome in self.children.items():
            try:
                with transaction.atomic():
                    record = self.matched.get(key)
                    if outcome.outcome == "created":
                        record = self._new_child(key, by_child[key], outcome)
                    elif record is not None:
                        outcome.matched["children"] += 1
                        self._compare_child(record, by_child[key], outcome)
                    self._front_door(record, [r for r in by_child[key] if r.number in IMPORTED], outcome)
                    self._compare(record, [r for r in by_child[key] if r.number in COMPARED], outcome)
            except (IntegrityError, ValidationError) as error:
                outcome.reject(
                    "The records could not be written as the workbook has them (" + first_line(error) + ")"
                )
        if report.refused:
            return
        batch_finish(
            batch=self.batch,
            report=report,
            records=self.records,
            user=imported_by,
            collection=COLLECTION,
            year=report.year,
        )

    def _held(self, pks: list[int]) -> dict[str, dict]:
        """What is held for the matched children, each kind in one query for them all: kind -> child pk ->
        records (nothing is read child by child)."""
        held: dict[str, dict] = defaultdict(lambda: defaultdict(dict))
        decided = set(
            ThresholdDecision.objects.filter(contact__child__in=pks).values_list("contact_id", flat=True)
        )
        for contact in Contact.objects.filter(child__in=pks).exclude(status=ContactStatus.RECORDED_IN_ERROR):
            contact.decided = contact.pk in decided
            day = timezone.localtime(contact.received_at).date()
            held["contacts"][contact.child_id].setdefault((day, contact.source), []).append(contact)
        for child_id, at in ThresholdDecision.objects.filter(
            contact__child__in=pks, outcome=Outcome.EARLY_HELP
        ).values_list("contact__child_id", "decided_at"):
            day = timezone.localtime(at).date()
            held["early help"][child_id][day] = held["early help"][child_id].get(day, 0) + 1
        reads = {
            "episodes": (CinEpisode.objects.all(), "referral_date"),
            "assessments": (Assessment.objects.exclude(status=AssessmentStatus.WITHDRAWN), "start_date"),
            "enquiries": (S47Enquiry.objects.select_related("initial_conference"), "start_date"),
            "plans": (CPPlan.objects.all(), "start_date"),
            "periods": (PeriodOfCare.objects.all(), "start_date"),
            "leavers": (CareLeaver.objects.order_by("start_date", "pk"), "pk"),
        }
        for kind, (queryset, day) in reads.items():
            for record in queryset.filter(child__in=pks):
                held[kind][record.child_id][getattr(record, day)] = record
        for adoption in Adoption.objects.filter(period__child__in=pks).select_related("period"):
            held["adoptions"][adoption.period.child_id][adoption.period_id] = adoption
        return held

    def _traced(self, record, row: _Row | None) -> None:
        self.records.append(
            ImportedRecord(
                batch=self.batch,
                model=record._meta.label_lower,
                object_id=record.pk,
                line=row.row if row else None,
            )
        )

    def _new_child(self, key: str, rows: list[_Row], outcome: ChildOutcome) -> ChildRecord:
        first = rows[0]
        ethnicity = next((_code(r["Ethnicity"]) for r in rows if _code(r["Ethnicity"])), "")
        gender = next((r["Gender"] for r in rows if r["Gender"]), "")
        if ethnicity and ethnicity not in codes("ethnicity"):
            outcome.remarks.append(f"the ethnicity {ethnicity!r} is not a DfE code: left empty")
        if gender and _plain(gender).lower() not in GENDERS:
            outcome.remarks.append(f"the gender {gender!r} is not male or female: recorded as not known")
        own_id = self.local_ids.assign(key)
        if own_id != key:
            outcome.remarks.append(
                f"The Child Unique ID {key} cannot be a Safeguard local child ID: recorded as {own_id}, and the "
                "workbook's ID kept so that later imports find the child"
            )
        record = child_create(
            created_by=self.user,
            first_name="Unnamed",
            last_name=f"(Annex A Child Unique ID {key})",
            date_of_birth=self.born[key],
            sex=_sex(gender),
            ethnicity=ethnicity if ethnicity in codes("ethnicity") else "",
            la_child_id=own_id,
        )
        ImportedChild.objects.create(la_child_id=key, child=record, batch=self.batch)
        outcome.child_pk = record.pk
        outcome.created["children"] += 1
        self._traced(record, first)
        return record

    def _compare_child(self, record: ChildRecord, rows: list[_Row], outcome: ChildOutcome) -> None:
        person = record.person
        gender = next((r["Gender"] for r in rows if r["Gender"]), "")
        ethnicity = next((_code(r["Ethnicity"]) for r in rows if _code(r["Ethnicity"])), "")
        for what, theirs, ours in (
            ("sex", _sex(gender) if gender else "", person.sex),
            ("ethnicity", ethnicity, person.ethnicity),
        ):
            if theirs and ours and theirs != ours:
                outcome.remarks.append(
                    f"the workbook has {what} {theirs}, the record {ours}: left as recorded"
                )

    # -- lists 1 and 2: the front door ------------------------------------------------------------------

    def _front_door(self, child: ChildRecord | None, rows: list[_Row], outcome: ChildOutcome) -> None:
        if child is None or not rows:
            return
        stamp = {"created_by": self.user, "modified_by": self.user}
        held_contacts = self.held["contacts"][child.pk]
        held_help = Counter(self.held["early help"][child.pk])
        made: list[tuple[datetime.date, Contact, _Row]] = []
        for row in sorted(
            (r for r in rows if r.number == 1), key=lambda r: (r["Date of Contact"], r.row or 0)
        ):
            day, source = row["Date of Contact"], _source(row["Contact Source"])
            result = self.outcomes[id(row)]
            if held_contacts.get((day, source)):
                contact = held_contacts[(day, source)].pop()
                result.outcome = "matched"
                outcome.matched["contacts"] += 1
                if not contact.decided:  # an early help row may be its decision
                    made.append((day, contact, row))
                continue
            if not source:
                outcome.remarks.append(f"{result.where}: no contact source: left empty")
            contact = Contact.objects.create(
                child=child,
                received_at=_midnight(day),
                source=source,
                reported=NOT_RECORDED + " (list 1)",
                worry=NOT_RECORDED + " (list 1)",
                consent=Consent.NOT_KNOWN,
                status=ContactStatus.DECIDED,
                team=self.team,
                area=self.team.area,
                **stamp,
            )
            contact.decided = False
            result.outcome = "created"
            outcome.created["contacts"] += 1
            self._traced(contact, row)
            made.append((day, contact, row))
        for row in sorted(
            (r for r in rows if r.number == 2), key=lambda r: (r["Assessment start date"], r.row or 0)
        ):
            day = row["Assessment start date"]
            result = self.outcomes[id(row)]
            if held_help[day]:
                held_help[day] -= 1
                result.outcome = "matched"
                outcome.matched["early help decisions"] += 1
                continue
            paired = [
                item
                for item in made
                if item[0] <= day and (day - item[0]).days <= PAIRING_DAYS and not item[1].decided
            ]
            if paired:
                received, contact, contact_row = paired[-1]
                if received != day:
                    outcome.remarks.append(
                        f"{result.where}: taken as the decision on the contact of {_day(received)} "
                        f"(list 1 row {contact_row.row})"
                    )
            else:
                contact = Contact.objects.create(
                    child=child,
                    received_at=_midnight(day),
                    source="",
                    reported=NOT_RECORDED + " (list 2)",
                    worry=NOT_RECORDED + " (list 2)",
                    consent=Consent.NOT_KNOWN,
                    status=ContactStatus.DECIDED,
                    team=self.team,
                    area=self.team.area,
                    **stamp,
                )
                outcome.created["contacts"] += 1
                self._traced(contact, row)
                outcome.remarks.append(
                    f"{result.where}: no contact of the child in list 1 in the week before: a contact is recorded "
                    f"as received on {_day(day)}, its source not known"
                )
            contact.decided = True
            decision = ThresholdDecision.objects.create(
                contact=contact,
                decided_at=_midnight(day),
                decided_by=self.user,
                level_of_need=LevelOfNeed.EARLY_HELP,
                rag="",  # not in Annex A
                rationale=f"{NOT_RECORDED} (list 2: early help assessment started {_day(day)})",
                outcome=Outcome.EARLY_HELP,
                **stamp,
            )
            result.outcome = "created"
            outcome.created["early help decisions"] += 1
            self._traced(decision, row)

    # -- lists 3 to 10: compared with the records -------------------------------------------------------

    def _compare(self, child: ChildRecord | None, rows: list[_Row], outcome: ChildOutcome) -> None:
        if not rows:
            return
        if child is None:
            for row in rows:
                result = self.outcomes[id(row)]
                result.outcome = "not imported"
                first = CENSUS_FIRST if row.number <= 7 else SSDA903_FIRST
                result.reason = "the child is not held; " + first
            return
        as_of = self.as_of

        def until(day):
            return day if day is not None and day <= as_of else None

        episodes = self.held["episodes"][child.pk]
        assessments = self.held["assessments"][child.pk]
        enquiries = self.held["enquiries"][child.pk]
        plans = self.held["plans"][child.pk]
        periods = self.held["periods"][child.pk]
        leavers = list(self.held["leavers"][child.pk].values())
        decisions = self.held["adoptions"][child.pk]
        for row in rows:
            result = self.outcomes[id(row)]
            differences: list[tuple[str, object, object]] = []
            first = CENSUS_FIRST if row.number <= 7 else SSDA903_FIRST
            held = None
            if row.number == 3:
                held = episodes.get(row["Date of referral"])
                if held:
                    source = _source(row["Referral Source"])
                    differences += [
                        ("referral source", source, held.referral_source),
                        ("no further action", _yes(row["Referral NFA?"]), held.referral_nfa),
                    ]
            elif row.number == 4:
                held = assessments.get(row["Continuous Assessment Start Date"])
                if held:
                    differences.append(
                        (
                            "authorisation date",
                            row["Continuous Assessment Date of Authorisation"],
                            until(held.authorised_on),
                        )
                    )
            elif row.number == 5:
                held = enquiries.get(row["Strategy discussion initiating Section 47 Enquiry Start Date"])
                if held:
                    conference = getattr(held, "initial_conference", None)
                    differences.append(
                        (
                            "initial conference date",
                            row["Date of Initial Child Protection Conference"],
                            until(conference.held_on) if conference else None,
                        )
                    )
            elif row.number == 6:
                held = episodes.get(row["CIN Start Date"])
                if held:
                    closed = until(held.closure_date)
                    differences += [
                        ("closure date", row["CIN Closure Date"], closed),
                        ("primary need", _code(row["Primary Need Code"]), held.primary_need),
                        (
                            "reason for closure",
                            _code(row["Reason for Closure"]),
                            held.closure_reason if closed else "",
                        ),
                    ]
            elif row.number == 7:
                held = plans.get(row["Child Protection Plan Start Date"])
                if held:
                    initial = _plain(row["Initial Category of Abuse"])
                    differences += [
                        ("end date", row["Child Protection Plan End Date"], until(held.end_date)),
                        (
                            "initial category",
                            ABUSE.get(initial.lower(), initial.upper()),
                            held.initial_category,
                        ),
                    ]
            elif row.number == 8:
                held = periods.get(row["Date Started to be Looked After"])
                if held:
                    ended = until(held.end_date)
                    differences += [
                        ("date ceased", row["Date Ceased to be Looked After"], ended),
                        (
                            "reason ceased",
                            _code(row["Reason Ceased to be Looked After"]),
                            held.end_reason if ended else "",
                        ),
                    ]
            elif row.number == 9:
                held = leavers[-1] if leavers else None
                if held:
                    eligibility = {v.lower(): k for k, v in L.ELIGIBILITY.items()}
                    status = _plain(row["Eligibility Category"]).lower()
                    theirs = eligibility.get(row["Eligibility Category"].strip().lower()) or next(
                        (k for k, v in L.ELIGIBILITY.items() if _plain(v).lower() == status), status
                    )
                    differences.append(("eligibility", theirs, held.status))
            elif row.number == 10:
                held = periods.get(row["Date the Child Entered Care"])
                if held:
                    adoption = decisions.get(held.pk)
                    differences.append(
                        (
                            "adoption decision date",
                            row["Date of Decision that Child Should be Placed for Adoption"],
                            until(adoption.decided_on) if adoption else None,
                        )
                    )
            if held is None:
                result.outcome = "not imported"
                result.reason = f"no {result.what} is held for the child; {first}"
                continue
            result.outcome = "matched"
            outcome.matched[f"list {row.number} rows"] += 1
            for what, theirs, ours in differences:
                if theirs in (None, "") or theirs == ours:
                    continue
                shown = _day(theirs) if isinstance(theirs, datetime.date) else theirs
                mine = (
                    _day(ours)
                    if isinstance(ours, datetime.date)
                    else ("(none)" if ours in (None, "") else ours)
                )
                outcome.remarks.append(
                    f"{result.where}, the {result.what}: the workbook has the {what} {shown}, the record {mine}: "
                    "left as recorded"
                )
