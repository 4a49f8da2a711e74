"""The legal exposure register as files for the council's risk register and legal team: CSV and xlsx.

Both hold the same rows and columns as the page's breach list (one row per breach, oldest due first). The
workbook adds the summaries (by duty, area, team and month) and a sheet saying what it is: who exported it,
when, with which filters, and how "days late" is counted, because a spreadsheet travels without its page.

Text is made inert where a spreadsheet would run it: in the CSV a leading ``=``, ``+``, ``-``, ``@``, tab or
carriage return is escaped with an apostrophe (OWASP, "CSV injection"); in the workbook every text cell is
written as a string cell, which a spreadsheet never evaluates, so the text stays exactly as recorded.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from safeguard.compliance.models import Deadline, DeadlineStatus, first_day_late
from safeguard.compliance.register import Summary
from safeguard.core.spreadsheets import csv_cell

# (header, column width in the workbook)
COLUMNS = [
    ("Duty code", 28),
    ("Duty", 40),
    ("Citation", 40),
    ("Child ID", 14),
    ("Child name", 24),
    ("Area", 14),
    ("Team", 28),
    ("Due on", 12),
    ("Breached on", 12),
    ("Status", 10),
    ("Closed on", 12),
    ("Days late", 10),
    ("Met later", 10),
    ("Delay reason", 60),
]
CSV_COLUMNS = [header for header, _ in COLUMNS]
DATE_FORMAT = "dd/mm/yyyy"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# In place of a child the reader may no longer open (compliance.register.breaches: ``child_named``).
HELD_ELSEWHERE = "A child now held by another team"


def breach_values(row: Deadline, today: datetime.date) -> tuple:
    """One breach's cells, typed: dates as dates and days late as a number."""
    return (
        row.duty_id,
        row.duty.name,
        row.duty.citation,
        row.child.la_child_id if row.child_named else "",
        row.child.person.full_name if row.child_named else HELD_ELSEWHERE,
        row.area.name if row.area else "",
        row.team.name if row.team else "",
        row.due_on,
        row.breached_on or first_day_late(row.due_on),
        row.get_status_display(),
        row.closed_on,
        row.days_overdue(today),
        "yes" if row.status == DeadlineStatus.MET else "no",
        row.delay_reason,
    )


class _Echo:
    """A file that hands back what is written to it, for streaming ``csv.writer`` rows."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Deadline], today: datetime.date) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in breach_values(row, today)])


def _cells(sheet, values: Iterable, bold: bool = False) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # never a formula, whatever it starts with
        else:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _sheet(book: Workbook, title: str, header: list[str], widths: list[int]):
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_cells(sheet, header, bold=True))
    return sheet


def workbook(
    rows: Iterable[Deadline],
    figures: Summary,
    *,
    today: datetime.date,
    exported_by: str,
    filters: str,
) -> bytes:
    """The register as an xlsx workbook: About, Breaches (one row each) and Summary sheets."""
    book = Workbook(write_only=True)
    about = _sheet(book, "About", ["Legal exposure register", ""], [28, 90])
    for label, value in (
        ("Exported on", today),
        ("Exported by", exported_by),
        ("Filters", filters or "none: every breach you oversee"),
        ("Breaches", figures.total),
        ("Children affected", figures.children),
        ("Still open", figures.still_open),
        ("Met later", figures.met_later),
        (
            "What is a breach",
            "A statutory duty not met by the day it fell due: met or ended late, or still open past its day.",
        ),
        (
            "Days late",
            f"Calendar days from the day it fell due to the day it closed, or to {today:%d/%m/%Y} while open.",
        ),
    ):
        about.append(_cells(about, [label, value]))

    breaches = _sheet(book, "Breaches", CSV_COLUMNS, [width for _, width in COLUMNS])
    for row in rows:
        breaches.append(_cells(breaches, breach_values(row, today)))

    summary = _sheet(book, "Summary", ["Grouping", "Name", "Statutory source", "Breaches"], [16, 40, 40, 10])
    for duty in figures.by_duty:
        summary.append(_cells(summary, ["Duty", duty["name"], duty["citation"], duty["count"]]))
    for area in figures.by_area:
        summary.append(_cells(summary, ["Area", area["name"], "", area["count"]]))
    for team in figures.by_team:
        summary.append(_cells(summary, ["Team", team["name"], "", team["count"]]))
    for month in figures.by_month:
        summary.append(_cells(summary, ["Month due", month["month"].strftime("%B %Y"), "", month["count"]]))

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
