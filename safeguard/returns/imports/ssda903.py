"""A council's SSDA903 files become records: the inverse of ``ssda903.build`` (ADR 12).

The files are read by the tolerant reader (``ssda903.files.read``), which recognises each table by its
headers and notes every oddity; the return read is validated by the DfE rules of its year. As for the CIN
census (``imports.cin_census``), a child is rejected, with the reason, for a value the reader could not
read, a DfE error about a row that is imported, or an unsafe match; if any is, nothing is imported.

A child is found as the CIN census import finds one (``common.find_children``): CHILD is the same local
child ID as the census's LAchildID, so a child the census import created is matched through the ID it
recorded. What each table becomes:

- **Header**: the child (sex, date of birth, ethnicity, UPN or the reason it is unknown);
- **Episodes**: ``lookedafter.LacEpisode`` rows, grouped into periods of care (``PeriodOfCare``): a period
  runs from an episode that does not continue another (its predecessor ended with a reason other than X1)
  to the last episode's end, with its reason;
- **Reviews**: ``LacReview``; **Missing**: ``MissingEpisode``; **OC2**: ``AnnualOutcome`` (the items a
  worker records); **UASC**: ``UascStatus``, from the child's first episode in the file to DUC;
  **PrevPerm**: the previous permanence of the period that began in the year.

**OC3**: a ``CareLeaver`` with the contact, activity and accommodation of the birthday the row is about;
**PlacedAdoption** and **AD1**: an ``Adoption`` (the decision and its reversal; the match and the adopters;
the order on the day the E11/E12 episode ended).

Not imported (listed in the report, and errors in their rows do not refuse the import): SW_Episodes
(social workers, who are Safeguard's own workers).

Written directly, as the census import is, and for the same reason: the lookedafter services enforce live
practice (ADR 12).
"""

import datetime
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from safeguard.core.calendar import add_calendar_months
from safeguard.core.years import CollectionYear
from safeguard.lookedafter.models import (
    Adoption,
    AnnualOutcome,
    CareLeaver,
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    CareLeaverStatus,
    DeprivationOfLiberty,
    LacEpisode,
    LacReview,
    MissingEpisode,
    PeriodOfCare,
    UascEndReason,
    UascStatus,
)
from safeguard.people.models import Child as ChildRecord
from safeguard.people.models import Sex
from safeguard.people.services import child_create
from safeguard.returns.imports.common import (
    ChildOutcome,
    Identity,
    ImportReport,
    LocalChildIds,
    Note,
    Rollback,
    Unreadable,
    already_imported,
    batch_finish,
    file_hash,
    find_children,
    first_line,
    normalise_id,
    possible_duplicates,
)
from safeguard.returns.models import ImportBatch, ImportedChild, ImportedRecord
from safeguard.returns.policies import may_import
from safeguard.returns.ssda903 import files
from safeguard.returns.ssda903.model import LookedAfterChild, Row, Ssda903Return, parse_date
from safeguard.returns.ssda903.validate import validate

COLLECTION = "ssda903"
TITLE = "SSDA903"
IMPORTED_TABLES = {
    "Header", "Episodes", "Reviews", "Missing", "OC2", "OC3", "UASC", "PrevPerm", "PlacedAdoption", "AD1", "DoLo",
}  # fmt: skip
FROM_GENDER = {"1": Sex.MALE, "2": Sex.FEMALE}
CONTINUES = "X1"  # REC: the episode ends and a new one starts the same day, in the same period
ASSUMPTIONS = [
    "Children have no names in the SSDA903: each new child is named \u201cUnnamed (SSDA903 CHILD ...)\u201d until a "
    "worker records their name.",
    "A period of care that began before the year starts, as far as Safeguard knows, on its first episode in the "
    "files.",
    "A UASC status runs from the child's first episode in the files to DUC; a DUC on the 18th birthday after "
    "31 March is a status still going on.",
    "OC2's HEALTH_CHECK, TEETH_CHECK and HEALTH_ASSESSMENT are worked out from health assessments, which the "
    "SSDA903 does not date: they are not kept.",
    "A care leaver in OC3 is recorded as a care leaver from their birthday in the year (or the day they left care, "
    "if the files say), with a contact, activity and accommodation on the birthday; the personal adviser is not "
    "in the SSDA903.",
    "An adoption is recorded from PlacedAdoption (the decision, and its reversal), with AD1's match and adopters; "
    "the adoption order is the day the episode ending E11 or E12 ended, and the placement the first A3-A6 "
    "episode's start.",
    "A deprivation of liberty order (DoLo, from 2026-27) is recorded in the period of care it started in.",
    "Not imported: SW_Episodes (social workers are Safeguard's own workers, allocated in Safeguard). Their rows "
    "are counted below and left out; errors in them do not stop an import.",
]


def _flag(text: str) -> bool | None:
    return {"1": True, "0": False}.get(text.strip())


def sex_of(code: str, year: CollectionYear) -> str:
    if year.end_year >= 2025:
        return code if code in Sex.values else Sex.UNKNOWN
    return FROM_GENDER.get(code, Sex.UNKNOWN)


def import_ssda903(
    *,
    imported_by,
    year: CollectionYear,
    folder: Path | None = None,
    data: dict[str, bytes] | None = None,
    name: str = "",
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import a council's SSDA903 CSV files (``folder``, or ``data``: file name to bytes), all or nothing,
    or (``dry_run``) say what importing them would do. Raises as ``import_cin_census`` does."""
    if not may_import(imported_by):
        raise PermissionDenied("Only performance analysts and the director import returns")
    say = progress or (lambda message: None)
    if data is None:
        if folder is None or not folder.is_dir():
            raise Unreadable(f"{folder} is not a folder of SSDA903 CSV files")
        data = {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}
        name = name or folder.name
        if not data:
            raise Unreadable(f"{folder} holds no .csv file")
    try:
        the_return, reader_notes = files.read(data, year=year)
    except files.UnreadableFiles as error:
        raise Unreadable(str(error)) from None
    names = sorted(data)
    report = ImportReport(
        collection=COLLECTION,
        title=TITLE,
        year=year,
        file_name=name or ", ".join(names),
        sha256=file_hash(*(part for each in names for part in (each.encode(), data[each]))),
        dry_run=dry_run,
        notes=[Note(n.file, n.line, n.column, n.message, n.problem) for n in reader_notes],
        assumptions=list(ASSUMPTIONS),
    )
    say(f"Read {len(the_return.children):,} children from {len(names)} files")
    if reason := already_imported(COLLECTION, report.sha256):
        report.problems.append(reason)
        return report

    outcomes = []
    rows_at: dict[tuple[str, int], tuple[ChildOutcome, str]] = {}
    for child in the_return.children:
        header = child.header
        first = header or next((rows[0] for rows in child.tables.values() if rows), None)
        outcome = ChildOutcome(
            la_child_id=child.la_child_id,
            line=first.source.line if first and first.source else None,
            file=first.source.model if first and first.source else "",
        )
        outcomes.append(outcome)
        for table, rows in child.tables.items():
            for row in rows:
                if row.source:
                    rows_at[(row.source.model, row.source.line)] = (outcome, table)
        skipped = {table: len(rows) for table, rows in child.tables.items() if table not in IMPORTED_TABLES}
        if skipped:
            outcome.remarks.append(
                "not imported: "
                + ", ".join(
                    f"{count} {table} row{'s' if count > 1 else ''}"
                    for table, count in sorted(skipped.items())
                )
            )
    report.children = outcomes

    for note in reader_notes:
        if not note.problem:
            continue
        owner = rows_at.get((note.file, note.line))
        if owner is None:
            report.problems.append(
                f"{note.file}: {note.message}: remove the file from the folder, or correct its headers"
            )
        elif owner[1] in IMPORTED_TABLES:
            owner[0].reject(f"{note.file}, line {note.line}, {note.column}: {note.message}")

    say(f"Checking against the DfE rules of {year}")
    _reject_errors(report, the_return, outcomes, rows_at)
    identities, sexes = [], []
    for child, outcome in zip(the_return.children, outcomes, strict=True):
        header = child.header
        if not normalise_id(child.la_child_id):
            outcome.reject("The row has no CHILD: every row needs the child's ID")
        if header is None:
            if not outcome.rejected:
                outcome.reject("The child has no row in the Header table")
            identities.append(Identity(la_child_id=child.la_child_id))
            sexes.append(Sex.UNKNOWN)
            continue
        upn = header["UPN"]
        identities.append(
            Identity(
                la_child_id=child.la_child_id,
                upn="" if upn.startswith("UN") else upn,
                birth_date=header.date("DOB"),
            )
        )
        sexes.append(sex_of(header["SEX"], year))
    say("Finding the children already held")
    matched = find_children(outcomes, identities)
    possible_duplicates(outcomes, identities, sexes)
    if report.refused:
        return report

    say("Writing the records" + (" (dry run: rolled back after)" if dry_run else ""))
    try:
        with transaction.atomic():
            _Writer(report, the_return, outcomes, matched, imported_by=imported_by, say=say).write()
            if report.refused or dry_run:
                raise Rollback
    except Rollback:
        report.batch = None
        return report
    report.imported = True
    return report


def _reject_errors(report: ImportReport, the_return: Ssda903Return, outcomes, rows_at) -> None:
    result = validate(the_return)
    by_id = {outcome.la_child_id: outcome for outcome in outcomes}
    for finding in result.findings:
        if finding.rule.is_query:
            report.queries[finding.rule.code] += 1
            continue
        source = finding.source
        owner = rows_at.get((source.model, source.line)) if source and source.line else None
        message = f"DfE rule {finding.rule.code}: {finding.rule.message}"
        if finding.fields:
            message += f" ({', '.join(finding.fields)})"
        if finding.detail:
            message += f": {finding.detail}"
        if owner is not None:
            outcome, table = owner
            if table not in IMPORTED_TABLES:
                outcome.remarks.append(f"{message} (in the {table} table, which is not imported)")
                continue
            where = f"{source.model}, line {source.line}"
            outcome.reject(message if where == outcome.where else f"{where}: {message}")
        elif finding.la_child_id in by_id:
            by_id[finding.la_child_id].reject(message)
        else:
            report.problems.append(message)


class _Writer:
    def __init__(self, report, the_return: Ssda903Return, outcomes, matched, *, imported_by, say):
        self.report = report
        self.year = the_return.year
        self.the_return = the_return
        self.outcomes = outcomes
        self.matched = matched
        self.user = imported_by
        self.say = say
        self.records: list[ImportedRecord] = []

    def write(self) -> None:
        report = self.report
        self.batch = ImportBatch.objects.create(
            collection=COLLECTION,
            year=self.year.end_year,
            file_name=report.file_name[:300],
            sha256=report.sha256,
            created_by=self.user,
            modified_by=self.user,
        )
        report.batch = self.batch
        self.local_ids = LocalChildIds(normalise_id(c.la_child_id) for c in self.the_return.children)
        total = len(self.outcomes)
        for index, (child, outcome) in enumerate(zip(self.the_return.children, self.outcomes, strict=True)):
            if index and index % 1000 == 0:
                self.say(f"  {index:,} of {total:,} children written")
            try:
                with transaction.atomic():
                    record = self.matched.get(index) or self._new_child(child, outcome)
                    key = normalise_id(child.la_child_id)
                    if not ImportedChild.objects.filter(la_child_id=key).exists():
                        ImportedChild.objects.create(la_child_id=key, child=record, batch=self.batch)
                    if index in self.matched:
                        outcome.matched["children"] += 1
                    self._child_tables(record, child, outcome)
            except (IntegrityError, ValidationError) as error:
                outcome.reject(
                    "The records could not be written as the files have them ("
                    + first_line(error)
                    + "): check this child's dates against the DfE rules on episodes and periods of care"
                )
        if report.refused:
            return
        batch_finish(
            batch=self.batch,
            report=report,
            records=self.records,
            user=self.user,
            collection=COLLECTION,
            year=self.year,
        )

    def _made(self, outcome, kind: str, record, row: Row | None) -> None:
        outcome.created[kind] += 1
        self.records.append(
            ImportedRecord(
                batch=self.batch,
                model=record._meta.label_lower,
                object_id=record.pk,
                line=row.source.line if row is not None and row.source else None,
            )
        )

    def _new_child(self, child: LookedAfterChild, outcome: ChildOutcome) -> ChildRecord:
        header = child.header
        key = normalise_id(child.la_child_id)
        own_id = self.local_ids.assign(key)
        if own_id != key:
            outcome.remarks.append(
                f"The CHILD {key} cannot be a Safeguard local child ID: recorded as {own_id}, and the file's ID "
                "kept so that later imports find the child"
            )
        record = child_create(
            created_by=self.user,
            first_name="Unnamed",
            last_name=f"(SSDA903 CHILD {key})",
            date_of_birth=header.date("DOB"),
            sex=sex_of(header["SEX"], self.year),
            ethnicity=header["ETHNIC"],
            la_child_id=own_id,
        )
        upn = header["UPN"]
        if upn:
            field = "upn_unknown_reason" if upn.startswith("UN") else "upn"
            ChildRecord.objects.filter(pk=record.pk).update(**{field: upn})
        outcome.child_pk = record.pk
        self._made(outcome, "children", record, header)
        return record

    def _child_tables(self, record: ChildRecord, child: LookedAfterChild, outcome: ChildOutcome) -> None:
        stamp = {"created_by": self.user, "modified_by": self.user}
        periods = list(PeriodOfCare.objects.filter(child=record).order_by("start_date"))
        held = {episode.start_date: episode for episode in LacEpisode.objects.filter(child=record)}
        current: PeriodOfCare | None = None
        previous_end: tuple[datetime.date | None, str] | None = None
        first_start = None
        for row in child.episodes:
            start, end, reason = row.date("DECOM"), row.date("DEC"), row["REC"]
            first_start = first_start or start
            continues = previous_end is not None and previous_end == (start, CONTINUES)
            if start in held:
                outcome.matched["looked-after episodes"] += 1
                current = held[start].period
            else:
                if not continues or current is None:
                    current = _containing(periods, start)
                if current is None:
                    current = PeriodOfCare.objects.create(child=record, start_date=start, **stamp)
                    periods.append(current)
                    self._made(outcome, "periods of care", current, row)
                    if row["RNE"] != "S":
                        outcome.remarks.append(
                            f"the period of care with the episode from {row['DECOM']} began before the files' "
                            "year: recorded as starting that day"
                        )
                episode = LacEpisode.objects.create(
                    period=current,
                    child=record,
                    start_date=start,
                    reason_new_episode=row["RNE"],
                    legal_status=row["LS"],
                    need_code=row["CIN"],
                    placement_type=row["PLACE"],
                    placement_provider=row["PLACE_PROVIDER"],
                    home_postcode=row["HOME_POST"],
                    placement_postcode=row["PL_POST"],
                    urn=row["URN"],
                    end_date=end,
                    end_reason=reason if end else "",
                    reason_place_change=row["REASON_PLACE_CHANGE"] if end else "",
                    **stamp,
                )
                self._made(outcome, "looked-after episodes", episode, row)
                if end and reason and reason != CONTINUES and current.end_date is None:
                    current.end_date, current.end_reason = end, reason
                    current.save(update_fields=["end_date", "end_reason"])
            previous_end = (end, reason)

        for row in child.rows("PrevPerm"):
            period = next((p for p in periods if self.year.contains(p.start_date)), None)
            if period is not None and not period.previous_permanence:
                period.previous_permanence = row["PREV_PERM"]
                period.previous_permanence_la = row["LA_PERM"]
                period.previous_permanence_on = row.date("DATE_PERM")
                period.save(
                    update_fields=["previous_permanence", "previous_permanence_la", "previous_permanence_on"]
                )
                outcome.created["previous permanence"] += 1

        reviews = set(LacReview.objects.filter(child=record).values_list("held_on", flat=True))
        for row in child.rows("Reviews"):
            day = row.date("REVIEW")
            if day in reviews:
                outcome.matched["reviews"] += 1
                continue
            period = _containing(periods, day) or _latest_before(periods, day)
            if period is None:
                outcome.reject(
                    f"{row.source.model}, line {row.source.line}: a review with no period of care to hold it"
                )
                continue
            made = LacReview.objects.create(
                period=period,
                child=record,
                held_on=day,
                participation=row["REVIEW_CODE"],
                created_by=self.user,
            )
            self._made(outcome, "reviews", made, row)

        missing = set(MissingEpisode.objects.filter(child=record).values_list("start_date", flat=True))
        for row in child.rows("Missing"):
            start = row.date("MIS_START")
            if start in missing:
                outcome.matched["missing episodes"] += 1
                continue
            period = _containing(periods, start) or _latest_before(periods, start)
            if period is None:
                outcome.reject(
                    f"{row.source.model}, line {row.source.line}: missing with no period of care to hold it"
                )
                continue
            made = MissingEpisode.objects.create(
                period=period,
                child=record,
                kind=row["MISSING"],
                start_date=start,
                end_date=row.date("MIS_END"),
                **stamp,
            )
            self._made(outcome, "missing episodes", made, row)

        outcomes_held = set(AnnualOutcome.objects.filter(child=record).values_list("year_end", flat=True))
        for row in child.rows("OC2"):
            if self.year.end_year in outcomes_held:
                outcome.matched["OC2 outcomes"] += 1
                continue
            score = row["SDQ_SCORE"]
            made = AnnualOutcome.objects.create(
                child=record,
                year_end=self.year.end_year,
                sdq_score=int(score) if score.isdigit() else None,
                sdq_reason=row["SDQ_REASON"],
                convicted=_flag(row["CONVICTED"]),
                immunisations=_flag(row["IMMUNISATIONS"]),
                substance_misuse=_flag(row["SUBSTANCE_MISUSE"]),
                intervention_received=_flag(row["INTERVENTION_RECEIVED"]),
                intervention_offered=_flag(row["INTERVENTION_OFFERED"]),
                **stamp,
            )
            self._made(outcome, "OC2 outcomes", made, row)

        statuses = list(UascStatus.objects.filter(child=record))
        for row in child.rows("UASC"):
            start = first_start or self.year.start
            if any(
                s.start_date <= self.year.end and (s.end_date is None or s.end_date >= start)
                for s in statuses
            ):
                outcome.matched["UASC statuses"] += 1
                continue
            ceased = row.date("DUC")
            born = record.person.date_of_birth
            eighteen = add_calendar_months(born, 12 * 18) if born else None
            end, why = ceased, UascEndReason.OTHER
            if ceased is not None and ceased == eighteen:
                end, why = (ceased, UascEndReason.AGED_18) if ceased <= self.year.end else (None, "")
            elif ceased is not None and ceased > self.year.end:
                end, why = None, ""
            made = UascStatus.objects.create(
                child=record,
                start_date=min(start, end) if end else start,
                end_date=end,
                end_reason=why if end else "",
                **stamp,
            )
            self._made(outcome, "UASC statuses", made, row)

        _care_leaver(self, record, child, outcome, periods)
        _adoptions(self, record, child, outcome, periods)
        _deprivations_of_liberty(self, record, child, outcome, periods)


def _care_leaver(writer, record: ChildRecord, child: LookedAfterChild, outcome, periods) -> None:
    """OC3: the care leaver as they were on the birthday in the year the row is about."""
    rows = child.rows("OC3")
    if not rows:
        return
    if CareLeaver.objects.filter(child=record).exists():
        outcome.matched["care leavers"] += len(rows)
        return
    born = record.person.date_of_birth
    year = writer.year
    for row in rows:
        birthday, age = None, None
        for years in (17, 18, 19, 20, 21):
            day = add_calendar_months(born, 12 * years) if born else None
            if day is not None and year.contains(day):
                birthday, age = day, years
                break
        if birthday is None:
            outcome.reject(
                f"{row.source.model}, line {row.source.line}: no 17th to 21st birthday in the year"
            )
            continue
        left = [p.end_date for p in periods if p.end_date is not None and p.end_date <= birthday]
        start = max(left) if left else birthday
        leaver = CareLeaver.objects.create(
            child=record,
            status=CareLeaverStatus.FORMER_RELEVANT if age >= 18 else CareLeaverStatus.RELEVANT,
            status_since=start,
            start_date=start,
            created_by=writer.user,
            modified_by=writer.user,
        )
        writer._made(outcome, "care leavers", leaver, row)
        if row["IN_TOUCH"]:
            made = CareLeaverContact.objects.create(
                care_leaver=leaver,
                child=record,
                contacted_on=birthday,
                in_touch=row["IN_TOUCH"],
                created_by=writer.user,
            )
            writer._made(outcome, "care leaver contacts", made, row)
        if row["ACTIV"]:
            made = CareLeaverActivity.objects.create(
                care_leaver=leaver,
                child=record,
                start_date=birthday,
                code=row["ACTIV"],
                created_by=writer.user,
            )
            writer._made(outcome, "care leaver activities", made, row)
        accommodation = row["ACCOM"]
        if accommodation:
            made = CareLeaverAccommodation.objects.create(
                care_leaver=leaver,
                child=record,
                start_date=birthday,
                code=accommodation[0],
                suitable=accommodation[1:] == "1",
                created_by=writer.user,
            )
            writer._made(outcome, "care leaver accommodation", made, row)


ADOPTED = {"E11", "E12"}
PLACED_FOR_ADOPTION = {"A3", "A4", "A5", "A6"}


def _adoptions(writer, record: ChildRecord, child: LookedAfterChild, outcome, periods) -> None:
    """PlacedAdoption and AD1: each decision, reversed or not, and for a child adopted in the year the match,
    the adopters and the order."""
    rows = child.rows("PlacedAdoption")
    if not rows:
        if child.rows("AD1"):
            outcome.reject(
                "AD1 has an adoption, but PlacedAdoption has no decision that the child be placed for it"
            )
        return
    held = set(Adoption.objects.filter(child=record).values_list("decided_on", flat=True))
    details = {row.date("DATE_INT"): row for row in child.rows("AD1")}
    episodes = child.episodes
    order_on = next((row.date("DEC") for row in episodes if row["REC"] in ADOPTED), None)
    placed_on = next((row.date("DECOM") for row in episodes if row["PLACE"] in PLACED_FOR_ADOPTION), None)
    for row in rows:
        decided = row.date("DATE_PLACED")
        if decided in held:
            outcome.matched["adoptions"] += 1
            details.pop(decided, None)
            continue
        period = _containing(periods, decided) or _latest_before(periods, decided)
        if period is None:
            outcome.reject(
                f"{row.source.model}, line {row.source.line}: an adoption decision with no period of care"
            )
            continue
        reversed_on = row.date("DATE_PLACED_CEASED")
        detail = details.pop(decided, None)
        values = {}
        if detail is not None and reversed_on is None:
            foster = _flag(detail["FOSTER_CARE"])
            number = detail["NB_ADOPTR"]
            values = {
                "matched_on": detail.date("DATE_MATCH"),
                "adopted_by_foster_carers": foster,
                "number_of_adopters": int(number) if number.isdigit() else None,
                "adopters_sex": detail["SEX_ADOPTR"],
                "adopters_legal_status": detail["LS_ADOPTR"],
                "order_on": order_on,
            }
            if order_on is None:
                outcome.remarks.append(
                    "AD1 has an adoption, but no episode ends with an adoption order (E11, E12): no order recorded"
                )
        made = Adoption.objects.create(
            child=record,
            period=period,
            decided_on=decided,
            placed_on=placed_on if placed_on and placed_on >= decided and reversed_on is None else None,
            reversed_on=reversed_on,
            reversal_reason=row["REASON_PLACED_CEASED"] if reversed_on else "",
            created_by=writer.user,
            modified_by=writer.user,
            **values,
        )
        writer._made(outcome, "adoptions", made, row)
    for day in details:
        outcome.reject(
            f"AD1's DATE_INT {day:%d/%m/%Y} is no decision in PlacedAdoption"
            if day
            else "AD1 has no DATE_INT"
        )


def _deprivations_of_liberty(writer, record: ChildRecord, child: LookedAfterChild, outcome, periods) -> None:
    """DoLo: each order, in the period of care it started in; one held with the same start is matched."""
    held = set(DeprivationOfLiberty.objects.filter(child=record).values_list("start_date", flat=True))
    for row in child.rows("DoLo"):
        start = row.date("DOLO_START")
        if start in held:
            outcome.matched["deprivation of liberty orders"] += 1
            continue
        period = _containing(periods, start)
        if period is None:
            outcome.reject(
                f"{row.source.model}, line {row.source.line}: a deprivation of liberty order that did not start "
                "while the child was looked after (SSDA903 rule 707)"
            )
            continue
        made = DeprivationOfLiberty.objects.create(
            child=record,
            period=period,
            start_date=start,
            end_date=row.date("DOLO_END"),
            created_by=writer.user,
            modified_by=writer.user,
        )
        writer._made(outcome, "deprivation of liberty orders", made, row)


def _containing(periods: list[PeriodOfCare], day: datetime.date | None) -> PeriodOfCare | None:
    if day is None:
        return None
    for period in periods:
        if period.start_date <= day and (period.end_date is None or period.end_date >= day):
            return period
    return None


def _latest_before(periods: list[PeriodOfCare], day: datetime.date | None) -> PeriodOfCare | None:
    if day is None:
        return None
    before = [period for period in periods if period.start_date <= day]
    return max(before, key=lambda period: period.start_date, default=None)


__all__ = ["import_ssda903", "parse_date"]
