"""``safeguard import cin-census``: the report printed, and the exit status (0 imported, 1 refused, 2 bad input)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguard.people.models import Child as ChildRecord
from safeguard.returns.cin_census import files
from safeguard.returns.models import ImportBatch
from safeguard.returns.tests.cin import a_child, a_return, an_episode

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return stop.code, out.getvalue(), err.getvalue()
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def census(tmp_path):
    path = tmp_path / "cin-2025.xml"
    path.write_bytes(files.to_xml(a_return(a_child())))
    return path


def test_a_dry_run_then_the_import(people, census):
    status, out, err = run("cin-census", str(census), "--as", "pia", "--dry-run")
    assert status == 0 and "Dry run: checked, nothing written." in out
    assert "1 would be created" in out and "Dry run done" in err
    assert not ImportBatch.objects.exists()
    status, out, err = run("cin-census", str(census), "--as", "pia", "--team", "Child in Need South")
    assert status == 0, out
    assert "IMPORTED as batch" in out and "1 were created" in out and "Child in Need South" in out
    assert "Read 1 children" in err and "Done" in err
    assert ChildRecord.objects.filter(la_child_id="C1001").exists()
    # The same file again: refused, nothing written.
    status, out, _ = run("cin-census", str(census), "--as", "pia")
    assert status == 1 and "REFUSED" in out and "already imported" in out


def test_a_file_with_a_bad_row_exits_1(people, tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(files.to_xml(a_return(a_child(episodes=[an_episode(closure_reason="")]))))
    status, out, _ = run("cin-census", str(path), "--as", "dev")
    assert status == 1
    assert "REFUSED: nothing was imported." in out and "DfE rule 8805" in out
    assert not ImportBatch.objects.exists()


def test_bad_usage_and_unreadable_files_exit_2(people, census, tmp_path):
    assert run("cin-census", str(tmp_path / "missing.xml"), "--as", "pia")[0] == 2
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"this is not xml")
    status, _, message = run("cin-census", str(junk), "--as", "pia")
    assert status == 2 and "not a readable XML file" in message
    status, _, message = run("cin-census", str(census), "--as", "pia", "--year", "2019")
    assert status == 2 and "2018-19 is earlier" in message
    status, _, message = run("cin-census", str(census), "--as", "alice")
    assert status == 2 and "Only performance analysts and the director" in message
    status, _, message = run("cin-census", str(census), "--as", "pia", "--team", "Nowhere")
    assert status == 2 and "No team" in message


def test_ssda903_bad_usage_exits_2(people, tmp_path):
    status, _, message = run("ssda903", str(tmp_path / "nowhere"), "--year", "2026", "--as", "pia")
    assert status == 2 and "is not a folder" in message
    status, _, message = run("ssda903", str(tmp_path), "--year", "2026", "--as", "pia")
    assert status == 2 and "holds no .csv file" in message
    (tmp_path / "notes.csv").write_text("what,when\nx,y\n")
    status, _, message = run("ssda903", str(tmp_path), "--year", "2026", "--as", "pia")
    assert status == 2 and "None of the files is an SSDA903 table" in message
    status, _, message = run("ssda903", str(tmp_path), "--year", "soon", "--as", "pia")
    assert status == 2 and "is not a collection year" in message
