"""The Annex A workbook: a sheet a list with Ofsted's headers, real dates shown dd/mm/yyyy, a frozen header;
the cells of a small council's workbook (golden file); and read back, from our own file or a messy one."""

import datetime
import io
import json
import os
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from safeguard.returns.annex_a import build, lists, workbook
from safeguard.returns.annex_a.build import AnnexA
from safeguard.returns.tests.test_annex_a_windows import AS_OF, D, World

GOLDEN = Path(__file__).parent / "golden" / "annex_a_2026-06-30.json"


def sample() -> AnnexA:
    """An Annex A with a row in lists 1 and 8 and nothing else, made by hand."""
    annex = AnnexA(as_of=AS_OF, rows={annex_list.number: [] for annex_list in lists.LISTS})
    annex.rows[1] = [("NB1", "b) Female", "a) WBRI", D(2015, 6, 1), 11, D(2026, 1, 5), "q) 6: Police")]
    row = dict.fromkeys(lists.List8.headers(), "")
    for column in lists.List8.columns:
        if column.kind != lists.TEXT:
            row[column.header] = None
    row |= {
        "Child Unique ID": "NB2",
        "Date of Birth": D(2010, 2, 28),
        "Age of Child (Years)": 16,
        "Date Started to be Looked After": D(2024, 4, 1),
        "Child's Legal Status": "C2: Full care order",
        "Number of Placements in the Last 12 months": 0,
    }
    annex.rows[8] = [tuple(row.values())]
    return annex


def test_a_sheet_for_each_list_with_ofsteds_headers_frozen_and_wide_enough():
    book = load_workbook(io.BytesIO(workbook.write(sample())))
    assert book.sheetnames == [f"List {number}" for number in range(1, 12)]
    assert book.properties.title == "Ofsted Annex A as at 30/06/2026"
    for annex_list in lists.LISTS:
        sheet = book[annex_list.sheet()]
        assert [cell.value for cell in sheet[1]] == annex_list.headers()
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= workbook.MIN_WIDTH
    contacts = book["List 1"]
    assert contacts["F2"].value == datetime.datetime(2026, 1, 5)  # a real date, not text
    assert contacts["F2"].number_format == "dd/mm/yyyy"
    assert contacts["D2"].number_format == "dd/mm/yyyy" and contacts["E2"].value == 11
    assert book["List 11"].max_row == 1  # headers and no rows: no adopter records are held


def test_read_gives_back_what_was_written():
    annex = sample()
    again, notes = workbook.read(workbook.write(annex))
    assert notes == []
    assert again.as_of == AS_OF
    assert again.rows == annex.rows


def messy() -> bytes:
    """A council's own workbook: a title above the headers, headers in other cases and spacing, a column
    Ofsted does not ask for, dates as text, a stray sheet, and a sheet named its own way."""
    book = Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "Prepared for the inspection"
    sheet = book.create_sheet("list 1 - contacts")
    sheet.append(["Ofsted list 1"])
    sheet.append(
        [
            "child unique id",
            "GENDER",
            "Ethnicity",
            "date of  birth",
            "Age of child (years)",
            "Our ref",
            "Date of contact",
            "Contact source",
        ]
    )
    sheet.append(["NB1", "b) Female", "a) WBRI", "01/06/15", "11", "X9", "05/01/2026", "q) 6: Police"])
    sheet.append([None] * 8)
    sheet.append(
        [
            "NB3",
            "a) Male",
            "a) WBRI",
            datetime.datetime(2012, 3, 4, 10, 30),
            14,
            "",
            "31/02/2026",
            "q) 6: Police",
        ]
    )
    sheet.append(["NB4", "a) Male", "a) WBRI", "2012-03-04", "many", "", "01/07/99", "q) 6: Police"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_messy_workbook_is_read_and_says_what_it_did():
    annex, notes = workbook.read(messy(), as_of=AS_OF)
    assert annex.rows[1] == [
        ("NB1", "b) Female", "a) WBRI", D(2015, 6, 1), 11, D(2026, 1, 5), "q) 6: Police"),
        ("NB3", "a) Male", "a) WBRI", D(2012, 3, 4), 14, None, "q) 6: Police"),
        ("NB4", "a) Male", "a) WBRI", D(2012, 3, 4), None, D(1999, 7, 1), "q) 6: Police"),
    ]
    assert all(annex.rows[number] == [] for number in range(2, 12))
    said = [(note.sheet, note.row, note.column, note.message, note.problem) for note in notes]
    assert ("Notes", None, "", "ignored the sheet 'Notes', which is no Annex A list", False) in said
    assert ("list 1 - contacts", None, "", "read the sheet 'list 1 - contacts' as list 1", False) in said
    assert ("list 1 - contacts", 2, "Gender", "read the header 'GENDER' as 'Gender'", False) in said
    assert (
        "list 1 - contacts",
        2,
        "Our ref",
        "ignored the column 'Our ref', which list 1 does not have",
        False,
    ) in said
    assert (
        "list 1 - contacts",
        3,
        "Date of Birth",
        "read the text '01/06/15' as 2015-06-01 (day/month/year)",
        False,
    ) in said
    assert ("list 1 - contacts", 5, "Date of Contact", "'31/02/2026' is not a date: left empty", True) in said
    assert (
        "list 1 - contacts",
        5,
        "Date of Birth",
        "read 2012-03-04T10:30:00 as the date 2012-03-04 (time dropped)",
        False,
    ) in said
    assert ("list 1 - contacts", 6, "Age of Child (Years)", "'many' is not a count: left empty", True) in said
    # A two-digit year is in this century unless that is after the workbook's date.
    assert (
        "list 1 - contacts",
        6,
        "Date of Contact",
        "read the text '01/07/99' as 1999-07-01 (day/month/year)",
        False,
    ) in said


def test_a_file_that_is_no_workbook_or_has_no_list_is_refused():
    with pytest.raises(workbook.UnreadableWorkbook, match="not a readable Excel workbook"):
        workbook.read(b"not a workbook")
    book = Workbook()
    book.active.title = "Summary"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(workbook.UnreadableWorkbook, match="no sheet named as an Annex A list"):
        workbook.read(buffer.getvalue())


def _cells(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cells as JSON values: dates as dd/mm/yyyy, as Excel shows them."""
    book = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [
            [value.strftime("%d/%m/%Y") if isinstance(value, datetime.datetime) else value for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }


@pytest.mark.django_db
def test_a_small_councils_workbook_cell_by_cell(today_for_golden):
    """A child in each list Safeguard holds, made from the records; the cells are compared with the golden
    file (set ``UPDATE_GOLDEN=1`` to write it after a deliberate change, and read the difference)."""
    world = World()
    from safeguard.returns.tests.test_annex_a_windows import populate

    populate(world)
    cells = _cells(workbook.write(build.build(AS_OF)))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(cells, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert cells == json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert all(len(rows) > 1 for title, rows in cells.items() if title not in ("List 11",))


@pytest.fixture
def today_for_golden():
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 7, 6, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield
