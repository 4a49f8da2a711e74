"""The SSDA903 checks of legal statuses, placements and ages (``ssda903.checks.statuses``, rules 344-393): for
each rule, a case that passes and one that fails, and the edges the rule has (birthdays, the first and last
days of the collection year, the days a legal status or placement may last)."""

import datetime

import pytest

from safeguard.core.years import CollectionYear
from safeguard.returns import rules
from safeguard.returns.rules import Source
from safeguard.returns.ssda903.checks import statuses
from safeguard.returns.ssda903.model import date_text
from safeguard.returns.tests.ssda903 import YEAR, a_child, a_return, episode, findings, header, row

YEAR_2023 = CollectionYear(2023)  # 1 April 2022 to 31 March 2023
YEAR_2024 = CollectionYear(2024)
YEAR_2026 = CollectionYear(2026)  # 1 April 2025 to 31 March 2026

CODES = sorted(
    {
        rule.code
        for year in (YEAR_2023, YEAR, YEAR_2026)
        for rule, registered in rules.checks_for("ssda903", year)
        if registered.function.__module__ == statuses.__name__
    }
)


def ep(line: int, **values):
    """An episode (``episode``'s defaults: from 1 May 2024, open, C2 in U6) read from line ``line``."""
    record = episode("C1", **values)
    record.source = Source(line=line)
    return record


def oc3(line: int = 1, **values):
    """A care leaver's OC3 row: 19 during 2024-25, in touch, in full-time education, with parents."""
    defaults = {"DOB": "01/06/2005", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "B1"}
    record = row("C1", **{**defaults, **values})
    record.source = Source(line=line)
    return record


def child(*episodes, oc3_rows=None, uasc=None, **header_values):
    """Child C1 (a girl born 1 May 2014 unless ``header_values`` say otherwise) with ``episodes``."""
    tables = {"Header": [header("C1", **header_values)]}
    tables["Episodes"] = list(episodes) if episodes else [ep(1)]
    if oc3_rows is not None:
        tables["OC3"] = oc3_rows
    if uasc is not None:
        tables["UASC"] = uasc
    return a_child("C1", **tables)


def lines(code, *children, year=YEAR, previous=None):
    """The source line of each finding of rule ``code``."""
    return [finding.source.line for finding in findings(code, *children, year=year, previous=previous)]


def found(code, *children, year=YEAR, previous=None):
    """``(line, fields, detail)`` of each finding of rule ``code``."""
    return [
        (finding.source.line, finding.fields, finding.detail)
        for finding in findings(code, *children, year=year, previous=previous)
    ]


def test_every_rule_of_the_range_but_392a_is_checked():
    assert len(CODES) == 46
    assert "392a" not in CODES
    assert [rule.code for rule in rules.unchecked("ssda903", YEAR) if rule.code.startswith("392")] == ["392a"]


@pytest.mark.parametrize("code", [code for code in CODES if code in rules.rules_for("ssda903", YEAR)])
def test_the_ordinary_child_passes_every_rule(code):
    assert findings(code, child(oc3_rows=[oc3()])) == []


# -- care leavers (OC3) -------------------------------------------------------------------------------------


def test_344_activity_recorded_though_died_or_returned_home():
    assert lines("344", child(oc3_rows=[oc3(IN_TOUCH="DIED", ACTIV="0", ACCOM="0")])) == []
    assert lines("344", child(oc3_rows=[oc3(IN_TOUCH="RHOM", ACTIV="", ACCOM="")])) == []
    assert found("344", child(oc3_rows=[oc3(2, IN_TOUCH="DIED", ACTIV="F2", ACCOM="0")])) == [
        (2, ("IN_TOUCH", "ACTIV"), "")
    ]
    assert found("344", child(oc3_rows=[oc3(3, IN_TOUCH="RHOM", ACTIV="0", ACCOM="B1")])) == [
        (3, ("IN_TOUCH", "ACCOM"), "")
    ]


def test_345_in_touch_but_activity_or_accommodation_zero():
    assert lines("345", child(oc3_rows=[oc3()])) == []
    assert lines("345", child(oc3_rows=[oc3(IN_TOUCH="NO", ACTIV="0", ACCOM="0")])) == []
    assert found("345", child(oc3_rows=[oc3(4, ACTIV="0", ACCOM="0")])) == [
        (4, ("IN_TOUCH", "ACTIV", "ACCOM"), "")
    ]


def test_347_foyer_under_18_at_the_start_of_the_year():
    # 18 on 1 April 2024, the first day of 2024-25: a foyer is allowed.
    assert lines("347", child(oc3_rows=[oc3(DOB="01/04/2006", ACCOM="T1")])) == []
    assert lines("347", child(oc3_rows=[oc3(DOB="02/04/2006", ACCOM="U1")])) == []
    assert found("347", child(oc3_rows=[oc3(5, DOB="02/04/2006", ACCOM="T2")])) == [
        (5, ("ACCOM", "DOB"), "18th birthday 2 April 2024, after the year began")
    ]


def test_347_is_a_rule_from_2023_24():
    with pytest.raises(KeyError):
        findings("347", child(oc3_rows=[oc3(DOB="02/04/2005", ACCOM="T2")]), year=YEAR_2023)


def test_348_reported_dead_last_year():
    last_year = a_return(child(oc3_rows=[oc3(IN_TOUCH="DIED", ACTIV="0", ACCOM="0")]), year=YEAR)
    alive = child(oc3_rows=[oc3(6, IN_TOUCH="NO", ACTIV="0", ACCOM="0")])
    assert found("348", alive, year=YEAR_2026, previous=last_year) == [
        (6, ("IN_TOUCH",), "reported as having died in last year's return")
    ]
    died = child(oc3_rows=[oc3(IN_TOUCH="DIED", ACTIV="0", ACCOM="0")])
    assert lines("348", died, year=YEAR_2026, previous=last_year) == []
    # Without last year's return, nothing can be compared.
    assert lines("348", alive, year=YEAR_2026) == []
    in_touch_last_year = a_return(child(oc3_rows=[oc3()]), year=YEAR)
    assert lines("348", alive, year=YEAR_2026, previous=in_touch_last_year) == []


def test_391_care_leaver_not_17_to_21_in_the_year():
    # 17 on 31 March 2025, the last day of 2024-25.
    assert lines("391", child(oc3_rows=[oc3(DOB="31/03/2008")])) == []
    assert found("391", child(oc3_rows=[oc3(7, DOB="01/04/2008")])) == [
        (7, ("DOB", "IN_TOUCH", "ACTIV", "ACCOM"), "17th birthday 1 April 2025, after the year's end")
    ]
    # 21 on 1 April 2024, the first day of the year; 22 on that day is too old.
    assert lines("391", child(oc3_rows=[oc3(DOB="02/04/2002")])) == []
    assert found("391", child(oc3_rows=[oc3(8, DOB="01/04/2002")])) == [
        (8, ("DOB", "IN_TOUCH", "ACTIV", "ACCOM"), "22nd birthday 1 April 2024, before the year began")
    ]
    # Nothing recorded: nothing to fail.
    assert lines("391", child(oc3_rows=[oc3(DOB="01/04/2010", IN_TOUCH="", ACTIV="", ACCOM="")])) == []


# -- the child's age and the episodes' dates ----------------------------------------------------------------


def test_351_over_25_at_the_start_of_the_year():
    assert findings("351", child(DOB="01/04/1999")) == []
    [finding] = findings("351", child(DOB="31/03/1999"))
    assert (finding.la_child_id, finding.fields, finding.detail) == (
        "C1",
        ("DOB",),
        "25th birthday 31 March 2024",
    )


def test_352_started_to_be_looked_after_at_18():
    assert lines("352", child(ep(1), DOB="02/05/2006")) == []
    assert lines("352", child(ep(1, RNE="P"), DOB="01/05/2006")) == []
    assert found("352", child(ep(2), DOB="01/05/2006")) == [
        (2, ("DECOM", "RNE", "DOB"), "started 1 May 2024, 18th birthday 1 May 2024")
    ]


def test_353_started_before_14_october_1991():
    assert lines("353", child(ep(1, DECOM="14/10/1991"), DOB="01/01/1990")) == []
    assert lines("353", child(ep(2, DECOM="13/10/1991"), DOB="01/01/1990")) == [2]


def test_354_started_after_the_year():
    assert lines("354", child(ep(1, DECOM="31/03/2025"))) == []
    assert found("354", child(ep(2, DECOM="01/04/2025"))) == [(2, ("DECOM",), "started 1 April 2025")]


def test_355_ceased_the_day_it_started():
    assert lines("355", child(ep(1, DEC="02/05/2024", REC="E13"))) == []
    assert lines("355", child(ep(2, DEC="01/05/2024", REC="E13"))) == [2]


def test_356_ceased_before_it_started():
    assert lines("356", child(ep(1, DEC="01/05/2024", REC="E13"))) == []
    assert found("356", child(ep(2, DEC="30/04/2024", REC="E13"))) == [
        (2, ("DECOM", "DEC"), "started 1 May 2024, ceased 30 April 2024")
    ]


def test_357_first_episode_must_start_care():
    later = ep(3, DECOM="01/06/2024", RNE="P")
    first = ep(1, DEC="01/06/2024", REC="X1")
    assert lines("357", child(first, later)) == []
    assert found("357", child(ep(2, RNE="P"))) == [(2, ("RNE",), "first episode 1 May 2024, reason P")]
    # An episode that started before the year may continue an earlier one the return does not hold.
    assert lines("357", child(ep(1, DECOM="01/03/2024", RNE="P"))) == []


def test_357_care_continuing_from_last_year():
    last_year = a_return(
        child(ep(1, DECOM="01/01/2024", RNE="S", DEC="01/05/2024", REC="X1")), year=YEAR_2024
    )
    assert lines("357", child(ep(2, RNE="P")), previous=last_year) == []
    ended_earlier = a_return(
        child(ep(1, DECOM="01/01/2024", RNE="S", DEC="01/02/2024", REC="E4A")), year=YEAR_2024
    )
    assert lines("357", child(ep(2, RNE="P")), previous=ended_earlier) == [2]


# -- legal statuses ------------------------------------------------------------------------------------------


def test_358_criminal_legal_status_under_10():
    # Born 1 May 2014: 10 on 1 May 2024.
    assert lines("358", child(ep(1, LS="J1", DECOM="01/05/2024"))) == []
    assert lines("358", child(ep(1, LS="C2", DECOM="30/04/2024"))) == []
    assert found("358", child(ep(2, LS="J3", DECOM="30/04/2024"))) == [
        (2, ("LS", "DECOM", "DOB"), "started 30 April 2024, 10th birthday 1 May 2024")
    ]


def test_359_looked_after_past_18():
    # 18 on 30 March 2025, the day before the year's end.
    adult = {"DOB": "30/03/2007"}
    assert lines("359", child(ep(1, LS="V2", PLACE="K2"), **adult)) == []
    assert lines("359", child(ep(1, DEC="30/03/2025", REC="E8"), **adult)) == []
    assert found("359", child(ep(2), **adult)) == [(2, ("DEC", "LS", "PLACE"), "18th birthday 30 March 2025")]
    # 18 on the year's last day: not yet "following" the birthday.
    assert lines("359", child(ep(1), DOB="31/03/2007")) == []


@pytest.mark.parametrize(
    ("code", "legal_status", "days"), [("361", "L1", 3), ("362", "L2", 21), ("363", "L3", 7)]
)
def test_361_to_363_emergency_legal_status_too_long(code, legal_status, days):
    first = datetime.date(2024, 5, 1)

    def day(n):
        return date_text(first + datetime.timedelta(days=n))

    def ended(line, start, end, **values):
        return ep(line, **{"LS": legal_status, "DECOM": day(start), "DEC": day(end), "REC": "E4A", **values})

    assert lines(code, child(ended(1, 0, days))) == []
    assert found(code, child(ended(2, 0, days + 1))) == [
        (2, ("LS", "DECOM", "DEC"), f"1 May 2024 to {2 + days} May 2024, {days + 1} days")
    ]
    # Consecutive episodes under the same legal status are one spell.
    assert lines(code, child(ended(3, 0, 1, REC="X1"), ended(4, 1, days + 1, RNE="P"))) == [3, 4]
    # A gap starts a new spell.
    assert lines(code, child(ended(5, 0, 1), ended(6, 10, 10 + days, RNE="S"))) == []


def test_361_open_police_protection_counts_to_the_year_end():
    assert lines("361", child(ep(1, LS="L1", DECOM="28/03/2025"))) == []
    assert found("361", child(ep(2, LS="L1", DECOM="27/03/2025"))) == [
        (2, ("LS", "DECOM", "DEC"), "27 March 2025 still open on 31 March 2025, 4 days")
    ]


def test_364_pace_too_long():
    assert lines("364", child(ep(1, LS="J2", DECOM="01/05/2024", DEC="22/05/2024", REC="E4A"))) == []
    assert lines("364", child(ep(2, LS="J2", DECOM="01/05/2024", DEC="23/05/2024", REC="E4A"))) == [2]


def test_365_short_break_over_17_days():
    assert lines("365", child(ep(1, LS="V3", DEC="18/05/2024", REC="E4A"))) == []
    assert found("365", child(ep(2, LS="V3", DEC="19/05/2024", REC="E4A"))) == [
        (2, ("LS", "DECOM", "DEC"), "1 May 2024 to 19 May 2024, 18 days")
    ]
    assert lines("365", child(ep(1, LS="V4", DEC="19/05/2024", REC="E4A"))) == []


def test_366_short_break_changed_placement():
    assert lines("366", child(ep(1, LS="V3"))) == []
    assert found("366", child(ep(2, LS="V3", RNE="P"))) == [(2, ("LS", "RNE"), "reason for new episode P")]


def test_367_short_breaks_over_75_days_in_the_year():
    # Counted from the year's first day, 1 April 2024: 75 days to 15 June.
    def breaks(end):
        return child(
            ep(1, LS="V3", DECOM="01/03/2024", DEC="15/04/2024", REC="E4A"),
            ep(2, LS="V3", DECOM="01/05/2024", DEC=end, REC="E4A"),
        )

    # 14 days in April and 61 in May and June.
    assert lines("367", breaks("01/07/2024")) == []
    assert found("367", breaks("02/07/2024")) == [
        (1, ("LS", "DECOM", "DEC"), "76 days of short breaks in the year"),
        (2, ("LS", "DECOM", "DEC"), "76 days of short breaks in the year"),
    ]


def test_382_short_break_in_temporary_placement():
    assert lines("382", child(ep(1, LS="V4", PLACE="U6"))) == []
    assert lines("382", child(ep(2, LS="V4", PLACE="T2"))) == [2]


def test_384_short_break_in_long_term_fostering():
    assert lines("384", child(ep(1, LS="V3", PLACE="U6"))) == []
    assert lines(
        "384", child(ep(2, LS="V3", PLACE="U4"), ep(3, LS="V4", PLACE="U1", DECOM="01/06/2024"))
    ) == [
        2,
        3,
    ]


# -- placements and the ages they need -----------------------------------------------------------------------


def test_370_independent_living_under_16():
    born = {"DOB": "01/05/2008"}
    assert lines("370", child(ep(1, PLACE="P2", DECOM="01/05/2024"), **born)) == []
    assert found("370", child(ep(2, PLACE="P2", DECOM="30/04/2024"), **born)) == [
        (2, ("DECOM", "PLACE", "DOB"), "placed 30 April 2024, 16th birthday 1 May 2024")
    ]


def test_370_independent_living_at_15_in_2022_23():
    born = {"DOB": "01/05/2008"}
    assert lines("370", child(ep(1, PLACE="P2", DECOM="01/05/2023"), **born), year=YEAR_2023) == []
    assert lines("370", child(ep(2, PLACE="P2", DECOM="30/04/2023"), **born), year=YEAR_2023) == [2]


def test_371_supported_accommodation_under_16():
    born = {"DOB": "01/05/2008"}
    assert lines("371", child(ep(1, PLACE="H5", DECOM="01/05/2024"), **born)) == []
    assert lines("371", child(ep(2, PLACE="H5", DECOM="30/04/2024"), **born)) == [2]
    # K3 replaces H5 from 2025-26.
    assert lines("371", child(ep(3, PLACE="K3", DECOM="30/04/2025", DOB="01/05/2009"), year=YEAR_2026)) == [3]
    # 14 in 2022-23.
    assert lines("371", child(ep(1, PLACE="H5", DECOM="01/05/2022"), **born), year=YEAR_2023) == []
    assert lines("371", child(ep(4, PLACE="H5", DECOM="30/04/2022"), **born), year=YEAR_2023) == [4]


@pytest.mark.parametrize(
    ("code", "place", "dob"),
    [("372", "R5", "01/05/2014"), ("373", "S1", "01/05/2020"), ("374", "P3", "01/05/2010")],
)
def test_372_to_374_placement_minimum_age(code, place, dob):
    assert lines(code, child(ep(1, PLACE=place, DECOM="01/05/2024"), DOB=dob)) == []
    assert lines(code, child(ep(2, PLACE=place, DECOM="30/04/2024"), DOB=dob)) == [2]
    assert lines(code, child(ep(3, PLACE="U6", DECOM="30/04/2024"), DOB=dob)) == []


def test_378_with_parents_under_section_20():
    assert lines("378", child(ep(1, LS="C2", PLACE="P1"))) == []
    assert lines("378", child(ep(1, LS="V2", PLACE="U6"))) == []
    assert found("378", child(ep(2, LS="V2", PLACE="P1"))) == [(2, ("PLACE", "LS"), "")]


# -- temporary placements ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "place", "days"), [("375", "T1", 42), ("376", "T3", 21), ("379", "T4", 7)])
def test_375_376_379_temporary_placement_too_long(code, place, days):
    start = datetime.date(2025, 1, 1)

    def stay(line, days_later):
        end = date_text(start + datetime.timedelta(days=days_later))
        return ep(line, PLACE=place, RNE="P", DECOM=date_text(start), DEC=end, REC="X1")

    assert lines(code, child(stay(1, days))) == []
    assert lines(code, child(stay(2, days + 1))) == [2]


def test_375_open_hospital_stay_counts_to_the_year_end():
    assert lines("375", child(ep(1, PLACE="T1", RNE="P", DECOM="17/02/2025"))) == []
    assert found("375", child(ep(2, PLACE="T1", RNE="P", DECOM="16/02/2025"))) == [
        (2, ("DECOM", "DEC", "PLACE"), "16 February 2025 still open on 31 March 2025, 43 days")
    ]


def test_377_more_than_two_foster_carers_holidays_in_12_months():
    def holiday(line, start, rne="P"):
        return ep(line, PLACE="T3", RNE=rne, DECOM=start, DEC=start, REC="X1")

    three = child(holiday(1, "01/05/2024"), holiday(2, "01/08/2024"), holiday(3, "01/11/2024"))
    assert found("377", three) == [
        (1, ("PLACE", "DECOM"), "started 1 May 2024: more than two in 12 months"),
        (2, ("PLACE", "DECOM"), "started 1 August 2024: more than two in 12 months"),
        (3, ("PLACE", "DECOM"), "started 1 November 2024: more than two in 12 months"),
    ]
    assert lines("377", child(holiday(1, "01/05/2024"), holiday(2, "01/08/2024"))) == []
    # A change of legal status in the same placement is not another placement.
    same = child(holiday(1, "01/05/2024"), holiday(2, "01/08/2024"), holiday(3, "01/11/2024", rne="L"))
    assert lines("377", same) == []
    # Twelve months and a day apart: never three in a 12-month window.
    spread = child(holiday(1, "01/03/2024"), holiday(2, "01/06/2024"), holiday(3, "02/03/2025"))
    assert lines("377", spread) == []


def test_380_care_starts_in_temporary_placement():
    assert lines("380", child(ep(1, RNE="P", PLACE="T1"))) == []
    assert lines("380", child(ep(1, RNE="L", PLACE="T1"))) == []
    assert lines("380", child(ep(2, RNE="S", PLACE="T0"))) == [2]


def test_381_care_ends_in_temporary_placement():
    assert lines("381", child(ep(1, PLACE="T1", RNE="P"))) == []
    assert lines("381", child(ep(1, PLACE="T1", RNE="P", DEC="10/05/2024", REC="X1"))) == []
    assert found("381", child(ep(2, PLACE="T1", RNE="P", DEC="10/05/2024", REC="E4A"))) == [
        (2, ("PLACE", "REC"), "")
    ]


def _away_and_back(rne="P", place="U6", post="NB3 4CD", year_start="2024"):
    return child(
        ep(1, DECOM=f"01/05/{year_start}", DEC=f"01/06/{year_start}", REC="X1"),
        ep(2, DECOM=f"01/06/{year_start}", RNE="P", PLACE="T1", DEC=f"05/06/{year_start}", REC="X1"),
        ep(3, DECOM=f"05/06/{year_start}", RNE=rne, PLACE=place, PL_POST=post),
    )


def test_383_temporary_placement_not_followed_by_return():
    assert lines("383", _away_and_back()) == []
    assert found("383", _away_and_back(rne="T")) == [(2, ("PLACE",), "before U6, after U6 (RNE T)")]
    assert found("383", _away_and_back(place="U5")) == [(2, ("PLACE",), "before U6, after U5 (RNE P)")]
    # The placement postcode counts from 2025-26 only.
    assert lines("383", _away_and_back(post="NB9 9ZZ")) == []


def test_383_from_2025_26_the_episode_after_and_its_postcode():
    def back(**values):
        return _away_and_back(year_start="2025", **values)

    assert lines("383", back(post="nb3 4cd"), year=YEAR_2026) == []
    assert found("383", back(post="NB9 9ZZ"), year=YEAR_2026) == [
        (3, ("PL_POST",), "before U6, after U6 (RNE P)")
    ]
    assert found("383", back(rne="T", place="U5"), year=YEAR_2026) == [
        (3, ("RNE", "PLACE"), "before U6, after U5 (RNE T)")
    ]


def test_383_a_temporary_placement_at_either_end_is_not_this_rule():
    ended_away = child(
        ep(1, DEC="01/06/2024", REC="X1"),
        ep(2, DECOM="01/06/2024", RNE="P", PLACE="T1", DEC="05/06/2024", REC="E8"),
    )
    assert lines("383", ended_away) == []


# -- why episodes end ----------------------------------------------------------------------------------------


def test_385_ceased_after_the_year():
    assert lines("385", child(ep(1, DEC="31/03/2025", REC="E8"))) == []
    assert found("385", child(ep(2, DEC="01/04/2025", REC="E8"))) == [(2, ("DEC",), "ceased 1 April 2025")]


def test_386_adopted_at_18():
    born = {"DOB": "10/05/2006"}
    assert lines("386", child(ep(1, PLACE="A4", DEC="09/05/2024", REC="E11"), **born)) == []
    assert found("386", child(ep(2, PLACE="A4", DEC="10/05/2024", REC="E12"), **born)) == [
        (2, ("REC", "DEC", "DOB"), "ceased 10 May 2024, 18th birthday 10 May 2024")
    ]


def test_387_independent_living_under_14():
    born = {"DOB": "10/05/2010"}
    assert lines("387", child(ep(1, DEC="10/05/2024", REC="E5"), **born)) == []
    assert lines("387", child(ep(2, DEC="09/05/2024", REC="E6"), **born)) == [2]


def test_388_new_episode_begins_but_none_follows():
    def pair(rec, next_start):
        return child(ep(1, DEC="01/06/2024", REC=rec), ep(2, DECOM=next_start, RNE="P"))

    assert lines("388", pair("X1", "01/06/2024")) == []
    assert found("388", pair("X1", "02/06/2024")) == [
        (1, ("REC", "DEC"), "ceased 1 June 2024, the next episode started 2 June 2024")
    ]
    assert found("388", pair("E8", "01/06/2024")) == [
        (1, ("REC", "DEC"), "the next episode started the day this one ceased, 1 June 2024")
    ]
    assert found("388", child(ep(3, DEC="01/06/2024", REC="X1"))) == [
        (3, ("REC", "DEC"), "ceased 1 June 2024 and no episode follows")
    ]
    assert lines("388", child(ep(1, DEC="01/06/2024", REC="E8"))) == []


def test_389_adult_care_under_16():
    born = {"DOB": "10/05/2008"}
    assert lines("389", child(ep(1, DEC="10/05/2024", REC="E7"), **born)) == []
    assert lines("389", child(ep(2, DEC="09/05/2024", REC="E7"), **born)) == [2]


def test_390_adopted_without_placement_for_adoption():
    assert lines("390", child(ep(1, PLACE="A4", DEC="01/06/2024", REC="E11"))) == []
    assert found("390", child(ep(2, PLACE="U6", DEC="01/06/2024", REC="E12"))) == [
        (2, ("REC", "PLACE"), "placement U6")
    ]


# -- postcodes and the header --------------------------------------------------------------------------------


def test_392b_postcodes_missing():
    assert found("392b", child(ep(2, PL_POST=""))) == [(2, ("PL_POST",), "")]
    assert found("392b", child(ep(3, HOME_POST="", PL_POST=""))) == [(3, ("HOME_POST", "PL_POST"), "")]
    assert lines("392b", child(ep(1, LS="V3", PL_POST=""))) == []


def test_392b_not_for_a_child_who_is_or_was_uasc():
    uasc = [row("C1", SEX="M", DOB="01/05/2014", DUC="01/06/2024")]
    assert lines("392b", child(ep(1, PL_POST=""), uasc=uasc)) == []
    last_year = a_return(child(uasc=uasc), year=YEAR_2024)
    assert lines("392b", child(ep(1, PL_POST="")), previous=last_year) == []


def test_392c_postcode_invalid():
    assert lines("392c", child(ep(1, HOME_POST="nb1 2ab", PL_POST="NB34CD"))) == []
    assert found("392c", child(ep(2, HOME_POST="NB1", PL_POST="XXXXXXX"))) == [
        (2, ("HOME_POST", "PL_POST"), "'NB1', 'XXXXXXX'")
    ]
    assert lines("392c", child(ep(1, PL_POST=""))) == []


def test_392d_home_and_placement_postcodes_the_same():
    assert lines("392d", child(ep(1, PLACE="P1", PLACE_PROVIDER="PR0", PL_POST="NB1 2AB"))) == []
    assert found("392d", child(ep(2, PL_POST="nb12ab"))) == [
        (2, ("HOME_POST", "PL_POST", "PLACE"), "both NB1 2AB")
    ]
    assert lines("392d", child(ep(1, HOME_POST="", PL_POST=""))) == []


def test_393_mother_not_recorded():
    assert findings("393", child(MOTHER="0")) == []
    assert findings("393", child(SEX="M", MOTHER="")) == []
    assert findings("393", child(ep(1, LS="V3"), MOTHER="")) == []
    [finding] = findings("393", child(MOTHER=""))
    assert (finding.la_child_id, finding.fields) == ("C1", ("MOTHER", "SEX"))


def test_393_before_2024_25_girls_are_sex_2():
    assert [f.la_child_id for f in findings("393", child(SEX="2", MOTHER=""), year=YEAR_2024)] == ["C1"]
    assert findings("393", child(SEX="1", MOTHER=""), year=YEAR_2024) == []
