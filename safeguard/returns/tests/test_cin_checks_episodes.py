"""The CIN census checks of the episode, its assessments and CIN plans (``cin_census.checks.episodes``): for
each rule, a case that passes and one that fails, and the edges the rule has (the first and last days of the
census year, working days over weekends and bank holidays)."""

import pytest

from safeguard.core.years import CollectionYear
from safeguard.returns import rules
from safeguard.returns.cin_census.checks import episodes
from safeguard.returns.cin_census.model import Assessment, CinPlan, CPPlan, Section47
from safeguard.returns.rules import Source
from safeguard.returns.tests.cin import YEAR, D, a_child, an_episode, findings

EPISODE = Source("casework.cinepisode", 1)
LATER_EPISODE = Source("casework.cinepisode", 2)
ASSESSMENT = Source("casework.assessment", 1)
LATER_ASSESSMENT = Source("casework.assessment", 2)
PLAN = Source("casework.cinplan", 1)
LATER_PLAN = Source("casework.cinplan", 2)
S47 = Source("casework.section47", 1)
CPP = Source("casework.cpplan", 1)

# The rules whose checks live in ``checks.episodes``.
CODES = [
    rule.code
    for rule, registered in rules.checks_for("cin_census", YEAR)
    if registered.function.__module__ == episodes.__name__
]


def found(code, *children, year=YEAR):
    """``(source, detail)`` of each finding of rule ``code``."""
    return [(finding.source, finding.detail) for finding in findings(code, *children, year=year)]


def sources(code, *children, year=YEAR):
    return [finding.source for finding in findings(code, *children, year=year)]


def episode(**overrides):
    return an_episode(**{"source": EPISODE, **overrides})


def assessment(**overrides):
    """Started on 4 June 2024 and authorised on 30 July 2024, with one factor (3A)."""
    values = dict(start=D(2024, 6, 4), authorised=D(2024, 7, 30), factors=("3A",), source=ASSESSMENT)
    values.update(overrides)
    return Assessment(**{**values, "factors": list(values["factors"])})


def plan(**overrides):
    """A CIN plan from 1 August 2024, still open."""
    return CinPlan(**{"start": D(2024, 8, 1), "end": None, "source": PLAN, **overrides})


def child_with(**episode_overrides):
    return a_child(episodes=[episode(**episode_overrides)])


def open_episode(**overrides):
    """Referred on 3 June 2024 and still open, with its assessment authorised."""
    values = dict(closure_date=None, closure_reason="", assessments=[assessment()])
    values.update(overrides)
    return episode(**values)


def test_every_rule_of_the_module_is_checked():
    assert len(CODES) == 47


@pytest.mark.parametrize("code", CODES)
def test_the_valid_child_passes_every_rule(code):
    assert findings(code, a_child()) == []


# -- the referral and the episode ---------------------------------------------------------------------------


def test_8555Q_referral_after_death():
    assert found("8555Q", a_child(death_date=D(2024, 6, 3), episodes=[episode()])) == []
    assert found("8555Q", a_child(death_date=D(2024, 6, 2), episodes=[episode()])) == [
        (EPISODE, "referred 3 June 2024, died 2 June 2024")
    ]


def test_8568_referral_nfa_flag_missing():
    assert sources("8568", child_with(referral_nfa=False), child_with(referral_nfa=True)) == []
    [finding] = findings("8568", child_with(referral_nfa=None))
    assert (finding.source, finding.fields) == (EPISODE, ("ReferralNFA",))


def test_8569Q_nfa_referral_before_the_working_day_before_the_year():
    # 1 April 2024, the first day of 2024-25, was Easter Monday; the working day before it was Thursday 28
    # March (Good Friday, 29 March, was a bank holiday).
    on_it = child_with(referral_date=D(2024, 3, 28), referral_nfa=True)
    assert found("8569Q", on_it) == []
    before = child_with(referral_date=D(2024, 3, 27), referral_nfa=True)
    assert found("8569Q", before) == [(EPISODE, "referred 27 March 2024, before 28 March 2024")]
    assert found("8569Q", child_with(referral_date=D(2024, 3, 27), referral_nfa=False)) == []
    # "must be false": an absent flag is not false.
    assert sources("8569Q", child_with(referral_date=D(2024, 3, 27), referral_nfa=None)) == [EPISODE]


def test_8585Q_closed_as_died_without_a_date_of_death():
    died = dict(closure_reason="RC2", assessments=[])
    assert found("8585Q", a_child(death_date=D(2024, 8, 15), episodes=[episode(**died)])) == []
    [finding] = findings("8585Q", child_with(**died))
    assert (finding.source, finding.fields) == (EPISODE, ("ReasonForClosure", "PersonDeathDate"))


def test_8600_referral_missing_or_after_the_year():
    assert found("8600", child_with(referral_date=YEAR.end, closure_date=None, closure_reason="")) == []
    assert sources("8600", child_with(referral_date=None), child_with(referral_date=D(2025, 4, 1))) == [
        EPISODE,
        EPISODE,
    ]


def test_8606_referral_more_than_40_weeks_before_birth():
    # 280 days before 1 January 2025 is 27 March 2024.
    unborn = dict(birth_date=None, expected_birth_date=D(2025, 1, 1))
    assert found("8606", a_child(**unborn, episodes=[episode(referral_date=D(2024, 3, 27))])) == []
    assert found("8606", a_child(**unborn, episodes=[episode(referral_date=D(2024, 3, 26))])) == [
        (EPISODE, "referred 26 March 2024, born or due 1 January 2025")
    ]
    born = a_child(birth_date=D(2025, 1, 1), episodes=[episode(referral_date=D(2024, 3, 26))])
    assert sources("8606", born) == [EPISODE]


def test_8610_primary_need_missing_when_the_referral_led_to_further_action():
    assert found("8610", child_with(referral_nfa=True, primary_need="")) == []
    assert found("8610", child_with(referral_nfa=False, primary_need="N1")) == []
    # No flag is not "no further action" (8568 reports the flag).
    assert sources(
        "8610",
        child_with(referral_nfa=False, primary_need=""),
        child_with(primary_need="", referral_nfa=None),
    ) == [
        EPISODE,
        EPISODE,
    ]


def test_8620_closure_date_within_the_year_first_and_last_days_included():
    assert found("8620", child_with(referral_date=D(2024, 3, 1), closure_date=YEAR.start)) == []
    assert found("8620", child_with(closure_date=YEAR.end)) == []
    assert found("8620", child_with(referral_date=D(2024, 3, 1), closure_date=D(2024, 3, 31))) == [
        (EPISODE, "closed 31 March 2024")
    ]
    assert found("8620", child_with(closure_date=D(2025, 4, 1))) == [(EPISODE, "closed 1 April 2025")]


def test_8630_closure_before_referral():
    assert found("8630", child_with(closure_date=D(2024, 6, 3), assessments=[])) == []
    assert sources("8630", child_with(closure_date=D(2024, 6, 2))) == [EPISODE]


def test_8640_reason_for_closure_invalid():
    assert found("8640", child_with(closure_reason="RC9")) == []
    assert found("8640", child_with(closure_reason="RC10")) == [
        (EPISODE, "'RC10' is not a reason for closure")
    ]


def test_8650_primary_need_invalid():
    assert found("8650", child_with(primary_need="N0")) == []
    assert found("8650", child_with(primary_need="N10")) == [(EPISODE, "'N10' is not a primary need code")]


def test_8805_closure_date_without_reason():
    assert found("8805", child_with(closure_date=None, closure_reason="")) == []
    assert sources("8805", child_with(closure_reason="")) == [EPISODE]


def test_8810_reason_without_closure_date():
    assert found("8810", child_with(closure_date=None, closure_reason="")) == []
    [finding] = findings("8810", child_with(closure_date=None))
    assert (finding.source, finding.fields) == (EPISODE, ("ReasonForClosure", "CINclosureDate"))


def test_8815_more_than_one_open_episode_with_further_action():
    nfa = open_episode(referral_date=D(2024, 9, 1), referral_nfa=True, assessments=[], source=LATER_EPISODE)
    assert found("8815", a_child(episodes=[open_episode(), nfa])) == []
    later = open_episode(referral_date=D(2024, 9, 1), source=LATER_EPISODE)
    assert found("8815", a_child(episodes=[open_episode(), later])) == [
        (EPISODE, "2 open episodes"),
        (LATER_EPISODE, "2 open episodes"),
    ]


def test_8816_open_episode_not_the_latest():
    closed_later = episode(referral_date=D(2024, 9, 1), closure_date=D(2024, 9, 20), source=LATER_EPISODE)
    assert found("8816", a_child(episodes=[episode(), open_episode(referral_date=D(2024, 10, 1))])) == []
    assert found("8816", a_child(episodes=[open_episode(), closed_later])) == [
        (EPISODE, "referred 3 June 2024; the latest referral is 1 September 2024")
    ]
    nfa = open_episode(referral_nfa=True, assessments=[])
    assert found("8816", a_child(episodes=[nfa, closed_later])) == []


def test_8820_episodes_overlap():
    # An episode may start on the day the one before it closed (15 August 2024).
    next_day = episode(referral_date=D(2024, 8, 15), closure_date=D(2024, 9, 30), source=LATER_EPISODE)
    assert found("8820", a_child(episodes=[episode(), next_day])) == []
    inside = episode(referral_date=D(2024, 8, 14), closure_date=D(2024, 9, 30), source=LATER_EPISODE)
    assert found("8820", a_child(episodes=[episode(), inside])) == [
        (LATER_EPISODE, "referred 14 August 2024, within the episode 3 June 2024 to 15 August 2024")
    ]
    # An open episode runs to the reference date, unless it is a referral with no further action.
    after_open = episode(referral_date=D(2024, 10, 1), closure_date=D(2024, 10, 2), source=LATER_EPISODE)
    assert found("8820", a_child(episodes=[open_episode(), after_open])) == [
        (LATER_EPISODE, "referred 1 October 2024, within the episode 3 June 2024, still open")
    ]
    open_nfa = open_episode(referral_nfa=True, assessments=[])
    assert found("8820", a_child(episodes=[open_nfa, after_open])) == []


def test_8866_referral_source_missing_or_invalid():
    assert found("8866", child_with(referral_source="5D")) == []
    assert found("8866", child_with(referral_date=D(2013, 3, 31), referral_source="")) == []
    assert found("8866", child_with(referral_source=""), child_with(referral_source="11")) == [
        (EPISODE, "no source is not a referral source"),
        (EPISODE, "'11' is not a referral source"),
    ]


# -- activity on episodes that should have none -------------------------------------------------------------


def test_8565_activity_after_closure():
    on_the_day = assessment(start=D(2024, 8, 1), authorised=D(2024, 8, 15))
    assert found("8565", child_with(assessments=[on_the_day], cin_plans=[plan(end=D(2024, 8, 15))])) == []
    late = child_with(
        assessments=[assessment(authorised=D(2024, 8, 16))],
        cin_plans=[plan(start=D(2024, 8, 16), end=D(2024, 8, 20))],
    )
    assert [(f.source, f.fields, f.detail) for f in findings("8565", late)] == [
        (
            ASSESSMENT,
            ("CINclosureDate", "AssessmentAuthorisationDate"),
            "16 August 2024, after the closure on 15 August 2024",
        ),
        (
            PLAN,
            ("CINclosureDate", "CINPlanStartDate", "CINPlanEndDate"),
            "16 August 2024 and 20 August 2024, after the closure on 15 August 2024",
        ),
    ]
    s47 = Section47(start=D(2024, 8, 10), icpc_date=D(2024, 8, 20), source=S47)
    [finding] = findings("8565", child_with(s47s=[s47]))
    assert (finding.source, finding.fields) == (S47, ("CINclosureDate", "DateOfInitialCPC"))


def test_8565_counts_only_the_activity_the_dfe_lists():
    # A CP plan's start and reviews are not in the DfE's list; its end is.
    started_late = CPPlan(start=D(2024, 8, 16), reviews=[D(2024, 9, 1)], source=CPP)
    assert found("8565", child_with(cp_plans=[started_late])) == []
    ended_late = CPPlan(start=D(2024, 8, 1), end=D(2024, 8, 16), source=CPP)
    assert sources("8565", child_with(cp_plans=[ended_late])) == [CPP]
    assert (
        found("8565", child_with(closure_date=None, closure_reason="", cin_plans=[plan(start=D(2025, 3, 1))]))
        == []
    )


def test_8831_activity_on_a_referral_with_no_further_action():
    nfa = dict(referral_nfa=True, closure_reason="RC7", primary_need="")
    assert found("8831", child_with(**nfa, assessments=[])) == []
    # CIN plans are 4000's business.
    assert found("8831", child_with(**nfa, assessments=[], cin_plans=[plan()])) == []
    assert found("8831", child_with(**nfa)) == [(EPISODE, "marked no further action, but has an assessment")]
    s47 = Section47(start=D(2024, 6, 10), icpc_date=D(2024, 6, 20), source=S47)
    assert found("8831", child_with(**nfa, assessments=[], s47s=[s47])) == [
        (
            EPISODE,
            "marked no further action, but has a section 47 enquiry and an initial child protection conference",
        )
    ]


def test_2990_activity_on_an_episode_closed_after_assessment():
    assert found("2990", child_with(closure_reason="RC7", cin_plans=[plan(end=D(2024, 8, 15))])) == []
    assert found("2990", child_with(closure_reason="RC8")) == []
    s47 = Section47(start=D(2024, 6, 10), source=S47)
    assert found(
        "2990", child_with(closure_reason="RC9", s47s=[s47], cin_plans=[plan(end=D(2024, 8, 15))])
    ) == [(EPISODE, "closed as RC9, but has a section 47 enquiry and a CIN plan")]
    assert found("2990", child_with(icpc_date=D(2024, 7, 1))) == [
        (EPISODE, "closed as RC8, but has an initial child protection conference")
    ]


def test_8825Q_closed_after_assessment_without_one():
    assert found("8825Q", child_with(closure_reason="RC7", assessments=[])) == []
    assert sources("8825Q", child_with(closure_reason="RC9", assessments=[])) == [EPISODE]


def test_2991Q_section_47_without_an_assessment():
    s47 = Section47(start=D(2024, 6, 10), source=S47)
    assert found("2991Q", child_with(s47s=[s47])) == []
    assert sources("2991Q", child_with(s47s=[s47], assessments=[])) == [EPISODE]


# -- assessments --------------------------------------------------------------------------------------------


def test_1103_assessment_before_referral():
    assert found("1103", child_with(assessments=[assessment(start=D(2024, 6, 3))])) == []
    assert found("1103", child_with(assessments=[assessment(start=D(2024, 6, 2))])) == [
        (ASSESSMENT, "started 2 June 2024, referred 3 June 2024")
    ]


def test_8608_assessment_authorised_before_it_started():
    assert found("8608", child_with(assessments=[assessment(authorised=D(2024, 6, 4))])) == []
    assert sources("8608", child_with(assessments=[assessment(authorised=D(2024, 6, 3))])) == [ASSESSMENT]


def test_8614_factors_on_an_assessment_not_completed():
    assert found("8614", child_with(assessments=[assessment(authorised=None, factors=())])) == []
    assert sources("8614", child_with(assessments=[assessment(authorised=None)])) == [ASSESSMENT]


@pytest.mark.parametrize(
    ("year", "last_start_that_passes", "first_start_that_fails"),
    [
        # 31 March 2025 is a Monday, with no bank holiday in the 45 working days before it.
        (CollectionYear(2025), D(2025, 1, 28), D(2025, 1, 27)),
        # 31 March 2024 was Easter Sunday: the DfE's count starts from it, and Good Friday is not a working day.
        (CollectionYear(2024), D(2024, 1, 29), D(2024, 1, 26)),
        # Good Friday (26 March 2027) and Easter Monday (29 March 2027) move the day back by two: 28 January
        # without them.
        (CollectionYear(2027), D(2027, 1, 26), D(2027, 1, 25)),
    ],
)
def test_8670Q_assessment_open_more_than_45_working_days(
    year, last_start_that_passes, first_start_that_fails
):
    def child(start):
        return a_child(
            episodes=[
                open_episode(referral_date=start, assessments=[assessment(start=start, authorised=None)])
            ]
        )

    assert found("8670Q", child(last_start_that_passes), year=year) == []
    assert found("8670Q", child(first_start_that_fails), year=year) == [
        (
            ASSESSMENT,
            f"started {first_start_that_fails.day} January {year.end_year} and not authorised; "
            f"45 working days before the reference date is {last_start_that_passes.day} January {year.end_year}",
        )
    ]
    completed = a_child(episodes=[open_episode(assessments=[assessment(start=D(2024, 6, 4))])])
    assert found("8670Q", completed, year=year) == []


def test_8696_assessment_authorised_outside_the_year():
    assert found("8696", child_with(assessments=[assessment(authorised=YEAR.start)])) == []
    assert found(
        "8696", child_with(assessments=[assessment(start=D(2024, 3, 1), authorised=D(2024, 3, 31))])
    ) == [(ASSESSMENT, "authorised 31 March 2024")]


def test_8736_open_assessment_started_outside_the_year():
    assert found("8736", child_with(assessments=[assessment(start=YEAR.start, authorised=None)])) == []
    assert (
        found("8736", child_with(assessments=[assessment(start=D(2024, 2, 1), authorised=D(2024, 4, 10))]))
        == []
    )
    assert found("8736", child_with(assessments=[assessment(start=D(2024, 3, 31), authorised=None)])) == [
        (ASSESSMENT, "started 31 March 2024")
    ]


def test_8863Q_assessment_starting_during_another():
    first = assessment()  # 4 June to 30 July 2024
    after = assessment(start=D(2024, 7, 31), authorised=D(2024, 8, 10), source=LATER_ASSESSMENT)
    assert found("8863Q", child_with(assessments=[first, after])) == []
    on_the_last_day = assessment(start=D(2024, 7, 30), authorised=D(2024, 8, 10), source=LATER_ASSESSMENT)
    assert found("8863Q", child_with(assessments=[first, on_the_last_day])) == [
        (LATER_ASSESSMENT, "started 30 July 2024, during the assessment 4 June 2024 to 30 July 2024")
    ]
    still_open = assessment(authorised=None)
    assert sources("8863Q", child_with(assessments=[still_open, after])) == [LATER_ASSESSMENT]
    # Assessments of different episodes are not compared.
    other_episode = episode(referral_date=D(2024, 6, 1), assessments=[after], source=LATER_EPISODE)
    assert found("8863Q", a_child(episodes=[episode(assessments=[still_open]), other_episode])) == []


def test_8867_closed_episode_with_an_assessment_not_completed():
    assert found("8867", a_child(episodes=[open_episode(assessments=[assessment(authorised=None)])])) == []
    assert found("8867", child_with(assessments=[assessment(authorised=None, factors=())])) == [
        (ASSESSMENT, "episode closed 15 August 2024")
    ]


def test_8869_no_factors_used_with_other_factors():
    assert found("8869", child_with(assessments=[assessment(factors=("21",))])) == []
    assert sources("8869", child_with(assessments=[assessment(factors=("21", "3A"))])) == [ASSESSMENT]


def test_8873Q_only_assessment_found_no_factors_but_not_closed_after_assessment():
    assert found("8873Q", child_with(closure_reason="RC9", assessments=[assessment(factors=("21",))])) == []
    two = [assessment(factors=("21",)), assessment(start=D(2024, 8, 1), authorised=D(2024, 8, 10))]
    assert found("8873Q", child_with(closure_reason="RC7", assessments=two)) == []
    assert found("8873Q", child_with(closure_reason="RC7", assessments=[assessment(factors=("21",))])) == [
        (EPISODE, "RC7, not RC8 or RC9")
    ]


def test_8896_more_than_one_open_assessment():
    one_open = [assessment(), assessment(authorised=None, factors=(), source=LATER_ASSESSMENT)]
    assert found("8896", child_with(assessments=one_open)) == []
    two_open = [assessment(authorised=None, factors=()), one_open[1]]
    assert found("8896", child_with(assessments=two_open)) == [
        (ASSESSMENT, "2 open assessments in the episode"),
        (LATER_ASSESSMENT, "2 open assessments in the episode"),
    ]


def test_8897Q_completed_assessment_without_valid_factors():
    before_the_year = assessment(start=D(2024, 2, 1), authorised=D(2024, 3, 31), factors=())
    assert found("8897Q", child_with(assessments=[before_the_year])) == []
    assert found("8897Q", child_with(assessments=[assessment(authorised=YEAR.start, factors=())])) == [
        (ASSESSMENT, "no factors")
    ]
    assert found("8897Q", child_with(assessments=[assessment(factors=("3A", "99"))])) == [
        (ASSESSMENT, "not factor codes: 99")
    ]


def test_8898_factor_repeated():
    assert found("8898", child_with(assessments=[assessment(factors=("3A", "3B"))])) == []
    assert found("8898", child_with(assessments=[assessment(factors=("3A", "4B", "3A"))])) == [
        (ASSESSMENT, "repeated: 3A")
    ]


@pytest.mark.parametrize(("code", "queried", "instead"), [("8945Q", "18A", "18C"), ("8950Q", "19A", "19B")])
def test_8945Q_8950Q_abuse_factor_without_the_perpetrator(code, queried, instead):
    assert found(code, child_with(assessments=[assessment(factors=(instead,))])) == []
    assert sources(code, child_with(assessments=[assessment(factors=(queried.lower(),))])) == [ASSESSMENT]
    # New in 2024-25: not a rule of 2023-24.
    with pytest.raises(KeyError):
        findings(code, child_with(), year=CollectionYear(2024))


# -- CIN plans ----------------------------------------------------------------------------------------------


def test_4000_cin_plan_on_a_referral_with_no_further_action():
    assert found("4000", child_with(cin_plans=[plan()]), child_with(referral_nfa=True)) == []
    assert sources("4000", child_with(referral_nfa=True, cin_plans=[plan()])) == [EPISODE]


def test_4004_more_than_one_open_cin_plan_in_an_episode():
    ended = plan(start=D(2024, 6, 10), end=D(2024, 7, 1), source=LATER_PLAN)
    assert found("4004", a_child(episodes=[open_episode(cin_plans=[plan(), ended])])) == []
    both_open = [plan(), plan(start=D(2024, 9, 1), source=LATER_PLAN)]
    assert found("4004", a_child(episodes=[open_episode(cin_plans=both_open)])) == [
        (PLAN, "2 open CIN plans in the episode"),
        (LATER_PLAN, "2 open CIN plans in the episode"),
    ]


def test_4008_cin_plan_starts_after_death():
    died = dict(death_date=D(2024, 9, 1))
    assert (
        found("4008", a_child(**died, episodes=[open_episode(cin_plans=[plan(start=D(2024, 9, 1))])])) == []
    )
    assert found("4008", a_child(**died, episodes=[open_episode(cin_plans=[plan(start=D(2024, 9, 2))])])) == [
        (PLAN, "started 2 September 2024, died 1 September 2024")
    ]


def test_4009Q_cin_plan_ends_after_death():
    died = dict(death_date=D(2024, 9, 1))
    ends_that_day = [plan(end=D(2024, 9, 1))]
    assert found("4009Q", a_child(**died, episodes=[open_episode(cin_plans=ends_that_day)])) == []
    assert found("4009Q", a_child(**died, episodes=[open_episode(cin_plans=[plan()])])) == []
    assert found("4009Q", a_child(**died, episodes=[open_episode(cin_plans=[plan(end=D(2024, 9, 2))])])) == [
        (PLAN, "ended 2 September 2024, died 1 September 2024")
    ]


def test_4010_cin_plan_start_missing_or_after_the_year():
    passing = [plan(start=YEAR.end), plan(start=D(2023, 6, 1), source=LATER_PLAN)]
    assert found("4010", a_child(episodes=[open_episode(cin_plans=passing)])) == []
    failing = [plan(start=None), plan(start=D(2025, 4, 1), source=LATER_PLAN)]
    assert sources("4010", a_child(episodes=[open_episode(cin_plans=failing)])) == [PLAN, LATER_PLAN]


def test_4011_cin_plan_ends_before_it_starts():
    assert found("4011", a_child(episodes=[open_episode(cin_plans=[plan(end=D(2024, 8, 1))])])) == []
    [finding] = findings("4011", a_child(episodes=[open_episode(cin_plans=[plan(end=D(2024, 7, 31))])]))
    assert (finding.source, finding.fields) == (PLAN, ("CINPlanEndDate", "CINPlanStartDate"))


def test_4012Q_cin_plan_starts_and_ends_on_the_same_day():
    assert found("4012Q", a_child(episodes=[open_episode(cin_plans=[plan(end=D(2024, 8, 2))])])) == []
    assert sources("4012Q", a_child(episodes=[open_episode(cin_plans=[plan(end=D(2024, 8, 1))])])) == [PLAN]


def test_4013_cin_plan_end_within_the_year_first_and_last_days_included():
    within = [
        plan(start=D(2024, 3, 1), end=YEAR.start),
        plan(start=D(2025, 3, 1), end=YEAR.end, source=LATER_PLAN),
    ]
    assert found("4013", a_child(episodes=[open_episode(cin_plans=within)])) == []
    outside = [plan(start=D(2024, 3, 1), end=D(2024, 3, 31)), plan(end=D(2025, 4, 1), source=LATER_PLAN)]
    assert found("4013", a_child(episodes=[open_episode(cin_plans=outside)])) == [
        (PLAN, "ended 31 March 2024"),
        (LATER_PLAN, "ended 1 April 2025"),
    ]


def test_4014_cin_plans_overlap():
    first = plan(start=D(2024, 6, 10), end=D(2024, 8, 1))
    after = plan(start=D(2024, 8, 2), source=LATER_PLAN)
    assert found("4014", a_child(episodes=[open_episode(cin_plans=[first, after])])) == []
    # "On or between": a plan starting the day another ended overlaps it.
    on_its_end = plan(start=D(2024, 8, 1), source=LATER_PLAN)
    assert found("4014", a_child(episodes=[open_episode(cin_plans=[first, on_its_end])])) == [
        (LATER_PLAN, "started 1 August 2024, during the CIN plan 10 June 2024 to 1 August 2024")
    ]
    # An open plan runs to the reference date; plans of different episodes are compared too.
    still_open = open_episode(cin_plans=[plan(start=D(2024, 6, 10))])
    later_episode = episode(
        referral_date=D(2024, 9, 1),
        closure_date=D(2024, 10, 1),
        closure_reason="RC7",
        cin_plans=[plan(start=D(2024, 9, 2), end=D(2024, 9, 30), source=LATER_PLAN)],
        source=LATER_EPISODE,
    )
    assert sources("4014", a_child(episodes=[still_open, later_episode])) == [LATER_PLAN]


def test_4015_cin_plan_before_referral():
    assert found("4015", a_child(episodes=[open_episode(cin_plans=[plan(start=D(2024, 6, 3))])])) == []
    assert found("4015", a_child(episodes=[open_episode(cin_plans=[plan(start=D(2024, 6, 2))])])) == [
        (PLAN, "started 2 June 2024, referred 3 June 2024")
    ]
