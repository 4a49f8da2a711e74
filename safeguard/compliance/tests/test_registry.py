"""The registry file is the law as data: every row must be usable, and every duty's dates must match a worked
example counted by hand, across weekends and bank holidays (England and Wales)."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.compliance.models import StatutoryDuty
from safeguard.compliance.registry import DUTIES_FILE, EVENTS, UNITS, Period, duties, duty, read_duties_file
from safeguard.core.calendar import is_working_day, working_days_between

D = datetime.date

# The calendar reads the council's overrides from the database.
pytestmark = pytest.mark.django_db


def test_every_row_names_known_events_units_and_successors():
    for item in duties().values():
        assert item.period.unit in UNITS, item.code
        assert item.citation.strip(), item.code
        for event in item.triggers | item.met_by | item.cancelled_by:
            assert event in EVENTS, f"{item.code} names unknown event {event}"
        assert item.met_by, f"{item.code}: nothing meets it"
        if item.then:
            assert item.then in duties(), f"{item.code} is followed by unknown duty {item.then}"
        # A duty is started by an event or by the duty before it in a chain; otherwise it never runs.
        assert item.triggers or any(other.then == item.code for other in duties().values()), item.code


def test_duties_table_matches_the_file(db):
    """The migration loaded every row; a new row without its migration fails here."""
    stored = dict(StatutoryDuty.objects.values_list("code", "name"))
    assert stored == {code: item.name for code, item in duties().items()}


def test_a_duplicated_row_is_refused(tmp_path):
    text = DUTIES_FILE.read_text()
    header, first = text.splitlines()[:2]
    path = tmp_path / "duties.csv"
    path.write_text("\n".join([header, first, first]) + "\n")
    with pytest.raises(ValueError, match="listed twice"):
        read_duties_file(path)


WORKED_EXAMPLES = [
    # Thursday before Christmas 2026: Christmas Day (Fri) and Boxing Day's substitute (Mon 28) are holidays.
    ("contact_decision", D(2026, 12, 24), D(2026, 12, 29)),
    # Friday before the summer bank holiday (Mon 31 Aug 2026): the strategy discussion falls on Tuesday.
    ("strategy_discussion", D(2026, 8, 28), D(2026, 9, 1)),
    # 45 working days from Wed 3 Dec 2025, past Christmas, Boxing Day and New Year's Day: Mon 9 Feb 2026.
    ("assessment_from_referral", D(2025, 12, 3), D(2026, 2, 9)),
    ("assessment_from_start", D(2025, 12, 3), D(2026, 2, 9)),
    # 15 working days from Wed 1 Apr 2026, past Good Friday (3 Apr) and Easter Monday (6 Apr): Fri 24 Apr.
    ("initial_cp_conference", D(2026, 4, 1), D(2026, 4, 24)),
    # 10 working days from Fri 24 Apr 2026, past the early May bank holiday (Mon 4 May): Mon 11 May.
    ("core_group_first", D(2026, 4, 24), D(2026, 5, 11)),
    # Three calendar months from 31 Aug 2026, clamped to the end of November.
    ("cp_review_first", D(2026, 8, 31), D(2026, 11, 30)),
    ("cp_review", D(2026, 11, 30), D(2027, 5, 30)),
    # 10 working days (the default frequency) from Mon 21 Dec 2026: Thu 7 Jan 2027.
    ("cp_visit", D(2026, 12, 21), D(2027, 1, 7)),
    ("cin_plan_review", D(2026, 1, 31), D(2026, 4, 30)),
    # 10 working days from Thu 17 Dec 2026, past 25 and 28 Dec and 1 Jan 2027: Tue 5 Jan 2027.
    ("lac_care_plan", D(2026, 12, 17), D(2027, 1, 5)),
    ("lac_placement_plan", D(2026, 12, 17), D(2026, 12, 24)),
    # 20 working days from Thu 17 Dec 2026: Tue 19 Jan 2027 (25, 28 Dec and 1 Jan 2027 are holidays).
    ("lac_review_first", D(2026, 12, 17), D(2027, 1, 19)),
    ("lac_review_second", D(2027, 1, 19), D(2027, 4, 19)),
    ("lac_review", D(2027, 4, 19), D(2027, 10, 19)),
    ("lac_visit_first", D(2026, 12, 17), D(2026, 12, 24)),
    ("lac_visit", D(2026, 12, 24), D(2027, 2, 4)),
    ("health_assessment_initial", D(2026, 12, 17), D(2027, 1, 19)),
    ("health_assessment_review", D(2027, 1, 19), D(2028, 1, 19)),
    ("pep_initial", D(2026, 12, 17), D(2027, 1, 5)),
    ("pep_review", D(2026, 10, 31), D(2027, 2, 28)),
    ("return_home_interview", D(2026, 12, 31), D(2027, 1, 3)),
    ("needs_assessment", D(2026, 11, 30), D(2027, 2, 28)),
    ("pathway_plan_review", D(2026, 8, 31), D(2027, 2, 28)),
    ("pa_visit_first", D(2026, 12, 28), D(2027, 1, 4)),
    ("pa_visit", D(2026, 12, 31), D(2027, 2, 28)),
    # Serious incidents (safeguard.incidents; docs/domain.md §8): aware Wednesday 23 December 2026, with 25 and
    # 28 December and 1 January bank holidays; the practice review's 6 months clamp to the end of a short month.
    ("incident_panel_notification", D(2026, 12, 23), D(2027, 1, 4)),
    ("incident_rapid_review", D(2026, 12, 23), D(2027, 1, 18)),
    ("incident_ofsted_notification", D(2026, 12, 23), D(2027, 1, 4)),
    ("incident_lcspr_publication", D(2026, 8, 31), D(2027, 2, 28)),
    # A learning action runs to the due date agreed for it (the record's period): the row's own period is none.
    # Its worked example, over Christmas 2026, is in safeguard/learning/tests/test_deadlines.py.
    ("learning_action", D(2026, 12, 2), D(2026, 12, 2)),
]


@pytest.mark.parametrize("code, start, due", WORKED_EXAMPLES)
def test_worked_examples(code, start, due):
    assert duty(code).due_date(start) == due


def test_worked_examples_cover_every_duty():
    assert set(duties()) <= {code for code, _, _ in WORKED_EXAMPLES}, "add a worked example for each new duty"


def test_inclusive_counting_is_one_working_day_earlier(settings):
    """The DfE validator's convention (DOMAIN.md §0): the start day counts when it is a working day."""
    settings.SAFEGUARD = {**settings.SAFEGUARD, "WORKING_DAY_COUNTING": "inclusive"}
    assert duty("assessment_from_start").due_date(D(2025, 12, 3)) == D(2026, 2, 6)
    # The front door's row fixes its convention: the end of the next working day, whatever the setting.
    assert duty("contact_decision").due_date(D(2026, 12, 24)) == D(2026, 12, 29)


def test_a_council_sets_a_local_period(settings):
    settings.SAFEGUARD = {**settings.SAFEGUARD, "LOCAL_DUTY_PERIODS": {"cp_visit": "4 weeks"}}
    assert duty("cp_visit").due_date(D(2026, 12, 21)) == D(2027, 1, 18)


def test_a_statutory_period_cannot_be_changed_locally(settings):
    settings.SAFEGUARD = {**settings.SAFEGUARD, "LOCAL_DUTY_PERIODS": {"lac_review_first": "30 working_days"}}
    with pytest.raises(SystemCheckError, match="set in law"):
        call_command("check")


def test_a_mistyped_local_period_stops_start_up(settings):
    settings.SAFEGUARD = {**settings.SAFEGUARD, "LOCAL_DUTY_PERIODS": {"cp_visit": "fortnightly"}}
    with pytest.raises(SystemCheckError, match="must read like"):
        call_command("check")
    settings.SAFEGUARD = {**settings.SAFEGUARD, "LOCAL_DUTY_PERIODS": {"cp_vist": "2 weeks"}}
    with pytest.raises(SystemCheckError, match="not a duty"):
        call_command("check")


def test_period_parsing_and_wording():
    assert Period.parse("10 working_days") == Period(10, "working_days")
    assert str(Period(1, "weeks")) == "1 week"
    assert str(Period(3, "months")) == "3 months"
    with pytest.raises(ValueError):
        Period.parse("3 fortnights")


WORKING_DAY_DUTIES = [code for code, item in duties().items() if item.period.unit == "working_days"]


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31)),
    code=st.sampled_from(WORKING_DAY_DUTIES),
)
def test_working_day_deadlines_fall_on_working_days_the_stated_number_of_days_away(start, code):
    item = duty(code)
    due = item.due_date(start)
    assert is_working_day(due)
    assert working_days_between(start, due, counting="exclusive") == item.period.length


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31)),
    code=st.sampled_from(sorted(duties())),
)
def test_every_deadline_is_on_or_after_its_start(start, code):
    assert duty(code).due_date(start) >= start
