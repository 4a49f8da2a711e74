"""The Annex A workbook: written as Ofsted asks for it, and read back from a council's own, however made.

**Writing**: one sheet a list ("List 1" to "List 11"), a header row of Ofsted's column headers (``lists``),
then a row a record. Dates are real Excel dates shown as dd/mm/yyyy, so that an inspector can sort and
filter them; the header row is frozen and the columns are wide enough to read. The workbook's title says the
date it was made as of.

**Reading** (for the importer, and to check a file) takes real workbooks, which are messy, and says what it
did with each oddity (``Note``), as the CIN census reader does: a sheet is recognised by its name ("List 3",
"list3 - Referrals", "LIST 3") and a sheet that is no list is ignored; the header row may be below a title,
and headers are matched ignoring case, spacing and punctuation; a column the list does not have is ignored;
a date may be an Excel date or text as dd/mm/yyyy, dd/mm/yy (the century chosen so that the date is not
after the workbook's date) or yyyy-mm-dd; a count may be text. What cannot be read is a problem, reported
with its sheet, row and column, and left empty.
"""

import datetime
import io
import re
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from safeguard.returns.annex_a.build import AnnexA
from safeguard.returns.annex_a.lists import BY_NUMBER, DATE, LISTS, NUMBER, AnnexList

DATE_FORMAT = "dd/mm/yyyy"
TITLE = "Ofsted Annex A as at {:%d/%m/%Y}"
BOLD = Font(bold=True)
MIN_WIDTH, MAX_WIDTH = 12, 50  # characters: wide enough for a date, narrow enough for a long header to wrap


def write(annex: AnnexA) -> bytes:
    """The workbook, written in openpyxl's write-only mode: row by row, without keeping the sheets in memory,
    several times faster for a large council's hundred thousand rows (``docs/benchmarks.md``)."""
    book = Workbook(write_only=True)
    book.properties.title = TITLE.format(annex.as_of)
    for annex_list in LISTS:
        sheet = book.create_sheet(annex_list.sheet())
        rows = annex.rows.get(annex_list.number, [])
        for index, column in enumerate(annex_list.columns, start=1):
            longest = max([len(column.header)] + [len(str(row[index - 1] or "")) for row in rows[:500]])
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(longest + 2, MIN_WIDTH), MAX_WIDTH
            )
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, header, font=BOLD) for header in annex_list.headers()])
        dates = {index for index, column in enumerate(annex_list.columns) if column.kind == DATE}
        for row in rows:
            sheet.append(
                [
                    None
                    if value == ""
                    else _cell(sheet, value, number_format=DATE_FORMAT)
                    if index in dates and value is not None
                    else value
                    for index, value in enumerate(row)
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value, *, font=None, number_format=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


# --- reading -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """What the reader did with something in the workbook. ``problem`` is True where a value could not be
    read at all (it is left empty)."""

    sheet: str
    row: int | None
    column: str
    message: str
    problem: bool = False


class UnreadableWorkbook(ValueError):
    """The file is not an Excel workbook, or has no sheet that is an Annex A list."""


SHEET = re.compile(r"^\s*list\s*[-_:]?\s*(\d{1,2})\b", re.IGNORECASE)
DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
HEADER_ROWS = 10  # how far down a sheet its header row is looked for (below a title or notes)


def _key(text) -> str:
    """A header as compared: lower case, letters and digits only ("Referral NFA?" == "referral nfa")."""
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


def read(data: bytes, *, as_of: datetime.date | None = None) -> tuple[AnnexA, list[Note]]:
    """A workbook as Annex A's rows, with what was done to read it. ``as_of`` is the date the lists were made
    as of, when the workbook's title does not say it (it chooses the century of a two-digit year)."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is not a workbook
        raise UnreadableWorkbook(f"This is not a readable Excel workbook: {error}") from error
    notes: list[Note] = []
    titled = _title_date(book.properties.title)
    as_of = as_of or titled or datetime.date.today()
    annex = AnnexA(as_of=as_of, rows={annex_list.number: [] for annex_list in LISTS})
    seen: set[int] = set()
    for sheet in book.worksheets:
        match = SHEET.match(sheet.title)
        number = int(match[1]) if match else None
        if number not in BY_NUMBER:
            notes.append(
                Note(sheet.title, None, "", f"ignored the sheet {sheet.title!r}, which is no Annex A list")
            )
            continue
        if number in seen:
            notes.append(
                Note(sheet.title, None, "", f"ignored {sheet.title!r}: list {number} was read already")
            )
            continue
        seen.add(number)
        if sheet.title != BY_NUMBER[number].sheet():
            notes.append(Note(sheet.title, None, "", f"read the sheet {sheet.title!r} as list {number}"))
        annex.rows[number] = _read_sheet(sheet, BY_NUMBER[number], as_of, notes)
    if not seen:
        raise UnreadableWorkbook("The workbook has no sheet named as an Annex A list (List 1 to List 11)")
    book.close()
    return annex, notes


def _title_date(title: str | None) -> datetime.date | None:
    match = re.search(r"(\d{2})/(\d{2})/(\d{4})", title or "")
    if not match:
        return None
    try:
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def _read_sheet(sheet, annex_list: type[AnnexList], as_of: datetime.date, notes: list[Note]) -> list[tuple]:
    rows = sheet.iter_rows(values_only=True)
    wanted = {_key(column.header): index for index, column in enumerate(annex_list.columns)}
    positions: dict[int, int] = {}  # the sheet's column -> the list's column
    header_row = 0
    for header_row, cells in enumerate(rows, start=1):
        keys = [_key(cell) for cell in cells]
        if sum(1 for key in keys if key in wanted) >= 2:
            for position, (key, cell) in enumerate(zip(keys, cells, strict=False)):
                if key in wanted and wanted[key] not in positions.values():
                    positions[position] = wanted[key]
                    header = annex_list.columns[wanted[key]].header
                    if str(cell).strip() != header:
                        notes.append(
                            Note(sheet.title, header_row, header, f"read the header {cell!r} as {header!r}")
                        )
                elif key:
                    notes.append(
                        Note(
                            sheet.title,
                            header_row,
                            str(cell),
                            f"ignored the column {cell!r}, which list {annex_list.number} does not have",
                        )
                    )
            break
        if header_row >= HEADER_ROWS:
            break
    if not positions:
        notes.append(
            Note(
                sheet.title, None, "", "found no header row of the list's columns: read nothing", problem=True
            )
        )
        return []
    for index, column in enumerate(annex_list.columns):
        if index not in positions.values():
            notes.append(Note(sheet.title, header_row, column.header, "the column is missing: left empty"))
    result = []
    for number, cells in enumerate(rows, start=header_row + 1):
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        values: list = [None if column.kind in (DATE, NUMBER) else "" for column in annex_list.columns]
        for position, index in positions.items():
            cell = cells[position] if position < len(cells) else None
            column = annex_list.columns[index]
            place = (sheet.title, number, column.header)
            if column.kind == DATE:
                values[index] = _date(cell, as_of, place, notes)
            elif column.kind == NUMBER:
                values[index] = _number(cell, place, notes)
            else:
                values[index] = "" if cell is None else _text(cell)
        result.append(tuple(values))
    return result


def _text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    return str(cell).strip()


def _date(cell, as_of: datetime.date, place, notes: list[Note]) -> datetime.date | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, datetime.datetime):
        if cell.time() != datetime.time():
            notes.append(
                Note(*place, f"read {cell.isoformat()} as the date {cell.date().isoformat()} (time dropped)")
            )
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = str(cell).strip()
    try:
        if match := DMY.match(text):
            year = int(match[3])
            if len(match[3]) == 2:
                year = 2000 + year if 2000 + year <= as_of.year else 1900 + year
            day = datetime.date(year, int(match[2]), int(match[1]))
            if len(match[3]) == 2 and day > as_of:
                day = day.replace(year=day.year - 100)
            notes.append(Note(*place, f"read the text {text!r} as {day.isoformat()} (day/month/year)"))
            return day
        if match := YMD.match(text):
            day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
            notes.append(Note(*place, f"read the text {text!r} as {day.isoformat()}"))
            return day
    except ValueError:
        pass
    notes.append(Note(*place, f"{text!r} is not a date: left empty", problem=True))
    return None


def _number(cell, place, notes: list[Note]) -> int | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        notes.append(Note(*place, f"{cell!r} is not a count: left empty", problem=True))
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    text = str(cell).strip()
    if text.isdigit():
        return int(text)
    notes.append(Note(*place, f"{text!r} is not a count: left empty", problem=True))
    return None
