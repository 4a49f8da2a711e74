"""The SSDA903 checks of rules 202-336 (``ssda903.checks.episodes``): for each rule, a case that passes and
one that fails, and the edges the rule has (birthdays, the first and last days of the year, the day a code
was withdrawn)."""

import pytest

from safeguard.core.years import CollectionYear
from safeguard.returns import rules
from safeguard.returns.rules import Source
from safeguard.returns.ssda903.checks import episodes as module
from safeguard.returns.tests.ssda903 import YEAR, a_child, a_return, episode, findings, header, row

LAST_YEAR = CollectionYear(2024)


def at(line: int, a_row):
    """``a_row``, marked as line ``line`` of its file, so a finding shows which row it is about."""
    a_row.source = Source(line=line)
    return a_row


def lines(code, *children, **kwargs):
    """``(child, line, detail)`` of each finding of rule ``code``."""
    return [
        (finding.la_child_id, finding.source.line if finding.source else None, finding.detail)
        for finding in findings(code, *children, **kwargs)
    ]


def fields(code, *children, **kwargs):
    return [finding.fields for finding in findings(code, *children, **kwargs)]


def with_last_year(code, this_year, last_year, *, year=YEAR):
    """Findings of ``code`` for ``this_year`` (a child), given last year's return holding ``last_year``."""
    previous = a_return(*([last_year] if last_year else []), year=CollectionYear(year.end_year - 1))
    return lines(code, this_year, year=year, previous=previous)


def child_with(*episode_rows, child="C1", **tables):
    return a_child(child, Episodes=list(episode_rows), **tables)


def test_every_rule_of_the_module_is_registered():
    registered = {
        rule.code
        for year in (CollectionYear(2023), CollectionYear(2024), YEAR, CollectionYear(2026))
        for rule, item in rules.checks_for("ssda903", year)
        if item.function.__module__ == module.__name__
    }
    assert registered == {
        "202", "203", "204", "205A", "205B", "205D", "207", "208", "209", "210", "213", "214", "215", "217",
        "217t", "222", "225", "226", "231", "232", "233", "234", "301", "302", "304", "331", "333", "334",
        "335", "336",
    }  # fmt: skip


# -- the header against last year's ---------------------------------------------------------------------------


def test_202_sex_must_match_last_year():
    this = a_child(Header=[at(1, header(SEX="F"))])
    assert with_last_year("202", this, a_child(Header=[header(SEX="F")])) == []
    assert with_last_year("202", this, a_child(Header=[header(SEX="M")])) == [
        ("C1", 1, "F this year, M last year")
    ]


def test_202_compares_the_old_codes_by_meaning():
    """2023-24 returned 1/2, 2024-25 returns M/F: a girl recorded 2 then F has not changed."""
    this = a_child(Header=[header(SEX="F")])
    assert with_last_year("202", this, a_child(Header=[header(SEX="2")])) == []
    assert len(with_last_year("202", this, a_child(Header=[header(SEX="1")]))) == 1


def test_202_says_nothing_without_last_year_or_the_child_in_it():
    this = a_child(Header=[header(SEX="F")])
    assert lines("202", this) == []
    assert with_last_year("202", this, a_child("OTHER", Header=[header("OTHER", SEX="M")])) == []
    assert with_last_year("202", this, a_child(Header=[header(SEX="")])) == []


def test_203_date_of_birth_must_match_last_year():
    this = a_child(Header=[at(1, header(DOB="01/05/2014"))])
    assert with_last_year("203", this, a_child(Header=[header(DOB="01/05/2014")])) == []
    assert with_last_year("203", this, a_child(Header=[header(DOB="02/05/2014")])) == [
        ("C1", 1, "01/05/2014 this year, 02/05/2014 last year")
    ]


def test_204_ethnicity_must_match_last_year_in_any_case():
    this = a_child(Header=[at(1, header(ETHNIC="WBRI"))])
    assert with_last_year("204", this, a_child(Header=[header(ETHNIC="wbri")])) == []
    assert with_last_year("204", this, a_child(Header=[header(ETHNIC="NOBT")])) == [
        ("C1", 1, "WBRI this year, NOBT last year")
    ]


def test_207_a_mother_stays_a_mother():
    mother_last_year = a_child(Header=[header(MOTHER="1")])
    assert with_last_year("207", a_child(Header=[header(MOTHER="1")]), mother_last_year) == []
    assert with_last_year("207", a_child(Header=[header(MOTHER="1")]), a_child(Header=[header()])) == []
    assert with_last_year("207", a_child(Header=[at(1, header(MOTHER="0"))]), mother_last_year) == [
        ("C1", 1, "0 this year, 1 last year")
    ]


def test_207_only_for_a_child_with_episodes_this_year():
    care_leaver = a_child(Header=[header(MOTHER="0")], Episodes=[])
    assert with_last_year("207", care_leaver, a_child(Header=[header(MOTHER="1")])) == []


@pytest.mark.parametrize(
    "before, now, fails",
    [
        ("A001200116001", "A001200116001", False),
        ("UN5", "A001200116001", False),  # unknown, now known
        ("", "A001200116001", False),
        ("UN1", "UN2", False),  # a more precise reason
        ("", "UN4", False),
        ("", "UN1", False),
        ("", "", False),
        ("A001200116001", "B001200116001", True),  # a different known UPN
        ("A001200116001", "UN1", True),  # known, now unknown
        ("UN4", "UN3", True),
        ("UN1", "", True),
    ],
)
def test_208_upn_must_match_last_year(before, now, fails):
    found = with_last_year("208", a_child(Header=[header(UPN=now)]), a_child(Header=[header(UPN=before)]))
    assert bool(found) == fails


# -- UASC status against last year's ----------------------------------------------------------------------------


def uasc(duc="", dob="01/05/2008", line=None):
    a_row = row(SEX="M", DOB=dob, DUC=duc)
    return at(line, a_row) if line else a_row


def test_205a_uasc_last_year_only_must_have_ceased_last_year():
    this = a_child()  # not UASC this year
    ceased_last_year = a_child(UASC=[uasc(duc="31/03/2024")])
    assert with_last_year("205A", this, ceased_last_year) == []
    assert with_last_year("205A", this, a_child(UASC=[uasc(duc="01/04/2023")])) == []
    assert with_last_year("205A", this, a_child(UASC=[uasc(duc="31/03/2023")])) == [
        ("C1", None, "last year's date UASC ceased: 31 March 2023")
    ]
    assert with_last_year("205A", this, a_child(UASC=[uasc()])) == [
        ("C1", None, "last year's date UASC ceased: no date")
    ]
    assert with_last_year("205A", a_child(UASC=[uasc()]), ceased_last_year) == []  # UASC this year: 205B
    # A care leaver only this year is not in the UASC table (rule 1014), whatever their status.
    leaver = a_child(Episodes=[], OC3=[row(IN_TOUCH="YES", ACTIV="F2", ACCOM="S1")])
    assert with_last_year("205A", leaver, a_child(UASC=[uasc()])) == []


def test_205b_uasc_both_years_has_the_18th_birthday_until_it_ceases():
    """Born 1 May 2008: 18 on 1 May 2026, after this year."""
    last_year = a_child(UASC=[uasc(duc="01/05/2026")])
    assert with_last_year("205B", a_child(UASC=[uasc(duc="01/05/2026")]), last_year) == []
    assert with_last_year("205B", a_child(UASC=[uasc(duc="31/03/2025")]), last_year) == []  # ceased this year
    assert with_last_year("205B", a_child(UASC=[uasc(duc="01/04/2025", line=3)]), last_year) == [
        ("C1", 3, "ceased 1 April 2025 this year, 1 May 2026 last year; 18th birthday 1 May 2026")
    ]
    assert len(with_last_year("205B", a_child(UASC=[uasc()]), a_child(UASC=[uasc()]))) == 1


def test_205d_uasc_this_year_must_have_been_uasc_last_year():
    this = a_child(UASC=[uasc(line=2)])
    assert with_last_year("205D", this, a_child(UASC=[uasc()])) == []
    assert with_last_year("205D", this, None) == []  # new to the return
    assert with_last_year("205D", this, a_child()) == [("C1", 2, "")]
    assert lines("205D", this) == []


# -- unique pupil numbers ---------------------------------------------------------------------------------------


def test_209_un1_not_for_a_child_of_school_age():
    """For 2024-25, a child 4 or older on 31 August 2023 (born on or before 31 August 2019)."""
    assert lines("209", a_child(Header=[header(UPN="UN1", DOB="01/09/2019")])) == []
    assert lines("209", a_child(Header=[header(UPN="UN2", DOB="31/08/2019")])) == []
    assert lines("209", a_child(Header=[at(1, header(UPN="UN1", DOB="31/08/2019"))])) == [
        ("C1", 1, "aged 4 or more on 31 August 2023")
    ]


def test_210_un4_only_for_a_child_newly_looked_after():
    def child(*starts):
        eps = [
            episode(DECOM=start, DEC=end, REC="X1") for start, end in zip(starts, starts[1:], strict=False)
        ]
        return a_child(Header=[at(1, header(UPN="UN4"))], Episodes=[*eps, episode(DECOM=starts[-1])])

    assert lines("210", child("24/03/2025")) == []  # a week exactly
    assert lines("210", child("23/03/2025")) == [("C1", 1, "looked after since 23 March 2025")]
    # a new placement on 28 March, in care since 1 March: looked after for more than a week
    assert lines("210", child("01/03/2025", "28/03/2025")) == [("C1", 1, "looked after since 1 March 2025")]
    left_care = a_child(Header=[header(UPN="UN4")], Episodes=[episode(DECOM="01/05/2024", DEC="01/06/2024")])
    assert lines("210", left_care) == []


# -- episodes: placements and their providers -------------------------------------------------------------------


def test_213_no_provider_for_a_temporary_placement():
    assert lines("213", child_with(episode(PLACE="T1", PLACE_PROVIDER=""))) == []
    assert lines("213", child_with(at(4, episode(PLACE="T1", PLACE_PROVIDER="PR1")))) == [
        ("C1", 4, "T1 from 1 May 2024")
    ]


def test_213_covers_z11_to_z14_from_2025_26():
    z12 = child_with(episode(DECOM="01/05/2025", PLACE="Z12", PLACE_PROVIDER="PR4"))
    assert lines("213", z12, year=YEAR) == []
    assert len(lines("213", z12, year=CollectionYear(2026))) == 1


def test_214_no_location_for_short_breaks():
    assert lines("214", child_with(episode(LS="V3", PL_POST="", URN=""))) == []
    assert lines("214", child_with(episode(LS="C2", PL_POST="NB3 4CD"))) == []
    assert fields("214", child_with(episode(LS="V4", PL_POST="NB3 4CD", URN=""))) == [("PL_POST",)]
    assert fields("214", child_with(episode(LS="V3", PL_POST="", URN="SC123456"))) == [("URN",)]


def test_215_care_leaver_has_no_twelve_month_items():
    leaver = row(IN_TOUCH="YES", ACTIV="F2", ACCOM="S1")
    assert lines("215", a_child(OC3=[leaver], OC2=[row(SDQ_SCORE="10")])) == []
    assert lines("215", a_child(OC3=[row()], OC2=[row(CONVICTED="0")])) == []
    child = a_child(OC3=[leaver], OC2=[at(2, row(CONVICTED="0", TEETH_CHECK="1"))])
    assert lines("215", child) == [("C1", 2, "")]
    assert fields("215", child) == [("CONVICTED", "TEETH_CHECK")]


def test_217_placed_with_foster_carers_for_reason_s_t_or_u():
    assert lines("217", child_with(episode(PLACE="A3", RNE="T"))) == []
    assert lines("217", child_with(episode(PLACE="A4", RNE="P"))) == []
    assert lines("217", child_with(episode(DECOM="31/03/2015", PLACE="A5", RNE="P"))) == []
    assert lines("217", child_with(at(1, episode(PLACE="A5", RNE="P")))) == [
        ("C1", 1, "A5 from 1 May 2024, reason P")
    ]


def test_217t_p2_ends_by_28_october_2023():
    year = CollectionYear(2024)
    ended = episode(DECOM="01/05/2023", PLACE="P2", DEC="28/10/2023", REC="E8")
    assert lines("217t", child_with(ended), year=year) == []
    late = at(1, episode(DECOM="01/05/2023", PLACE="P2", DEC="29/10/2023", REC="E8"))
    assert lines("217t", child_with(late), year=year) == [("C1", 1, "ended 29 October 2023")]
    still_open = at(1, episode(DECOM="01/05/2023", PLACE="P2"))
    assert lines("217t", child_with(still_open), year=year) == [("C1", 1, "still open")]


@pytest.mark.parametrize(
    "year, place, fails",
    [
        (2023, "H5", True),
        (2024, "H5", False),  # a URN is needed for H5 from 28 October 2023
        (2024, "P2", True),
        (2025, "R1", True),
        (2025, "Z1", True),
        (2025, "U6", False),
        (2026, "Z1", False),
        (2026, "Z13", True),
        (2026, "K3", False),
    ],
)
def test_222_no_urn_for_placements_ofsted_does_not_register(year, place, fails):
    child = child_with(episode(PLACE=place, URN="SC123456"))
    assert bool(lines("222", child, year=CollectionYear(year))) == fails


def test_222_allows_the_no_urn_code():
    assert lines("222", child_with(episode(PLACE="R1", URN="XXXXXXX"))) == []


# -- episodes: reasons for a placement change -------------------------------------------------------------------


def change(first_place="U6", next_place="U4", next_reason="P", reason=""):
    return child_with(
        at(1, episode(PLACE=first_place, DEC="01/07/2024", REC="X1", REASON_PLACE_CHANGE=reason)),
        at(2, episode(DECOM="01/07/2024", RNE=next_reason, PLACE=next_place)),
    )


def test_225_a_change_of_placement_has_a_reason():
    assert lines("225", change(reason="CARPL")) == []
    assert lines("225", change(next_reason="L")) == []  # legal status only
    assert lines("225", change(next_place="T2")) == []
    assert lines("225", change(first_place="T2")) == []
    assert lines("225", change()) == [("C1", 1, "U6 from 1 May 2024, then U4 from 1 July 2024")]


def test_226_no_reason_for_a_temporary_placement():
    assert lines("226", change(next_place="T3")) == []
    assert lines("226", change(next_place="T3", reason="CARPL")) == [("C1", 1, "then T3 from 1 July 2024")]
    temporary = child_with(
        at(1, episode(PLACE="T1", DEC="01/07/2024", REC="E8", REASON_PLACE_CHANGE="CHILD"))
    )
    assert lines("226", temporary) == [("C1", 1, "T1 from 1 May 2024")]
    assert lines("226", change(reason="CARPL")) == []


def test_226_in_its_2025_26_wording():
    year = CollectionYear(2026)
    moved = child_with(
        at(1, episode(DECOM="01/05/2025", DEC="01/07/2025", REC="X1", REASON_PLACE_CHANGE="CARPL")),
        episode(DECOM="01/07/2025", RNE="P", PLACE="T0"),
    )
    assert lines("226", moved, year=year) == [("C1", 1, "then T0 from 1 July 2025")]


def test_233_no_reason_while_the_episode_is_open():
    year = CollectionYear(2026)
    assert lines("233", child_with(episode(DECOM="01/05/2025")), year=year) == []
    closed = episode(DECOM="01/05/2025", DEC="01/07/2025", REC="X1", REASON_PLACE_CHANGE="CARPL")
    assert lines("233", child_with(closed), year=year) == []
    still_open = at(1, episode(DECOM="01/05/2025", REASON_PLACE_CHANGE="CARPL"))
    assert lines("233", child_with(still_open), year=year) == [("C1", 1, "")]


def test_234_no_custody_before_the_10th_birthday():
    """Born 1 May 2015: 10 on 1 May 2025."""
    year = CollectionYear(2026)

    def moved_on(day):
        return a_child(
            Header=[header(DOB="01/05/2015")],
            Episodes=[
                at(1, episode(DECOM="01/04/2025", DEC=day, REC="X1", REASON_PLACE_CHANGE="CUSTOD")),
                episode(DECOM=day, RNE="P", PLACE="R5"),
            ],
        )

    assert lines("234", moved_on("01/05/2025"), year=year) == []
    assert lines("234", moved_on("30/04/2025"), year=year) == [
        ("C1", 1, "changed 30 April 2025; 10th birthday 1 May 2025")
    ]


# -- UASC, sex and the date of birth ---------------------------------------------------------------------------


def test_231_uasc_under_11_is_queried():
    """At 31 March 2025: 11 if born on or before 31 March 2014."""
    assert lines("231", a_child(Header=[header(DOB="31/03/2014")], UASC=[uasc()])) == []
    assert lines("231", a_child(Header=[header(DOB="01/04/2014")])) == []  # not UASC
    young = a_child(Header=[at(1, header(DOB="01/04/2014"))], UASC=[uasc()])
    assert lines("231", young) == [("C1", 1, "born 1 April 2014")]


def test_232_sex_unknown():
    assert lines("232", a_child(Header=[header(SEX="F")])) == []
    assert lines("232", a_child(Header=[at(1, header(SEX="U"))])) == [("C1", 1, "")]


def test_301_born_by_the_end_of_the_year():
    assert lines("301", a_child(Header=[header(DOB="31/03/2025")])) == []
    assert lines("301", a_child(Header=[at(1, header(DOB="01/04/2025"))])) == [("C1", 1, "born 1 April 2025")]


def test_302_first_episode_not_before_birth():
    born = [header(DOB="02/05/2024")]
    assert lines("302", a_child(Header=[header(DOB="01/05/2024")])) == []
    assert lines("302", a_child(Header=born, Episodes=[at(1, episode())])) == [
        ("C1", 1, "started 1 May 2024, born 2 May 2024")
    ]


def test_304_uasc_ceases_by_the_18th_birthday():
    assert lines("304", a_child(UASC=[uasc(duc="01/05/2026")])) == []
    assert lines("304", a_child(UASC=[uasc()])) == []
    assert lines("304", a_child(UASC=[uasc(duc="02/05/2026", line=1)])) == [
        ("C1", 1, "ceased 2 May 2026, 18th birthday 1 May 2026")
    ]


# -- adoption ----------------------------------------------------------------------------------------------------


def adopted(*, decom="01/06/2024", place="A6", **ad1):
    return a_child(
        Episodes=[episode(DECOM=decom, PLACE=place, DEC="01/12/2024", REC="E11")],
        AD1=[at(9, row(**{"DATE_INT": "01/03/2024", "DATE_MATCH": "01/05/2024", "FOSTER_CARE": "0", **ad1}))],
    )


def test_331_matched_by_the_day_placed():
    assert lines("331", adopted(DATE_MATCH="01/06/2024")) == []
    assert lines("331", adopted(DATE_MATCH="02/06/2024")) == [
        ("C1", 9, "matched 2 June 2024, placed 1 June 2024")
    ]


def test_333_decided_by_the_day_matched():
    assert lines("333", adopted(DATE_INT="01/05/2024")) == []
    assert lines("333", adopted(DATE_INT="", DATE_MATCH="")) == []
    assert lines("333", adopted(DATE_INT="02/05/2024")) == [
        ("C1", 9, "decided 2 May 2024, matched 1 May 2024")
    ]
    assert lines("333", adopted(DATE_INT="")) == [("C1", 9, "decided no date, matched 1 May 2024")]


def test_334_decided_after_starting_to_be_looked_after():
    def child(decided):
        return a_child(
            Episodes=[
                episode(DECOM="01/02/2024", DEC="01/06/2024", REC="X1"),
                episode(DECOM="01/06/2024", RNE="P"),
            ],
            AD1=[at(9, row(DATE_INT=decided))],
        )

    assert lines("334", child("01/02/2024")) == []
    assert lines("334", child("31/01/2024")) == [
        ("C1", 9, "decided 31 January 2024, looked after from 1 February 2024")
    ]


def test_335_adopted_by_foster_carers_agrees_with_the_placement():
    assert lines("335", adopted(place="A6", FOSTER_CARE="0")) == []
    assert lines("335", adopted(place="A5", FOSTER_CARE="1")) == []
    assert lines("335", adopted(place="A5", FOSTER_CARE="0")) == [("C1", 9, "FOSTER_CARE 0, placement A5")]
    assert lines("335", adopted(place="A4", FOSTER_CARE="1")) == [("C1", 9, "FOSTER_CARE 1, placement A4")]


def test_336_placed_with_foster_carers_from_foster_care():
    def placed(before, after="A5"):
        return child_with(
            episode(PLACE=before, DEC="01/07/2024", REC="X1"),
            at(2, episode(DECOM="01/07/2024", RNE="T", LS="E1", PLACE=after)),
        )

    assert lines("336", placed("U3")) == []
    assert lines("336", placed("K2", after="A4")) == []  # not with current foster carers
    assert lines("336", child_with(episode(PLACE="A5"))) == []  # no episode before
    assert lines("336", placed("K2")) == [("C1", 2, "A5 from 1 July 2024, after K2 from 1 May 2024")]
