"""Importing a council's SSDA903 files (ADR 12): the city's return out, in, and out again; children matched
through the CIN census import's IDs; all or nothing."""

import pytest

from safeguard.core.years import CollectionYear
from safeguard.lookedafter.models import LacEpisode, PeriodOfCare
from safeguard.people.models import Child as ChildRecord
from safeguard.returns.cin_census import files as cin_files
from safeguard.returns.cin_census.build import build as cin_build
from safeguard.returns.imports.cin_census import import_cin_census
from safeguard.returns.imports.ssda903 import IMPORTED_TABLES, import_ssda903
from safeguard.returns.ssda903 import files
from safeguard.returns.ssda903.build import build
from safeguard.returns.ssda903.validate import validate
from safeguard.returns.tests.conftest import TODAY
from tests.synthetic import synthetic_city

pytestmark = pytest.mark.django_db
YEAR = CollectionYear(2026)
DERIVED = {"HEALTH_CHECK", "TEETH_CHECK", "HEALTH_ASSESSMENT"}  # from health assessments: not in the return


@pytest.fixture(scope="module")
def city_files(django_db_setup, django_db_blocker):
    with (
        synthetic_city(django_db_blocker, seed=5, children=2000, years=3, today=TODAY),
        django_db_blocker.unblock(),
    ):
        the_return = build(YEAR, with_previous=False)
        # A child the DfE rules find an error in would be refused; the synthetic city has none.
        assert validate(the_return).errors == []
        texts = files.to_csv(the_return)
        census = cin_files.to_xml(cin_build(YEAR))
    return {files.FILE_NAMES[table]: text.encode() for table, text in texts.items()}, census


def facts(the_return):
    out = {}
    for child in the_return.children:
        tables = {}
        for table, rows in child.tables.items():
            if table not in IMPORTED_TABLES or not rows:
                continue
            values = [{k: v for k, v in row.values.items() if k not in DERIVED} for row in rows]
            tables[table] = sorted(values, key=lambda v: sorted(v.items()))
        out[child.la_child_id] = tables
    return out


def test_the_citys_ssda903_comes_out_as_it_went_in(city_files, people):
    city_files, _ = city_files
    original, _ = files.read(city_files, year=YEAR)
    assert len(original.children) > 20
    report = import_ssda903(
        data=city_files, name="northbridge-903", imported_by=people.analyst.user, year=YEAR
    )
    assert report.imported, "\n".join(report.lines()[:60])
    again = build(YEAR, with_previous=False)
    ids = {child.la_child_id for child in original.children}
    exported = [child for child in again.children if child.la_child_id in ids]
    assert facts(type(again)(year=YEAR, la_code="", children=exported)) == facts(original)

    assert report.count("created") == len(original.children)
    present = {table for child in original.children for table, rows in child.tables.items() if rows}
    assert {
        "Episodes",
        "Header",
        "Missing",
        "OC2",
        "PrevPerm",
        "Reviews",
        "UASC",
        "PlacedAdoption",
        "AD1",
    } <= present
    assert report.created["adoptions"] >= 1
    assert report.created["looked-after episodes"] == sum(len(c.rows("Episodes")) for c in original.children)


def test_after_the_census_the_ssda903_finds_the_same_children(city_files, people):
    csv_files, census = city_files
    first = import_cin_census(data=census, file_name="cin.xml", imported_by=people.analyst.user)
    assert first.imported
    in_census = {child.la_child_id for child in first.children}
    report = import_ssda903(data=csv_files, imported_by=people.analyst.user, year=YEAR)
    assert report.imported, "\n".join(report.lines()[:60])
    both = [child for child in report.children if child.la_child_id in in_census]
    assert both, "the city has children in both returns"
    assert all(child.outcome == "matched" for child in both)
    assert all(child.how == "by the local child ID an earlier import recorded" for child in both)
    assert ChildRecord.objects.filter(
        la_child_id__in=[c.la_child_id for c in report.children]
    ).count() == len(report.children)
    # A second import of the same facts (another file name, so other bytes) duplicates nothing.
    renamed = {f"old-{name}": data for name, data in csv_files.items()}
    counts = (PeriodOfCare.objects.count(), LacEpisode.objects.count())
    again = import_ssda903(data=renamed, imported_by=people.director.user, year=YEAR)
    assert again.imported and sum(again.created.values()) == 0, "\n".join(again.lines()[:20])
    assert (PeriodOfCare.objects.count(), LacEpisode.objects.count()) == counts
    # The very same files: refused.
    assert import_ssda903(data=csv_files, imported_by=people.analyst.user, year=YEAR).refused


def _rewrite(data: bytes, change) -> bytes:
    lines = data.decode().split("\r\n")
    return "\r\n".join(change(number, line) for number, line in enumerate(lines)).encode()


def test_messy_files_are_imported_with_what_was_done_noted(city_files, people):
    csv_files, _ = city_files
    messy = dict(csv_files)
    # Lower-case headers with a byte order mark, ISO dates, and a file that is not a table at all.
    messy["header.csv"] = b"\xef\xbb\xbf" + _rewrite(
        csv_files["header.csv"], lambda n, line: line.lower() if n == 0 else line
    )

    def iso(number, line):
        if number == 0 or not line:
            return line
        cells = line.split(",")
        day, month, year = cells[1].split("/")
        cells[1] = f"{year}-{month}-{day}"
        return ",".join(cells)

    messy["episodes.csv"] = _rewrite(csv_files["episodes.csv"], iso)
    report = import_ssda903(data=messy, imported_by=people.analyst.user, year=YEAR)
    assert report.imported, "\n".join(report.lines()[:40])
    said = "\n".join(str(note) for note in report.notes)
    assert "header.csv, line 1: column headers read in upper case" in said
    assert any("read '20" in note.message for note in report.notes)
    junk = dict(csv_files) | {"notes.csv": b"what,when\nx,y\n"}
    refused = import_ssda903(data=junk, imported_by=people.analyst.user, year=YEAR, dry_run=True)
    assert refused.refused and any("notes.csv" in problem for problem in refused.problems)


def test_one_bad_row_imports_nothing_and_is_named(city_files, people):
    csv_files, _ = city_files
    bad = dict(csv_files)
    bad["episodes.csv"] = _rewrite(
        csv_files["episodes.csv"],
        lambda n, line: (
            ",".join(cell if i != 3 else "ZZ" for i, cell in enumerate(line.split(","))) if n == 1 else line
        ),
    )
    before = (ChildRecord.objects.count(), LacEpisode.objects.count())
    report = import_ssda903(data=bad, imported_by=people.analyst.user, year=YEAR)
    assert report.refused and not report.imported
    [rejected] = report.rejected
    assert any("episodes.csv, line 2" in reason for reason in rejected.reasons), rejected.reasons
    assert (ChildRecord.objects.count(), LacEpisode.objects.count()) == before
    assert "REFUSED" in "\n".join(report.lines())


def test_the_command_imports_a_folder(city_files, people, tmp_path):
    import io

    from django.core.management import call_command

    csv_files, _ = city_files
    for name, data in csv_files.items():
        (tmp_path / name).write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "ssda903", str(tmp_path), "--year", "2026", "--as", "pia", stdout=out, stderr=err)
    assert "IMPORTED as batch" in out.getvalue() and "Done" in err.getvalue()
    with pytest.raises(SystemExit) as stop:
        call_command(
            "import", "ssda903", str(tmp_path), "--year", "2026", "--as", "pia", stdout=out, stderr=err
        )
    assert stop.value.code == 1


def test_a_care_leaver_comes_out_as_it_went_in(people):
    """OC3 (none in the small city's year): a 19-year-old care leaver, in touch, in education, housed."""
    year = CollectionYear(2025)
    data = {
        "header.csv": b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nCL9,M,01/09/2005,WBRI,UN5,,\r\n",
        "oc3.csv": b"CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\r\nCL9,01/09/2005,YES,F2,B1\r\n",
    }
    original, _ = files.read(data, year=year)
    report = import_ssda903(data=data, imported_by=people.analyst.user, year=year)
    assert report.imported, "\n".join(report.lines()[:30])
    assert report.created["care leavers"] == 1
    [child] = [c for c in build(year, with_previous=False).children if c.la_child_id == "CL9"]
    assert [row.values for row in child.rows("OC3")] == [
        row.values for row in original.children[0].rows("OC3")
    ]
    assert child.header.values == original.children[0].header.values


def test_an_adoption_comes_out_as_it_went_in(people):
    year = CollectionYear(2025)
    data = {
        "header.csv": b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nAD7,M,01/03/2020,WBRI,UN1,,\r\n",
        "episodes.csv": (
            b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n"
            b"AD7,01/05/2023,S,C2,N1,U4,PR1,10/06/2024,X1,CARPL,LS1 1AA,LS1 2BB,\r\n"
            b"AD7,10/06/2024,B,E1,N1,A4,PR1,20/01/2025,E11,,LS1 1AA,LS2 2BB,\r\n"
        ),
        "placed_for_adoption.csv": b"CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\r\n"
        b"AD7,01/03/2020,01/02/2024,,\r\n",
        "ad1.csv": b"CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\r\n"
        b"AD7,01/03/2020,01/02/2024,01/05/2024,0,1,F1,L0\r\n",
    }
    original, _ = files.read(data, year=year)
    report = import_ssda903(data=data, imported_by=people.analyst.user, year=year)
    assert report.imported, "\n".join(report.lines()[:30])
    assert report.created["adoptions"] == 1 and report.created["periods of care"] == 1
    [child] = [c for c in build(year, with_previous=False).children if c.la_child_id == "AD7"]
    for table in ("Header", "Episodes", "PlacedAdoption", "AD1"):
        assert [row.values for row in child.rows(table)] == [
            r.values for r in original.children[0].rows(table)
        ]


def test_a_deprivation_of_liberty_order_comes_out_as_it_went_in(people):
    """DoLo (from 2026-27): an order in a children's home placement, ended in the year, and one still open."""
    year = CollectionYear(2027)
    data = {
        "header.csv": b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nDL3,M,01/09/2011,WBRI,UN5,,\r\n",
        "episodes.csv": (
            b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n"
            b"DL3,01/05/2026,S,C2,N1,K2,PR4,,,,LS1 1AA,LS2 2BB,SC123456\r\n"
        ),
        "previous_permanence.csv": b"CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM\r\nDL3,01/09/2011,Z1,,\r\n",
        "social_worker_episodes.csv": b"CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\r\n"
        b"DL3,01/09/2011,SW0123456,01/05/2026,,FCONTA\r\n",
        "deprivation_of_liberty.csv": b"CHILD,DOB,DOLO_START,DOLO_END\r\nDL3,01/09/2011,10/05/2026,10/07/2026\r\n"
        b"DL3,01/09/2011,01/09/2026,\r\n",
    }
    original, _ = files.read(data, year=year)
    assert original.children[0].rows("DoLo"), "the reader recognises the DoLo file"
    report = import_ssda903(data=data, imported_by=people.analyst.user, year=year)
    assert report.imported, "\n".join(report.lines()[:30])
    assert report.created["deprivation of liberty orders"] == 2
    [child] = [c for c in build(year, with_previous=False).children if c.la_child_id == "DL3"]
    assert [row.values for row in child.rows("DoLo")] == [r.values for r in original.children[0].rows("DoLo")]
