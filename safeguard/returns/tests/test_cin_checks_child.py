"""The CIN census checks about the child and the whole return (``cin_census/checks/child.py``): one test per
rule, each with a child (or return) that passes and one that fails."""

import dataclasses

import pytest

from safeguard.core.years import CollectionYear
from safeguard.people.identifiers import upn_check_letter
from safeguard.returns.cin_census.model import Episode
from safeguard.returns.rules import Source
from safeguard.returns.tests.cin import YEAR, D, a_child, a_return, an_episode, findings, upn

BEFORE_SEX = CollectionYear(2024)  # 2023-24: GenderCurrent, not Sex
FIRST_YEAR = CollectionYear(2023)  # 2022-23


def found(code, *children, year=YEAR, the_return=None):
    """``(rule, LA child ID, fields, detail)`` of each finding of rule ``code``."""
    return [
        (finding.rule.code, finding.la_child_id, finding.fields, finding.detail)
        for finding in findings(code, *children, year=year, the_return=the_return)
    ]


def an_old_child(**overrides):
    """A valid child in a return before 2024-25 (GenderCurrent 2, not Sex F)."""
    return a_child(**{"sex": "2", **overrides})


def an_unborn(**overrides):
    values = dict(birth_date=None, expected_birth_date=D(2025, 6, 1), sex="U", disabilities=[], upn="")
    values.update(overrides)
    return a_child(**values)


def closed_nfa(**overrides) -> Episode:
    """A referral with no further action, closed the same day."""
    values = dict(closure_reason="RC8", referral_nfa=True, assessments=[], closure_date=D(2024, 6, 3))
    values.update(overrides)
    return an_episode(**values)


# The header ----------------------------------------------------------------------------------------------


def test_100_reference_date_must_be_31_march_of_the_year():
    assert found("100", a_child()) == []
    the_return = a_return(a_child())
    the_return.header.reference_date = D(2025, 3, 30)
    [finding] = findings("100", the_return=the_return)
    assert (finding.la_child_id, finding.fields, finding.source) == ("", ("ReferenceDate",), None)
    assert finding.detail == "Reference date is 30 March 2025; it must be 31 March 2025"
    the_return.header.reference_date = None
    assert found("100", the_return=the_return) == [
        ("100", "", ("ReferenceDate",), "Reference date is missing; it must be 31 March 2025")
    ]


# UPN -----------------------------------------------------------------------------------------------------


def test_1510_upn_check_letter():
    body = upn()[1:]
    temporary = "33020011600A"  # a temporary UPN ends in a letter
    wrong = "B" if upn()[0] != "B" else "C"
    assert (
        found(
            "1510", a_child(upn=upn()), a_child(la_child_id="C2", upn=upn_check_letter(temporary) + temporary)
        )
        == []
    )
    assert found("1510", a_child(upn="")) == []
    assert found("1510", a_child(upn=wrong + body)) == [
        ("1510", "C1001", ("UPN",), f"The check letter for this UPN is {upn()[0]}")
    ]
    # A UPN too malformed to compute a check letter for is left to 1540 and 1550.
    assert found("1510", a_child(upn="A3302001X6001")) == []


def test_1520_duplicate_upn_names_each_child_sharing_it():
    one, two = a_child(la_child_id="C1"), a_child(la_child_id="C2", upn=upn(serial=2))
    assert found("1520", one, two, a_child(la_child_id="C3", upn=""), a_child(la_child_id="C4", upn="")) == []
    three = a_child(la_child_id="C3", upn=upn())
    assert found("1520", one, two, three) == [
        ("1520", "C1", ("UPN",), "Same UPN as C3"),
        ("1520", "C3", ("UPN",), "Same UPN as C1"),
    ]


@pytest.mark.parametrize("la_code", ["330", "001", "201", "941", "942"])
def test_1530_upn_with_a_recognised_la_code_passes(la_code):
    assert found("1530", a_child(upn=upn(la_code=la_code))) == []


@pytest.mark.parametrize("la_code", ["999", "804", "000"])
def test_1530_upn_with_an_unrecognised_la_code_fails(la_code):
    assert found("1530", a_child(upn=upn(la_code=la_code))) == [("1530", "C1001", ("UPN",), "")]


def test_1530_no_upn_passes():
    assert found("1530", a_child(upn="", upn_unknown="UN2")) == []


def test_1540_upn_characters_5_to_12_numeric():
    assert found("1540", a_child(), a_child(la_child_id="C2", upn="")) == []
    assert found("1540", a_child(upn="A3302001X6001")) == [("1540", "C1001", ("UPN",), "")]
    assert found("1540", a_child(upn="A33020")) == [("1540", "C1001", ("UPN",), "")]


@pytest.mark.parametrize("last", ["1", "A", "Z", "H"])
def test_1550_upn_last_character_recognised(last):
    assert found("1550", a_child(upn="A33020011600" + last)) == []


@pytest.mark.parametrize(
    "upn_", ["A33020011600I", "A33020011600O", "A33020011600S", "A33020011600a", "A330200116"]
)
def test_1550_upn_last_character_not_recognised(upn_):
    assert found("1550", a_child(upn=upn_)) == [("1550", "C1001", ("UPN",), "")]


def test_1560q_former_upn_format():
    temporary = "33020011600A"
    assert found("1560Q", a_child(former_upn=upn(serial=7)), a_child(la_child_id="C2")) == []
    assert found("1560Q", a_child(former_upn=upn_check_letter(temporary) + temporary)) == []
    for wrong in ("X0000y0000007", "X98721238", "133020011600A", "I33020011600A"):
        assert found("1560Q", a_child(former_upn=wrong)) == [("1560Q", "C1001", ("FormerUPN",), "")], wrong


# LA child ID ---------------------------------------------------------------------------------------------


def test_1570_la_child_id_at_most_20_characters():
    assert found("1570", a_child(la_child_id="X" * 20)) == []
    assert found("1570", a_child(la_child_id="X" * 21)) == [
        ("1570", "X" * 21, ("LAchildID",), "It has 21 characters")
    ]


def test_1570_and_1580_are_not_rules_before_2024_25():
    with pytest.raises(KeyError):
        findings("1570", an_old_child(la_child_id="X" * 21), year=BEFORE_SEX)
    with pytest.raises(KeyError):
        findings("1580", an_old_child(la_child_id="C-1"), year=BEFORE_SEX)


def test_1580_la_child_id_alphanumeric():
    assert found("1580", a_child(la_child_id="Ab12"), a_child(la_child_id="")) == []
    for wrong in ("C-1001", "C 1001", "C1001;", "Cé1001"):
        assert found("1580", a_child(la_child_id=wrong)) == [("1580", wrong, ("LAchildID",), "")]


def test_8500_la_child_id_missing():
    assert found("8500", a_child()) == []
    assert found("8500", a_child(la_child_id="")) == [("8500", "", ("LAchildID",), "")]


def test_8510_duplicate_la_child_id():
    assert found("8510", a_child(la_child_id="C1"), a_child(la_child_id="C2", upn=upn(serial=2))) == []
    one = a_child(la_child_id="C1", source=Source("people.child", pk=1))
    two = a_child(la_child_id="C1", source=Source("people.child", pk=2))
    result = findings("8510", one, two, a_child(la_child_id="C3"))
    assert [(f.la_child_id, f.source.pk, f.detail) for f in result] == [
        ("C1", 1, "2 children have this LA child ID"),
        ("C1", 2, "2 children have this LA child ID"),
    ]


# Birth, death, sex and ethnicity -------------------------------------------------------------------------


def test_4180_sex_from_2024_25():
    assert found("4180", *(a_child(la_child_id=f"C{code}", sex=code) for code in "MFU")) == []
    assert found("4180", a_child(sex="")) == [("4180", "C1001", ("Sex",), "")]
    assert found("4180", a_child(sex="2")) == [("4180", "C1001", ("Sex",), "")]
    assert findings("4180", a_child(sex=""))[0].rule.message == "Sex must be provided and equal M, F, or U"


@pytest.mark.parametrize("year", [FIRST_YEAR, BEFORE_SEX])
def test_4180_gender_current_before_2024_25(year):
    assert (
        found("4180", *(an_old_child(la_child_id=f"C{code}", sex=code) for code in "1209"), year=year) == []
    )
    assert found("4180", an_old_child(sex="F"), year=year) == [("4180", "C1001", ("GenderCurrent",), "")]
    assert found("4180", an_old_child(sex=""), year=year) == [("4180", "C1001", ("GenderCurrent",), "")]
    assert findings("4180", an_old_child(sex=""), year=year)[0].rule.message == "Gender is missing"


def test_4220_ethnicity():
    assert found("4220", a_child(), a_child(la_child_id="C2", ethnicity="NOBT")) == []
    assert found("4220", a_child(ethnicity="")) == [("4220", "C1001", ("Ethnicity",), "")]
    assert found("4220", a_child(ethnicity="WXYZ")) == [("4220", "C1001", ("Ethnicity",), "")]


def test_8520_born_after_the_census_period():
    assert found("8520", a_child(birth_date=D(2025, 3, 31)), an_unborn(la_child_id="C2")) == []
    assert found("8520", a_child(birth_date=D(2025, 4, 1))) == [("8520", "C1001", ("PersonBirthDate",), "")]


def test_8525q_birth_date_or_expected_but_not_both():
    assert found("8525Q", a_child(), an_unborn(la_child_id="C2")) == []
    fields = ("PersonBirthDate", "ExpectedPersonBirthDate")
    assert found("8525Q", a_child(expected_birth_date=D(2014, 5, 1))) == [
        ("8525Q", "C1001", fields, "Both are given")
    ]
    assert found("8525Q", a_child(birth_date=None)) == [("8525Q", "C1001", fields, "Neither is given")]


def test_8530q_expected_birth_date_from_30_days_before_to_9_months_after_the_reference_date():
    inside = [D(2025, 3, 1), D(2025, 3, 31), D(2025, 12, 31)]
    assert (
        found("8530Q", *(an_unborn(la_child_id=f"C{n}", expected_birth_date=d) for n, d in enumerate(inside)))
        == []
    )
    detail = "Expected between 1 March 2025 and 31 December 2025"
    for outside in (D(2025, 2, 28), D(2026, 1, 1)):
        assert found("8530Q", an_unborn(expected_birth_date=outside)) == [
            ("8530Q", "C1001", ("ExpectedPersonBirthDate",), detail)
        ]


def test_8535q_death_before_birth():
    assert found("8535Q", a_child(death_date=D(2014, 5, 1)), a_child(la_child_id="C2")) == []
    assert found("8535Q", an_unborn(death_date=D(2025, 3, 1))) == []
    assert found("8535Q", a_child(death_date=D(2014, 4, 30))) == [
        ("8535Q", "C1001", ("PersonDeathDate", "PersonBirthDate"), "")
    ]


def test_8545q_death_within_the_census_year():
    on_the_edges = [
        a_child(la_child_id=f"C{n}", death_date=d) for n, d in enumerate([D(2024, 4, 1), D(2025, 3, 31)])
    ]
    assert found("8545Q", *on_the_edges, a_child(la_child_id="C9")) == []
    for outside in (D(2024, 3, 31), D(2025, 4, 1)):
        assert found("8545Q", a_child(death_date=outside)) == [("8545Q", "C1001", ("PersonDeathDate",), "")]


def test_8750_unborn_child_sex_u_from_2024_25():
    assert found("8750", an_unborn(), a_child(la_child_id="C2", sex="F")) == []
    fields = ("Sex", "PersonBirthDate", "ExpectedPersonBirthDate")
    assert found("8750", an_unborn(sex="F")) == [("8750", "C1001", fields, "")]
    assert found("8750", an_unborn(sex="0")) == [("8750", "C1001", fields, "")]


def test_8750_unborn_child_gender_0_before_2024_25():
    unborn = an_unborn(sex="0", expected_birth_date=D(2024, 6, 1))
    assert found("8750", unborn, an_old_child(la_child_id="C2"), year=BEFORE_SEX) == []
    fields = ("GenderCurrent", "PersonBirthDate", "ExpectedPersonBirthDate")
    for wrong in ("U", "9", "2"):
        assert found("8750", dataclasses.replace(unborn, sex=wrong), year=BEFORE_SEX) == [
            ("8750", "C1001", fields, "")
        ]


def test_8775q_over_25():
    # Born 1 January 1999: more than 25 years before 31 March 2025; 25 on 1 January 2024.
    closed_before = an_episode(referral_date=D(2023, 6, 1), closure_date=D(2024, 1, 1))
    assert found("8775Q", a_child(birth_date=D(1999, 1, 1), episodes=[closed_before])) == []
    assert found("8775Q", a_child(birth_date=D(2000, 3, 31), episodes=[an_episode(closure_date=None)])) == []
    late = an_episode(source=Source("casework.cinepisode", pk=5))
    result = findings("8775Q", a_child(birth_date=D(1999, 1, 1), episodes=[closed_before, late]))
    assert [(f.source.pk, f.fields, f.detail) for f in result] == [
        (5, ("PersonBirthDate", "CINclosureDate"), "25 on 1 January 2024")
    ]
    assert (
        len(findings("8775Q", a_child(birth_date=D(2000, 3, 30), episodes=[an_episode(closure_date=None)])))
        == 1
    )


# UPN unknown ---------------------------------------------------------------------------------------------


def test_8770q_school_age_from_2024_25_is_at_school_by_the_census_date():
    """2024-25: born by 31 August 2020, the child started reception by September 2024."""
    fields = ("UPN", "UPNunknown")
    assert found("8770Q", a_child(upn="", birth_date=D(2020, 9, 1))) == []
    assert found("8770Q", a_child(upn="", birth_date=D(2020, 8, 31))) == [("8770Q", "C1001", fields, "")]
    assert found("8770Q", a_child(upn="", upn_unknown="UN1", birth_date=D(2014, 5, 1))) == [
        ("8770Q", "C1001", fields, "UPN unknown is UN1 (not yet at school)")
    ]
    assert found("8770Q", a_child(upn="", upn_unknown="UN2"), a_child(la_child_id="C2")) == []
    assert findings("8770Q", a_child(upn=""))[0].rule.message.endswith("for a child who is of school age.")


def test_8770q_only_for_a_referral_going_on_to_further_action():
    assert found("8770Q", a_child(upn="", upn_unknown="UN7", episodes=[closed_nfa()])) == []
    assert found("8770Q", a_child(upn="", episodes=[closed_nfa()])) == []
    assert found("8770Q", a_child(upn="", expected_birth_date=D(2025, 6, 1), birth_date=None)) == []


def test_8770q_before_2024_25_is_born_more_than_6_years_before_the_reference_date():
    fields = ("UPN", "UPNunknown")
    child = an_old_child(upn="", episodes=[an_episode(referral_date=D(2023, 6, 1), closure_date=None)])
    assert found("8770Q", dataclasses.replace(child, birth_date=D(2018, 3, 31)), year=BEFORE_SEX) == []
    assert found("8770Q", dataclasses.replace(child, birth_date=D(2018, 3, 30)), year=BEFORE_SEX) == [
        ("8770Q", "C1001", fields, "")
    ]
    older = dataclasses.replace(child, birth_date=D(2010, 1, 1))
    assert found("8770Q", dataclasses.replace(older, upn_unknown="UN3"), year=BEFORE_SEX) == []
    assert len(findings("8770Q", dataclasses.replace(older, upn_unknown="UN1"), year=BEFORE_SEX)) == 1
    assert findings("8770Q", older, year=BEFORE_SEX)[0].rule.message.endswith("more than 5 years old")


def test_8772_un7_only_with_no_further_action():
    assert found("8772", a_child(upn="", upn_unknown="UN7", episodes=[closed_nfa(), closed_nfa()])) == []
    assert found("8772", a_child(upn="", upn_unknown="UN2")) == []
    further = an_episode(source=Source("casework.cinepisode", pk=8))
    result = findings("8772", a_child(upn="", upn_unknown="UN7", episodes=[closed_nfa(), further]))
    assert [(f.rule.code, f.la_child_id, f.source.pk, f.fields) for f in result] == [
        ("8772", "C1001", 8, ("UPNunknown", "ReferralNFA"))
    ]


# CIN episodes --------------------------------------------------------------------------------------------


def test_8590_child_without_an_episode():
    assert found("8590", a_child()) == []
    assert found("8590", a_child(episodes=[])) == [("8590", "C1001", ("LAchildID",), "")]


# Disability ----------------------------------------------------------------------------------------------


def test_8540_disability_present_and_valid_for_a_child_going_on_to_further_action():
    assert found("8540", a_child(), a_child(la_child_id="C2", disabilities=["MOB", "AUT"])) == []
    assert found("8540", a_child(disabilities=[], episodes=[closed_nfa()])) == []  # no further action
    assert found("8540", an_unborn(disabilities=[])) == []  # no date of birth
    assert found("8540", a_child(disabilities=[])) == [
        ("8540", "C1001", ("Disability",), "No disability code (NONE if the child has none)")
    ]
    assert found("8540", a_child(disabilities=["MOB", "BLIND"])) == [
        ("8540", "C1001", ("Disability",), "Not a disability code: 'BLIND'")
    ]


def test_8790_none_with_other_disabilities():
    assert found("8790", a_child(), a_child(la_child_id="C2", disabilities=["MOB", "HAND"])) == []
    assert found("8790", a_child(disabilities=["NONE", "MOB"])) == [("8790", "C1001", ("Disability",), "")]


def test_8794_disability_code_twice():
    assert found("8794", a_child(disabilities=["MOB", "HAND"])) == []
    assert found("8794", a_child(disabilities=["MOB", "HAND", "MOB", "NONE", "NONE"])) == [
        ("8794", "C1001", ("Disability",), "Recorded more than once: MOB, NONE")
    ]


# The return as a whole -----------------------------------------------------------------------------------


def children(count, **overrides):
    return [a_child(la_child_id=f"C{n}", **overrides) for n in range(count)]


def test_2886q_no_more_than_2_percent_without_sex():
    # One in 50 (2%) is allowed; two in 50 (4%) is not. Unborn children are not counted against it.
    one_in_fifty = [*children(49), a_child(la_child_id="X1", sex="U")]
    assert found("2886Q", *one_in_fifty, *[an_unborn(la_child_id=f"U{n}") for n in range(5)]) == []
    two_in_fifty = [*children(48), a_child(la_child_id="X1", sex="U"), a_child(la_child_id="X2", sex="")]
    assert found("2886Q", *two_in_fifty) == [
        ("2886Q", "", ("Sex", "ExpectedPersonBirthDate"), "2 of 50 children (4.0%)")
    ]
    assert found("2886Q", the_return=a_return()) == []


def test_2886q_before_2024_25_counts_gender_current_0():
    two_in_fifty = [
        *[an_old_child(la_child_id=f"C{n}") for n in range(47)],
        an_old_child(la_child_id="X0", sex="9"),  # "not specified" is recorded
        an_old_child(la_child_id="X1", sex="0"),
        an_old_child(la_child_id="X2", sex=""),
    ]
    assert found("2886Q", *two_in_fifty, year=BEFORE_SEX) == [
        ("2886Q", "", ("GenderCurrent", "ExpectedPersonBirthDate"), "2 of 50 children (4.0%)")
    ]


def test_2887q_more_than_7_disability_codes():
    eight = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"]
    assert (
        found("2887Q", *(a_child(la_child_id=f"C{n}", disabilities=[code]) for n, code in enumerate(eight)))
        == []
    )
    seven = [*eight[:7], "NONE", "MOB"]
    assert found(
        "2887Q", *(a_child(la_child_id=f"C{n}", disabilities=[code]) for n, code in enumerate(seven))
    ) == [("2887Q", "", ("Disability",), "7 codes used: COMM, HAND, HEAR, INC, LD, MOB, PC")]


def test_2888q_some_child_with_more_than_one_disability():
    assert found("2888Q", a_child(), a_child(la_child_id="C2", disabilities=["MOB", "HAND"])) == []
    only_one_each = [a_child(disabilities=["MOB"]), a_child(la_child_id="C2", disabilities=["HAND", "HAND"])]
    assert found("2888Q", *only_one_each, a_child(la_child_id="C3")) == [("2888Q", "", ("Disability",), "")]
    assert found("2888Q", a_child(disabilities=["NONE"])) == [("2888Q", "", ("Disability",), "")]
