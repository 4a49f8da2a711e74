"""The SSDA903 checks 542-635 (``ssda903/checks/later.py``): one test per rule, each with a child that passes
and one that fails.

The default child (``ssda903.a_child``) is a girl born on 1 May 2014, looked after from 1 May 2024 in an
episode still open; the year is 2024-25 unless a test says otherwise.
"""

from safeguard.core.years import CollectionYear
from safeguard.returns.rules import Source
from safeguard.returns.tests.ssda903 import YEAR, a_child, a_return, episode, findings, header, row

BEFORE_SEX = CollectionYear(2024)  # 2023-24: SEX 1/2, not M/F


def found(code, *children, year=YEAR, previous=None):
    """``(rule, child, fields, detail, line)`` of each finding: ``line`` is the row's (see ``at``)."""
    return [
        (f.rule.code, f.la_child_id, f.fields, f.detail, f.source.line if f.source else None)
        for f in findings(code, *children, year=year, previous=previous)
    ]


def at(line: int, the_row):
    """The row, marked as line ``line`` of its file, to tell which row a finding names."""
    the_row.source = Source(line=line)
    return the_row


def in_care_all_year(**values):
    """An episode open since 1 January 2020: looked after continuously through 2024-25."""
    return episode(**{"DECOM": "01/01/2020", **values})


def oc2(**values):
    defaults = {
        "DOB": "01/05/2014",
        "CONVICTED": "0",
        "HEALTH_CHECK": "",
        "IMMUNISATIONS": "1",
        "TEETH_CHECK": "1",
        "HEALTH_ASSESSMENT": "1",
        "SUBSTANCE_MISUSE": "0",
    }
    return at(1, row(**{**defaults, **values}))


def decision(line=1, **values):
    """A decision to place for adoption (PlacedAdoption), still open."""
    defaults = {"DATE_PLACED": "01/06/2024", "DATE_PLACED_CEASED": "", "REASON_PLACED_CEASED": ""}
    return at(line, row(**{**defaults, **values}))


def ceased(line=1, **values):
    return decision(line, **{"DATE_PLACED_CEASED": "01/09/2024", "REASON_PLACED_CEASED": "RD1", **values})


def missing(line=1, **values):
    return at(line, row(**{"MISSING": "M", "MIS_START": "01/06/2024", "MIS_END": "02/06/2024", **values}))


def prev_perm(**values):
    return at(1, row(**{"PREV_PERM": "P1", "LA_PERM": "330", "DATE_PERM": "01/01/2020", **values}))


def last_year(*children):
    return a_return(*children, year=CollectionYear(2024))


# OC2 (542-547) ---------------------------------------------------------------------------------------------


def test_542_no_conviction_information_under_ten():
    assert found("542", a_child(OC2=[oc2(DOB="31/03/2015")])) == []  # 10 on 31 March
    assert found("542", a_child(OC2=[oc2(DOB="01/04/2016", CONVICTED="")])) == []
    assert found("542", a_child(OC2=[oc2(DOB="01/04/2015")])) == [("542", "C1", ("CONVICTED", "DOB"), "", 1)]


def test_543_conviction_information_at_ten_after_a_year_in_care():
    ten_on_31_march = oc2(DOB="31/03/2015", CONVICTED="")
    assert found("543", a_child(Episodes=[in_care_all_year()], OC2=[ten_on_31_march])) == [
        ("543", "C1", ("CONVICTED", "DOB"), "", 1)
    ]
    assert (
        found("543", a_child(Episodes=[in_care_all_year()], OC2=[oc2(DOB="01/04/2015", CONVICTED="")])) == []
    )
    assert found("543", a_child(Episodes=[in_care_all_year()], OC2=[oc2(DOB="31/03/2015")])) == []
    # Started to be looked after this year: not in care for the 12 months.
    assert found("543", a_child(OC2=[ten_on_31_march])) == []
    # A short break during the year breaks continuity.
    assert found("543", a_child(Episodes=[in_care_all_year(LS="V3")], OC2=[ten_on_31_march])) == []


def test_544_conviction_information_needs_the_health_items():
    assert found("544", a_child(OC2=[oc2()])) == []
    assert found("544", a_child(OC2=[oc2(CONVICTED="", TEETH_CHECK="")])) == []
    assert found("544", a_child(OC2=[oc2(TEETH_CHECK="", SUBSTANCE_MISUSE="")])) == [
        ("544", "C1", ("CONVICTED", "TEETH_CHECK", "SUBSTANCE_MISUSE"), "", 1)
    ]


def test_545_health_promotion_under_five_after_a_year_in_care():
    under_five = oc2(DOB="01/04/2020", CONVICTED="")  # 5 on 1 April 2025
    assert found("545", a_child(Episodes=[in_care_all_year()], OC2=[under_five])) == [
        ("545", "C1", ("HEALTH_CHECK", "DOB"), "", 1)
    ]
    assert found("545", a_child(Episodes=[in_care_all_year()], OC2=[oc2(DOB="31/03/2020")])) == []
    assert (
        found("545", a_child(Episodes=[in_care_all_year()], OC2=[oc2(DOB="01/04/2020", HEALTH_CHECK="1")]))
        == []
    )
    # Left care during the year (and came back): not continuously looked after.
    episodes = [
        in_care_all_year(DEC="01/06/2024", REC="E4A"),
        episode(DECOM="01/08/2024", RNE="S"),
    ]
    assert found("545", a_child(Episodes=episodes, OC2=[under_five])) == []


def test_546_no_health_promotion_at_five():
    assert found("546", a_child(OC2=[oc2(DOB="01/04/2020", HEALTH_CHECK="1")])) == []
    assert found("546", a_child(OC2=[oc2(DOB="31/03/2020")])) == []
    assert found("546", a_child(OC2=[oc2(DOB="31/03/2020", HEALTH_CHECK="1")])) == [
        ("546", "C1", ("HEALTH_CHECK", "DOB"), "", 1)
    ]


def test_547_health_promotion_needs_the_health_items():
    assert found("547", a_child(OC2=[oc2(HEALTH_CHECK="1")])) == []
    assert found("547", a_child(OC2=[oc2(HEALTH_CHECK="0", IMMUNISATIONS="")])) == [
        ("547", "C1", ("HEALTH_CHECK", "IMMUNISATIONS"), "", 1)
    ]


# Episodes and decisions to place for adoption (550-563, 579, 583, 584) --------------------------------------


def test_550_parent_provider_only_with_parents():
    assert found("550", a_child(Episodes=[episode(PLACE="P1", PLACE_PROVIDER="PR0")])) == []
    assert found("550", a_child(Episodes=[at(2, episode(PLACE_PROVIDER="PR0"))])) == [
        ("550", "C1", ("PLACE_PROVIDER", "PLACE"), "", 2)
    ]


def test_551_placed_for_adoption_needs_a_decision():
    placed = at(2, episode(PLACE="A4"))
    assert found("551", a_child(Episodes=[placed], PlacedAdoption=[decision()])) == []
    assert found("551", a_child(Episodes=[episode()])) == []
    expected = [("551", "C1", ("DATE_PLACED", "PLACE"), "", 2)]
    assert found("551", a_child(Episodes=[placed])) == expected
    assert found("551", a_child(Episodes=[placed], PlacedAdoption=[decision(DATE_PLACED="")])) == expected


def test_552_decision_on_or_before_placement_for_adoption():
    episodes = [
        episode(DEC="01/09/2024", REC="X1"),
        at(2, episode(DECOM="01/09/2024", RNE="P", PLACE="A6")),
    ]
    assert found("552", a_child(Episodes=episodes, PlacedAdoption=[decision(DATE_PLACED="01/09/2024")])) == []
    # A reversed decision and a new one: the earliest came before the placement.
    two = [ceased(DATE_PLACED="01/08/2024"), decision(DATE_PLACED="01/10/2024")]
    assert found("552", a_child(Episodes=episodes, PlacedAdoption=two)) == []
    assert found("552", a_child(Episodes=episodes, PlacedAdoption=[decision(DATE_PLACED="02/09/2024")])) == [
        (
            "552",
            "C1",
            ("DATE_PLACED", "DECOM"),
            "placed for adoption 1 September 2024, decision 2 September 2024",
            2,
        )
    ]


def test_553_placement_order_needs_a_decision():
    order = at(2, episode(LS="E1"))
    assert found("553", a_child(Episodes=[order], PlacedAdoption=[decision()])) == []
    assert found("553", a_child(Episodes=[order])) == [("553", "C1", ("DATE_PLACED", "LS"), "", 2)]
    # The order is still in force, but the decision is recorded as ceased.
    assert found("553", a_child(Episodes=[order], PlacedAdoption=[ceased(3)])) == [
        (
            "553",
            "C1",
            ("DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
            "the order is still in force but the decision is recorded as ceased",
            3,
        )
    ]
    ended = episode(LS="E1", DEC="01/10/2024", REC="E13")
    assert found("553", a_child(Episodes=[ended], PlacedAdoption=[ceased()])) == []


def test_554_decision_on_or_before_placement_order():
    order = at(2, episode(LS="E1"))
    assert found("554", a_child(Episodes=[order], PlacedAdoption=[decision(DATE_PLACED="01/05/2024")])) == []
    assert found("554", a_child(Episodes=[order], PlacedAdoption=[decision(DATE_PLACED="02/05/2024")])) == [
        ("554", "C1", ("DATE_PLACED", "DECOM", "LS"), "order from 1 May 2024, decision 2 May 2024", 2)
    ]


def test_555_freeing_order_needs_a_decision():
    order = at(2, episode(LS="D1"))
    assert found("555", a_child(Episodes=[order], PlacedAdoption=[decision()])) == []
    assert found("555", a_child(Episodes=[order])) == [("555", "C1", ("DATE_PLACED", "LS"), "", 2)]
    assert [f[4] for f in found("555", a_child(Episodes=[order], PlacedAdoption=[ceased(3)]))] == [3]


def test_556_decision_on_or_before_freeing_order():
    order = at(2, episode(LS="D1"))
    assert found("556", a_child(Episodes=[order], PlacedAdoption=[decision(DATE_PLACED="30/04/2024")])) == []
    assert found("556", a_child(Episodes=[order], PlacedAdoption=[decision(DATE_PLACED="02/05/2024")])) == [
        ("556", "C1", ("DATE_PLACED", "DECOM", "LS"), "order from 1 May 2024, decision 2 May 2024", 2)
    ]


def test_557_left_care_not_adopted_decision_must_cease():
    left = at(2, episode(PLACE="A6", LS="E1", DEC="01/10/2024", REC="E13"))
    fields = ("DATE_PLACED_CEASED", "REASON_PLACED_CEASED", "REC")
    assert found("557", a_child(Episodes=[left], PlacedAdoption=[ceased()])) == []
    assert found("557", a_child(Episodes=[left], PlacedAdoption=[decision(3)])) == [
        ("557", "C1", fields, "", 3)
    ]
    assert found("557", a_child(Episodes=[left], PlacedAdoption=[ceased(3, REASON_PLACED_CEASED="")])) == [
        ("557", "C1", fields, "", 3)
    ]
    assert found("557", a_child(Episodes=[left])) == [
        ("557", "C1", fields, "no decision to place for adoption is recorded", 2)
    ]
    adopted = episode(PLACE="A6", LS="E1", DEC="01/10/2024", REC="E11")
    assert found("557", a_child(Episodes=[adopted], PlacedAdoption=[decision()])) == []
    # A freeing order counts before 2024-25 only.
    freed = episode(DECOM="01/05/2023", LS="D1", DEC="01/10/2023", REC="E4A")
    assert [
        f[4] for f in found("557", a_child(Episodes=[freed], PlacedAdoption=[decision(3)]), year=BEFORE_SEX)
    ] == [3]
    assert found("557", a_child(Episodes=[freed], PlacedAdoption=[decision(3)])) == []


def test_558_adopted_decision_not_ceased():
    adopted = episode(PLACE="A6", DEC="01/10/2024", REC="E11")
    assert found("558", a_child(Episodes=[adopted], PlacedAdoption=[decision()])) == []
    # An earlier decision reversed, the latest led to the adoption.
    earlier = ceased(DATE_PLACED="01/01/2024", DATE_PLACED_CEASED="01/02/2024")
    assert found("558", a_child(Episodes=[adopted], PlacedAdoption=[earlier, decision(2)])) == []
    assert found("558", a_child(Episodes=[adopted], PlacedAdoption=[ceased(3)])) == [
        ("558", "C1", ("DATE_PLACED_CEASED", "REC"), "", 3)
    ]
    assert found("558", a_child(PlacedAdoption=[ceased(3)])) == []


def test_559_old_decision_must_be_in_last_return():
    old = decision(3, DATE_PLACED="31/03/2024")
    before = last_year(a_child())
    assert found("559", a_child(PlacedAdoption=[old])) == []  # no previous return: nothing checked
    assert found("559", a_child(PlacedAdoption=[decision(DATE_PLACED="01/04/2024")]), previous=before) == []
    recorded = last_year(a_child(PlacedAdoption=[decision(DATE_PLACED="31/03/2024")]))
    assert found("559", a_child(PlacedAdoption=[old]), previous=recorded) == []
    assert found("559", a_child(PlacedAdoption=[old]), previous=before) == [
        ("559", "C1", ("DATE_PLACED",), "decided 31 March 2024; last year's return has no decision", 3)
    ]


def test_560_open_decision_keeps_its_date():
    before = last_year(a_child(PlacedAdoption=[decision(DATE_PLACED="01/02/2024")]))
    same = a_child(PlacedAdoption=[decision(DATE_PLACED="01/02/2024")])
    moved = a_child(PlacedAdoption=[decision(3, DATE_PLACED="03/02/2024")])
    assert found("560", same, previous=before) == []
    assert found("560", moved) == []
    assert (
        found("560", moved, previous=last_year(a_child(PlacedAdoption=[ceased(DATE_PLACED="01/02/2024")])))
        == []
    )
    assert found("560", moved, previous=before) == [
        (
            "560",
            "C1",
            ("DATE_PLACED", "DATE_PLACED_CEASED"),
            "last year's return had a decision dated 01/02/2024, still open",
            3,
        )
    ]


def test_561_ceased_decision_not_returned_again():
    this_year = a_child(PlacedAdoption=[decision(3, DATE_PLACED="01/02/2024")])
    assert (
        found(
            "561", this_year, previous=last_year(a_child(PlacedAdoption=[decision(DATE_PLACED="01/02/2024")]))
        )
        == []
    )
    ended = last_year(
        a_child(PlacedAdoption=[ceased(DATE_PLACED="01/02/2024", DATE_PLACED_CEASED="01/03/2024")])
    )
    assert found("561", this_year) == []
    assert found("561", this_year, previous=ended) == [("561", "C1", ("DATE_PLACED",), "", 3)]


def test_562_episode_from_before_the_year_continues_last_years():
    started_before = at(2, episode(DECOM="01/02/2024"))
    before = last_year(
        a_child(
            Episodes=[episode(DECOM="01/01/2023", DEC="01/02/2024", REC="X1"), episode(DECOM="01/02/2024")]
        )
    )
    assert found("562", a_child(Episodes=[started_before]), previous=before) == []
    assert found("562", a_child(Episodes=[started_before])) == []
    assert found("562", a_child(), previous=last_year()) == []  # started this year
    gap = last_year(a_child(Episodes=[episode(DECOM="01/01/2024")]))
    assert found("562", a_child(Episodes=[started_before]), previous=gap) == [
        (
            "562",
            "C1",
            ("DECOM",),
            "started 1 February 2024; in last year's return its last started 1 January 2024",
            2,
        )
    ]
    assert found("562", a_child(Episodes=[started_before]), previous=last_year()) == [
        ("562", "C1", ("DECOM",), "started 1 February 2024; in last year's return the child is not in it", 2)
    ]


def test_563_ceased_decision_needs_its_date():
    assert found("563", a_child(PlacedAdoption=[ceased()])) == []
    fields = ("DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED")
    assert found("563", a_child(PlacedAdoption=[ceased(3, DATE_PLACED="")])) == [("563", "C1", fields, "", 3)]
    only_reason = decision(4, DATE_PLACED="", REASON_PLACED_CEASED="RD3")
    assert found("563", a_child(PlacedAdoption=[only_reason])) == [("563", "C1", fields, "", 4)]


def test_579_decisions_do_not_overlap():
    apart = [
        ceased(1, DATE_PLACED="01/06/2024", DATE_PLACED_CEASED="05/06/2024"),
        decision(2, DATE_PLACED="05/06/2024"),
    ]
    assert found("579", a_child(PlacedAdoption=apart)) == []
    overlapping = [
        ceased(1, DATE_PLACED="01/06/2024", DATE_PLACED_CEASED="05/06/2024"),
        decision(2, DATE_PLACED="04/06/2024"),
    ]
    assert [f[4] for f in found("579", a_child(PlacedAdoption=overlapping))] == [2]
    still_open = [
        decision(1, DATE_PLACED="01/06/2024"),
        ceased(2, DATE_PLACED="07/06/2024", DATE_PLACED_CEASED="09/06/2024"),
    ]
    assert found("579", a_child(PlacedAdoption=still_open)) == [
        ("579", "C1", ("DATE_PLACED", "DATE_PLACED_CEASED"), "", 2)
    ]


def test_583_earlier_decision_must_be_revoked():
    assert found("583", a_child(PlacedAdoption=[decision()])) == []
    revoked = [ceased(1, DATE_PLACED="01/02/2024"), decision(2, DATE_PLACED="01/06/2024")]
    assert found("583", a_child(PlacedAdoption=revoked)) == []
    both_open = [decision(1, DATE_PLACED="01/02/2024"), decision(2, DATE_PLACED="01/06/2024")]
    assert [f[4] for f in found("583", a_child(PlacedAdoption=both_open))] == [1, 2]
    earlier_open = [decision(1, DATE_PLACED="01/02/2024"), ceased(2, DATE_PLACED="01/06/2024")]
    assert found("583", a_child(PlacedAdoption=earlier_open)) == [
        ("583", "C1", ("DATE_PLACED", "DATE_PLACED_CEASED"), "", 1)
    ]


def test_584_new_decision_after_a_ceased_one_is_later():
    ended = last_year(
        a_child(PlacedAdoption=[ceased(DATE_PLACED="01/02/2024", DATE_PLACED_CEASED="01/03/2024")])
    )
    assert found("584", a_child(PlacedAdoption=[decision(DATE_PLACED="01/06/2024")]), previous=ended) == []
    assert found("584", a_child(PlacedAdoption=[decision(DATE_PLACED="01/01/2024")])) == []
    detail = "last year's return shows a decision of 1 February 2024 ceased"
    for date_placed in ("01/02/2024", "01/01/2024", ""):
        assert found(
            "584", a_child(PlacedAdoption=[decision(3, DATE_PLACED=date_placed)]), previous=ended
        ) == [("584", "C1", ("DATE_PLACED",), detail, 3)]


# Missing and away from placement (564-581, 586) -------------------------------------------------------------


def test_564_missing_needs_a_start():
    assert found("564", a_child(Missing=[missing()])) == []
    assert found("564", a_child(Missing=[missing(MISSING="", MIS_START="")])) == []
    assert found("564", a_child(Missing=[missing(3, MISSING="m", MIS_START="")])) == [
        ("564", "C1", ("MISSING", "MIS_START"), "", 3)
    ]


def test_565_start_needs_missing_or_away():
    assert found("565", a_child(Missing=[missing(MISSING="A")])) == []
    assert found("565", a_child(Missing=[missing(3, MISSING="")])) == [
        ("565", "C1", ("MISSING", "MIS_START"), "", 3)
    ]


def test_566_end_needs_missing_or_away():
    assert found("566", a_child(Missing=[missing()])) == []
    assert found("566", a_child(Missing=[missing(MISSING="", MIS_END="")])) == []
    assert found("566", a_child(Missing=[missing(3, MISSING="", MIS_START="")])) == [
        ("566", "C1", ("MISSING", "MIS_END"), "", 3)
    ]


def test_567_missing_ends_after_it_starts():
    assert found("567", a_child(Missing=[missing(MIS_END="01/06/2024")])) == []
    assert found("567", a_child(Missing=[missing(3, MIS_START="05/06/2024", MIS_END="04/06/2024")])) == [
        ("567", "C1", ("MIS_START", "MIS_END"), "started 5 June 2024, ended 4 June 2024", 3)
    ]


def test_570_missing_starts_by_the_end_of_the_year():
    assert found("570", a_child(Missing=[missing(MIS_START="31/03/2025", MIS_END="")])) == []
    assert found("570", a_child(Missing=[missing(3, MIS_START="01/04/2025", MIS_END="")])) == [
        ("570", "C1", ("MIS_START",), "started 1 April 2025", 3)
    ]


def test_571_missing_ends_within_the_year():
    assert found("571", a_child(Missing=[missing(MIS_START="30/03/2024", MIS_END="01/04/2024")])) == []
    assert found("571", a_child(Missing=[missing(MIS_END="31/03/2025")])) == []
    assert found("571", a_child(Missing=[missing(3, MIS_START="30/03/2024", MIS_END="31/03/2024")])) == [
        ("571", "C1", ("MIS_END",), "ended 31 March 2024", 3)
    ]
    assert [f[3] for f in found("571", a_child(Missing=[missing(MIS_END="01/04/2025")]))] == [
        "ended 1 April 2025"
    ]


def test_574_missing_periods_do_not_overlap():
    one_after_another = [missing(1, MIS_END="05/06/2024"), missing(2, MIS_START="05/06/2024", MIS_END="")]
    assert found("574", a_child(Missing=one_after_another)) == []
    overlapping = [missing(1, MIS_END="05/06/2024"), missing(2, MIS_START="04/06/2024", MIS_END="")]
    assert found("574", a_child(Missing=overlapping)) == [("574", "C1", ("MIS_START", "MIS_END"), "", 2)]
    # Inside a long period, after a short one that ended.
    nested = [missing(1, MIS_END="30/06/2024"), missing(2, MIS_START="05/06/2024", MIS_END="06/06/2024"),
              missing(3, MIS_START="10/06/2024", MIS_END="12/06/2024")]  # fmt: skip
    assert [f[4] for f in found("574", a_child(Missing=nested))] == [2, 3]
    after_open = [missing(1, MIS_END=""), missing(2, MIS_START="07/06/2024", MIS_END="09/06/2024")]
    assert [f[4] for f in found("574", a_child(Missing=after_open))] == [2]


def test_575_placement_ended_so_missing_ends():
    moved = [episode(DEC="01/08/2024", REC="X1"), episode(DECOM="01/08/2024", RNE="P", PLACE="U4")]
    assert found("575", a_child(Episodes=moved, Missing=[missing()])) == []
    assert found("575", a_child(Missing=[missing(MIS_END="")])) == []  # the placement goes on
    assert found("575", a_child(Episodes=moved, Missing=[missing(3, MIS_END="")])) == [
        ("575", "C1", ("MIS_END",), "went missing 1 June 2024; the placement ended 1 August 2024", 3)
    ]
    # A change of legal status only: the same placement goes on.
    same_placement = [episode(DEC="01/08/2024", REC="X1"), episode(DECOM="01/08/2024", RNE="L", LS="E1")]
    assert found("575", a_child(Episodes=same_placement, Missing=[missing(MIS_END="")])) == []


def test_576_open_missing_period_carried_into_this_year():
    before = last_year(a_child(Missing=[missing(MIS_START="01/03/2024", MIS_END="")]))
    carried = missing(MIS_START="01/03/2024", MIS_END="03/05/2024")
    assert found("576", a_child(Missing=[carried]), previous=before) == []
    assert found("576", a_child()) == []
    assert found("576", a_child(), previous=last_year(a_child(Missing=[missing()]))) == []
    detail = "last year's return has a period open since 01/03/2024"
    assert found("576", a_child(), previous=before) == [("576", "C1", ("MIS_START",), detail, None)]
    assert found("576", a_child(Missing=[missing(3)]), previous=before) == [
        ("576", "C1", ("MIS_START",), detail, 3)
    ]


def test_577_ceased_care_so_missing_ends():
    left = [episode(DEC="01/10/2024", REC="E4A")]
    assert found("577", a_child(Episodes=left, Missing=[missing(MIS_START="01/09/2024")])) == []
    assert found("577", a_child(Missing=[missing(MIS_END="")])) == []
    moved = [episode(DEC="01/10/2024", REC="X1"), episode(DECOM="01/10/2024", RNE="P")]
    assert found("577", a_child(Episodes=moved, Missing=[missing(MIS_END="")])) == []
    assert found("577", a_child(Episodes=left, Missing=[missing(3, MIS_START="01/09/2024", MIS_END="")])) == [
        (
            "577",
            "C1",
            ("MIS_END",),
            "went missing 1 September 2024; ceased to be looked after 1 October 2024",
            3,
        )
    ]


def test_578_missing_not_after_care_ended():
    left = [episode(DEC="01/10/2024", REC="E4A")]
    assert found("578", a_child(Episodes=left, Missing=[missing(MIS_START="01/10/2024", MIS_END="")])) == []
    assert found("578", a_child(Episodes=left, Missing=[missing(MIS_START="30/04/2024")])) == []  # rule 581's
    assert found("578", a_child(Episodes=left, Missing=[missing(3, MIS_START="02/10/2024", MIS_END="")])) == [
        ("578", "C1", ("MIS_START",), "started 2 October 2024; care ended 1 October 2024", 3)
    ]


def test_580_missing_at_eighteen_ceases_with_e8():
    eighteen = header(DOB="01/10/2006")
    missing_to_18 = [missing(MIS_START="25/09/2024", MIS_END="01/10/2024")]
    e8 = a_child(Header=[eighteen], Episodes=[episode(DEC="01/10/2024", REC="E8")], Missing=missing_to_18)
    assert found("580", e8) == []
    home = a_child(
        Header=[eighteen], Episodes=[at(2, episode(DEC="01/10/2024", REC="E4A"))], Missing=missing_to_18
    )
    assert found("580", home) == [
        ("580", "C1", ("REC", "MIS_END"), "missing until 1 October 2024, their 18th birthday", 2)
    ]
    back_before = a_child(
        Header=[eighteen],
        Episodes=[episode(DEC="01/10/2024", REC="E4A")],
        Missing=[missing(MIS_END="30/09/2024")],
    )
    assert found("580", back_before) == []


def test_581_missing_not_before_care():
    assert found("581", a_child(Missing=[missing(MIS_START="01/05/2024")])) == []
    assert found("581", a_child(Missing=[missing(3, MIS_START="30/04/2024")])) == [
        ("581", "C1", ("MIS_START",), "started 30 April 2024; first looked after 1 May 2024", 3)
    ]


def test_586_missing_not_before_birth():
    assert found("586", a_child(Missing=[missing(MIS_START="01/05/2014")])) == []
    assert found("586", a_child(Missing=[missing(3, MIS_START="30/04/2014", DOB="")])) == [
        ("586", "C1", ("MIS_START", "DOB"), "started 30 April 2014, born 1 May 2014", 3)
    ]


# Adoption (582, 601, 602) -----------------------------------------------------------------------------------


def ad1(line=1, **values):
    defaults = {
        "DATE_INT": "01/02/2024", "DATE_MATCH": "01/06/2024", "FOSTER_CARE": "0", "NB_ADOPTR": "2",
        "SEX_ADOPTR": "MF", "LS_ADOPTR": "L0",
    }  # fmt: skip
    return at(line, row(**{**defaults, **values}))


ADOPTED = at(2, episode(PLACE="A6", DEC="01/10/2024", REC="E12"))


def test_582_matched_before_adoption():
    assert found("582", a_child(Episodes=[ADOPTED], AD1=[ad1()])) == []
    assert found("582", a_child(Episodes=[ADOPTED], AD1=[ad1(DATE_MATCH="01/10/2024")])) == [
        ("582", "C1", ("DEC", "DATE_MATCH"), "adopted and matched on 1 October 2024", 2)
    ]


def test_601_adopted_needs_the_adoption_items():
    assert found("601", a_child(Episodes=[ADOPTED], AD1=[ad1()])) == []
    adopted_last_year = episode(DECOM="01/05/2023", PLACE="A6", DEC="31/03/2024", REC="E12")
    assert found("601", a_child(Episodes=[adopted_last_year])) == []
    assert found("601", a_child(Episodes=[ADOPTED], AD1=[ad1(3, NB_ADOPTR="", LS_ADOPTR="")])) == [
        ("601", "C1", ("NB_ADOPTR", "LS_ADOPTR"), "", 3)
    ]
    assert found("601", a_child(Episodes=[ADOPTED])) == [
        ("601", "C1", ("REC", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
         "no adoption items are returned", 2)
    ]  # fmt: skip


def test_602_adoption_items_only_if_adopted():
    assert found("602", a_child(Episodes=[ADOPTED], AD1=[ad1()])) == []
    blank = ad1(
        **dict.fromkeys(("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"), "")
    )
    assert found("602", a_child(AD1=[blank])) == []
    assert found("602", a_child(AD1=[ad1(3)])) == [("602", "C1", ("CHILD",), "", 3)]


# Mothers (607-628) --------------------------------------------------------------------------------------------


def mother(**values):
    return at(1, header(**{"DOB": "01/05/2007", "MOTHER": "1", "MC_DOB": "01/01/2024", **values}))


def test_607_ceased_care_needs_mother_item():
    left = [episode(DEC="01/10/2024", REC="E4A")]
    assert found("607", a_child(Header=[mother(MOTHER="0")], Episodes=left)) == []
    assert found("607", a_child(Header=[mother(MOTHER="", SEX="M")], Episodes=left)) == []
    assert found("607", a_child(Header=[mother(MOTHER="")])) == []  # still looked after
    assert (
        found(
            "607",
            a_child(Header=[mother(MOTHER="")], Episodes=[episode(LS="V3", DEC="01/10/2024", REC="E4A")]),
        )
        == []
    )
    assert found("607", a_child(Header=[mother(MOTHER="")], Episodes=left)) == [
        ("607", "C1", ("MOTHER", "DEC", "REC"), "ceased to be looked after 1 October 2024", 1)
    ]
    left_2024 = [episode(DECOM="01/05/2023", DEC="01/10/2023", REC="E4A")]
    assert (
        len(found("607", a_child(Header=[mother(MOTHER="", SEX="2")], Episodes=left_2024), year=BEFORE_SEX))
        == 1
    )
    assert (
        found("607", a_child(Header=[mother(MOTHER="", SEX="F")], Episodes=left_2024), year=BEFORE_SEX) == []
    )


def test_611_mother_needs_child_dob():
    assert found("611", a_child(Header=[mother()])) == []
    assert found("611", a_child(Header=[mother(MC_DOB="")])) == [("611", "C1", ("MOTHER", "MC_DOB"), "", 1)]


def test_612_child_dob_only_for_a_mother():
    assert found("612", a_child(Header=[mother()])) == []
    assert found("612", a_child(Header=[mother(MOTHER="0", MC_DOB="")])) == []
    assert found("612", a_child(Header=[mother(MOTHER="0", SEX="M")])) == []
    expected = [("612", "C1", ("SEX", "MOTHER", "MC_DOB"), "", 1)]
    assert found("612", a_child(Header=[mother(MOTHER="0")])) == expected
    assert found("612", a_child(Header=[mother(MOTHER="")])) == expected
    assert found("612", a_child(Header=[mother(MOTHER="0", SEX="2")]), year=BEFORE_SEX) == expected


def test_620_mother_at_least_eleven():
    assert found("620", a_child(Header=[mother(DOB="01/04/2013")])) == []  # 11 on 1 April 2024
    assert found("620", a_child(Header=[mother(DOB="02/04/2013", MOTHER="0")])) == []
    assert found("620", a_child(Header=[mother(DOB="02/04/2013")])) == [
        ("620", "C1", ("DOB", "MOTHER"), "born 2 April 2013", 1)
    ]


def test_621_mother_not_younger_than_her_child():
    assert found("621", a_child(Header=[mother()])) == []
    assert found("621", a_child(Header=[mother(MC_DOB="30/04/2007")])) == [
        ("621", "C1", ("DOB", "MC_DOB"), "born 1 May 2007, her child born 30 April 2007", 1)
    ]


def test_624_child_dob_as_last_year():
    before = last_year(a_child(Header=[mother(MC_DOB="01/01/2024")]))
    assert found("624", a_child(Header=[mother()]), previous=before) == []
    assert found("624", a_child(Header=[mother(MC_DOB="02/01/2024")])) == []
    assert (
        found("624", a_child(Header=[mother()]), previous=last_year(a_child(Header=[mother(MC_DOB="")])))
        == []
    )
    assert found("624", a_child(Header=[mother(MC_DOB="02/01/2024")]), previous=before) == [
        ("624", "C1", ("MC_DOB",), "last year's return gave 01/01/2024", 1)
    ]


def test_625_child_born_by_year_end_or_care_ended():
    assert found("625", a_child(Header=[mother(MC_DOB="31/03/2025")])) == []
    assert found("625", a_child(Header=[mother(MC_DOB="01/04/2025")])) == [
        ("625", "C1", ("MC_DOB", "DEC"), "born 1 April 2025, after the year", 1)
    ]
    left = [episode(DEC="01/10/2024", REC="E4A")]
    assert found("625", a_child(Header=[mother(MC_DOB="01/10/2024")], Episodes=left)) == []
    assert found("625", a_child(Header=[mother(MC_DOB="02/10/2024")], Episodes=left)) == [
        ("625", "C1", ("MC_DOB", "DEC"), "born 2 October 2024; ceased to be looked after 1 October 2024", 1)
    ]


def test_626_mother_last_year_if_child_born_before_the_year():
    before = last_year(a_child(Header=[mother(MOTHER="0", MC_DOB="")]))
    assert found("626", a_child(Header=[mother(MC_DOB="01/04/2024")]), previous=before) == []
    assert found("626", a_child(Header=[mother(MC_DOB="01/03/2024")])) == []
    assert found("626", a_child(Header=[mother(MC_DOB="01/03/2024")]), previous=before) == [
        (
            "626",
            "C1",
            ("MOTHER", "MC_DOB"),
            "first child born 1 March 2024; last year's return said not a mother",
            1,
        )
    ]


def test_628_no_motherhood_for_care_leavers_not_looked_after():
    oc3 = row(IN_TOUCH="YES", ACTIV="F2", ACCOM="S1")
    assert found("628", a_child(Header=[mother(MOTHER="", MC_DOB="")], Episodes=[], OC3=[oc3])) == []
    assert found("628", a_child(Header=[mother(MOTHER="0")], OC3=[oc3])) == []  # looked after this year
    assert found("628", a_child(Header=[mother(MOTHER="0")], Episodes=[], OC3=[oc3])) == [
        ("628", "C1", ("MOTHER",), "", 1)
    ]


# Previous permanence (630-635) ------------------------------------------------------------------------------


def test_630_previous_permanence_for_children_starting_care():
    for option in (
        prev_perm(),
        prev_perm(PREV_PERM="Z1", LA_PERM="", DATE_PERM=""),
        prev_perm(PREV_PERM="P4", LA_PERM="", DATE_PERM=""),
    ):
        assert found("630", a_child(PrevPerm=[option])) == []
    assert found("630", a_child(Episodes=[in_care_all_year()])) == []  # started before the year
    assert found("630", a_child(Episodes=[at(2, episode())])) == [
        (
            "630",
            "C1",
            ("RNE", "PREV_PERM", "LA_PERM", "DATE_PERM"),
            "no previous permanence information is returned",
            2,
        )
    ]
    assert found("630", a_child(PrevPerm=[prev_perm(DATE_PERM="")])) == [("630", "C1", ("DATE_PERM",), "", 1)]
    assert found("630", a_child(PrevPerm=[prev_perm(PREV_PERM="")])) == [("630", "C1", ("PREV_PERM",), "", 1)]


def test_631_previous_permanence_code():
    assert found("631", a_child(PrevPerm=[prev_perm()])) == []
    assert found("631", a_child(PrevPerm=[prev_perm(PREV_PERM="")])) == []
    assert found("631", a_child(PrevPerm=[prev_perm(PREV_PERM="P9")])) == [
        ("631", "C1", ("PREV_PERM",), "", 1)
    ]


def test_632_previous_permanence_date():
    for date_perm in ("30/04/2024", "ZZ/04/2024", "15/ZZ/2023", "ZZ/ZZ/ZZZZ", "ZZ/ZZ/2020", ""):
        assert found("632", a_child(PrevPerm=[prev_perm(DATE_PERM=date_perm)])) == [], date_perm
    for date_perm in ("ZZ/13/2020", "31/02/2020", "1/5/2020", "ZZ/ZZ/ZZ"):
        assert found("632", a_child(PrevPerm=[prev_perm(DATE_PERM=date_perm)])) == [
            ("632", "C1", ("DATE_PERM",), f"{date_perm} is not a valid date", 1)
        ]
    assert found("632", a_child(PrevPerm=[prev_perm(DATE_PERM="ZZ/05/2024")])) == [
        ("632", "C1", ("DATE_PERM", "DECOM"), "order ZZ/05/2024; first episode started 1 May 2024", 1)
    ]


def test_633_previous_permanence_la():
    for la in ("330", "WAL", "NUK", ""):
        assert found("633", a_child(PrevPerm=[prev_perm(LA_PERM=la)])) == []
    assert found("633", a_child(PrevPerm=[prev_perm(LA_PERM="458")])) == [("633", "C1", ("LA_PERM",), "", 1)]


def test_634_previous_permanence_only_from_april_2016():
    assert found("634", a_child(Episodes=[episode(DECOM="01/04/2016")], PrevPerm=[prev_perm()])) == []
    assert found("634", a_child(Episodes=[episode(DECOM="31/03/2016")], PrevPerm=[prev_perm()])) == [
        ("634", "C1", ("PREV_PERM", "LA_PERM", "DATE_PERM", "DECOM"), "last episode started 31 March 2016", 1)
    ]


def test_635_no_order_details_with_z1():
    assert found("635", a_child(PrevPerm=[prev_perm(PREV_PERM="Z1", LA_PERM="", DATE_PERM="")])) == []
    assert found("635", a_child(PrevPerm=[prev_perm()])) == []
    assert found("635", a_child(PrevPerm=[prev_perm(PREV_PERM="Z1", DATE_PERM="")])) == [
        ("635", "C1", ("PREV_PERM", "LA_PERM", "DATE_PERM"), "", 1)
    ]
