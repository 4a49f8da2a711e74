"""What every return's import shares (ADR 12): the report, the all-or-nothing transaction, and finding
each of the file's children among the records.

**The report** says, for the file and for each child in it (by the line the child starts on and its local
child ID), what was created, what was matched to records already held, and what was rejected and why; and
every oddity the reader noted. If anything is rejected, nothing is imported: the report is the list of what
to put right in the file.

**All or nothing.** The records are written in one transaction; a dry run writes them the same way and rolls
the transaction back, so that what it reports is exactly what an import would do.

**Finding a child.** The returns hold no names, so a child is found by identifiers only, in order of
certainty:

1. the local child ID an earlier import recorded (``ImportedChild``: a second import of the same year, the
   next year's census, or the SSDA903, whose CHILD is the same ID);
2. a child whose Safeguard local child ID is the file's, if the date of birth agrees (else the row is
   rejected: two children must not become one);
3. a child with the same UPN (a national number), if the date of birth agrees (else rejected);
4. otherwise a new child, named as a placeholder that says where it came from. A date of birth and sex
   alone cannot find a child (hundreds share them in a city), so the report only says how many children
   already held have them, for someone to check.
"""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from safeguard.audit.services import audit_event_record
from safeguard.organisation.models import Team
from safeguard.people.models import Child
from safeguard.people.services import next_la_child_id
from safeguard.returns.models import ImportBatch, ImportedChild, ImportedRecord


class Unreadable(ValueError):
    """The input is not a return at all (bad usage or a file that cannot be read): nothing was checked."""


@dataclass(frozen=True)
class Note:
    """What the reader did with something in the file (``problem``: a value it could not read)."""

    file: str
    line: int | None
    element: str
    message: str
    problem: bool = False

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, f"line {self.line}" if self.line else "") if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ChildOutcome:
    """What the import did (or would do) with one child of the file."""

    la_child_id: str
    line: int | None
    file: str = ""
    outcome: str = ""  # "created", "matched" or "rejected"
    how: str = ""  # how the child was matched
    child_pk: int | None = None
    reasons: list[str] = field(default_factory=list)  # why the child was rejected
    remarks: list[str] = field(default_factory=list)  # what to check, or what was not kept
    created: Counter = field(default_factory=Counter)
    matched: Counter = field(default_factory=Counter)

    def reject(self, reason: str) -> None:
        self.outcome = "rejected"
        self.reasons.append(reason)

    @property
    def rejected(self) -> bool:
        return bool(self.reasons)

    @property
    def where(self) -> str:
        parts = [self.file, f"line {self.line}" if self.line else ""]
        return ", ".join(part for part in parts if part)


@dataclass
class ImportReport:
    collection: str  # "cin_census" or "ssda903"
    title: str  # "CIN census"
    year: object  # CollectionYear
    file_name: str
    sha256: str
    dry_run: bool = False
    problems: list[str] = field(default_factory=list)  # about the whole file
    notes: list[Note] = field(default_factory=list)
    children: list[ChildOutcome] = field(default_factory=list)
    queries: Counter = field(default_factory=Counter)  # DfE queries found: rule code -> count
    assumptions: list[str] = field(default_factory=list)  # how facts the records need were filled in
    batch: ImportBatch | None = None
    imported: bool = False

    @property
    def rejected(self) -> list[ChildOutcome]:
        return [child for child in self.children if child.rejected]

    @property
    def refused(self) -> bool:
        return bool(self.problems or self.rejected)

    @property
    def created(self) -> Counter:
        total: Counter = Counter()
        for child in self.children:
            total.update(child.created)
        return total

    @property
    def matched(self) -> Counter:
        total: Counter = Counter()
        for child in self.children:
            total.update(child.matched)
        return total

    def count(self, outcome: str) -> int:
        return sum(1 for child in self.children if child.outcome == outcome and not child.rejected)

    def lines(self) -> list[str]:
        """The report as text, for the command line."""
        verb = "would be" if self.dry_run or self.refused else "were"
        out = [f"{self.title} {self.year} import of {self.file_name} (SHA-256 {self.sha256[:12]}...)"]
        if self.refused:
            out.append("REFUSED: nothing was imported.")
        elif self.dry_run:
            out.append("Dry run: checked, nothing written.")
        else:
            out.append(f"IMPORTED as batch {self.batch.pk}.")
        out += [f"  {problem}" for problem in self.problems]
        out.append(
            f"Children: {len(self.children):,} in the file; {self.count('created'):,} {verb} created, "
            f"{self.count('matched'):,} matched to records already held, {len(self.rejected):,} rejected."
        )
        if self.created:
            out.append(f"Records {verb} created: " + _counts(self.created))
        if self.matched:
            out.append("Records already held (matched, not duplicated): " + _counts(self.matched))
        if self.rejected:
            out.append("Rejected (put these right in the file, then import it again):")
            for child in self.rejected:
                for reason in child.reasons:
                    out.append(f"  {child.where} LAchildID {child.la_child_id or '(none)'}: {reason}")
        remarks = [(child, remark) for child in self.children for remark in child.remarks]
        if remarks:
            out.append("To check:")
            out += [f"  {c.where} LAchildID {c.la_child_id}: {remark}" for c, remark in remarks]
        if self.queries:
            out.append(
                "DfE queries in the file (they do not stop an import): "
                + ", ".join(f"{code} x{count}" for code, count in sorted(self.queries.items()))
            )
        if self.notes:
            out.append(f"What the reader did with the file's oddities ({len(self.notes):,}):")
            out += [f"  {note}" for note in self.notes]
        if self.assumptions:
            out.append("Facts the records need that the return does not hold:")
            out += [f"  {line}" for line in self.assumptions]
        return out


def _counts(counter: Counter) -> str:
    return ", ".join(f"{count:,} {name}" for name, count in sorted(counter.items()))


def file_hash(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def already_imported(collection: str, sha256: str) -> str:
    """Why the same file cannot be imported twice, or ""."""
    batch = (
        ImportBatch.objects.filter(collection=collection, sha256=sha256).select_related("created_by").first()
    )
    if batch is None:
        return ""
    who = batch.created_by.get_username() if batch.created_by else "someone"
    return (
        f"This file was already imported (batch {batch.pk}, {batch.created_at:%d %B %Y %H:%M}, by {who}): "
        "its records are held, and importing it again would change nothing"
    )


@dataclass(frozen=True)
class Identity:
    """Who a row of a return says the child is."""

    la_child_id: str
    upn: str = ""
    birth_date: datetime.date | None = None
    expected_birth_date: datetime.date | None = None


def normalise_id(la_child_id: str) -> str:
    return la_child_id.strip().upper()


def _born(child: Child) -> datetime.date | None:
    return child.person.date_of_birth or child.expected_date_of_birth


def find_children(outcomes: list[ChildOutcome], identities: list[Identity]) -> dict[int, Child]:
    """Match each outcome (not yet rejected) to a child held, by the rules in this module's docstring.
    Returns ``{index: child}`` for those matched; the others are new (or rejected, with the reason)."""
    ids = {normalise_id(identity.la_child_id) for identity in identities} - {""}
    imported = {
        link.la_child_id: link.child
        for link in ImportedChild.objects.filter(la_child_id__in=ids).select_related("child__person")
    }
    own = {
        child.la_child_id: child
        for child in Child.objects.filter(la_child_id__in=ids).select_related("person")
    }
    upns = {identity.upn for identity in identities} - {""}
    by_upn: dict[str, list[Child]] = {}
    for child in Child.objects.filter(upn__in=upns).select_related("person"):
        by_upn.setdefault(child.upn, []).append(child)

    found: dict[int, Child] = {}
    for index, (outcome, identity) in enumerate(zip(outcomes, identities, strict=True)):
        if outcome.rejected:
            continue
        key = normalise_id(identity.la_child_id)
        born = identity.birth_date or identity.expected_birth_date
        if key in imported:
            child = imported[key]
            if born is not None and _born(child) not in (None, born):
                outcome.reject(
                    f"An earlier import recorded the local child ID {key} for a child born {_day(_born(child))}, "
                    f"not {_day(born)}: correct the date of birth in the file, or in the child's record"
                )
                continue
            found[index] = child
            outcome.how = "by the local child ID an earlier import recorded"
        elif key in own:
            child = own[key]
            if _born(child) != born:
                outcome.reject(
                    f"The local child ID {key} is already another child's in Safeguard (born "
                    f"{_day(_born(child))}, not {_day(born)}): give this child another ID in the file, or "
                    "correct the date of birth"
                )
                continue
            found[index] = child
            outcome.how = "by local child ID and date of birth"
        elif identity.upn and identity.upn in by_upn:
            candidates = by_upn[identity.upn]
            agreeing = [child for child in candidates if _born(child) == born]
            if len(candidates) > 1 or not agreeing:
                outcome.reject(
                    f"The UPN {identity.upn} is held for "
                    + (
                        f"{len(candidates)} children"
                        if len(candidates) > 1
                        else "a child born " + _day(_born(candidates[0]))
                    )
                    + ": check the UPN and date of birth, and merge or correct the records first"
                )
                continue
            found[index] = agreeing[0]
            outcome.how = "by UPN and date of birth"
        if index in found:
            outcome.outcome = "matched"
            outcome.child_pk = found[index].pk
        else:
            outcome.outcome = "created"
    return found


def possible_duplicates(outcomes: list[ChildOutcome], identities: list[Identity], sexes: list[str]) -> None:
    """For each new child, say how many children already held (not from an import) share the date of birth
    and sex: the return has no names, so only a person can tell whether one of them is this child."""
    wanted = {
        identity.birth_date
        for outcome, identity in zip(outcomes, identities, strict=True)
        if outcome.outcome == "created" and not outcome.rejected and identity.birth_date
    }
    if not wanted:
        return
    held: Counter = Counter(
        Child.objects.filter(person__date_of_birth__in=wanted)
        .exclude(pk__in=ImportedChild.objects.values("child_id"))
        .values_list("person__date_of_birth", "person__sex")
    )
    for outcome, identity, sex in zip(outcomes, identities, sexes, strict=True):
        if outcome.outcome != "created" or outcome.rejected or not identity.birth_date:
            continue
        same = held.get((identity.birth_date, sex), 0)
        if same:
            outcome.remarks.append(
                f"{same} child{'ren' if same > 1 else ''} already held {'have' if same > 1 else 'has'} the same "
                "date of birth and sex: the return has no names, so check whether one of them is this child "
                "(if so, merge the records)"
            )


def _day(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "(no date)"


class Rollback(Exception):
    """Raised inside the import's transaction to undo it (a dry run, or a row the database refused)."""


def first_line(error: Exception) -> str:
    """A database's or a service's refusal, in one line for the report."""
    if hasattr(error, "messages"):
        return "; ".join(error.messages)
    return (str(error).splitlines() or [type(error).__name__])[0]


def batch_finish(*, batch, report: "ImportReport", records: list, user, collection: str, year) -> None:
    """Write what an import created (``ImportedRecord``), the batch's counts, and the audit event: the last
    step of every import, once every child was written and none was rejected."""
    ImportedRecord.objects.bulk_create(records, batch_size=2000)
    created, matched = report.created, report.matched
    batch.children_created = report.count("created")
    batch.children_matched = report.count("matched")
    batch.records_created = sum(created.values())
    batch.records_matched = sum(matched.values())
    batch.notes = len(report.notes)
    batch.save()
    audit_event_record(
        actor=user,
        action="import_batch.imported",
        entity=batch,
        changes={
            "collection": [None, collection],
            "year": [None, year.end_year],
            "file_name": [None, batch.file_name],
            "sha256": [None, batch.sha256],
            "children_created": [None, batch.children_created],
            "children_matched": [None, batch.children_matched],
            "records_created": [None, dict(created)],
            "records_matched": [None, dict(matched)],
        },
    )


def first_team(kind: str) -> Team | None:
    """The team imported records are recorded against when none is chosen: the first team of ``kind`` (or,
    in an organisation without one, the first team)."""
    return (
        Team.objects.filter(kind=kind).select_related("area").order_by("pk").first()
        or Team.objects.select_related("area").order_by("pk").first()
    )


class LocalChildIds:
    """The Safeguard local child IDs an import gives the children it creates: the file's own ID where it can
    be one (letters and digits, at most 20, not held already nor given earlier in the import), else the next
    free number, so that the file's ID is kept only in ``ImportedChild``."""

    def __init__(self, file_ids):
        self.taken = set(
            Child.objects.filter(la_child_id__in=list(file_ids)).values_list("la_child_id", flat=True)
        )
        self.next_id: int | None = None

    def assign(self, key: str) -> str:
        if key.isalnum() and key.isascii() and len(key) <= 20 and key not in self.taken:
            own_id = key
        else:
            if self.next_id is None:
                self.next_id = int(next_la_child_id())
            own_id = str(self.next_id)
            self.next_id += 1
        self.taken.add(own_id)
        return own_id
