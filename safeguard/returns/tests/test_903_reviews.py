"""The SSDA903 checks 398-531 (``ssda903/checks/reviews.py``): one test per rule, each with a child that
passes and one that fails."""

import pytest

from safeguard.core.years import CollectionYear
from safeguard.returns.tests.ssda903 import YEAR, a_child, a_return, episode, findings, header, row

LAST_YEAR = CollectionYear(2024)  # 2023-24
NEW_CODES_YEAR = CollectionYear(2026)  # 2025-26: K3 and Z11-Z14 replace H5 and Z1


def found(code, *children, year=YEAR, previous=None):
    """``(rule, child, fields, detail)`` of each finding of rule ``code``."""
    return [
        (finding.rule.code, finding.la_child_id, finding.fields, finding.detail)
        for finding in findings(code, *children, year=year, previous=previous)
    ]


def details(code, *children, **options):
    return [detail for *_, detail in found(code, *children, **options)]


def episodes(*rows, child="C1"):
    """A child with these episodes (each a dict of the values that differ from ``episode``'s)."""
    return a_child(child, Episodes=[episode(child, **values) for values in rows])


def ended(start, end, reason="X1", **values):
    return {"DECOM": start, "DEC": end, "REC": reason, **values}


def ad1(**values):
    """An adoption by a married couple of different sexes, decided on 1 June 2024."""
    defaults = {
        "DOB": "01/05/2014", "DATE_INT": "01/06/2024", "DATE_MATCH": "", "FOSTER_CARE": "0",
        "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11",
    }  # fmt: skip
    return row("C1", **{**defaults, **values})


def adopted(**values):
    return a_child(AD1=[ad1(**values)])


def last_year(*rows, child="C1"):
    """Last year's return, with the child's episodes."""
    return a_return(episodes(*rows, child=child), year=LAST_YEAR)


# Short breaks and UASC -------------------------------------------------------------------------------------


def test_398_short_breaks_have_no_postcodes():
    assert found("398", a_child()) == []
    assert found("398", episodes({"LS": "V3", "HOME_POST": "", "PL_POST": ""})) == []
    assert found("398", episodes({"LS": "V4", "HOME_POST": ""})) == [
        ("398", "C1", ("LS", "HOME_POST", "PL_POST"), "episode starting 1 May 2024")
    ]


def test_399_short_breaks_only_have_no_mother_or_reviews():
    review = row(REVIEW="01/06/2024", REVIEW_CODE="PN1")
    assert found("399", a_child(Reviews=[review])) == []
    # One episode that is not a short break is enough.
    mixed = a_child(
        Episodes=[episode(LS="V3", DEC="02/05/2024", REC="E8"), episode(DECOM="01/06/2024", LS="C2")],
        Reviews=[review],
    )
    assert found("399", mixed) == []
    assert found("399", a_child(Header=[header(MOTHER="")], Episodes=[episode(LS="V4")])) == []
    assert found("399", a_child(Episodes=[episode(LS="V3")], Reviews=[review])) == [
        ("399", "C1", ("MOTHER", "LS"), ""),
        ("399", "C1", ("REVIEW", "REVIEW_CODE", "LS"), "review 1 June 2024"),
    ]


def test_406_uasc_have_no_distance():
    uasc = [row(SEX="M", DOB="01/05/2014", DUC="")]
    assert found("406", a_child()) == []
    assert found("406", a_child(UASC=uasc, Episodes=[episode(HOME_POST="")])) == []
    assert found("406", a_child(UASC=uasc)) == [
        ("406", "C1", ("HOME_POST", "PL_POST"), "episode starting 1 May 2024")
    ]
    # Formerly UASC: in last year's UASC table only.
    previous = a_return(a_child(UASC=uasc), year=LAST_YEAR)
    assert details("406", a_child(), previous=previous) == ["episode starting 1 May 2024"]


def test_407_no_special_guardianship_at_18():
    born_2006 = [header(DOB="01/05/2006")]
    before_18 = a_child(Header=born_2006, Episodes=[episode(**ended("01/05/2023", "30/04/2024", "E45"))])
    assert found("407", before_18) == []
    at_18 = a_child(Header=born_2006, Episodes=[episode(**ended("01/05/2023", "01/05/2024", "E47"))])
    assert found("407", at_18) == [
        ("407", "C1", ("DEC", "DOB", "REC"), "ceased 1 May 2024; 18 on 1 May 2024")
    ]
    other = a_child(Header=born_2006, Episodes=[episode(**ended("01/05/2023", "01/05/2024", "E8"))])
    assert found("407", other) == []


def test_408_placed_for_adoption_with_a_placement_order():
    assert found("408", episodes({"PLACE": "A6", "LS": "E1"}), episodes({"PLACE": "A4"}, child="C2")) == []
    assert found("408", episodes({"PLACE": "A5", "LS": "C2"})) == [
        ("408", "C1", ("PLACE", "LS"), "episode starting 1 May 2024")
    ]


def test_420_short_breaks_have_no_placement_la():
    assert found("420", episodes({"LS": "V3", "PL_POST": ""}), a_child("C2")) == []
    assert found("420", episodes({"LS": "V4", "HOME_POST": ""})) == [
        ("420", "C1", ("LS", "PL_POST"), "episode starting 1 May 2024")
    ]


def test_426_not_both_kinds_of_short_breaks():
    v3 = ended("01/05/2024", "03/05/2024", "E8", LS="V3")
    assert found("426", episodes(v3, {**v3, "DECOM": "01/06/2024", "DEC": "03/06/2024"})) == []
    v4 = {**v3, "DECOM": "01/06/2024", "DEC": "03/06/2024", "LS": "V4"}
    assert details("426", episodes(v3, v4)) == [
        "episode starting 1 May 2024, V3",
        "episode starting 1 June 2024, V4",
    ]


# The order of episodes -------------------------------------------------------------------------------------


def test_431_a_new_period_does_not_start_the_day_the_last_ended():
    home = ended("01/05/2024", "01/06/2024", "E4A")
    assert found("431", episodes(home, {"DECOM": "02/06/2024", "RNE": "S"})) == []
    assert found("431", episodes(home, {"DECOM": "01/06/2024", "RNE": "S"})) == [
        ("431", "C1", ("RNE", "DECOM"), "episode starting 1 June 2024, the day the episode before ended")
    ]


def test_432_after_care_ended_a_new_period_starts():
    home = ended("01/05/2024", "01/06/2024", "E4A")
    assert found("432", episodes(home, {"DECOM": "10/06/2024", "RNE": "S"})) == []
    assert (
        found("432", episodes(ended("01/05/2024", "01/06/2024"), {"DECOM": "01/06/2024", "RNE": "P"})) == []
    )
    assert found("432", episodes(home, {"DECOM": "10/06/2024", "RNE": "P"})) == [
        ("432", "C1", ("RNE",), "episode starting 10 June 2024; care ended E4A before it")
    ]


def test_433_a_continuation_starts_the_day_the_last_ended():
    moved = ended("01/05/2024", "01/06/2024")
    assert found("433", episodes(moved, {"DECOM": "01/06/2024", "RNE": "P", "PLACE": "U4"})) == []
    assert found("433", episodes({"DECOM": "01/06/2024", "RNE": "S"})) == []
    assert details("433", episodes(moved, {"DECOM": "02/06/2024", "RNE": "T"})) == [
        "episode starting 2 June 2024; the episode before ended 1 June 2024"
    ]
    assert details("433", episodes({"DEC": ""}, {"DECOM": "01/06/2024", "RNE": "L"})) == [
        "episode starting 1 June 2024; the episode before has no end"
    ]


def test_434_a_change_of_legal_status_only():
    interim = ended("01/05/2024", "01/06/2024", LS="C1")
    assert found("434", episodes(interim, {"DECOM": "01/06/2024", "RNE": "L", "LS": "C2"})) == []
    same_status = episodes(interim, {"DECOM": "01/06/2024", "RNE": "L", "LS": "C1"})
    moved_too = episodes(
        interim, {"DECOM": "01/06/2024", "RNE": "L", "LS": "C2", "PL_POST": "NB9 9ZZ"}, child="C2"
    )
    assert [(child, detail) for _, child, _, detail in found("434", same_status, moved_too)] == [
        ("C1", "episode starting 1 June 2024"),
        ("C2", "episode starting 1 June 2024"),
    ]


def test_435_a_change_of_placement_only():
    first = ended("01/05/2024", "01/06/2024")
    assert found("435", episodes(first, {"DECOM": "01/06/2024", "RNE": "P", "PLACE": "U4"})) == []
    assert found("435", episodes(first, {"DECOM": "01/06/2024", "RNE": "T", "URN": "SC123456"})) == []
    new_status = episodes(first, {"DECOM": "01/06/2024", "RNE": "P", "PLACE": "U4", "LS": "E1"})
    not_moved = episodes(first, {"DECOM": "01/06/2024", "RNE": "P"}, child="C2")
    assert [child for _, child, *_ in found("435", new_status, not_moved)] == ["C1", "C2"]


def test_436_a_change_of_both():
    first = ended("01/05/2024", "01/06/2024", LS="C1")
    assert found("436", episodes(first, {"DECOM": "01/06/2024", "RNE": "B", "LS": "C2", "PLACE": "U4"})) == []
    same_status = episodes(first, {"DECOM": "01/06/2024", "RNE": "U", "LS": "C1", "PLACE": "A5"})
    not_moved = episodes(first, {"DECOM": "01/06/2024", "RNE": "B", "LS": "C2"}, child="C2")
    assert [child for _, child, *_ in found("436", same_status, not_moved)] == ["C1", "C2"]


def test_437_nothing_after_death_or_adulthood():
    assert found("437", episodes(ended("01/05/2024", "01/06/2024", "E2"))) == []
    died = episodes(ended("01/05/2024", "01/06/2024", "E2"), {"DECOM": "10/06/2024"})
    adult = episodes(ended("01/05/2024", "01/06/2024", "E15"), {"DECOM": "10/06/2024"}, child="C2")
    assert found("437", died, adult) == [
        ("437", "C1", ("REC",), "episode starting 1 May 2024, ended E2"),
        ("437", "C2", ("REC",), "episode starting 1 May 2024, ended E15"),
    ]


# Reviews and the header ------------------------------------------------------------------------------------


def reviewed(day, code, dob="01/05/2020"):
    return a_child(Reviews=[row(DOB=dob, REVIEW=day, REVIEW_CODE=code)])


def test_440_under_four_code_only_before_the_fourth_birthday():
    assert found("440", reviewed("30/04/2024", "PN0")) == []
    # On the birthday itself the child is 4.
    assert found("440", reviewed("01/05/2024", "PN0")) == [
        ("440", "C1", ("DOB", "REVIEW", "REVIEW_CODE"), "review 1 May 2024; 4 on 1 May 2024")
    ]


def test_441_participation_codes_from_the_fourth_birthday():
    assert found("441", reviewed("01/05/2024", "PN1")) == []
    assert details("441", reviewed("30/04/2024", "PN7")) == ["review 30 April 2024; 4 on 1 May 2024"]
    # Born on 29 February; the header's DOB when the review has none.
    leap = a_child(
        Header=[header(DOB="29/02/2020")], Reviews=[row(DOB="", REVIEW="29/02/2024", REVIEW_CODE="PN2")]
    )
    assert details("441", leap) == []
    day_before = a_child(
        Header=[header(DOB="29/02/2020")], Reviews=[row(DOB="", REVIEW="28/02/2024", REVIEW_CODE="PN2")]
    )
    assert details("441", day_before) == ["review 28 February 2024; 4 on 29 February 2024"]


def test_442_upn_completed():
    assert found("442", a_child(), a_child("C2", Header=[header("C2", UPN="UN1")])) == []
    assert found("442", a_child(Header=[header(UPN="")], Episodes=[episode(LS="V3")])) == []
    assert found("442", a_child(Header=[header(UPN="")])) == [("442", "C1", ("UPN",), "")]


def test_444_upn_unique_from_2025_26():
    def child(name, upn):
        return a_child(name, Header=[header(name, UPN=upn)])

    assert found("444", child("C1", "UN2"), child("C2", "UN2"), year=NEW_CODES_YEAR) == []
    upn = "A001200116001"
    assert found("444", child("C1", upn), child("C2", upn), child("C3", "UN1"), year=NEW_CODES_YEAR) == [
        ("444", "C1", ("UPN",), "same UPN as C2"),
        ("444", "C2", ("UPN",), "same UPN as C1"),
    ]
    with pytest.raises(KeyError):  # not a rule before 2025-26
        findings("444", child("C1", upn), child("C2", upn))


def test_445_no_freeing_order_after_2005():
    assert found("445", episodes({"DECOM": "31/12/2005", "LS": "D1"})) == []
    assert found("445", episodes({"DECOM": "01/01/2006", "LS": "D1"})) == [
        ("445", "C1", ("LS", "DECOM"), "episode starting 1 January 2006")
    ]


def test_446_no_placement_order_before_december_2005():
    assert found("446", episodes({"DECOM": "01/12/2005", "LS": "E1"})) == []
    assert details("446", episodes({"DECOM": "30/11/2005", "LS": "E1"})) == [
        "episode starting 30 November 2005"
    ]


def test_451_no_freeing_order_still_open():
    assert found("451", episodes(ended("01/05/2005", "01/06/2024", "E11", LS="D1"))) == []
    assert found("451", episodes({"DECOM": "01/05/2005", "LS": "D1"})) == [
        ("451", "C1", ("DEC", "REC", "LS"), "episode starting 1 May 2005")
    ]


def test_460_stayed_with_carers_only_at_18():
    born_2006 = [header(DOB="01/05/2006")]
    at_18 = a_child(Header=born_2006, Episodes=[episode(**ended("01/05/2023", "01/05/2024", "E17"))])
    assert found("460", at_18) == []
    at_17 = a_child(Header=born_2006, Episodes=[episode(**ended("01/05/2023", "30/04/2024", "E17"))])
    assert found("460", at_17) == [("460", "C1", ("DEC", "REC"), "ceased 30 April 2024; 18 on 1 May 2024")]
    # Born on 29 February: 18 on 28 February in a common year.
    leap = [header(DOB="29/02/2008")]
    on_28th = a_child(Header=leap, Episodes=[episode(**ended("01/05/2025", "28/02/2026", "E17"))])
    assert found("460", on_28th, year=NEW_CODES_YEAR) == []
    on_27th = a_child(Header=leap, Episodes=[episode(**ended("01/05/2025", "27/02/2026", "E17"))])
    assert details("460", on_27th, year=NEW_CODES_YEAR) == ["ceased 27 February 2026; 18 on 28 February 2026"]


# Episodes against each other and against last year ---------------------------------------------------------


def test_501_no_episode_starts_before_the_last_ended():
    first = ended("01/05/2024", "10/06/2024")
    assert found("501", episodes(first, {"DECOM": "10/06/2024", "RNE": "P"})) == []
    assert found("501", episodes(first, {"DECOM": "01/06/2024", "RNE": "P"})) == [
        ("501", "C1", ("DECOM", "DEC"), "episode starting 1 June 2024; the episode before ended 10 June 2024")
    ]


def test_502_first_episode_is_last_years_open_one():
    previous = last_year({"DECOM": "01/05/2023"})
    assert found("502", episodes({"DECOM": "01/05/2023"}), previous=previous) == []
    assert found("502", episodes({"DECOM": "02/05/2023"})) == []  # no return for last year
    assert found("502", episodes({"DECOM": "02/05/2023"}), previous=last_year({"DEC": "01/06/2023"})) == []
    assert found("502", episodes({"DECOM": "02/05/2023"}), previous=previous) == [
        ("502", "C1", ("DECOM",), "episode starting 2 May 2023; last year's open episode started 1 May 2023")
    ]


@pytest.mark.parametrize(
    ("code", "column", "then", "now"),
    [
        ("503A", "RNE", "S", "P"),
        ("503B", "LS", "C1", "C2"),
        ("503C", "CIN", "N1", "N2"),
        ("503D", "PLACE", "U6", "U4"),
        ("503E", "PLACE_PROVIDER", "PR1", "PR4"),
        ("503F", "URN", "", "SC123456"),
    ],
)
def test_503_first_episode_matches_last_years_open_one(code, column, then, now):
    start = {"DECOM": "01/05/2023", column: then}
    previous = last_year(ended("01/04/2023", "01/05/2023", RNE="S"), start)
    assert found(code, episodes(start), previous=previous) == []
    assert found(code, episodes({**start, column: now})) == []  # no return for last year
    closed = last_year({**start, "DEC": "01/06/2023", "REC": "E4A"})
    assert found(code, episodes({**start, column: now}), previous=closed) == []
    assert found(code, episodes({**start, column: now}), previous=previous) == [
        (code, "C1", (column,), f"episode starting 1 May 2023: {now}; last year {then or 'blank'}")
    ]


def test_503D_replaced_placement_codes_in_2025_26():
    def compare(then, now, year=NEW_CODES_YEAR):
        previous = a_return(
            episodes({"DECOM": "01/05/2024", "PLACE": then}), year=CollectionYear(year.end_year - 1)
        )
        return details("503D", episodes({"DECOM": "01/05/2024", "PLACE": now}), year=year, previous=previous)

    assert compare("H5", "K3") == []
    assert compare("Z1", "Z12") == []
    assert compare("H5", "K2") == ["episode starting 1 May 2024: K2; last year H5"]
    assert compare("H5", "K3", year=YEAR) == ["episode starting 1 May 2024: K3; last year H5"]


def test_504_category_of_need_kept_through_a_period():
    first = ended("01/05/2024", "01/06/2024", CIN="N1")
    again = {"DECOM": "10/07/2024", "RNE": "S", "CIN": "N3"}
    assert found("504", episodes(first, {"DECOM": "01/06/2024", "RNE": "P", "CIN": "N1"})) == []
    left = episodes(ended("01/05/2024", "01/06/2024", "E4A", CIN="N1"), again)
    assert found("504", left) == []
    changed = episodes(
        first,
        ended("01/06/2024", "01/07/2024", RNE="P", CIN="N2"),
        {"DECOM": "01/07/2024", "RNE": "L", "CIN": "N2"},
    )
    assert found("504", changed) == [
        ("504", "C1", ("CIN",), "episode starting 1 June 2024: N2; at the start N1"),
        ("504", "C1", ("CIN",), "episode starting 1 July 2024: N2; at the start N1"),
    ]


# Adoption --------------------------------------------------------------------------------------------------


def test_511_two_adopters_coded_as_a_couple():
    assert found("511", adopted(), a_child("C2", AD1=[ad1(NB_ADOPTR="1", SEX_ADOPTR="M1")])) == []
    assert found("511", adopted(SEX_ADOPTR="F1")) == [("511", "C1", ("NB_ADOPTR", "SEX_ADOPTR"), "coded F1")]


def test_514_single_adopter_not_a_couple():
    assert found("514", adopted(LS_ADOPTR="L0", NB_ADOPTR="1", SEX_ADOPTR="F1")) == []
    two = adopted(LS_ADOPTR="L0", NB_ADOPTR="2", SEX_ADOPTR="F1")
    couple = a_child("C2", AD1=[ad1(LS_ADOPTR="L0", NB_ADOPTR="1", SEX_ADOPTR="MM")])
    assert found("514", two, couple) == [
        ("514", "C1", ("LS_ADOPTR", "NB_ADOPTR", "SEX_ADOPTR"), ""),
        ("514", "C2", ("LS_ADOPTR", "NB_ADOPTR", "SEX_ADOPTR"), ""),
    ]


def test_516_special_guardianship_to_foster_carers_from_fostering():
    sgo = ended("01/05/2024", "01/06/2024", "E46")
    assert found("516", episodes({**sgo, "PLACE": "U4"})) == []
    assert found("516", episodes({**sgo, "PLACE": "K2"})) == [
        ("516", "C1", ("REC", "PLACE"), "episode starting 1 May 2024, K2")
    ]


@pytest.mark.parametrize(
    ("code", "status", "right", "wrong"),
    [
        ("517", "L3", "MF", "FF"),
        ("518", "L4", "MM", "MF"),
        ("519", "L2", "FF", "M1"),
        ("520", "L11", "MF", "MM"),
        ("524", "L12", "FF", "MF"),
    ],
)
def test_517_to_524_adopters_sexes_match_their_legal_status(code, status, right, wrong):
    assert found(code, adopted(LS_ADOPTR=status, SEX_ADOPTR=right)) == []
    assert found(code, adopted(LS_ADOPTR="L0", SEX_ADOPTR="M1")) == []
    assert found(code, adopted(LS_ADOPTR=status, SEX_ADOPTR=wrong)) == [
        (code, "C1", ("LS_ADOPTR", "SEX_ADOPTR"), f"coded {wrong}")
    ]
    assert details(code, adopted(LS_ADOPTR=status, SEX_ADOPTR="")) == ["coded blank"]


def test_521_best_interests_decided_before_placing_for_adoption():
    def placed(decided):
        return a_child(
            Episodes=[episode(DECOM="01/06/2024", PLACE="A5", LS="E1")], AD1=[ad1(DATE_INT=decided)]
        )

    assert found("521", placed("01/06/2024")) == []
    assert found("521", placed("02/06/2024")) == [
        ("521", "C1", ("PLACE", "DECOM", "DATE_INT"), "placed 1 June 2024; decision 2 June 2024")
    ]


def placed_for_adoption(placed="01/06/2024", ceased="", **ad1_values):
    decision = row(DOB="01/05/2014", DATE_PLACED=placed, DATE_PLACED_CEASED=ceased, REASON_PLACED_CEASED="")
    return a_child(PlacedAdoption=[decision], AD1=[ad1(**ad1_values)] if ad1_values else [])


def test_522_decision_reversed_after_it_was_made():
    assert found("522", placed_for_adoption(ceased="01/06/2024")) == []
    assert found("522", placed_for_adoption(ceased="31/05/2024")) == [
        ("522", "C1", ("DATE_PLACED", "DATE_PLACED_CEASED"), "decided 1 June 2024; reversed 31 May 2024")
    ]


def test_523_placement_decision_the_day_of_the_best_interests_decision():
    assert found("523", placed_for_adoption(DATE_INT="01/06/2024")) == []
    assert found("523", placed_for_adoption(DATE_INT="31/05/2024")) == [
        ("523", "C1", ("DATE_PLACED", "DATE_INT"), "to be placed 1 June 2024; best interests 31 May 2024")
    ]


def test_525_no_adoption_after_the_decision_was_reversed():
    blank = dict.fromkeys(
        ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"), ""
    )
    assert found("525", placed_for_adoption(ceased="01/07/2024", **blank)) == []
    assert found("525", placed_for_adoption(DATE_MATCH="01/07/2024")) == []
    assert found(
        "525", placed_for_adoption(ceased="01/07/2024", **{**blank, "DATE_MATCH": "01/07/2024"})
    ) == [("525", "C1", ("DATE_PLACED_CEASED", "DATE_MATCH"), "")]


# Placement providers ---------------------------------------------------------------------------------------


def test_526_placement_provider_given():
    assert found("526", a_child(), episodes({"PLACE": "T1", "PLACE_PROVIDER": ""}, child="C2")) == []
    assert found("526", episodes({"PLACE": "Z1", "PLACE_PROVIDER": ""})) == []
    assert found("526", episodes({"PLACE_PROVIDER": ""})) == [
        ("526", "C1", ("PLACE", "PLACE_PROVIDER"), "episode starting 1 May 2024, U6")
    ]
    # From 2025-26 the other placements are Z11-Z14, and Z1 is no longer one.
    assert found("526", episodes({"PLACE": "Z12", "PLACE_PROVIDER": ""}), year=NEW_CODES_YEAR) == []
    assert details("526", episodes({"PLACE": "Z1", "PLACE_PROVIDER": ""}), year=NEW_CODES_YEAR) == [
        "episode starting 1 May 2024, Z1"
    ]


@pytest.mark.parametrize(
    ("code", "provider", "wrong", "right"),
    [
        ("527", "PR1", "R5", "K2"),
        ("528", "PR2", "R2", "U4"),
        ("529", "PR3", "A4", "R2"),
        ("530", "PR4", "P1", "K2"),
        ("531", "PR5", "P1", "U6"),
    ],
)
def test_527_to_531_providers_provide_only_their_placements(code, provider, wrong, right):
    assert found(code, episodes({"PLACE_PROVIDER": provider, "PLACE": right})) == []
    assert found(code, episodes({"PLACE_PROVIDER": "PR0", "PLACE": wrong})) == []
    assert found(code, episodes({"PLACE_PROVIDER": provider, "PLACE": wrong})) == [
        (code, "C1", ("PLACE", "PLACE_PROVIDER"), f"episode starting 1 May 2024, {wrong}")
    ]
