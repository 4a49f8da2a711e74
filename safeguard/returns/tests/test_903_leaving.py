"""The SSDA903 checks 700-3001 (``ssda903/checks/leaving.py``): deprivation of liberty, care leavers,
missing episodes and the later rules. One test per rule, each with a child that passes and one that fails."""

from safeguard.core.years import CollectionYear
from safeguard.returns import rules
from safeguard.returns.tests.ssda903 import YEAR, a_child, a_return, episode, findings, header, row

DOLO_YEAR = CollectionYear(2027)  # 2026-27: the first year with deprivation of liberty orders
BEFORE_1016 = CollectionYear(2023)  # 2022-23: rule 1016 is not in the rule set
LAST_YEAR = CollectionYear(2024)


def found(code, *children, year=YEAR, previous=None):
    """``(rule, LA child ID, fields, detail)`` of each finding of rule ``code``."""
    return [
        (finding.rule.code, finding.la_child_id, finding.fields, finding.detail)
        for finding in findings(code, *children, year=year, previous=previous)
    ]


def last_year(*children):
    return a_return(*children, year=LAST_YEAR)


# Deprivation of liberty ----------------------------------------------------------------------------------


def dolo(child="C1", start="01/06/2026", end="", **values):
    return row(child, DOB="01/05/2012", DOLO_START=start, DOLO_END=end, **values)


def in_2026(child="C1", **values):
    """Looked after from 1 May 2026 in a children's home, still open."""
    return episode(child, **{"DECOM": "01/05/2026", "PLACE": "K2", **values})


def dolo_child(*orders, episodes=None, child="C1"):
    return a_child(
        child,
        Header=[header(child, DOB="01/05/2012")],
        Episodes=episodes or [in_2026(child)],
        DoLo=list(orders),
    )


def dolo_found(code, *children, previous=None):
    return found(code, *children, year=DOLO_YEAR, previous=previous)


def test_dolo_rules_start_in_2026_27():
    dolo_codes = {str(code) for code in range(700, 711)}
    assert not dolo_codes & set(rules.rules_for("ssda903", CollectionYear(2026)))
    assert dolo_codes <= set(rules.rules_for("ssda903", DOLO_YEAR))
    assert not dolo_codes & {rule.code for rule in rules.unchecked("ssda903", DOLO_YEAR)}


def test_700_dolo_start_must_be_a_date():
    assert dolo_found("700", dolo_child(dolo())) == []
    assert dolo_found("700", dolo_child(dolo(start="2026-06-01"), dolo(start=""))) == [
        ("700", "C1", ("DOLO_START",), ""),
        ("700", "C1", ("DOLO_START",), ""),
    ]


def test_701_dolo_end_where_given_must_be_a_date():
    assert dolo_found("701", dolo_child(dolo(end=""), dolo(end="30/06/2026"))) == []
    assert dolo_found("701", dolo_child(dolo(end="31/06/2026"))) == [("701", "C1", ("DOLO_END",), "")]


def test_702_dolo_cannot_end_before_it_starts():
    assert (
        dolo_found("702", dolo_child(dolo(start="01/06/2026", end="01/06/2026"))) == []
    )  # the same day is allowed
    assert dolo_found("702", dolo_child(dolo(start="01/06/2026", end="31/05/2026"))) == [
        ("702", "C1", ("DOLO_START", "DOLO_END"), "Started 1 June 2026, ended 31 May 2026")
    ]


def test_703_dolo_cannot_start_after_the_year():
    assert dolo_found("703", dolo_child(dolo(start="31/03/2027"))) == []
    assert dolo_found("703", dolo_child(dolo(start="01/04/2027"))) == [
        ("703", "C1", ("DOLO_START",), "Started 1 April 2027, after 31 March 2027")
    ]


def test_704_dolo_end_must_be_in_the_year():
    passing = dolo_child(
        dolo(start="01/03/2026", end="01/04/2026"), dolo(start="01/06/2026", end="31/03/2027")
    )
    assert dolo_found("704", passing) == []
    failing = dolo_child(
        dolo(start="01/01/2026", end="31/03/2026"), dolo(start="01/06/2026", end="01/04/2027")
    )
    assert dolo_found("704", failing) == [
        ("704", "C1", ("DOLO_END",), "Ended 31 March 2026, outside 2026-27"),
        ("704", "C1", ("DOLO_END",), "Ended 1 April 2027, outside 2026-27"),
    ]


def test_705_dolo_cannot_start_while_the_previous_one_is_open():
    back_to_back = dolo_child(dolo(start="01/09/2026", end=""), dolo(start="01/06/2026", end="01/09/2026"))
    assert dolo_found("705", back_to_back) == []
    still_open = dolo_child(dolo(start="01/06/2026", end=""), dolo(start="01/09/2026", end=""))
    assert dolo_found("705", still_open) == [
        (
            "705",
            "C1",
            ("DOLO_START", "DOLO_END"),
            "Starts 1 September 2026. The DoLO from 1 June 2026 has no end date",
        )
    ]
    overlapping = dolo_child(dolo(start="01/06/2026", end="10/09/2026"), dolo(start="01/09/2026", end=""))
    assert dolo_found("705", overlapping) == [
        (
            "705",
            "C1",
            ("DOLO_START", "DOLO_END"),
            "Starts 1 September 2026. The DoLO from 1 June 2026 was open until 10 September 2026",
        )
    ]


def test_706_dolo_open_last_year_must_continue_this_year():
    previous = a_return(
        dolo_child(dolo(start="01/01/2026", end=""), episodes=[in_2026(DECOM="01/12/2025")]),
        year=CollectionYear(2026),
    )
    continued = dolo_child(dolo(start="01/01/2026", end="01/07/2026"))
    assert dolo_found("706", continued, previous=previous) == []
    assert dolo_found("706", dolo_child(dolo(start="01/06/2026")), previous=previous) == [
        ("706", "C1", ("DOLO_START",), "The DoLO from 1 January 2026 was open at the end of last year")
    ]
    # Without last year's return the rule says nothing.
    assert dolo_found("706", dolo_child(dolo(start="01/06/2026"))) == []


def test_707_no_open_dolo_once_care_has_ended():
    assert dolo_found("707", dolo_child(dolo(end=""))) == []  # still looked after
    ended = [in_2026(DEC="01/10/2026", REC="E4A")]
    assert dolo_found("707", dolo_child(dolo(end="01/10/2026"), episodes=ended)) == []
    assert dolo_found("707", dolo_child(dolo(end=""), episodes=ended)) == [
        ("707", "C1", ("DOLO_END",), "Ceased to be looked after on 1 October 2026")
    ]


def test_708_dolo_dates_cannot_be_before_birth():
    assert dolo_found("708", dolo_child(dolo(start="01/05/2012"))) == []  # the day of birth itself passes
    assert dolo_found("708", dolo_child(dolo(start="30/04/2012"))) == [
        ("708", "C1", ("DOLO_START", "DOLO_END"), "30 April 2012 is before the date of birth, 1 May 2012")
    ]


def test_709_dolo_expected_in_a_childrens_home_or_z12_z13():
    episodes = [
        in_2026(DECOM="01/05/2026", DEC="01/07/2026", REC="X1", PLACE="K2"),
        in_2026(DECOM="01/07/2026", PLACE="U6"),
    ]
    assert dolo_found("709", dolo_child(dolo(start="01/06/2026", end="30/06/2026"), episodes=episodes)) == []
    assert (
        dolo_found("709", dolo_child(dolo(start="01/06/2026", end=""), episodes=episodes)) == []
    )  # open: not tested
    assert dolo_found("709", dolo_child(dolo(start="01/06/2026", end="01/07/2026"), episodes=episodes)) == [
        ("709", "C1", ("DOLO_START", "PLACE"), "U6 from 1 July 2026")
    ]


def test_710_dolo_cannot_be_in_secure_home_parents_yoi_or_supported_accommodation():
    episodes = [
        in_2026(DECOM="01/05/2026", DEC="01/08/2026", REC="X1", PLACE="Z12"),
        in_2026(DECOM="01/08/2026", PLACE="K1"),
    ]
    assert dolo_found("710", dolo_child(dolo(start="01/06/2026", end="31/07/2026"), episodes=episodes)) == []
    assert dolo_found("710", dolo_child(dolo(start="01/06/2026", end="02/08/2026"), episodes=episodes)) == [
        ("710", "C1", ("DOLO_START", "PLACE"), "K1 from 1 August 2026")
    ]


# Care leavers --------------------------------------------------------------------------------------------


def oc3(child="C1", **values):
    return row(child, **{"DOB": "01/06/2006", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "D1", **values})


def leaver(child="C1", born="01/06/2006", episodes=(), **tables):
    """A care leaver (18 on 1 June 2024) with care leaver information and, by default, no episodes."""
    tables.setdefault("OC3", [oc3(child, DOB=born)])
    return a_child(child, Header=[header(child, DOB=born)], Episodes=list(episodes), **tables)


def test_1000_no_care_leaver_information_for_a_child_who_died():
    assert found("1000", leaver(episodes=[episode(DEC="01/06/2024", REC="E4A")])) == []
    died = leaver(episodes=[episode(DEC="03/06/2024", REC="E2")])
    assert found("1000", died) == [
        ("1000", "C1", ("IN_TOUCH", "ACTIV", "ACCOM"), "Died in care: episode ended 3 June 2024")
    ]
    # Care leaver items all blank: nothing completed, nothing found.
    blank = leaver(episodes=[episode(DEC="03/06/2024", REC="E2")], OC3=[oc3(IN_TOUCH="", ACTIV="", ACCOM="")])
    assert found("1000", blank) == []
    # Last year's return, when given, is looked at too.
    previous = last_year(a_child(Episodes=[episode(DECOM="01/05/2023", DEC="03/06/2023", REC="E2")]))
    assert [f[:2] for f in found("1000", leaver(), previous=previous)] == [("1000", "C1")]


def test_1001_care_leaver_must_be_relevant_or_former_relevant():
    # 18 on 1 June 2024; looked after from 1 January 2023 (aged 16) to the 18th birthday: relevant.
    long_care_last = episode(DECOM="01/01/2023", DEC="", RNE="S")
    long_care_now = episode(DECOM="01/01/2023", DEC="01/06/2024", REC="E17", RNE="S")
    relevant = leaver(episodes=[long_care_now])
    previous = last_year(a_child(Header=[header(DOB="01/06/2006")], Episodes=[long_care_last]))
    assert found("1001", relevant, previous=previous) == []
    # Only 30 days of care, all this year.
    short = leaver(episodes=[episode(DECOM="02/05/2024", DEC="01/06/2024", REC="E17")])
    assert found("1001", short, previous=last_year()) == [
        (
            "1001",
            "C1",
            ("IN_TOUCH", "ACTIV", "ACCOM"),
            "Looked after 30 days since the 14th birthday, 30 since the 16th",
        )
    ]
    # Short breaks do not count.
    breaks = leaver(episodes=[episode(DECOM="01/01/2023", DEC="01/06/2024", REC="E17", LS="V3")])
    assert [f[:2] for f in found("1001", breaks, previous=last_year())] == [("1001", "C1")]
    # Adopted.
    adopted = leaver(episodes=[episode(DECOM="01/01/2023", DEC="01/06/2024", REC="E11")])
    assert found("1001", adopted, previous=last_year())[0][3] == "The final episode ended in adoption"
    # Without last year's return, or aged 20 or over, the rule says nothing.
    assert found("1001", short) == []
    assert found("1001", leaver(born="31/03/2005"), previous=last_year()) == []
    assert [f[:2] for f in found("1001", leaver(born="01/04/2005"), previous=last_year())] == [("1001", "C1")]


def test_1002_care_leaver_must_have_been_looked_after():
    previous = last_year(a_child(Episodes=[episode(DECOM="01/05/2023", DEC="01/06/2023", REC="E17")]))
    assert found("1002", leaver(), previous=previous) == []
    assert found("1002", leaver(episodes=[episode(DEC="01/06/2024", REC="E17")]), previous=last_year()) == []
    assert found("1002", leaver(), previous=last_year()) == [
        ("1002", "C1", ("IN_TOUCH", "ACTIV", "ACCOM"), "")
    ]
    assert found("1002", leaver()) == []  # no last year's return


def test_1007_no_care_leaver_information_for_17_or_18_year_olds_still_looked_after():
    still = [episode(DECOM="01/05/2023")]
    assert found("1007", leaver(episodes=[episode(DECOM="01/05/2023", DEC="01/06/2024", REC="E17")])) == []
    assert found("1007", leaver(episodes=still)) == [
        ("1007", "C1", ("IN_TOUCH", "ACTIV", "ACCOM"), "Still looked after; 18 on 1 June 2024")
    ]
    # 17 on 31 March 2025, the year's last day: the 17th birthday falls in the year.
    assert [f[:2] for f in found("1007", leaver(born="31/03/2008", episodes=still))] == [("1007", "C1")]
    # 19 this year (born 1 April 2005) or still 16 at the year's end (born 1 April 2008): not checked.
    assert found("1007", leaver(born="01/04/2005", episodes=still)) == []
    assert found("1007", leaver(born="01/04/2008", episodes=still)) == []


def test_1016_no_care_leaver_information_for_17_or_18_year_olds_who_left_after_their_birthday():
    on_birthday = leaver(episodes=[episode(DECOM="01/05/2023", DEC="01/06/2024", REC="E17")])
    assert found("1016", on_birthday) == []
    before_birthday = leaver(episodes=[episode(DECOM="01/05/2023", DEC="31/05/2024", REC="E17")])
    assert found("1016", before_birthday) == []
    after = leaver(episodes=[episode(DECOM="01/05/2023", DEC="02/06/2024", REC="E17")])
    assert found("1016", after) == [
        (
            "1016",
            "C1",
            ("IN_TOUCH", "ACTIV", "ACCOM"),
            "Ceased to be looked after on 2 June 2024; 18 on 1 June 2024",
        )
    ]
    assert found("1016", leaver(born="01/06/2005", episodes=after.rows("Episodes"))) == []  # 19
    assert "1016" not in rules.rules_for("ssda903", BEFORE_1016)


def test_1010_open_episode_last_year_needs_episodes_this_year():
    previous = last_year(a_child(Episodes=[episode(DECOM="01/05/2023")]))
    assert (
        found(
            "1010",
            leaver(episodes=[episode(DECOM="01/05/2023", DEC="01/06/2024", REC="E17")]),
            previous=previous,
        )
        == []
    )
    closed = last_year(a_child(Episodes=[episode(DECOM="01/05/2023", DEC="01/03/2024", REC="E17")]))
    assert found("1010", leaver(), previous=closed) == []
    assert found("1010", leaver(), previous=previous) == [
        (
            "1010",
            "C1",
            ("IN_TOUCH", "ACTIV", "ACCOM"),
            "An episode from 1 May 2023 was open at the end of last year",
        )
    ]
    assert found("1010", leaver()) == []


def test_1011_no_care_leaver_information_after_transfer_to_another_la():
    moved_back = [
        episode(DECOM="01/05/2023", DEC="01/06/2024", REC="E3"),
        episode(DECOM="01/07/2024", DEC="01/08/2024", REC="E17"),
    ]
    assert found("1011", leaver(episodes=moved_back)) == []
    transferred = [episode(DECOM="01/05/2023", DEC="01/06/2024", REC="E3")]
    assert found("1011", leaver(episodes=transferred)) == [("1011", "C1", ("IN_TOUCH", "ACTIV", "ACCOM"), "")]


def test_1012_no_other_data_for_a_child_with_no_episodes():
    looked_after = leaver(episodes=[episode()], Missing=[row(MISSING="M", MIS_START="01/06/2024")])
    assert found("1012", looked_after) == []
    assert found("1012", leaver()) == []
    extra = leaver(Missing=[row(MISSING="M", MIS_START="01/06/2024")], OC2=[row(CONVICTED="0")])
    assert found("1012", extra) == [
        ("1012", "C1", ("CHILD",), "Missing row for a child with no episodes"),
        ("1012", "C1", ("CHILD",), "OC2 row for a child with no episodes"),
    ]


def test_1014_no_uasc_information_for_care_leavers():
    uasc = [row(SEX="M", DOB="01/06/2006", DUC="01/06/2024")]
    assert (
        found("1014", leaver(episodes=[episode(DECOM="01/05/2023", DEC="01/04/2024", REC="E17")], UASC=uasc))
        == []
    )
    assert found("1014", leaver(UASC=[row(SEX="M", DOB="01/06/2006", DUC="")])) == []
    # Left care on 31 March 2024, the day before the year: a care leaver.
    left = [episode(DECOM="01/05/2023", DEC="31/03/2024", REC="E17")]
    assert found("1014", leaver(episodes=left, UASC=uasc)) == [
        ("1014", "C1", ("DUC", "IN_TOUCH", "ACTIV", "ACCOM"), "")
    ]


def test_3001_not_with_former_foster_carers_around_the_17th_birthday():
    seventeen = "01/04/2007"  # 17 on 1 April 2024, the year's first day
    assert found("3001", leaver(born=seventeen, OC3=[oc3(ACCOM="D1")])) == []
    assert found("3001", leaver(born="31/03/2007", OC3=[oc3(ACCOM="Z1")])) == []  # 17 the day before the year
    assert found("3001", leaver(OC3=[oc3(ACCOM="Z1")])) == []  # 18 this year: staying put is fine
    assert found("3001", leaver(born=seventeen, OC3=[oc3(ACCOM="Z2")])) == [("3001", "C1", ("ACCOM",), "")]


# Adoption, missing episodes, placements ------------------------------------------------------------------


def test_1003_adoption_decision_not_before_care_started():
    placed = [row(DATE_PLACED="01/05/2024", DATE_PLACED_CEASED="", REASON_PLACED_CEASED="")]
    assert found("1003", a_child(PlacedAdoption=placed)) == []
    early = [row(DATE_PLACED="30/04/2024", DATE_PLACED_CEASED="", REASON_PLACED_CEASED="")]
    assert found("1003", a_child(PlacedAdoption=early)) == [
        (
            "1003",
            "C1",
            ("DATE_PLACED", "DECOM", "RNE"),
            "Decided 30 April 2024; started to be looked after 1 May 2024",
        )
    ]
    # No episode starting care this year: nothing to compare with.
    assert found("1003", a_child(Episodes=[episode(RNE="P")], PlacedAdoption=early)) == []


def test_1004_missing_start_must_be_a_date():
    assert found("1004", a_child(Missing=[row(MISSING="M", MIS_START="01/06/2024", MIS_END="")])) == []
    missing = [
        row(MISSING="M", MIS_START="", MIS_END=""),
        row(MISSING="A", MIS_START="06/24/2024", MIS_END=""),
    ]
    assert found("1004", a_child(Missing=missing)) == [
        ("1004", "C1", ("MIS_START",), ""),
        ("1004", "C1", ("MIS_START",), ""),
    ]


def test_1005_missing_end_where_given_must_be_a_date():
    missing = [
        row(MISSING="M", MIS_START="01/06/2024", MIS_END=""),
        row(MISSING="M", MIS_START="01/06/2024", MIS_END="02/06/2024"),
    ]
    assert found("1005", a_child(Missing=missing)) == []
    assert found("1005", a_child(Missing=[row(MISSING="M", MIS_START="01/06/2024", MIS_END="2/6/24")])) == [
        ("1005", "C1", ("MIS_END",), "")
    ]


def test_1006_missing_type_must_be_m_or_a():
    missing = [
        row(MISSING="M", MIS_START="01/06/2024"),
        row(MISSING="A", MIS_START="01/06/2024"),
        row(MISSING=""),
    ]
    assert found("1006", a_child(Missing=missing)) == []
    assert found("1006", a_child(Missing=[row(MISSING="m"), row(MISSING="AWAY")])) == [
        ("1006", "C1", ("MISSING",), ""),
        ("1006", "C1", ("MISSING",), ""),
    ]


def test_1009_reason_for_placement_change_must_be_valid():
    assert (
        found(
            "1009",
            a_child(Episodes=[episode(), episode(DECOM="01/06/2024", RNE="P", REASON_PLACE_CHANGE="CARPL")]),
        )
        == []
    )
    assert found("1009", a_child(Episodes=[episode(REASON_PLACE_CHANGE="carpl")])) == [
        ("1009", "C1", ("REASON_PLACE_CHANGE",), "")
    ]


def test_1008_and_1015_need_data_safeguard_does_not_have():
    unchecked = {rule.code for rule in rules.unchecked("ssda903", YEAR)}
    assert {"1008", "1015"} <= unchecked
    checked = {"1000", "1001", "1002", "1003", "1004", "1005", "1006", "1007", "1009", "1010", "1011", "1012"}
    assert not (checked | {"1014", "1016", "3001"}) & unchecked
