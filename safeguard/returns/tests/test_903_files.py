"""The SSDA903 files: the DfE's columns in the DfE's order (golden files), read back to the same rows, and
a council's messy files read with each oddity reported."""

from pathlib import Path

import pytest

from safeguard.core.years import CollectionYear
from safeguard.returns.ssda903 import files
from safeguard.returns.ssda903.model import Row, tables_for
from safeguard.returns.tests.ssda903 import a_child, a_return, episode, header, row

GOLDEN = Path(__file__).parent / "golden" / "ssda903_2024-25"


def looked_after_and_left() -> list:
    """A girl in foster care who moved once and had a review; a care leaver in the year of her 19th birthday."""
    in_care = a_child(
        "C1",
        Episodes=[
            episode("C1", DEC="03/09/2024", REC="X1", REASON_PLACE_CHANGE="CARPL"),
            episode("C1", DECOM="03/09/2024", RNE="P", PLACE="K2", PLACE_PROVIDER="PR4", URN="SC123456"),
        ],
        Reviews=[row("C1", DOB="01/05/2014", REVIEW="28/05/2024", REVIEW_CODE="PN1")],
        Missing=[row("C1", DOB="01/05/2014", MISSING="M", MIS_START="01/12/2024", MIS_END="02/12/2024")],
    )
    left = a_child(
        "C2",
        Header=[header("C2", DOB="14/07/2005", UPN="UN2")],
        Episodes=[],
        OC3=[row("C2", DOB="14/07/2005", IN_TOUCH="YES", ACTIV="F2", ACCOM="D1")],
    )
    return [in_care, left]


def test_each_table_is_written_with_the_dfe_columns_in_order():
    written = files.to_csv(a_return(*looked_after_and_left()))
    assert list(written) == list(tables_for(CollectionYear(2025)))
    for table, text in written.items():
        assert text == (GOLDEN / files.FILE_NAMES[table]).read_text(encoding="utf-8").replace("\n", "\r\n"), (
            table
        )


def test_the_tables_of_each_year():
    assert "SW_Episodes" not in tables_for(CollectionYear(2023))
    assert "SW_Episodes" in tables_for(CollectionYear(2024))
    assert "DoLo" not in tables_for(CollectionYear(2026)) and "DoLo" in tables_for(CollectionYear(2027))


def test_written_files_read_back_to_the_same_rows(tmp_path):
    the_return = a_return(*looked_after_and_left())
    files.write(the_return, tmp_path)
    read, notes = files.read_folder(tmp_path, year=the_return.year)
    assert notes == []
    assert [(child.la_child_id, {t: r for t, r in child.tables.items() if r}) for child in read.children] == [
        (child.la_child_id, {t: r for t, r in child.tables.items() if r}) for child in the_return.children
    ]


def test_messy_files_are_read_and_every_oddity_reported():
    episodes = (
        "\ufeffchild,decom,rne,ls,cin,place,place_provider,dec,rec,reason_place_change,home_post,pl_post,urn,notes\r\n"
        "C1,2024-05-01,S,C2,N1,U6,PR1,,,,NB1 2AB,NB3 4CD,,first\r\n"
        ",,,,,,,,,,,,,\r\n"
        "C1,1/9/24,P,C2,N1,K2,PR4,31/06/2025,X1,,NB1 2AB,NB3 4CD,SC123456,\r\n"
    )
    head = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC1,F,01/05/2014,WBRI,A001200116001,false,\n"
    the_return, notes = files.read(
        {
            "EPISODES 2025.csv": episodes.encode(),
            "kids.csv": head.encode(),
            "readme.csv": b"Name,Note\nx,y\n",
        },
        year=CollectionYear(2025),
    )
    child = the_return.children[0]
    assert [r["DECOM"] for r in child.episodes] == ["01/05/2024", "01/09/2024"]
    assert child.header["MOTHER"] == "0"
    said = {(note.file, note.line, note.column, note.message, note.problem) for note in notes}
    assert ("EPISODES 2025.csv", 1, "", "column headers read in upper case, without spaces", False) in said
    assert ("EPISODES 2025.csv", 1, "NOTES", "the Episodes table has no column NOTES: ignored", False) in said
    assert ("EPISODES 2025.csv", 2, "DECOM", "read '2024-05-01' as 01/05/2024", False) in said
    assert ("EPISODES 2025.csv", 4, "DECOM", "read '1/9/24' as 01/09/2024", False) in said  # a two-digit year
    assert ("EPISODES 2025.csv", 4, "DEC", "'31/06/2025' is not a date: kept as written", True) in said
    assert ("kids.csv", 2, "MOTHER", "read 'false' as 0", False) in said
    assert ("readme.csv", 1, "", "its columns match no SSDA903 table: ignored", True) in said
    assert child.episodes[1]["DEC"] == "31/06/2025"  # kept, so that rule 147 reports it


def test_two_digit_years_are_never_after_the_collection_year():
    text = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC1,F,01-05-26,WBRI,UN1,,\n"
    the_return, _notes = files.read({"h.csv": text.encode()}, year=CollectionYear(2025))
    assert the_return.children[0].header["DOB"] == "01/05/1926"


def test_a_folder_with_no_table_or_two_of_one_is_refused(tmp_path):
    with pytest.raises(files.UnreadableFiles, match="holds no .csv file"):
        files.read_folder(tmp_path, year=CollectionYear(2025))
    (tmp_path / "a.csv").write_text("Name\nx\n")
    with pytest.raises(files.UnreadableFiles, match="None of the files is an SSDA903 table"):
        files.read_folder(tmp_path, year=CollectionYear(2025))
    head = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
    (tmp_path / "h1.csv").write_text(head)
    (tmp_path / "h2.csv").write_text(head)
    with pytest.raises(files.UnreadableFiles, match="h1.csv and h2.csv are both the Header table"):
        files.read_folder(tmp_path, year=CollectionYear(2025))


def test_windows_text_is_read_and_said():
    text = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC\xe91,F,01/05/2014,WBRI,UN1,,\n".encode("cp1252")
    the_return, notes = files.read({"h.csv": text}, year=CollectionYear(2025))
    assert the_return.children[0].la_child_id == "C\xe91"
    assert any(note.message.startswith("not UTF-8") for note in notes)


def test_row_reads_dates_and_blanks():
    item = Row({"DECOM": " 01/05/2024 ", "DEC": "soon", "REC": ""})
    assert (item["DECOM"], item.date("DECOM").isoformat()) == ("01/05/2024", "2024-05-01")
    assert item.has_invalid_date("DEC") and not item.has_invalid_date("REC") and item.is_blank("URN")
