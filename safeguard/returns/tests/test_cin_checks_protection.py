"""The CIN census checks of section 47 enquiries, initial conferences and child protection plans
(``cin_census/checks/protection.py``): one test per DfE rule, each with what passes and what fails."""

import pytest

from safeguard.core.years import CollectionYear
from safeguard.returns import rules
from safeguard.returns.cin_census.model import CinPlan, CPPlan, Section47
from safeguard.returns.cin_census.validate import validate
from safeguard.returns.rules import Source
from safeguard.returns.tests.cin import YEAR, D, a_child, a_return, an_episode, findings

CODES = [
    "1104",
    "1105",
    "2883",
    "2884",
    "2885",
    "2889",
    "4001",
    "4003",
    "4016",
    "4017",
    "8615",
    "8675Q",
    "8715",
    "8720",
    "8730",
    "8740",
    "8832",
    "8839",
    "8840",
    "8841",
    "8842Q",
    "8868",
    "8870Q",
    "8875",
    "8890",
    "8905",
    "8910",
    "8915",
    "8920",
    "8925",
    "8930",
    "8935",
    "8940",
]


def s47_source(pk: int = 1) -> Source:
    return Source("casework.s47enquiry", pk)


def plan_source(pk: int = 1) -> Source:
    return Source("casework.cpplan", pk)


def cin_plan_source(pk: int = 1) -> Source:
    return Source("casework.cinplan", pk)


def an_s47(pk: int = 1, **overrides) -> Section47:
    """Started Monday 10 June 2024; conference due and held on Monday 1 July 2024."""
    values = dict(
        start=D(2024, 6, 10), icpc_target=D(2024, 7, 1), icpc_date=D(2024, 7, 1), icpc_not_required=False
    )
    values.update(overrides)
    return Section47(source=s47_source(pk), **values)


def a_plan(pk: int = 1, **overrides) -> CPPlan:
    """Started at the conference on 1 July 2024, still open, reviewed on 30 September 2024."""
    values = dict(
        start=D(2024, 7, 1),
        initial_category="NEG",
        latest_category="NEG",
        previous_plans=0,
        reviews=[D(2024, 9, 30)],
    )
    values.update(overrides)
    return CPPlan(source=plan_source(pk), **values)


def a_cin_plan(pk: int = 1, **overrides) -> CinPlan:
    values = dict(start=D(2024, 9, 2), end=D(2024, 11, 1))
    values.update(overrides)
    return CinPlan(source=cin_plan_source(pk), **values)


def protected(**overrides):
    """An open episode (referred 3 June 2024) with an enquiry, its conference and the plan it made."""
    values = dict(closure_date=None, closure_reason="", s47s=[an_s47()], cp_plans=[a_plan()])
    values.update(overrides)
    return an_episode(**values)


def a_protected_child(*episodes, **overrides):
    return a_child(episodes=list(episodes) or [protected()], **overrides)


def found(code, *children, year=YEAR):
    """(source, detail) of each finding of rule ``code``."""
    return [(finding.source, finding.detail) for finding in findings(code, *children, year=year)]


def sources(code, *children, year=YEAR):
    return [finding.source for finding in findings(code, *children, year=year)]


def test_a_child_on_a_plan_made_at_the_conference_passes_every_rule():
    report = validate(a_return(a_protected_child()), only=set(CODES))
    assert report.findings == []


def test_every_rule_of_this_module_has_a_check():
    checked = {rule.code for rule, _ in rules.checks_for("cin_census", YEAR)}
    assert set(CODES) <= checked


# -- the conference and the referral ----------------------------------------------------------------------


def test_1104_conference_before_referral():
    assert sources("1104", a_protected_child(protected(s47s=[an_s47(icpc_date=D(2024, 6, 3))]))) == []
    child = a_protected_child(protected(s47s=[an_s47(icpc_date=D(2024, 5, 31))]))
    [finding] = findings("1104", child)
    assert finding.source == s47_source()
    assert finding.fields == ("DateOfInitialCPC", "CINreferralDate")


def test_1105_plan_before_referral():
    assert sources("1105", a_protected_child(protected(cp_plans=[a_plan(start=D(2024, 6, 3))]))) == []
    assert sources("1105", a_protected_child(protected(cp_plans=[a_plan(start=D(2024, 6, 2))]))) == [
        plan_source()
    ]


def test_2889_enquiry_before_referral():
    assert sources("2889", a_protected_child(protected(s47s=[an_s47(start=D(2024, 6, 3))]))) == []
    assert sources("2889", a_protected_child(protected(s47s=[an_s47(start=D(2024, 6, 2))]))) == [s47_source()]


def test_2883_more_plans_started_than_conferences_held():
    # A conference recorded on the episode (no enquiry in the return) counts as much as one on an enquiry.
    on_episode = a_protected_child(protected(s47s=[], icpc_date=D(2024, 7, 1)), la_child_id="C2")
    # A plan that started before the year is not counted.
    older = a_protected_child(protected(s47s=[], cp_plans=[a_plan(start=D(2024, 3, 28))]), la_child_id="C3")
    assert found("2883", a_protected_child(), on_episode, older) == []

    # The conference was held before the year: one plan started in it, no conference.
    before = a_protected_child(protected(s47s=[an_s47(icpc_date=D(2024, 3, 28))]))
    [finding] = findings("2883", before)
    assert (finding.la_child_id, finding.source) == ("", None)
    assert (
        finding.detail == "1 child protection plans started in the year, but 0 initial conferences were held"
    )


def test_2884_conference_on_the_enquiry_and_the_episode():
    assert found("2884", a_protected_child(protected(icpc_date=D(2024, 7, 2)))) == []
    assert found("2884", a_protected_child(protected(icpc_date=D(2024, 7, 1)))) == [
        (s47_source(), "The conference of 1 July 2024 is also recorded on the episode")
    ]
    # As the DfE validator reads it: the same date on another of the child's episodes counts too.
    earlier = an_episode(icpc_date=D(2024, 7, 1))
    assert sources("2884", a_protected_child(earlier, protected())) == [s47_source()]


def test_2885_plan_must_start_on_the_day_of_a_conference_in_its_episode():
    assert found("2885", a_protected_child(protected(s47s=[], icpc_date=D(2024, 7, 1)))) == []
    # Of two enquiries, one held the conference the plan started at.
    two = protected(s47s=[an_s47(1, icpc_date=D(2024, 6, 20)), an_s47(2, start=D(2024, 6, 14))])
    assert found("2885", a_protected_child(two)) == []
    # A plan that started before the year is not looked at.
    assert found("2885", a_protected_child(protected(s47s=[], cp_plans=[a_plan(start=D(2024, 3, 28))]))) == []

    late = protected(cp_plans=[a_plan(start=D(2024, 7, 2))])
    assert found("2885", a_protected_child(late)) == [
        (plan_source(), "Plan started 2 July 2024; conferences in the episode: 1 July 2024")
    ]
    # With an enquiry in the episode, the conference must be on it: the episode's date does not count.
    no_date = protected(s47s=[an_s47(icpc_date=None)], icpc_date=D(2024, 7, 1))
    assert found("2885", a_protected_child(no_date)) == [
        (plan_source(), "Plan started 1 July 2024; conferences in the episode: none")
    ]


# -- enquiries and their conferences ------------------------------------------------------------------------


def test_8615_enquiry_must_start_by_its_conference():
    assert sources("8615", a_protected_child(protected(s47s=[an_s47(start=D(2024, 7, 1))]))) == []
    assert sources("8615", a_protected_child(protected(s47s=[an_s47(start=D(2024, 7, 2))]))) == [s47_source()]
    assert sources("8615", a_protected_child(protected(s47s=[an_s47(start=None)]))) == [s47_source()]


def awaiting(start, **overrides):
    """A child whose only enquiry, started on ``start``, has had no conference."""
    s47 = an_s47(start=start, icpc_target=None, icpc_date=None, **overrides)
    return a_protected_child(protected(s47s=[s47], cp_plans=[]))


def test_8675Q_no_conference_15_working_days_after_the_enquiry_started():
    # 31 March 2025 is a Monday: the 15 working days back from it run from Tuesday 11 March.
    assert found("8675Q", awaiting(D(2025, 3, 11))) == []
    assert found("8675Q", awaiting(D(2025, 3, 10))) == [
        (
            s47_source(),
            "Started 10 March 2025; a conference is due by now for enquiries started before 11 March 2025",
        )
    ]
    # Only where ICPCnotRequired is given as false.
    assert found("8675Q", awaiting(D(2025, 3, 10), icpc_not_required=True)) == []
    assert found("8675Q", awaiting(D(2025, 3, 10), icpc_not_required=None)) == []


def test_8675Q_counts_as_the_dfe_validator_when_31_march_is_a_sunday():
    # 31 March 2024 was a Sunday and 29 March Good Friday. The DfE validator counts back 14 working days from
    # the Sunday (ReferenceDate - CustomBusinessDay(14)), to Monday 11 March, so Friday 8 March is queried
    # although [8 March, 31 March] holds exactly 15 working days.
    year = CollectionYear(2024)
    assert found("8675Q", awaiting(D(2024, 3, 11)), year=year) == []
    assert sources("8675Q", awaiting(D(2024, 3, 8)), year=year) == [s47_source()]


def test_8715_conference_within_the_year():
    for inside in (D(2024, 4, 1), D(2025, 3, 31)):
        assert sources("8715", a_protected_child(protected(s47s=[an_s47(icpc_date=inside)]))) == []
    for outside in (D(2024, 3, 31), D(2025, 4, 1)):
        assert sources("8715", a_protected_child(protected(s47s=[an_s47(icpc_date=outside)]))) == [
            s47_source()
        ]


def test_8740_enquiry_awaiting_its_conference_started_in_the_year():
    assert sources("8740", awaiting(D(2024, 4, 1))) == []
    assert sources("8740", awaiting(D(2024, 3, 28), icpc_not_required=True)) == []
    assert sources("8740", awaiting(D(2024, 3, 28))) == [s47_source()]
    # An enquiry from before the year whose conference was held in it is fine.
    assert sources("8740", a_protected_child(protected(s47s=[an_s47(start=D(2024, 3, 28))]))) == []


def test_8839_two_open_enquiries_in_an_episode():
    open_one = dict(icpc_target=None, icpc_date=None)
    fine = [an_s47(1, **open_one), an_s47(2, **open_one, icpc_not_required=True), an_s47(3)]
    assert found("8839", a_protected_child(protected(s47s=fine))) == []
    # Open enquiries in two episodes are for rule 8820 (episodes overlapping), not this one.
    other = an_episode(s47s=[an_s47(9, start=D(2024, 6, 4), **open_one)])
    assert found("8839", a_protected_child(other, protected(s47s=[an_s47(1, **open_one)]))) == []

    two = [an_s47(1, **open_one), an_s47(2, start=D(2024, 6, 20), **open_one, icpc_not_required=None)]
    assert found("8839", a_protected_child(protected(s47s=two))) == [
        (s47_source(2), "Open enquiries in this episode started 10 June 2024, 20 June 2024")
    ]


def test_8868_closed_episode_with_an_enquiry_not_finished():
    closed = dict(closure_date=D(2024, 12, 2), closure_reason="RC7")
    assert found("8868", a_protected_child(protected(**closed))) == []
    not_required = an_s47(icpc_target=None, icpc_date=None, icpc_not_required=True)
    assert found("8868", a_protected_child(protected(s47s=[not_required], **closed))) == []
    open_s47 = an_s47(icpc_date=None)
    assert found("8868", a_protected_child(protected(s47s=[open_s47]))) == []  # the episode is open

    assert found("8868", a_protected_child(protected(s47s=[open_s47], **closed))) == [
        (s47_source(), "The enquiry has no conference date and is not flagged as needing none")
    ]
    both = an_s47(icpc_not_required=True)
    assert found("8868", a_protected_child(protected(s47s=[both], **closed))) == [
        (s47_source(), "The enquiry has a conference date and is flagged as needing none")
    ]


def test_8870Q_conference_target_at_a_weekend():
    assert found("8870Q", a_protected_child(protected(s47s=[an_s47(icpc_target=D(2024, 7, 5))]))) == []
    assert found("8870Q", a_protected_child(protected(s47s=[an_s47(icpc_target=D(2024, 7, 6))]))) == [
        (s47_source(), "6 July 2024 is a Saturday")
    ]


def test_8875_conference_at_a_weekend():
    # A bank holiday (Monday 26 August 2024) is not a weekend.
    assert found("8875", a_protected_child(protected(s47s=[an_s47(icpc_date=D(2024, 8, 26))]))) == []
    assert found("8875", a_protected_child(protected(s47s=[an_s47(icpc_date=D(2024, 7, 7))]))) == [
        (s47_source(), "7 July 2024 is a Sunday")
    ]


def test_8890_enquiry_starts_while_another_is_ongoing():
    first = an_s47(1)  # 10 June to its conference on 1 July 2024
    assert found("8890", a_protected_child(protected(s47s=[first, an_s47(2, start=D(2024, 7, 2))]))) == []
    assert found("8890", a_protected_child(protected(s47s=[first, an_s47(2, start=D(2024, 7, 1))]))) == [
        (s47_source(2), "Another enquiry started 10 June 2024 was still open")
    ]
    # An enquiry awaiting its conference is ongoing until the end of the year; one needing none is not.
    waiting = an_s47(1, icpc_target=None, icpc_date=None)
    later = an_s47(2, start=D(2025, 1, 6), icpc_target=D(2025, 1, 27), icpc_date=D(2025, 1, 27))
    assert sources("8890", a_protected_child(protected(s47s=[waiting, later]))) == [s47_source(2)]
    finished = an_s47(1, icpc_target=None, icpc_date=None, icpc_not_required=True)
    assert sources("8890", a_protected_child(protected(s47s=[finished, later]))) == []


# -- child protection plans --------------------------------------------------------------------------------


def plan_child(*plans, **overrides):
    return a_protected_child(protected(cp_plans=list(plans)), **overrides)


def test_8720_plan_start_missing_or_after_the_reference_date():
    for start in (D(2024, 1, 8), D(2025, 3, 31)):  # a plan from an earlier year is reported while open
        assert sources("8720", plan_child(a_plan(start=start))) == []
    for start in (None, D(2025, 4, 1)):
        assert sources("8720", plan_child(a_plan(start=start))) == [plan_source()]


def test_8730_number_of_previous_plans_missing():
    assert sources("8730", plan_child(a_plan(previous_plans=0))) == []
    assert sources("8730", plan_child(a_plan(previous_plans=None))) == [plan_source()]
    assert sources("8730", plan_child(a_plan(previous_plans=-1))) == [plan_source()]


def test_8832_plan_on_a_referral_with_no_further_action():
    assert sources("8832", a_protected_child(protected(referral_nfa=False))) == []
    assert sources("8832", a_protected_child(protected(referral_nfa=True, cp_plans=[]))) == []
    assert sources("8832", a_protected_child(protected(referral_nfa=True))) == [plan_source()]


def test_8840_plan_starts_and_ends_the_same_day():
    assert sources("8840", plan_child(a_plan(end=D(2024, 7, 2), reviews=[]))) == []
    assert sources("8840", plan_child(a_plan(end=D(2024, 7, 1), reviews=[]))) == [plan_source()]


def test_8841_review_on_or_before_the_plan_start():
    assert found("8841", plan_child(a_plan(reviews=[D(2024, 7, 2), None]))) == []
    assert found("8841", plan_child(a_plan(reviews=[D(2024, 7, 1), D(2024, 9, 30)]))) == [
        (plan_source(), "Review on 1 July 2024, plan started 1 July 2024")
    ]


def test_8842Q_review_without_a_date():
    assert sources("8842Q", plan_child(a_plan(reviews=[]))) == []
    assert sources("8842Q", plan_child(a_plan(reviews=[D(2024, 9, 30), None]))) == [plan_source()]


@pytest.mark.parametrize(("code", "field"), [("8905", "initial_category"), ("8910", "latest_category")])
def test_8905_8910_category_of_abuse_missing_or_invalid(code, field):
    for valid in ("NEG", "PHY", "SAB", "EMO", "MUL"):
        assert sources(code, plan_child(a_plan(**{field: valid}))) == []
    for invalid in ("", "neg", "XYZ"):
        assert sources(code, plan_child(a_plan(**{field: invalid}))) == [plan_source()]


def test_8915_plan_starts_after_death():
    assert sources("8915", plan_child(a_plan(), death_date=D(2024, 7, 1))) == []
    assert sources("8915", plan_child(a_plan(), death_date=D(2024, 6, 30))) == [plan_source()]


def test_8920_plan_ends_after_death():
    ended = a_plan(end=D(2024, 8, 1), reviews=[])
    assert sources("8920", plan_child(ended, death_date=D(2024, 8, 1))) == []
    assert sources("8920", plan_child(a_plan(), death_date=D(2024, 8, 1))) == []  # open: nothing to compare
    assert sources("8920", plan_child(ended, death_date=D(2024, 7, 31))) == [plan_source()]


def test_8925_plan_ends_before_it_starts():
    assert sources("8925", plan_child(a_plan(end=D(2024, 7, 2), reviews=[]))) == []
    assert sources("8925", plan_child(a_plan(end=D(2024, 6, 28), reviews=[]))) == [plan_source()]


def test_8930_plan_end_within_the_year():
    for inside in (D(2024, 4, 1), D(2025, 3, 31)):
        old = a_plan(start=D(2023, 11, 6), end=inside, reviews=[])
        assert sources("8930", plan_child(old)) == []
    for outside in (D(2024, 3, 31), D(2025, 4, 1)):
        old = a_plan(start=D(2023, 11, 6), end=outside, reviews=[])
        assert sources("8930", plan_child(old)) == [plan_source()]


def test_8935_two_open_plans():
    ended = a_plan(1, start=D(2023, 11, 6), end=D(2024, 5, 6), reviews=[])
    assert found("8935", plan_child(ended, a_plan(2))) == []
    # Across the child's episodes.
    other = an_episode(cp_plans=[a_plan(9, start=D(2024, 6, 28))])
    assert found("8935", a_protected_child(other, protected())) == [
        (plan_source(1), "Open plans started 28 June 2024, 1 July 2024")
    ]


def test_8940_plans_overlap():
    first = a_plan(1, start=D(2024, 7, 1), end=D(2024, 10, 1), reviews=[])
    assert found("8940", plan_child(first, a_plan(2, start=D(2024, 10, 2), reviews=[]))) == []
    # Starting on the day the other ended counts as overlapping, as the DfE validator reads "on or between".
    assert found("8940", plan_child(first, a_plan(2, start=D(2024, 10, 1), reviews=[]))) == [
        (plan_source(2), "Starts during the plan of 1 July 2024 to 1 October 2024")
    ]
    still_open = a_plan(1, reviews=[])
    assert found("8940", plan_child(still_open, a_plan(2, start=D(2025, 3, 31), reviews=[]))) == [
        (plan_source(2), "Starts during the plan of 1 July 2024 to still open")
    ]


# -- CIN plans and child protection plans -------------------------------------------------------------------


def test_4001_open_cin_plan_and_open_plan_in_an_episode():
    assert sources("4001", a_protected_child(protected(cin_plans=[a_cin_plan()]))) == []
    ended = a_plan(end=D(2024, 9, 2), reviews=[])
    assert (
        sources("4001", a_protected_child(protected(cp_plans=[ended], cin_plans=[a_cin_plan(end=None)])))
        == []
    )
    # An open CIN plan in another episode is for rules 4016 and 4017.
    other = an_episode(cin_plans=[a_cin_plan(9, start=D(2024, 6, 14), end=None)])
    assert sources("4001", a_protected_child(other, protected())) == []
    assert sources("4001", a_protected_child(protected(cin_plans=[a_cin_plan(end=None)]))) == [
        cin_plan_source()
    ]


def test_4003_plan_review_while_a_cin_plan_is_open():
    # CIN plan 2 September to 1 November 2024.
    before = a_plan(reviews=[D(2024, 8, 30), D(2024, 11, 1)])
    assert found("4003", a_protected_child(protected(cp_plans=[before], cin_plans=[a_cin_plan()]))) == []
    # The review that ends the plan may fall while the CIN plan that follows it has started.
    ending = a_plan(end=D(2024, 9, 30), reviews=[D(2024, 9, 30)])
    assert found("4003", a_protected_child(protected(cp_plans=[ending], cin_plans=[a_cin_plan()]))) == []

    assert found("4003", a_protected_child(protected(cin_plans=[a_cin_plan()]))) == [
        (plan_source(), "Review on 30 September 2024 while the CIN plan of 2 September 2024 was open")
    ]
    assert sources("4003", a_protected_child(protected(cin_plans=[a_cin_plan(end=None)]))) == [plan_source()]


def test_4016_cin_plan_starts_during_a_plan():
    ended = a_plan(end=D(2024, 9, 2), reviews=[])
    for start in (D(2024, 6, 28), D(2024, 9, 2)):  # before the plan, and on the day it ended
        child = a_protected_child(protected(cp_plans=[ended], cin_plans=[a_cin_plan(start=start)]))
        assert found("4016", child) == []
    for start in (D(2024, 7, 1), D(2024, 8, 30)):
        child = a_protected_child(protected(cp_plans=[ended], cin_plans=[a_cin_plan(start=start)]))
        assert found("4016", child) == [
            (cin_plan_source(), "Starts during the child protection plan of 1 July 2024")
        ]
    # An open plan runs to the reference date.
    child = a_protected_child(protected(cin_plans=[a_cin_plan(start=D(2025, 3, 31), end=None)]))
    assert sources("4016", child) == [cin_plan_source()]


def test_4017_plan_starts_during_a_cin_plan():
    stepped_up = a_cin_plan(start=D(2024, 6, 14), end=D(2024, 7, 1))  # ended at the conference
    assert found("4017", a_protected_child(protected(cin_plans=[stepped_up]))) == []
    still_open = a_cin_plan(start=D(2024, 6, 14), end=D(2024, 7, 2))
    assert found("4017", a_protected_child(protected(cin_plans=[still_open]))) == [
        (plan_source(), "Starts during the CIN plan of 14 June 2024")
    ]
    # Across the child's episodes, and an open CIN plan runs to the reference date.
    other = an_episode(cin_plans=[a_cin_plan(9, start=D(2024, 6, 14), end=None)])
    assert sources("4017", a_protected_child(other, protected())) == [plan_source()]
