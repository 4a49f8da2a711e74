"""The SSDA903 checks of each item's own validity, rules 101-199 (``ssda903/checks/items.py``): one test per
rule, each with a child that passes and one that fails."""

import pytest

from safeguard.core.years import CollectionYear
from safeguard.returns import rules
from safeguard.returns.ssda903.checks.items import OC2_ITEMS
from safeguard.returns.tests.ssda903 import YEAR, a_child, a_return, episode, findings, header, row

BEFORE_SEX = CollectionYear(2024)  # 2023-24: gender 1/2, not sex M/F/U
YEAR_2025_26 = CollectionYear(2026)


def found(code, *children, year=YEAR, previous=None):
    """``(rule, child, fields, detail)`` of each finding of rule ``code``."""
    return [
        (finding.rule.code, finding.la_child_id, finding.fields, finding.detail)
        for finding in findings(code, *children, year=year, previous=previous)
    ]


def oc2(child="C1", **values):
    """A complete OC2 row for a girl born 1 May 2014, with an SDQ score."""
    defaults = {
        "DOB": "01/05/2014", "SDQ_SCORE": "12", "SDQ_REASON": "", "CONVICTED": "0", "HEALTH_CHECK": "1",
        "IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0",
        "INTERVENTION_RECEIVED": "", "INTERVENTION_OFFERED": "",
    }  # fmt: skip
    return row(child, **{**defaults, **values})


NO_HEALTH_ITEMS = dict.fromkeys(OC2_ITEMS, "")


def oc3(child="C1", **values):
    """A care leaver in touch, in further education, in suitable supported accommodation."""
    return row(child, **{"DOB": "01/05/2006", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "T1", **values})


def ad1(child="C1", **values):
    defaults = {
        "DOB": "01/05/2022", "DATE_INT": "01/06/2024", "DATE_MATCH": "01/09/2024", "FOSTER_CARE": "0",
        "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11",
    }  # fmt: skip
    return row(child, **{**defaults, **values})


def placed(child="C1", **values):
    """A decision on 1 June 2024 that the child should be placed for adoption, not reversed."""
    defaults = {
        "DOB": "01/05/2014",
        "DATE_PLACED": "01/06/2024",
        "DATE_PLACED_CEASED": "",
        "REASON_PLACED_CEASED": "",
    }
    return row(child, **{**defaults, **values})


def in_care_all_year(child="C1", dob="01/05/2014", **tables):
    """A child looked after since January 2023 and still looked after: in the OC2 cohort."""
    tables.setdefault("Header", [header(child, DOB=dob)])
    tables.setdefault("Episodes", [episode(child, DECOM="01/01/2023")])
    tables.setdefault("OC2", [oc2(child, DOB=dob)])
    return a_child(child, **tables)


def new_to_care(child="C1", **tables):
    """A child who started to be looked after on 1 May 2024: not in the OC2 cohort."""
    return a_child(child, **tables)


# The header ----------------------------------------------------------------------------------------------


def test_101_sex_is_m_f_or_u_from_2024_25_and_1_or_2_before():
    assert found("101", a_child(), a_child("C2", Header=[header("C2", SEX="U")])) == []
    assert found("101", a_child(Header=[header(SEX="2")])) == [
        ("101", "C1", ("SEX",), "SEX “2” is not a valid code")
    ]
    assert found("101", a_child(Header=[header(SEX="")])) == [("101", "C1", ("SEX",), "SEX is blank")]
    assert found("101", a_child(Header=[header(SEX="1")]), year=BEFORE_SEX) == []
    assert found("101", a_child(Header=[header(SEX="U")]), year=BEFORE_SEX) == [
        ("101", "C1", ("SEX",), "SEX “U” is not a valid code")
    ]
    assert found("101", a_child(Header=[header(SEX="0")]), year=BEFORE_SEX) != []


def test_102_date_of_birth_must_be_a_valid_date():
    assert found("102", a_child()) == []
    assert found("102", a_child(Header=[header(DOB="31/02/2014")])) == [
        ("102", "C1", ("DOB",), "DOB is “31/02/2014”, not a date written dd/mm/yyyy")
    ]
    assert found("102", a_child(Header=[header(DOB="2014-05-01")])) != []
    assert found("102", a_child(Header=[header(DOB="")])) == [("102", "C1", ("DOB",), "DOB is blank")]


def test_103_ethnicity_must_be_given_and_valid():
    assert found("103", a_child(Header=[header(ETHNIC="NOBT")])) == []
    assert found("103", a_child(Header=[header(ETHNIC="wbri")])) == [
        ("103", "C1", ("ETHNIC",), "ETHNIC “wbri” is not a valid code")
    ]
    assert found("103", a_child(Header=[header(ETHNIC="")])) == [
        ("103", "C1", ("ETHNIC",), "ETHNIC is blank")
    ]


def test_165_mother_status():
    boy = header(SEX="M", MOTHER="")
    assert found("165", a_child(), a_child("C2", Header=[header("C2", SEX="M", MOTHER="")])) == []
    assert found("165", a_child(Header=[boy])) == []
    assert found("165", a_child(Header=[header(MOTHER="2")])) == [
        ("165", "C1", ("MOTHER",), "MOTHER “2” is not 0 or 1")
    ]
    assert found("165", a_child(Header=[header(SEX="M", MOTHER="0")])) == [
        ("165", "C1", ("MOTHER", "SEX"), "MOTHER is given for a child who is not female")
    ]
    assert found("165", a_child(Header=[header(MOTHER="")])) == [
        ("165", "C1", ("MOTHER",), "MOTHER is blank for a girl looked after during the year")
    ]
    # A care leaver whose last episode ended before the year, with OC3 items, may have it blank.
    left = episode(DECOM="01/01/2022", DEC="01/05/2023", REC="E8")
    care_leaver = a_child(Header=[header(MOTHER="")], Episodes=[left], OC3=[oc3()])
    assert found("165", care_leaver) == []
    care_leaver.tables["OC3"] = []
    assert found("165", care_leaver) != []
    # Before 2024-25 a girl is gender 2.
    assert found("165", a_child(Header=[header(SEX="2", MOTHER="")]), year=BEFORE_SEX) != []
    assert found("165", a_child(Header=[header(SEX="1", MOTHER="")]), year=BEFORE_SEX) == []


def test_168_upn_or_a_un_code():
    assert found("168", a_child(), a_child("C2", Header=[header("C2", UPN="UN4")])) == []
    temporary = a_child(Header=[header(UPN="A00120011600A")])
    assert found("168", temporary) == []
    assert found("168", a_child(Header=[header(UPN="UN7")])) == [
        ("168", "C1", ("UPN",), "“UN7” is not a UPN or a UN code")
    ]
    assert found("168", a_child(Header=[header(UPN="UN6")])) != []  # the CIN census's, not the SSDA903's
    assert found("168", a_child(Header=[header(UPN="I001200116001")])) != []  # I is never a check letter
    assert found("168", a_child(Header=[header(UPN="A0012001160")])) != []
    assert found("168", a_child(Header=[header(UPN="")])) == [
        ("168", "C1", ("UPN",), "UPN is blank: give the UPN or a UN code")
    ]


def test_171_mothers_child_date_of_birth_is_a_valid_date():
    mother = header("C2", DOB="01/05/2008", MOTHER="1", MC_DOB="03/02/2025")
    assert found("171", a_child(), a_child("C2", Header=[mother])) == []
    assert found("171", a_child(Header=[header(MOTHER="1", MC_DOB="3/2/25")])) == [
        ("171", "C1", ("MC_DOB",), "MC_DOB is “3/2/25”, not a date written dd/mm/yyyy")
    ]


def test_174_no_mothers_child_for_a_boy():
    assert found("174", a_child(Header=[header(MOTHER="1", MC_DOB="03/02/2025")])) == []
    assert found("174", a_child(Header=[header(SEX="M", MC_DOB="")])) == []
    assert found("174", a_child(Header=[header(SEX="M", MC_DOB="03/02/2025")])) == [
        ("174", "C1", ("SEX", "MC_DOB"), "")
    ]
    assert found("174", a_child(Header=[header(SEX="1", MC_DOB="03/02/2024")]), year=BEFORE_SEX) == [
        ("174", "C1", ("SEX", "MC_DOB"), "")
    ]
    assert found("174", a_child(Header=[header(SEX="2", MC_DOB="03/02/2024")]), year=BEFORE_SEX) == []


# UASC ----------------------------------------------------------------------------------------------------


def test_104_uasc_ceased_date_valid_and_not_before_the_year():
    def uasc(duc):
        return a_child(UASC=[row(SEX="F", DOB="01/05/2007", DUC=duc)])

    assert found("104", uasc(""), uasc("01/05/2025"), uasc("01/04/2024")) == []
    assert found("104", uasc("01/05/25")) == [
        ("104", "C1", ("DUC",), "DUC is “01/05/25”, not a date written dd/mm/yyyy")
    ]
    assert found("104", uasc("31/03/2024")) == [
        ("104", "C1", ("DUC",), "31 March 2024 is before the year began on 1 April 2024")
    ]


# Adoption ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "column"), [("112", "DATE_INT"), ("113", "DATE_MATCH")])
def test_112_113_ad1_dates_valid_where_given(code, column):
    assert found(code, a_child(AD1=[ad1()]), a_child("C2", AD1=[ad1("C2", **{column: ""})])) == []
    assert found(code, a_child(AD1=[ad1(**{column: "32/01/2025"})])) == [
        (code, "C1", (column,), f"{column} is “32/01/2025”, not a date written dd/mm/yyyy")
    ]


def test_114_adopted_by_foster_carers_is_0_or_1():
    assert (
        found("114", a_child(AD1=[ad1(FOSTER_CARE="1")]), a_child("C2", AD1=[ad1("C2", FOSTER_CARE="")]))
        == []
    )
    assert found("114", a_child(AD1=[ad1(FOSTER_CARE="Y")])) == [
        ("114", "C1", ("FOSTER_CARE",), "FOSTER_CARE “Y” is not a valid code")
    ]


@pytest.mark.parametrize(("code", "column"), [("115", "DATE_PLACED"), ("116", "DATE_PLACED_CEASED")])
def test_115_116_placed_for_adoption_dates_valid_where_given(code, column):
    assert found(code, a_child(PlacedAdoption=[placed()])) == []
    assert found(code, a_child(PlacedAdoption=[placed(**{column: "01/13/2024"})])) == [
        (code, "C1", (column,), f"{column} is “01/13/2024”, not a date written dd/mm/yyyy")
    ]


def test_117_adoption_decisions_not_after_the_year_or_leaving_care():
    assert found("117", a_child(PlacedAdoption=[placed()])) == []
    assert found("117", a_child(PlacedAdoption=[placed(DATE_PLACED="31/03/2025")])) == []
    assert found("117", a_child(PlacedAdoption=[placed(DATE_PLACED="01/04/2025")])) == [
        ("117", "C1", ("DATE_PLACED",), "1 April 2025 is after the year's end")
    ]
    # The latest episode ending other than X1 ended on 1 August 2024.
    episodes = [
        episode(DECOM="01/05/2024", DEC="01/07/2024", REC="X1", RNE="S"),
        episode(DECOM="01/07/2024", DEC="01/08/2024", REC="E13", RNE="P"),
    ]
    ceased = placed(DATE_PLACED="01/06/2024", DATE_PLACED_CEASED="02/08/2024", REASON_PLACED_CEASED="RD1")
    assert found("117", a_child(Episodes=episodes, PlacedAdoption=[ceased])) == [
        (
            "117",
            "C1",
            ("DATE_PLACED_CEASED",),
            "2 August 2024 is after the child ceased to be looked after on 1 August 2024",
        )
    ]
    on_the_day = placed(DATE_PLACED="01/06/2024", DATE_PLACED_CEASED="01/08/2024", REASON_PLACED_CEASED="RD1")
    assert found("117", a_child(Episodes=episodes, PlacedAdoption=[on_the_day])) == []


def test_118_no_longer_placed_not_before_the_year_or_care():
    def reversed_on(day):
        return placed(DATE_PLACED="01/05/2024", DATE_PLACED_CEASED=day, REASON_PLACED_CEASED="RD1")

    assert found("118", a_child(PlacedAdoption=[reversed_on("01/05/2024")])) == []
    assert found("118", a_child(PlacedAdoption=[reversed_on("30/04/2024")])) == [
        (
            "118",
            "C1",
            ("DATE_PLACED_CEASED",),
            "30 April 2024 is before the child was looked after, from 1 May 2024",
        )
    ]
    # Care that began in an earlier year: the year's start is the limit.
    earlier = [episode(DECOM="01/01/2023")]
    assert found("118", a_child(Episodes=earlier, PlacedAdoption=[reversed_on("31/03/2024")])) == [
        ("118", "C1", ("DATE_PLACED_CEASED",), "31 March 2024 is before the year began on 1 April 2024")
    ]
    # A short break does not start care.
    short_break = episode(DECOM="01/04/2024", DEC="03/04/2024", REC="E8", LS="V3")
    later = episode(DECOM="01/06/2024")
    assert (
        found("118", a_child(Episodes=[short_break, later], PlacedAdoption=[reversed_on("10/05/2024")])) != []
    )


def test_119_no_longer_placed_date_and_reason_together():
    assert found("119", a_child(PlacedAdoption=[placed()])) == []
    both = placed(DATE_PLACED_CEASED="01/09/2024", REASON_PLACED_CEASED="RD2")
    assert found("119", a_child(PlacedAdoption=[both])) == []
    assert found("119", a_child(PlacedAdoption=[placed(DATE_PLACED_CEASED="01/09/2024")])) == [
        ("119", "C1", ("DATE_PLACED_CEASED", "REASON_PLACED_CEASED"), "")
    ]
    assert found("119", a_child(PlacedAdoption=[placed(REASON_PLACED_CEASED="RD2")])) != []


def test_120_no_longer_placed_reason_valid():
    assert found("120", a_child(PlacedAdoption=[placed(REASON_PLACED_CEASED="RD4")])) == []
    assert found("120", a_child(PlacedAdoption=[placed(REASON_PLACED_CEASED="RD5")])) == [
        ("120", "C1", ("REASON_PLACED_CEASED",), "REASON_PLACED_CEASED “RD5” is not a valid code")
    ]


def test_151_adoption_items_all_or_none():
    blank = ad1(DATE_INT="", DATE_MATCH="", FOSTER_CARE="", NB_ADOPTR="", SEX_ADOPTR="", LS_ADOPTR="")
    assert found("151", a_child(AD1=[ad1()]), a_child("C2", AD1=[blank])) == []
    assert found("151", a_child(AD1=[ad1(DATE_MATCH="", LS_ADOPTR="")])) == [
        ("151", "C1", ("DATE_MATCH", "LS_ADOPTR"), "")
    ]


def test_175_number_of_adopters_is_1_or_2():
    assert found("175", a_child(AD1=[ad1(NB_ADOPTR="1")])) == []
    assert found("175", a_child(AD1=[ad1(NB_ADOPTR="3")])) == [
        ("175", "C1", ("NB_ADOPTR",), "NB_ADOPTR “3” is not a valid code")
    ]


def test_176_sex_of_adopters_valid():
    assert found("176", a_child(AD1=[ad1(SEX_ADOPTR="FF")])) == []
    assert found("176", a_child(AD1=[ad1(SEX_ADOPTR="M")])) == [
        ("176", "C1", ("SEX_ADOPTR",), "SEX_ADOPTR “M” is not a valid code")
    ]


def test_177_legal_status_of_adopters_valid():
    assert found("177", a_child(AD1=[ad1(LS_ADOPTR="L12")])) == []
    assert found("177", a_child(AD1=[ad1(LS_ADOPTR="L1")])) == [
        ("177", "C1", ("LS_ADOPTR",), "LS_ADOPTR “L1” is not a valid code")
    ]


def test_184_placed_for_adoption_not_before_birth():
    def baby(day):
        return a_child(Header=[header(DOB="10/06/2024")], PlacedAdoption=[placed(DATE_PLACED=day)])

    assert found("184", baby("10/06/2024")) == []
    assert found("184", baby("09/06/2024")) == [
        ("184", "C1", ("DATE_PLACED", "DOB"), "9 June 2024 is before the child was born on 10 June 2024")
    ]


# Care leavers (OC3) --------------------------------------------------------------------------------------


def test_131_in_touch_valid_where_given():
    assert (
        found("131", a_child(OC3=[oc3(IN_TOUCH="RHOM")]), a_child("C2", OC3=[oc3("C2", IN_TOUCH="")])) == []
    )
    assert found("131", a_child(OC3=[oc3(IN_TOUCH="yes")])) == [
        ("131", "C1", ("IN_TOUCH",), "IN_TOUCH “yes” is not a valid code")
    ]


def test_132_activity_valid_where_given():
    assert found("132", a_child(OC3=[oc3(ACTIV="0")]), a_child("C2", OC3=[oc3("C2", ACTIV="G6")])) == []
    assert found("132", a_child(OC3=[oc3(ACTIV="F3")])) == [
        ("132", "C1", ("ACTIV",), "ACTIV “F3” is not a valid code")
    ]


@pytest.mark.parametrize("accommodation", ["B1", "Z2", "S2", "X2", "0", ""])
def test_133_accommodation_valid(accommodation):
    assert found("133", a_child(OC3=[oc3(ACCOM=accommodation)])) == []


@pytest.mark.parametrize("accommodation", ["S1", "X1", "B3", "A1", "B", "T12"])
def test_133_accommodation_invalid(accommodation):
    assert found("133", a_child(OC3=[oc3(ACCOM=accommodation)])) == [
        ("133", "C1", ("ACCOM",), f"ACCOM “{accommodation}” is not a valid code")
    ]


def test_134_no_adoption_items_for_a_care_leaver():
    assert found("134", a_child(OC3=[oc3()]), a_child("C2", AD1=[ad1("C2")])) == []
    assert found("134", a_child(OC3=[oc3()], AD1=[ad1(DATE_INT="", DATE_MATCH="", FOSTER_CARE="")])) == [
        ("134", "C1", ("NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"), "")
    ]


def test_153_care_leaver_items_all_or_none():
    assert (
        found("153", a_child(OC3=[oc3()]), a_child("C2", OC3=[oc3("C2", IN_TOUCH="", ACTIV="", ACCOM="")]))
        == []
    )
    assert found("153", a_child(OC3=[oc3(ACCOM="")])) == [("153", "C1", ("ACCOM",), "")]


# Episodes ------------------------------------------------------------------------------------------------


def test_141_episode_start_valid():
    assert found("141", a_child()) == []
    assert found("141", a_child(Episodes=[episode(DECOM="01/05/24x")])) == [
        ("141", "C1", ("DECOM",), "DECOM is “01/05/24x”, not a date written dd/mm/yyyy")
    ]
    assert found("141", a_child(Episodes=[episode(DECOM="")])) == [
        ("141", "C1", ("DECOM",), "DECOM is blank")
    ]


def test_142_earlier_episodes_must_have_ended():
    ended = episode(DECOM="01/05/2024", DEC="01/06/2024", REC="X1")
    latest = episode(DECOM="01/06/2024", RNE="P")
    assert found("142", a_child(Episodes=[latest, ended])) == []
    not_ended = episode(DECOM="01/05/2024", DEC="", REC="X1")
    assert found("142", a_child(Episodes=[latest, not_ended])) == [
        ("142", "C1", ("DEC",), "The episode from 1 May 2024 has not ended")
    ]
    assert found("142", a_child(Episodes=[episode(DECOM="01/05/2024"), latest])) == [
        ("142", "C1", ("DEC", "REC"), "The episode from 1 May 2024 has not ended")
    ]


def test_143_reason_for_new_episode_valid():
    assert found("143", a_child(Episodes=[episode(RNE="U")])) == []
    assert found("143", a_child(Episodes=[episode(RNE="s")])) == [
        ("143", "C1", ("RNE",), "RNE “s” is not a valid code")
    ]


def test_144_legal_status_valid():
    assert (
        found("144", a_child(Episodes=[episode(LS="J3")]), a_child("C2", Episodes=[episode("C2", LS="D1")]))
        == []
    )
    assert found("144", a_child(Episodes=[episode(LS="V1")])) == [
        ("144", "C1", ("LS",), "LS “V1” is not a valid code")
    ]


def test_145_category_of_need_n1_to_n8():
    assert found("145", a_child(Episodes=[episode(CIN="N8")])) == []
    assert found("145", a_child(Episodes=[episode(CIN="N9")])) == [
        ("145", "C1", ("CIN",), "CIN “N9” is not a valid code")
    ]
    assert found("145", a_child(Episodes=[episode(CIN="N0")])) != []


def test_146_placement_type_of_the_year():
    assert found("146", a_child(Episodes=[episode(PLACE="H5")])) == []
    assert found("146", a_child(Episodes=[episode(PLACE="K3")])) == [
        ("146", "C1", ("PLACE",), "PLACE “K3” is not a valid code")
    ]
    assert found("146", a_child(Episodes=[episode(PLACE="P2")])) != []
    assert found("146", a_child(Episodes=[episode(PLACE="P2", DECOM="01/05/2023")]), year=BEFORE_SEX) == []

    # 2025-26: K3 and Z11-Z14 replace H5 and Z1.
    def in_2025_26(place):
        return a_child(Episodes=[episode(PLACE=place, DECOM="01/05/2025")])

    assert found("146", in_2025_26("K3"), year=YEAR_2025_26) == []
    assert found("146", in_2025_26("Z14"), year=YEAR_2025_26) == []
    assert found("146", in_2025_26("H5"), year=YEAR_2025_26) != []
    assert found("146", in_2025_26("Z1"), year=YEAR_2025_26) != []

    # An H5 placement recoded on 1 April 2025: its episode ceased that day (X1) and passes; one that
    # ceased a day later was an H5 placement in 2025-26, and fails.
    def ceased(day):
        return a_child(Episodes=[episode(PLACE="H5", DECOM="01/05/2024", DEC=day, REC="X1")])

    assert found("146", ceased("01/04/2025"), year=YEAR_2025_26) == []
    assert found("146", ceased("02/04/2025"), year=YEAR_2025_26) != []


def test_147_episode_end_valid_where_given():
    assert found("147", a_child(), a_child("C2", Episodes=[episode("C2", DEC="01/06/2024", REC="E8")])) == []
    assert found("147", a_child(Episodes=[episode(DEC="01-06-2024", REC="E8")])) == [
        ("147", "C1", ("DEC",), "DEC is “01-06-2024”, not a date written dd/mm/yyyy")
    ]


def test_148_episode_end_and_reason_together():
    assert found("148", a_child(), a_child("C2", Episodes=[episode("C2", DEC="01/06/2024", REC="E8")])) == []
    assert found("148", a_child(Episodes=[episode(DEC="01/06/2024")])) == [("148", "C1", ("DEC", "REC"), "")]
    assert found("148", a_child(Episodes=[episode(REC="E8")])) != []


def test_149_reason_episode_ceased_valid():
    assert found("149", a_child(Episodes=[episode(DEC="01/06/2024", REC="E4A")])) == []
    assert found("149", a_child(Episodes=[episode(DEC="01/06/2024", REC="E4")])) == [
        ("149", "C1", ("REC",), "REC “E4” is not a valid code")
    ]


def test_178_placement_provider():
    temporary = episode("C2", PLACE="T1", PLACE_PROVIDER="")
    assert found("178", a_child(), a_child("C2", Episodes=[temporary])) == []
    assert found("178", a_child(Episodes=[episode(PLACE_PROVIDER="PR6")])) == [
        ("178", "C1", ("PLACE_PROVIDER",), "PLACE_PROVIDER “PR6” is not a valid code")
    ]
    assert found("178", a_child(Episodes=[episode(PLACE="Z1", PLACE_PROVIDER="PR1")])) == [
        (
            "178",
            "C1",
            ("PLACE_PROVIDER", "PLACE"),
            "A placement Z1 has no provider: leave PLACE_PROVIDER blank",
        )
    ]
    assert found("178", a_child(Episodes=[episode(PLACE="T4", PLACE_PROVIDER="PR1")])) != []

    # 2025-26: a T4 placement may have a provider; Z11-Z14 may not.
    def in_2025_26(place):
        return a_child(Episodes=[episode(PLACE=place, PLACE_PROVIDER="PR4", DECOM="01/05/2025")])

    assert found("178", in_2025_26("T4"), year=YEAR_2025_26) == []
    assert found("178", in_2025_26("Z12"), year=YEAR_2025_26) != []


def test_199_no_episode_after_adoption():
    adopted = episode(DECOM="01/05/2024", DEC="01/08/2024", REC="E11", LS="E1", PLACE="A3")
    assert found("199", a_child(Episodes=[adopted])) == []
    again = episode(DECOM="01/02/2025", RNE="S")
    assert found("199", a_child(Episodes=[adopted, again])) == [
        ("199", "C1", ("CHILD",), "The episode from 1 May 2024 ended in adoption (E11) on 1 August 2024")
    ]
    # Last year's return shows the adoption.
    last_year = a_return(
        a_child(Episodes=[episode(DECOM="01/05/2022", DEC="01/08/2023", REC="E12")]), year=BEFORE_SEX
    )
    assert found("199", a_child(Episodes=[again]), previous=last_year) == [
        ("199", "C1", ("CHILD",), "The episode from 1 May 2022 ended in adoption (E12) on 1 August 2023")
    ]
    assert found("199", a_child(Episodes=[again])) == []


# Reviews -------------------------------------------------------------------------------------------------


def test_166_review_date_valid_and_given():
    def review(day):
        return a_child(Reviews=[row(DOB="01/05/2014", REVIEW=day, REVIEW_CODE="PN1")])

    assert found("166", review("01/06/2024")) == []
    assert found("166", review("")) == [("166", "C1", ("REVIEW",), "REVIEW is blank")]
    assert found("166", review("31/06/2024")) == [
        ("166", "C1", ("REVIEW",), "REVIEW is “31/06/2024”, not a date written dd/mm/yyyy")
    ]


def test_167_participation_valid_and_given():
    def review(day, code):
        return a_child(Reviews=[row(DOB="01/05/2014", REVIEW=day, REVIEW_CODE=code)])

    assert (
        found(
            "167",
            review("01/06/2024", "PN0"),
        )
        == []
    )
    assert found("167", review("", "")) == []
    assert found("167", review("01/06/2024", "")) == [("167", "C1", ("REVIEW_CODE",), "REVIEW_CODE is blank")]
    assert found("167", review("01/06/2024", "PN8")) == [
        ("167", "C1", ("REVIEW_CODE",), "REVIEW_CODE “PN8” is not a valid code")
    ]
    assert found("167", review("", "PN1")) == [
        ("167", "C1", ("REVIEW", "REVIEW_CODE"), "A participation code with no review date")
    ]


# Children looked after for 12 months (OC2) ---------------------------------------------------------------


def test_continuously_looked_after_cohort():
    """Who is in the OC2 cohort decides rules 157, 185-191, 197B and 198: seen through rule 190."""
    health = [oc2(SDQ_SCORE="")]
    assert found("190", in_care_all_year(OC2=health)) == []
    # Started on 1 April: still the whole year.
    assert found("190", in_care_all_year(Episodes=[episode(DECOM="01/04/2024")], OC2=health)) == []
    # Started on 2 April, left on 30 March, or had a short break in the year: not in the cohort.
    for episodes in (
        [episode(DECOM="02/04/2024")],
        [episode(DECOM="01/01/2023", DEC="30/03/2025", REC="E8")],
        [
            episode(DECOM="01/01/2023", DEC="01/06/2024", REC="X1"),
            episode(DECOM="01/06/2024", LS="V3", RNE="L"),
        ],
    ):
        assert found("190", in_care_all_year(Episodes=episodes, OC2=health)) != []
    # Left on 31 March, or moved placement (X1) in the year: still in the cohort.
    for episodes in (
        [episode(DECOM="01/01/2023", DEC="31/03/2025", REC="E8")],
        [episode(DECOM="01/01/2023", DEC="01/06/2024", REC="X1"), episode(DECOM="01/06/2024", RNE="P")],
    ):
        assert found("190", in_care_all_year(Episodes=episodes, OC2=health)) == []
    # Not looked after during the year at all.
    gone = [episode(DECOM="01/01/2022", DEC="01/02/2024", REC="E8")]
    assert found("190", in_care_all_year(Episodes=gone, OC2=health)) != []


def born_on(dob, **oc2_values):
    """A child in the OC2 cohort born on ``dob``, with ``oc2_values`` in their OC2 row."""
    return in_care_all_year(dob=dob, OC2=[oc2(DOB=dob, **oc2_values)])


def test_157_no_age_reason_for_a_child_of_sdq_age():
    age_reason = {"SDQ_SCORE": "", "SDQ_REASON": "SDQ1"}
    assert found("157", born_on("01/05/2014", SDQ_SCORE="", SDQ_REASON="SDQ2")) == []
    assert found("157", born_on("01/05/2014", **age_reason)) == [("157", "C1", ("SDQ_REASON", "DOB"), "")]
    # Turned 4 on 2 April 2024 (after the year began), or 17 on 31 March 2025: SDQ1 may be right.
    assert found("157", born_on("02/04/2020", **age_reason), born_on("31/03/2008", **age_reason)) == []
    # Turned 4 on 1 April 2024; turns 17 on 1 April 2025, after the year.
    assert found("157", born_on("01/04/2020", **age_reason)) != []
    assert found("157", born_on("01/04/2008", **age_reason)) != []
    # Not in the cohort: rule 198's.
    assert found("157", new_to_care(OC2=[oc2(**age_reason)])) == []


def test_158_intervention_offered_blank_when_received():
    assert found("158", a_child(OC2=[oc2(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1")])) == []
    assert found(
        "158", a_child(OC2=[oc2(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1", INTERVENTION_OFFERED="1")])
    ) == [("158", "C1", ("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"), "")]


def test_159_intervention_offered_given_when_not_received():
    assert (
        found(
            "159",
            a_child(OC2=[oc2(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0", INTERVENTION_OFFERED="1")]),
        )
        == []
    )
    assert found("159", a_child(OC2=[oc2(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0")])) == [
        ("159", "C1", ("INTERVENTION_OFFERED",), "")
    ]


@pytest.mark.parametrize("score", ["0", "40", "17", ""])
def test_180_sdq_score_valid(score):
    assert found("180", a_child(OC2=[oc2(SDQ_SCORE=score)])) == []


@pytest.mark.parametrize("score", ["41", "-1", "12.5", "twelve"])
def test_180_sdq_score_invalid(score):
    assert found("180", a_child(OC2=[oc2(SDQ_SCORE=score)])) == [
        ("180", "C1", ("SDQ_SCORE",), f"SDQ_SCORE “{score}” is not a whole number from 0 to 40")
    ]


def test_181_oc2_items_0_or_1():
    assert found("181", a_child(OC2=[oc2()])) == []
    assert found("181", a_child(OC2=[oc2(CONVICTED="Y", TEETH_CHECK="2")])) == [
        ("181", "C1", ("CONVICTED", "TEETH_CHECK"), "")
    ]


def test_182_four_health_items_or_nothing():
    assert found("182", a_child(OC2=[oc2()]), a_child("C2", OC2=[oc2("C2", **NO_HEALTH_ITEMS)])) == []
    assert found("182", a_child(OC2=[oc2(TEETH_CHECK="", SUBSTANCE_MISUSE="")])) == [
        ("182", "C1", ("TEETH_CHECK", "SUBSTANCE_MISUSE"), "")
    ]
    # One of the four given and nothing else fails too (the DfE's wording; the validator passes it).
    assert found("182", a_child(OC2=[oc2(**{**NO_HEALTH_ITEMS, "IMMUNISATIONS": "1"})])) == [
        ("182", "C1", ("TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"), "")
    ]


def test_185_no_sdq_score_outside_the_cohort():
    assert found("185", in_care_all_year()) == []
    assert found("185", new_to_care(OC2=[oc2(SDQ_SCORE="", CONVICTED="")])) == []
    assert found("185", new_to_care(OC2=[oc2()])) == [("185", "C1", ("SDQ_SCORE",), "")]


def test_186_sdq_score_for_a_child_of_sdq_age_in_the_cohort():
    assert found("186", in_care_all_year()) == []
    assert found("186", in_care_all_year(OC2=[oc2(SDQ_SCORE="", SDQ_REASON="SDQ2")])) == []
    assert found("186", in_care_all_year(OC2=[oc2(SDQ_SCORE="")])) == [("186", "C1", ("SDQ_SCORE",), "")]
    assert found("186", new_to_care(OC2=[oc2(SDQ_SCORE="")])) == []
    # Turned 4 on 1 April 2024 needs one; on 2 April 2024 does not (rule 197B's); 17 on 31 March 2025 neither.
    assert found("186", born_on("01/04/2020", SDQ_SCORE="")) != []
    assert found("186", born_on("02/04/2020", SDQ_SCORE=""), born_on("31/03/2008", SDQ_SCORE="")) == []


def test_187_no_adoption_or_care_leaver_items_in_the_cohort():
    assert found("187", new_to_care(AD1=[ad1()], OC3=[oc3()])) == []
    assert found("187", in_care_all_year()) == []
    assert found(
        "187",
        in_care_all_year(
            AD1=[ad1(DATE_MATCH="", FOSTER_CARE="", NB_ADOPTR="", SEX_ADOPTR="", LS_ADOPTR="")],
            OC3=[oc3(ACCOM="")],
        ),
    ) == [
        ("187", "C1", ("DATE_INT",), ""),
        ("187", "C1", ("IN_TOUCH", "ACTIV"), ""),
    ]


def test_188_no_sdq_under_4():
    def baby(**values):
        return a_child(OC2=[oc2(DOB="01/04/2021", SDQ_SCORE="", **values)])

    assert found("188", baby()) == []
    assert (
        found("188", a_child(OC2=[oc2(DOB="31/03/2021", SDQ_REASON="SDQ1", SDQ_SCORE="")])) == []
    )  # 4 on 31 March
    assert found("188", baby(SDQ_REASON="SDQ1")) == [("188", "C1", ("SDQ_REASON",), "")]


def test_189_no_sdq_17_or_over():
    assert found("189", a_child(OC2=[oc2(DOB="02/04/2007")])) == []  # turns 17 on 2 April 2024
    assert found("189", a_child(OC2=[oc2(DOB="01/04/2007")])) == [("189", "C1", ("DOB", "SDQ_SCORE"), "")]


def test_190_no_oc2_items_outside_the_cohort():
    assert found("190", in_care_all_year()) == []
    assert found("190", new_to_care(OC2=[oc2(SDQ_SCORE="", **NO_HEALTH_ITEMS)])) == []
    assert found("190", new_to_care(OC2=[oc2(**{**NO_HEALTH_ITEMS, "CONVICTED": "0"})])) == [
        ("190", "C1", ("CONVICTED",), "")
    ]


def test_191_oc2_items_in_the_cohort():
    assert found("191", in_care_all_year(), new_to_care("C2")) == []
    assert found("191", in_care_all_year(OC2=[oc2(HEALTH_ASSESSMENT="")])) == [
        ("191", "C1", ("HEALTH_ASSESSMENT",), "")
    ]
    assert found("191", in_care_all_year(OC2=[])) == [
        (
            "191",
            "C1",
            ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"),
            "Looked after for 12 months at 31 March, but there is no OC2 row",
        )
    ]


def test_192_intervention_received_given_for_substance_misuse():
    assert (
        found(
            "192",
            a_child(OC2=[oc2(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0", INTERVENTION_OFFERED="1")]),
        )
        == []
    )
    assert found("192", a_child(OC2=[oc2(SUBSTANCE_MISUSE="1")])) == [
        ("192", "C1", ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"), "")
    ]


def test_193_no_interventions_without_substance_misuse():
    assert found("193", a_child(OC2=[oc2()])) == []
    assert found("193", a_child(OC2=[oc2(INTERVENTION_OFFERED="1")])) == [
        ("193", "C1", ("SUBSTANCE_MISUSE", "INTERVENTION_OFFERED"), "")
    ]
    assert found("193", a_child(OC2=[oc2(SUBSTANCE_MISUSE="", INTERVENTION_RECEIVED="0")])) != []


def test_196_sdq_reason_valid():
    assert found("196", a_child(OC2=[oc2(SDQ_SCORE="", SDQ_REASON="SDQ5")])) == []
    assert found("196", a_child(OC2=[oc2(SDQ_SCORE="", SDQ_REASON="SDQ6")])) == [
        ("196", "C1", ("SDQ_REASON",), "SDQ_REASON “SDQ6” is not a valid code")
    ]


def test_197b_sdq_for_a_child_turning_4_or_17():
    assert found("197B", born_on("01/04/2020"), born_on("01/04/2020", SDQ_SCORE="", SDQ_REASON="SDQ1")) == []
    assert found("197B", born_on("01/04/2020", SDQ_SCORE="")) == [("197B", "C1", ("SDQ_REASON", "DOB"), "")]
    assert found("197B", born_on("31/03/2008", SDQ_SCORE="")) != []
    # Turned 4 before the year, or 17 after it: not this rule's.
    assert found("197B", born_on("31/03/2020", SDQ_SCORE=""), born_on("01/04/2008", SDQ_SCORE="")) == []
    assert found("197B", new_to_care(OC2=[oc2(DOB="01/04/2020", SDQ_SCORE="")])) == []


def test_197a_no_reason_with_a_score():
    assert found("197a", a_child(OC2=[oc2()])) == []
    assert found("197a", a_child(OC2=[oc2(SDQ_REASON="SDQ4")])) == [
        ("197a", "C1", ("SDQ_SCORE", "SDQ_REASON"), "")
    ]


def test_198_no_sdq_reason_outside_the_cohort():
    assert found("198", in_care_all_year(OC2=[oc2(SDQ_SCORE="", SDQ_REASON="SDQ2")])) == []
    assert found("198", new_to_care(OC2=[oc2(SDQ_SCORE="", SDQ_REASON="SDQ2")])) == [
        ("198", "C1", ("SDQ_REASON",), "")
    ]


# What is not checked --------------------------------------------------------------------------------------


def test_rules_needing_data_safeguard_lacks_are_reported_unchecked():
    unchecked = {rule.code for rule in rules.unchecked("ssda903", YEAR)}
    assert {"105", "164", "169", "179"} <= unchecked
    assert not unchecked & {"101", "146", "178", "197B", "197a", "199"}
