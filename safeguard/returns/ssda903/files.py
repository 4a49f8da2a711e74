"""The SSDA903 files: one CSV file per table, written as the DfE takes them and read back from a council's
own, however they were made.

**Writing**: a folder of CSV files, one per table of the year (``model.tables_for``), named after the table
(``header.csv``, ``episodes.csv``...), each with exactly the DfE's column headers in the DfE's order
(DOMAIN.md §4), dates as ``dd/mm/YYYY``, UTF-8, and every table written even when it has no rows.

**Reading** takes a folder of CSV files and recognises each file by its column headers, not its name, as
the DfE's tools do (a council's system names its files as it likes). Real files are messy; the reader says
what it did with each oddity (``Note``, with the file and line): a byte order mark or a header in lower case
or with spaces is read; a column the table does not have is ignored; a date in ``YYYY-MM-DD`` or with a
two-digit year is rewritten as ``dd/mm/YYYY``; ``true``/``false`` in a 0/1 item is read as 1/0. A value that
cannot be read is kept as it was written, so that the rules report it.
"""

import csv
import datetime
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from safeguard.core.years import CollectionYear
from safeguard.returns.rules import Source
from safeguard.returns.ssda903.model import (
    DATE_FORMAT,
    LookedAfterChild,
    Row,
    Ssda903Return,
    tables_for,
)

FILE_NAMES = {
    "Header": "header.csv",
    "Episodes": "episodes.csv",
    "Reviews": "reviews.csv",
    "UASC": "uasc.csv",
    "OC2": "oc2.csv",
    "OC3": "oc3.csv",
    "AD1": "ad1.csv",
    "PlacedAdoption": "placed_for_adoption.csv",
    "PrevPerm": "previous_permanence.csv",
    "Missing": "missing.csv",
    "SW_Episodes": "social_worker_episodes.csv",
    "DoLo": "deprivation_of_liberty.csv",
}
DATE_COLUMNS = {
    "DOB", "MC_DOB", "DECOM", "DEC", "REVIEW", "DUC", "DATE_INT", "DATE_MATCH", "DATE_PLACED",
    "DATE_PLACED_CEASED", "DATE_PERM", "MIS_START", "MIS_END", "SW_DECOM", "SW_DEC", "DOLO_START", "DOLO_END",
}  # fmt: skip
FLAG_COLUMNS = {
    "MOTHER", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED", "FOSTER_CARE",
}  # fmt: skip


def write(the_return: Ssda903Return, folder: Path) -> list[Path]:
    """Write every table of the return's year into ``folder`` (made if need be); the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table, text in to_csv(the_return).items():
        path = folder / FILE_NAMES[table]
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written


def to_csv(the_return: Ssda903Return) -> dict[str, str]:
    """Each table of the return's year as CSV text."""
    files = {}
    for table, columns in tables_for(the_return.year).items():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for child in the_return.children:
            for row in child.rows(table):
                writer.writerow([row[column] for column in columns])
        files[table] = out.getvalue()
    return files


@dataclass(frozen=True)
class Note:
    """What the reader did with something in a file; ``problem`` where it could not be used at all."""

    file: str
    line: int | None
    column: str
    message: str
    problem: bool = False


class UnreadableFiles(ValueError):
    """The folder holds no SSDA903 table, or a file that cannot be read at all."""


def _key(header: str) -> str:
    return re.sub(r"\s+", "_", header.strip().lstrip("\ufeff").upper())


def _which_table(headers: list[str], year: CollectionYear) -> str | None:
    """The table whose columns these are: all of its columns present (extra ones are ignored). Where more
    than one table fits, the one with the most columns (Header and UASC share CHILD, SEX and DOB)."""
    present = set(headers)
    fits = [name for name, columns in tables_for(year).items() if set(columns) <= present]
    return max(fits, key=lambda name: len(tables_for(year)[name]), default=None)


class _Reader:
    def __init__(self, year: CollectionYear):
        self.year = year
        self.notes: list[Note] = []

    def note(self, file: str, line: int | None, column: str, message: str, *, problem: bool = False) -> None:
        self.notes.append(Note(file, line, column, message, problem))

    def value(self, file: str, line: int, column: str, text: str) -> str:
        text = (text or "").strip()
        if not text:
            return ""
        if column in DATE_COLUMNS:
            return self.date(file, line, column, text)
        if column in FLAG_COLUMNS and text.lower() in {"true", "false"}:
            flag = "1" if text.lower() == "true" else "0"
            self.note(file, line, column, f"read {text!r} as {flag}")
            return flag
        return text

    def date(self, file: str, line: int, column: str, text: str) -> str:
        try:
            datetime.datetime.strptime(text, DATE_FORMAT)
            return text
        except ValueError:
            pass
        day = None
        if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?", text):
            day = _date(int(match[1]), int(match[2]), int(match[3]))
        elif match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})", text):
            year = 2000 + int(match[3])
            day = _date(year if year <= self.year.end_year else year - 100, int(match[2]), int(match[1]))
        if day is None:
            self.note(file, line, column, f"{text!r} is not a date: kept as written", problem=True)
            return text
        rewritten = day.strftime(DATE_FORMAT)
        self.note(file, line, column, f"read {text!r} as {rewritten}")
        return rewritten


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def read(
    files: dict[str, bytes], *, year: CollectionYear, la_code: str = ""
) -> tuple[Ssda903Return, list[Note]]:
    """The return in ``files`` (file name → its bytes), with what was done to read it."""
    reader = _Reader(year)
    rows_by_child: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    order: list[str] = []
    seen_tables: dict[str, str] = {}
    for name, data in sorted(files.items()):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            reader.note(name, None, "", "not UTF-8: read as Windows text (cp1252)")
        lines = list(csv.reader(io.StringIO(text)))
        if not lines:
            reader.note(name, None, "", "empty file: ignored", problem=True)
            continue
        headers = [_key(header) for header in lines[0]]
        if headers != [header.strip().lstrip("\ufeff") for header in lines[0]]:
            reader.note(name, 1, "", "column headers read in upper case, without spaces")
        table = _which_table(headers, year)
        if table is None:
            reader.note(name, 1, "", "its columns match no SSDA903 table: ignored", problem=True)
            continue
        if table in seen_tables:
            raise UnreadableFiles(f"{seen_tables[table]} and {name} are both the {table} table")
        seen_tables[table] = name
        columns = tables_for(year)[table]
        for extra in sorted(set(headers) - set(columns)):
            reader.note(name, 1, extra, f"the {table} table has no column {extra}: ignored")
        for number, cells in enumerate(lines[1:], start=2):
            if not any(cell.strip() for cell in cells):
                continue
            values = dict(zip(headers, cells, strict=False))
            row = Row(
                {column: reader.value(name, number, column, values.get(column, "")) for column in columns},
                source=Source(line=number, model=name),
            )
            child = row["CHILD"]
            if child not in rows_by_child:
                order.append(child)
            rows_by_child[child][table].append(row)
    if not seen_tables:
        raise UnreadableFiles("None of the files is an SSDA903 table (recognised by its column headers)")
    children = [
        LookedAfterChild(la_child_id=child, tables=dict(rows_by_child[child]), source=Source(model="files"))
        for child in order
    ]
    return Ssda903Return(year=year, la_code=la_code, children=children), reader.notes


def read_folder(folder: Path, *, year: CollectionYear, la_code: str = "") -> tuple[Ssda903Return, list[Note]]:
    """Every ``.csv`` file in ``folder``."""
    if not folder.is_dir():
        raise UnreadableFiles(f"{folder} is not a folder")
    files = {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}
    if not files:
        raise UnreadableFiles(f"{folder} holds no .csv file")
    return read(files, year=year, la_code=la_code)
