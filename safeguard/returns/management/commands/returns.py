"""``safeguard returns ...``: statutory returns from the command line, for schedulers and scripts.

    safeguard returns cin-census --year 2025 --output cin-2025.xml
    safeguard returns ssda903 --year 2025 --output-dir ssda903-2025/
    safeguard returns validate cin-census cin-2025.xml [--year 2025]
    safeguard returns validate ssda903 ssda903-2025/ --year 2025
    safeguard returns annex-a --as-of 2026-06-30 --output annex-a.xlsx

YEAR is the year the collection ends (31 March): 2025 is 2024-25. Progress goes to stderr, results to
stdout. Exit status: 0 done (a return may still hold queries); 1 the return or file has errors under the
DfE rules (the file is still written, so that it can be inspected); 2 bad input (an unknown year, a file
that cannot be read or written, a date for Annex A that is no date or is still to come).
"""

import datetime
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguard.core.years import FIRST_YEAR, CollectionYear
from safeguard.returns import rules
from safeguard.returns.catalogue import ANNEX_A, CIN_CENSUS, SSDA903, Collection
from safeguard.returns.cin_census import files
from safeguard.returns.ssda903 import files as ssda903_files

SHOWN_PER_RULE = 5  # failures listed under each rule; the totals count them all


class Command(BaseCommand):
    help = "Statutory returns: build the CIN census or the SSDA903, or validate a return's files against the DfE rules."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        cin = sub.add_parser(
            "cin-census", help="Build the CIN census XML of a collection year from the records"
        )
        cin.add_argument("--year", required=True, help="The year the collection ends, e.g. 2025 for 2024-25")
        cin.add_argument("--output", required=True, help="The XML file to write")
        lac = sub.add_parser(
            "ssda903", help="Build the SSDA903 CSV files of a collection year from the records"
        )
        lac.add_argument("--year", required=True, help="The year the collection ends, e.g. 2025 for 2024-25")
        lac.add_argument("--output-dir", required=True, help="The folder to write the CSV files into")
        annex = sub.add_parser(
            "annex-a", help="Write Ofsted's Annex A workbook (lists 1 to 11) as things stood on a date"
        )
        annex.add_argument("--as-of", required=True, help="The date, as YYYY-MM-DD (today or earlier)")
        annex.add_argument("--output", required=True, help="The .xlsx file to write")
        check = sub.add_parser("validate", help="Validate a return's file against the DfE rules of its year")
        kinds = check.add_subparsers(dest="kind", required=True)
        cin_file = kinds.add_parser("cin-census", help="A CIN census XML file")
        cin_file.add_argument("file")
        cin_file.add_argument("--year", help="The collection year, when the file does not say")
        lac_files = kinds.add_parser("ssda903", help="A folder of SSDA903 CSV files")
        lac_files.add_argument("folder")
        lac_files.add_argument("--year", required=True, help="The collection year (CSV files do not say it)")

    def handle(self, *args, action, **options):
        self.started = time.monotonic()
        if action == "cin-census":
            return self.make(CIN_CENSUS, _year(options["year"]), Path(options["output"]), _write_xml)
        if action == "ssda903":
            return self.make(SSDA903, _year(options["year"]), Path(options["output_dir"]), _write_csv_files)
        if action == "annex-a":
            return self.annex_a(_as_of(options["as_of"]), Path(options["output"]))
        if action == "validate" and options["kind"] == "cin-census":
            year = _year(options["year"]) if options.get("year") else None
            return self.validate_cin_census(Path(options["file"]), year)
        if action == "validate" and options["kind"] == "ssda903":
            return self.validate_ssda903(Path(options["folder"]), _year(options["year"]))
        raise CommandError(f"Unknown action {action}")  # argparse refuses these first

    def progress(self, message: str) -> None:
        self.stderr.write(f"[{time.monotonic() - self.started:5.1f}s] {message}")

    def make(self, collection: Collection, year: CollectionYear, target: Path, write) -> None:
        """Build ``collection``'s return of ``year``, validate it, and ``write`` it to ``target`` (which says
        what it wrote)."""
        self.progress(f"Reading the records for the {year} {collection.title}")
        the_return = collection.build(year)
        self.progress(f"Validating {len(the_return.children):,} children against the {year} rules")
        report = collection.validate(the_return)
        self.progress(f"Writing {target}")
        try:
            written = write(the_return, target)
        except OSError as error:
            raise CommandError(f"Could not write {target}: {error.strerror}", returncode=2) from error
        self.summary(report)
        children = _count(len(the_return.children), "child", "children")
        self.stdout.write(f"Wrote the {year} {collection.title} ({children}) to {target}{written}.")
        self.finish(report)

    def annex_a(self, as_of: datetime.date, target: Path) -> None:
        """Ofsted's Annex A as things stood on ``as_of``, written to ``target``. It has no DfE rules, so no
        report: the row count of each list is said instead."""
        self.progress(f"Reading the records as at {as_of:%d/%m/%Y} for {ANNEX_A.title}")
        annex = ANNEX_A.build(as_of)
        self.progress(f"Writing {target}")
        try:
            target.write_bytes(ANNEX_A.download(annex).content)
        except OSError as error:
            raise CommandError(f"Could not write {target}: {error.strerror}", returncode=2) from error
        for annex_list in ANNEX_A.lists:
            rows = len(annex.rows.get(annex_list.number, []))
            self.stdout.write(f"  {annex_list.sheet()} ({annex_list.title}): {_count(rows, 'row')}")
        children = _count(annex.children, "child", "children")
        self.stdout.write(f"Wrote {ANNEX_A.title} as at {as_of:%d/%m/%Y} ({children}) to {target}.")
        self.progress("Done")

    def validate_cin_census(self, path: Path, year: CollectionYear | None) -> None:
        self.progress(f"Reading {path}")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error.strerror}", returncode=2) from error
        try:
            the_return, notes = files.read(data, year=year)
        except files.UnreadableFile as error:
            raise CommandError(f"{path}: {error}", returncode=2) from error
        for note in notes:
            where = f"line {note.line}" if note.line else "the file"
            kind = "Could not read" if note.problem else "Read"
            self.stdout.write(f"{kind}, {where} <{note.element}>: {note.message}")
        self.progress(f"Validating {len(the_return.children):,} children against the {the_return.year} rules")
        report = CIN_CENSUS.validate(the_return)
        self.summary(report)
        self.finish(report)

    def validate_ssda903(self, folder: Path, year: CollectionYear) -> None:
        self.progress(f"Reading {folder}")
        try:
            the_return, notes = ssda903_files.read_folder(folder, year=year)
        except ssda903_files.UnreadableFiles as error:
            raise CommandError(f"{folder}: {error}", returncode=2) from error
        for note in notes:
            where = f"{note.file} line {note.line}" if note.line else note.file
            kind = "Could not read" if note.problem else "Read"
            column = f" {note.column}" if note.column else ""
            self.stdout.write(f"{kind}, {where}{column}: {note.message}")
        self.progress(f"Validating {len(the_return.children):,} children against the {year} rules")
        report = SSDA903.validate(the_return)
        self.summary(report)
        self.finish(report)

    def summary(self, report: rules.Report) -> None:
        write = self.stdout.write
        write(
            f"{report.year} {report.title}: {_count(report.children, 'child', 'children')}, "
            f"{_count(len(report.errors), 'error')}, {_count(len(report.queries), 'query', 'queries')}."
        )
        by_rule: dict[str, list[rules.Finding]] = {}
        for finding in report.findings:
            by_rule.setdefault(finding.rule.code, []).append(finding)
        for rule, count in report.by_rule():
            write(f"  {rule.severity} {rule.code} ({count:,}): {rule.message}")
            for finding in by_rule[rule.code][:SHOWN_PER_RULE]:
                where = f" line {finding.source.line}" if finding.source and finding.source.line else ""
                detail = f": {finding.detail}" if finding.detail else ""
                write(f"    child {finding.la_child_id or '-'}{where} [{', '.join(finding.fields)}]{detail}")
            if count > SHOWN_PER_RULE:
                write(f"    and {count - SHOWN_PER_RULE:,} more")
        if report.unchecked:
            codes = ", ".join(rule.code for rule in report.unchecked)
            write(f"Not checked (they need data Safeguard does not hold; docs/how-to/returns.md): {codes}.")

    def finish(self, report: rules.Report) -> None:
        self.progress("Done")
        if report.errors:
            sys.exit(1)


def _write_xml(the_return, path: Path) -> str:
    path.write_bytes(files.to_xml(the_return))
    return ""


def _write_csv_files(the_return, folder: Path) -> str:
    written = ssda903_files.write(the_return, folder)
    return ": " + ", ".join(path.name for path in written)


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number:,} {one if number == 1 else many or one + 's'}"


def _year(text: str) -> CollectionYear:
    try:
        year = CollectionYear.parse(text)
    except ValueError as error:
        raise CommandError(str(error), returncode=2) from error
    if year.end_year < FIRST_YEAR:
        raise CommandError(
            f"Safeguard holds the DfE rules from {CollectionYear(FIRST_YEAR)} on, not {year}", returncode=2
        )
    return year


def _as_of(text: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date: give it as YYYY-MM-DD", returncode=2) from error
    if day > timezone.localdate():
        raise CommandError(
            f"{day:%d/%m/%Y} is still to come: Annex A says what had happened by a date", returncode=2
        )
    return day
