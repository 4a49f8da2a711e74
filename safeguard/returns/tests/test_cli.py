"""``safeguard returns``: the CIN census written and validated from the command line, with its exit status."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguard.returns.cin_census import files
from safeguard.returns.tests.test_cin_files import every_part


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("returns", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return stop.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_census_is_written_with_its_report(city, tmp_path):
    output = tmp_path / "cin.xml"
    status, out, err = run("cin-census", "--year", "2024-25", "--output", str(output))
    assert status == 0
    the_return, notes = files.read(output.read_bytes())
    assert notes == [] and the_return.year.end_year == 2025
    assert f"2024-25 CIN census: {len(the_return.children):,} children, 0 errors" in out
    assert f"Wrote the 2024-25 CIN census ({len(the_return.children):,} children) to {output}." in out
    assert "Reading the records" in err and "Done" in err


def test_a_file_with_errors_exits_1_and_lists_them(tmp_path):
    the_return = every_part()
    the_return.children[0].episodes[0].closure_reason = "RC8"  # a closure reason with no closure date: 8810
    path = tmp_path / "theirs.xml"
    path.write_bytes(files.to_xml(the_return).replace(b"<Sex>F</Sex>", b"<Sex>f</Sex>"))
    status, out, _err = run("validate", "cin-census", str(path))
    assert status == 1
    assert "Read, line 24 <Sex>: read 'f' as 'F'" in out
    assert "2024-25 CIN census: 2 children, 2 errors" in out  # 8810, and 2990: activity after an RC8 closure
    assert "error 8810 (1): A CIN case cannot have a Reason for Closure without a CIN Closure Date" in out
    assert "    child NB00042 line " in out


def test_a_clean_file_exits_0(tmp_path):
    path = tmp_path / "clean.xml"
    path.write_bytes(files.to_xml(every_part()))
    status, out, _err = run("validate", "cin-census", str(path))
    assert status == 0, out
    assert "2024-25 CIN census: 2 children, 0 errors" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("cin-census", "--year", "2019", "--output", "x.xml"),
            "holds the DfE rules from 2022-23 on, not 2018-19",
        ),
        (("cin-census", "--year", "next", "--output", "x.xml"), "'next' is not a collection year"),
        (("validate", "cin-census", "/no/such/file.xml"), "Could not read /no/such/file.xml"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message) as refused:
        run(*args)
    assert refused.value.returncode == 2


def test_a_file_that_is_no_census_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not xml")
    with pytest.raises(CommandError, match="not a readable XML file") as refused:
        run("validate", "cin-census", str(path))
    assert refused.value.returncode == 2


@pytest.mark.django_db
def test_an_unwritable_output_is_refused(city, tmp_path):
    with pytest.raises(CommandError, match="Could not write") as refused:
        run("cin-census", "--year", "2025", "--output", str(tmp_path / "missing" / "cin.xml"))
    assert refused.value.returncode == 2
