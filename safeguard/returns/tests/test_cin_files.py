"""The CIN census file: written in the DfE's layout (golden file), read back to the same facts, and read
from messy real files with each oddity reported."""

import datetime
from pathlib import Path

import pytest

from safeguard.core.years import CollectionYear
from safeguard.returns.cin_census import files
from safeguard.returns.cin_census.model import (
    Assessment,
    Child,
    CinPlan,
    CinReturn,
    CPPlan,
    Episode,
    Header,
    Section47,
)
from safeguard.returns.tests.cin import YEAR, upn

GOLDEN = Path(__file__).parent / "golden"
D = datetime.date


def every_part(year: CollectionYear = YEAR) -> CinReturn:
    """A return with one of everything the census has: a child on a plan after an enquiry, and an unborn
    child referred with no further action."""
    header = Header(
        year=year,
        reference_date=year.reference_date,
        lea="001",
        release="0.1.0",
        generated_at=datetime.datetime(2025, 5, 6, 14, 30, 5),
    )
    protected = Child(
        la_child_id="NB00042",
        upn=upn("001", 42),
        former_upn="",
        birth_date=D(2016, 2, 29),
        sex="F" if year.end_year >= 2025 else "2",
        ethnicity="MWBC",
        disabilities=["COMM", "LD"],
        episodes=[
            Episode(
                referral_date=D(2024, 5, 13),
                referral_source="6",
                primary_need="N1",
                referral_nfa=False,
                assessments=[
                    Assessment(start=D(2024, 5, 14), authorised=D(2024, 6, 28), factors=["3A", "4B"])
                ],
                cin_plans=[CinPlan(start=D(2024, 7, 1), end=D(2024, 9, 2))],
                s47s=[
                    Section47(
                        start=D(2024, 8, 28),
                        icpc_target=D(2024, 9, 18),
                        icpc_date=D(2024, 9, 3),
                        icpc_not_required=False,
                    )
                ],
                cp_plans=[
                    CPPlan(
                        start=D(2024, 9, 3),
                        initial_category="NEG",
                        latest_category="EMO",
                        previous_plans=0,
                        reviews=[D(2024, 11, 26), D(2025, 3, 4)],
                    )
                ],
            )
        ],
    )
    unborn = Child(
        la_child_id="NB00077",
        upn_unknown="UN1",
        expected_birth_date=D(2025, 5, 20),
        sex="U" if year.end_year >= 2025 else "0",
        ethnicity="NOBT",
        disabilities=["NONE"],
        episodes=[
            Episode(
                referral_date=D(2025, 1, 8),
                referral_source="3B",
                closure_date=D(2025, 1, 8),
                closure_reason="RC8",
                referral_nfa=True,
            )
        ],
    )
    return CinReturn(header=header, children=[protected, unborn])


@pytest.mark.parametrize(
    ("year", "golden"), [(2025, "cin_census_2024-25.xml"), (2024, "cin_census_2023-24.xml")]
)
def test_the_file_is_written_in_the_dfe_layout(year, golden):
    """Element names and order, no namespace, dates as YYYY-MM-DD, yes/no as 1/0, Sex from 2024-25 and
    GenderCurrent before, nothing written for an empty item."""
    written = files.to_xml(every_part(CollectionYear(year)))
    assert written.decode() == (GOLDEN / golden).read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2025, 2024])
def test_a_written_file_reads_back_to_the_same_facts(year):
    the_return = every_part(CollectionYear(year))
    read, notes = files.read(files.to_xml(the_return))
    assert notes == []
    assert read.children == the_return.children
    assert read.year == the_return.year
    assert (read.header.lea, read.header.reference_date) == ("001", the_return.header.reference_date)


MESSY = """<?xml version="1.0" encoding="UTF-8"?>
<Message xmlns="http://www.example.org/cin">
  <Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
    <ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
    <Source><LEA>001</LEA></Source></Header>
  <Children>
    <Child>
      exported by OldSystem v2
      <ChildIdentifiers>
        <LAchildID> NB1 </LAchildID>
        <PersonBirthDate>01/02/19</PersonBirthDate>
        <Sex>f</Sex>
        <Nickname>Bee</Nickname>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-06-31</CINreferralDate>
        <ReferralSource>2A</ReferralSource>
        <ReferralNFA>false</ReferralNFA>
        <Section47><S47ActualStartDate>2024-07-01T00:00:00</S47ActualStartDate><ICPCnotRequired>TRUE</ICPCnotRequired></Section47>
        <Flag>x</Flag>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def test_a_messy_file_is_read_and_every_oddity_reported():
    the_return, notes = files.read(MESSY.encode())
    child = the_return.children[0]
    assert child.la_child_id == "NB1"
    assert child.birth_date == D(2019, 2, 1)  # day/month/two-digit year, in this century
    assert child.sex == "F"
    episode = child.episodes[0]
    assert episode.referral_date is None  # 31 June is no date
    assert episode.referral_nfa is False
    assert episode.s47s[0].start == D(2024, 7, 1)
    assert episode.s47s[0].icpc_not_required is True
    said = [(note.element, note.message, note.problem) for note in notes]
    assert (
        "Message",
        "the file declares the namespace 'http://www.example.org/cin': read as if it had none",
        False,
    ) in said
    assert ("Child", "ignored the stray text 'exported by OldSystem v2' inside <Child>", False) in said
    assert ("PersonBirthDate", "read '01/02/19' as 2019-02-01 (day/month/year)", False) in said
    assert ("Sex", "read 'f' as 'F'", False) in said
    assert (
        "Nickname",
        "ignored <Nickname>, which the CIN census does not have",
        False,
    ) not in said  # not a child part
    assert ("CINreferralDate", "'2024-06-31' is not a date: left empty", True) in said
    assert ("ReferralNFA", "read 'false' as 0 (no)", False) in said
    assert (
        "S47ActualStartDate",
        "read '2024-07-01T00:00:00' as the date 2024-07-01 (time dropped)",
        False,
    ) in said
    assert ("ICPCnotRequired", "read 'TRUE' as 1 (yes)", False) in said
    assert ("Flag", "ignored <Flag>, which the CIN census does not have", False) in said
    assert all(note.line for note in notes)


def test_a_two_digit_year_is_never_after_the_collection_year():
    text = MESSY.replace("01/02/19", "01/02/26")
    child = files.read(text.encode())[0].children[0]
    assert child.birth_date == D(1926, 2, 1)  # 2026 would be after March 2025: the last century


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Name,Date\nA,1", "not a readable XML file"),
        (b"<Message><Header/></Message>", "not a CIN census"),
        (b"<Message><Children/></Message>", "does not say its collection year"),
    ],
)
def test_a_file_that_is_no_census_is_refused(data, message):
    with pytest.raises(files.UnreadableFile, match=message):
        files.read(data)


def test_a_file_of_another_year_than_asked_is_refused():
    with pytest.raises(files.UnreadableFile, match="is the 2024-25 census, not 2025-26's"):
        files.read(files.to_xml(every_part()), year=CollectionYear(2026))


def test_gender_current_in_a_sex_year_is_reported_not_guessed():
    text = MESSY.replace("<Sex>f</Sex>", "<GenderCurrent>2</GenderCurrent>")
    the_return, notes = files.read(text.encode())
    assert the_return.children[0].sex == ""
    assert any(note.problem and "has Sex, not GenderCurrent" in note.message for note in notes)


def test_an_entity_is_not_expanded():
    """A file may come from anywhere: no external entity is resolved (XXE)."""
    data = b"""<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Message><Header><CollectionDetails><Year>2025</Year></CollectionDetails></Header>
<Children><Child><ChildIdentifiers><LAchildID>&x;</LAchildID></ChildIdentifiers></Child></Children></Message>"""
    the_return, _notes = files.read(data)
    assert "root:" not in the_return.children[0].la_child_id
