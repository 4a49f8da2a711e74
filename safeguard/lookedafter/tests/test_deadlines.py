"""The dates of every looked-after and care leaver duty, against worked examples.

Working days skip weekends and England and Wales bank holidays: Christmas 2026 falls on a Friday, Boxing
Day on a Saturday (so the substitute day is Monday 28 December) and New Year's Day 2027 on a Friday. Weeks
and months are calendar periods, months clamped to the end of a shorter month (DOMAIN.md §0). Each date
here was worked out by hand from the regulation, not from the code.
"""

import pytest

from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.lookedafter.models import HealthCheckKind, MissingKind
from safeguard.lookedafter.services import (
    care_leaver_accommodation_record,
    care_leaver_end,
    care_leaver_start,
    care_leaver_update,
    care_plan_complete,
    health_assessment_record,
    lac_episode_update,
    lac_legal_status_change,
    lac_placement_change,
    lac_review_record,
    missing_episode_record,
    needs_assessment_complete,
    pathway_plan_review_record,
    pathway_plan_start,
    pep_record,
    period_of_care_end,
    placement_plan_complete,
    return_interview_record,
)
from safeguard.lookedafter.tests.helpers import D, child_born, due, open_duties, start, visit

pytestmark = pytest.mark.django_db

THURSDAY = D(2026, 12, 17)  # looked after from Thursday 17 December 2026


def current_episode(period):
    return period.episodes.get(end_date__isnull=True)


def move(period, by, on, **overrides):
    arguments = {
        "placement_type": "U6",
        "placement_provider": "PR4",
        "provider_name": "Bright Futures Fostering",
        "placement_postcode": "B23 5AA",
        "urn": "SC654321",
        "reason_place_change": "CARPL",
    }
    arguments.update(overrides)
    return lac_placement_change(
        period=period, changed_by=by, version=current_episode(period).version, on=on, **arguments
    )


# -- starting to be looked after ------------------------------------------------------------------------------


def test_becoming_looked_after_starts_every_clock_with_christmas_skipped(child, alice):
    start(child, alice, THURSDAY)
    assert open_duties(child) == {
        "lac_care_plan",
        "lac_placement_plan",
        "lac_review_first",
        "lac_visit_first",
        "health_assessment_initial",
        "pep_initial",
    }
    # CPPCR reg 33: 20 working days, skipping 25 and 28 December and 1 January.
    assert due(child, "lac_review_first") == D(2027, 1, 19)
    assert due(child, "health_assessment_initial") == D(2027, 1, 19)
    # Reg 4: the care plan within 10 working days; the PEP likewise.
    assert due(child, "lac_care_plan") == D(2027, 1, 5)
    assert due(child, "pep_initial") == D(2027, 1, 5)
    # Reg 9: the placement plan within 5 working days (Friday 18 to Thursday 24 December).
    assert due(child, "lac_placement_plan") == D(2026, 12, 24)
    # Reg 28(2)(a): a visit within a week of the placement: calendar days, Christmas Eve.
    assert due(child, "lac_visit_first") == D(2026, 12, 24)


def test_the_deadlines_belong_to_the_period_and_the_allocated_team(people, child, alice):
    period = start(child, alice, THURSDAY)
    deadlines = Deadline.objects.filter(child=child)
    assert {(row.scope_type, row.scope_id) for row in deadlines} == {("lookedafter.periodofcare", period.pk)}
    assert {row.team for row in deadlines} == {people.north_team}


# -- reviews: 20 working days, then 3 months, then 6 months ----------------------------------------------------


def test_the_review_chain(child, alice):
    period = start(child, alice, THURSDAY)
    lac_review_record(period=period, recorded_by=alice, held_on=D(2027, 1, 15), participation="PN1")
    assert due(child, "lac_review_first") is None
    assert due(child, "lac_review_second") == D(2027, 4, 15)  # 3 months after the first
    lac_review_record(period=period, recorded_by=alice, held_on=D(2027, 4, 14), participation="PN5")
    assert due(child, "lac_review") == D(2027, 10, 14)  # then at most 6 months apart
    lac_review_record(period=period, recorded_by=alice, held_on=D(2027, 8, 31), participation="PN7")
    assert due(child, "lac_review") == D(2028, 2, 29)  # 31 August + 6 months: clamped, in a leap year
    met = Deadline.objects.filter(child=child, status=DeadlineStatus.MET).order_by("closed_on")
    assert [(row.duty_id, row.breached_on) for row in met] == [
        ("lac_review_first", None),
        ("lac_review_second", None),
        ("lac_review", None),
    ]


def test_a_late_first_review_is_a_breach_and_the_chain_runs_from_the_day_it_was_held(child, alice):
    period = start(child, alice, THURSDAY)
    lac_review_record(period=period, recorded_by=alice, held_on=D(2027, 1, 22), participation="PN1")
    first = Deadline.objects.get(child=child, duty_id="lac_review_first")
    assert (first.status, first.breached_on, first.days_late) == (DeadlineStatus.MET, D(2027, 1, 20), 3)
    assert due(child, "lac_review_second") == D(2027, 4, 22)


# -- visits: within a week, 6-weekly, 3-monthly after a year in a long-term placement --------------------------


def test_the_visit_chain_in_the_first_year(child, alice):
    start(child, alice, THURSDAY)
    visit(child, alice, D(2026, 12, 23))
    assert due(child, "lac_visit_first") is None
    assert due(child, "lac_visit") == D(2027, 2, 3)  # 6 weeks after the visit
    visit(child, alice, D(2027, 2, 1))
    assert due(child, "lac_visit") == D(2027, 3, 15)


def test_a_visit_in_which_the_child_was_not_seen_meets_nothing(child, alice):
    start(child, alice, THURSDAY)
    visit(child, alice, D(2026, 12, 23), seen=False)
    assert due(child, "lac_visit_first") == D(2026, 12, 24)


def test_after_a_year_in_a_long_term_placement_visits_are_three_monthly(child, alice):
    start(child, alice, THURSDAY, long_term=True, placement_type="U4")
    visit(child, alice, D(2026, 12, 23))
    visit(child, alice, D(2027, 12, 10))  # a week short of a year in the placement: still 6 weeks
    assert due(child, "lac_visit") == D(2028, 1, 21)
    visit(child, alice, D(2027, 12, 17))  # a year to the day: at least one year (reg 28(2)(b)(ii))
    assert due(child, "lac_visit") == D(2028, 3, 17)
    visit(child, alice, D(2028, 3, 10))
    assert due(child, "lac_visit") == D(2028, 6, 10)


def test_after_a_year_in_a_placement_not_meant_to_last_visits_stay_six_weekly(child, alice):
    start(child, alice, THURSDAY)
    visit(child, alice, D(2026, 12, 23))
    visit(child, alice, D(2027, 12, 20))
    assert due(child, "lac_visit") == D(2028, 1, 31)


def test_a_placement_confirmed_as_long_term_later_counts_its_year_from_its_start(child, alice):
    period = start(child, alice, THURSDAY)
    visit(child, alice, D(2026, 12, 23))
    episode = current_episode(period)
    lac_episode_update(
        episode=episode,
        updated_by=alice,
        version=episode.version,
        provider_name=episode.provider_name,
        placement_postcode=episode.placement_postcode,
        home_postcode=episode.home_postcode,
        urn=episode.urn,
        long_term=True,
    )
    visit(child, alice, D(2027, 12, 20))
    assert due(child, "lac_visit") == D(2028, 3, 20)


def test_a_change_of_legal_status_alone_is_not_a_new_placement(child, alice):
    period = start(child, alice, THURSDAY, legal_status="C1", long_term=True, placement_type="U4")
    visit(child, alice, D(2026, 12, 23))
    lac_legal_status_change(
        period=period,
        changed_by=alice,
        version=current_episode(period).version,
        on=D(2027, 6, 1),
        legal_status="C2",
    )
    assert due(child, "lac_visit") == D(2027, 2, 3)  # the clock kept running
    assert due(child, "lac_placement_plan") is not None  # not restarted: still the first placement's
    visit(child, alice, D(2027, 12, 20))
    assert due(child, "lac_visit") == D(2028, 3, 20)  # a year in the placement since 17 December 2026


def test_a_new_placement_restarts_the_visits_at_one_week_and_its_year(child, alice):
    period = start(child, alice, THURSDAY, long_term=True, placement_type="U4")
    visit(child, alice, D(2026, 12, 23))
    move(period, alice, D(2027, 3, 1), placement_type="U4", long_term=True)  # Monday 1 March 2027
    assert due(child, "lac_visit") is None  # the 6-weekly clock of the old placement stops
    assert due(child, "lac_visit_first") == D(2027, 3, 8)
    assert due(child, "lac_placement_plan") == D(2027, 3, 8)  # 5 working days
    cancelled = Deadline.objects.get(child=child, duty_id="lac_visit")
    assert (cancelled.status, cancelled.closed_by) == (DeadlineStatus.CANCELLED, "placement.started")
    visit(child, alice, D(2027, 3, 5))
    visit(child, alice, D(2027, 12, 20))  # under a year in the new placement: 6 weeks
    assert due(child, "lac_visit") == D(2028, 1, 31)


def test_a_temporary_move_and_the_return_from_it_are_not_new_placements(child, alice):
    period = start(child, alice, THURSDAY)
    visit(child, alice, D(2026, 12, 23))
    move(
        period,
        alice,
        D(2027, 1, 10),
        placement_type="T1",
        placement_provider="",
        urn="",
        reason_place_change="",
    )
    move(period, alice, D(2027, 1, 14), reason_place_change="", provider_name="Mr and Mrs Green")
    assert due(child, "lac_visit") == D(2027, 2, 3)
    assert due(child, "lac_visit_first") is None
    assert Deadline.objects.filter(child=child, duty_id="lac_placement_plan").count() == 1


def test_a_long_term_placement_stays_long_term_after_a_spell_in_hospital(child, alice):
    period = start(child, alice, THURSDAY, long_term=True, placement_type="U4")
    visit(child, alice, D(2026, 12, 23))
    move(
        period,
        alice,
        D(2027, 6, 1),
        placement_type="T1",
        placement_provider="",
        urn="",
        reason_place_change="",
    )
    move(period, alice, D(2027, 6, 8), placement_type="U4", reason_place_change="")  # back, box not ticked
    visit(child, alice, D(2027, 12, 20))
    assert due(child, "lac_visit") == D(2028, 3, 20)


# -- care and placement plans ---------------------------------------------------------------------------------


def test_a_care_plan_made_before_the_placement_is_on_time(child, alice):
    period = start(child, alice, THURSDAY)
    care_plan_complete(period=period, recorded_by=alice, completed_on=D(2026, 12, 16))
    plan = Deadline.objects.get(child=child, duty_id="lac_care_plan")
    assert (plan.status, plan.closed_on, plan.breached_on) == (DeadlineStatus.MET, THURSDAY, None)


def test_a_late_placement_plan_is_recorded_as_late(child, alice):
    period = start(child, alice, THURSDAY)
    placement_plan_complete(period=period, recorded_by=alice, completed_on=D(2026, 12, 29))
    plan = Deadline.objects.get(child=child, duty_id="lac_placement_plan")
    assert (plan.status, plan.breached_on, plan.days_late) == (DeadlineStatus.MET, D(2026, 12, 25), 5)


# -- health: 20 working days, then 6-monthly under 5 and yearly from 5 -----------------------------------------


def test_health_reviews_for_a_child_of_five_or_over_are_yearly(child, alice):
    period = start(child, alice, THURSDAY)
    health_assessment_record(
        period=period, recorded_by=alice, kind=HealthCheckKind.INITIAL, done_on=D(2027, 1, 12)
    )
    assert due(child, "health_assessment_initial") is None
    assert due(child, "health_assessment_review") == D(2028, 1, 12)


def test_health_reviews_for_a_child_under_five_are_six_monthly_until_their_birthday(people, alice):
    toddler = child_born(people, D(2023, 3, 1))  # 3 when they come into care
    period = start(toddler, alice, THURSDAY, legal_status="C1")
    health_assessment_record(
        period=period, recorded_by=alice, kind=HealthCheckKind.INITIAL, done_on=D(2027, 1, 12)
    )
    assert due(toddler, "health_assessment_review") == D(2027, 7, 12)
    health_assessment_record(
        period=period, recorded_by=alice, kind=HealthCheckKind.REVIEW, done_on=D(2028, 2, 29)
    )
    assert due(toddler, "health_assessment_review") == D(2028, 8, 29)  # 4 on the day: 6 months
    health_assessment_record(
        period=period, recorded_by=alice, kind=HealthCheckKind.REVIEW, done_on=D(2028, 8, 1)
    )
    assert due(toddler, "health_assessment_review") == D(2029, 8, 1)  # 5 on the day: 12 months


def test_a_dental_check_meets_no_health_assessment(child, alice):
    period = start(child, alice, THURSDAY)
    health_assessment_record(
        period=period, recorded_by=alice, kind=HealthCheckKind.DENTAL, done_on=D(2027, 1, 4)
    )
    assert due(child, "health_assessment_initial") == D(2027, 1, 19)


# -- education -----------------------------------------------------------------------------------------------


def test_the_pep_within_10_working_days_then_each_term(child, alice):
    period = start(child, alice, THURSDAY)
    pep_record(period=period, recorded_by=alice, completed_on=D(2027, 1, 4))
    assert due(child, "pep_initial") is None
    assert due(child, "pep_review") == D(2027, 5, 4)  # 4 months: three terms a year


# -- missing: a return interview offered within 72 hours ------------------------------------------------------


def test_a_return_starts_the_72_hour_clock_over_christmas(child, alice):
    period = start(child, alice, THURSDAY)
    missing = missing_episode_record(
        period=period,
        recorded_by=alice,
        kind=MissingKind.MISSING,
        start_date=D(2026, 12, 20),
        end_date=D(2026, 12, 24),
    )
    interview = Deadline.objects.get(child=child, duty_id="return_home_interview")
    assert interview.due_on == D(2026, 12, 27)  # 72 hours: calendar days, whatever the holidays
    assert (interview.scope_type, interview.scope_id) == ("lookedafter.missingepisode", missing.pk)
    return_interview_record(
        missing=missing, recorded_by=alice, version=missing.version, offered_on=D(2026, 12, 26)
    )
    interview.refresh_from_db()
    assert (interview.status, interview.breached_on) == (DeadlineStatus.MET, None)


def test_two_missing_episodes_each_have_their_own_clock(child, alice):
    period = start(child, alice, THURSDAY)
    for went, back in ((D(2027, 1, 2), D(2027, 1, 3)), (D(2027, 1, 5), D(2027, 1, 6))):
        missing_episode_record(period=period, recorded_by=alice, kind="A", start_date=went, end_date=back)
    assert sorted(
        Deadline.objects.filter(duty_id="return_home_interview").values_list("due_on", flat=True)
    ) == [
        D(2027, 1, 6),
        D(2027, 1, 9),
    ]


# -- ceasing to be looked after ------------------------------------------------------------------------------


def test_ceasing_to_be_looked_after_stops_every_looked_after_clock(child, alice):
    period = start(child, alice, THURSDAY)
    missing_episode_record(
        period=period, recorded_by=alice, kind="M", start_date=D(2027, 1, 2), end_date=D(2027, 1, 3)
    )
    period_of_care_end(
        period=period,
        ended_by=alice,
        version=current_episode(period).version,
        end_date=D(2027, 1, 4),
        reason="E4A",
    )
    assert open_duties(child) == set()
    closed_by = set(Deadline.objects.filter(child=child).values_list("closed_by", flat=True))
    assert closed_by == {"lac.ended"}


# -- care leavers --------------------------------------------------------------------------------------------


@pytest.fixture
def leaver(people, alice):
    """Born 1 June 2010; looked after from 6 January 2025 (aged 14), so eligible at 16 on 1 June 2026."""
    young_person = child_born(people, D(2010, 6, 1))
    period = start(young_person, alice, D(2025, 1, 6), placement_type="U4", long_term=True)
    return young_person, period


def test_the_care_leaver_chain(people, alice, leaver):
    young_person, period = leaver
    record = care_leaver_start(
        child=young_person,
        started_by=alice,
        status="eligible",
        start_date=D(2026, 6, 1),
        personal_adviser=people.colleague,
    )
    # CPPCR regs 40-42: the needs assessment within 3 months of the 16th birthday.
    assert due(young_person, "needs_assessment") == D(2026, 9, 1)
    needs_assessment_complete(care_leaver=record, recorded_by=alice, completed_on=D(2026, 8, 20))
    assert due(young_person, "needs_assessment") is None
    # CLR reg 7: the pathway plan reviewed at least every 6 months (31 August + 6 months is 28 February).
    pathway_plan_start(care_leaver=record, recorded_by=alice, started_on=D(2026, 8, 31))
    assert due(young_person, "pathway_plan_review") == D(2027, 2, 28)
    plan = record.pathway_plan
    pathway_plan_review_record(plan=plan, recorded_by=alice, reviewed_on=D(2027, 2, 26))
    assert due(young_person, "pathway_plan_review") == D(2027, 8, 26)

    # Leaving care at 17 for supported accommodation the local authority provides (CLR reg 8).
    period_of_care_end(
        period=period,
        ended_by=alice,
        version=current_episode(period).version,
        end_date=D(2027, 6, 11),
        reason="E5",
    )
    record.refresh_from_db()
    care_leaver_update(
        care_leaver=record,
        updated_by=alice,
        version=record.version,
        status="relevant",
        status_since=D(2027, 6, 11),
        personal_adviser=people.colleague,
    )
    care_leaver_accommodation_record(
        care_leaver=record,
        recorded_by=alice,
        start_date=D(2027, 6, 11),
        code="D",
        suitable=True,
        provided_by_la=True,
    )
    assert due(young_person, "pa_visit_first") == D(2027, 6, 18)  # within 7 days
    visit(young_person, people.colleague.user, D(2027, 6, 16))
    assert due(young_person, "pa_visit") == D(2027, 8, 16)  # then at most 2 months apart
    # A move between two homes the local authority provides is not a first provision: no new clock.
    care_leaver_accommodation_record(
        care_leaver=record,
        recorded_by=alice,
        start_date=D(2027, 7, 1),
        code="E",
        suitable=True,
        provided_by_la=True,
    )
    assert Deadline.objects.filter(child=young_person, duty_id="pa_visit_first").count() == 1

    record.refresh_from_db()
    care_leaver_end(
        care_leaver=record, ended_by=alice, version=record.version, end_date=D(2028, 1, 5), reason="declined"
    )
    assert open_duties(young_person) == set()


def test_christmas_does_not_move_a_personal_advisers_seven_days(people, alice):
    young_person = child_born(people, D(2008, 6, 1))  # 18 in 2026: former relevant
    record = care_leaver_start(
        child=young_person, started_by=alice, status="former_relevant", start_date=D(2026, 12, 1)
    )
    assert due(young_person, "needs_assessment") is None  # owed to eligible and relevant children only
    care_leaver_accommodation_record(
        care_leaver=record,
        recorded_by=alice,
        start_date=D(2026, 12, 18),
        code="U",
        suitable=True,
        provided_by_la=True,
    )
    assert due(young_person, "pa_visit_first") == D(2026, 12, 25)


def test_a_relevant_child_recorded_at_once_is_owed_the_needs_assessment(people, alice):
    young_person = child_born(people, D(2010, 11, 30))
    care_leaver_start(child=young_person, started_by=alice, status="relevant", start_date=D(2026, 11, 30))
    assert due(young_person, "needs_assessment") == D(2027, 2, 28)  # 30 November + 3 months, clamped


def test_a_child_who_died_in_care_has_every_clock_stopped(people, alice, leaver):
    young_person, period = leaver
    care_leaver_start(child=young_person, started_by=alice, status="eligible", start_date=D(2026, 6, 1))
    period_of_care_end(
        period=period,
        ended_by=alice,
        version=current_episode(period).version,
        end_date=D(2026, 7, 1),
        reason="E2",
    )
    assert open_duties(young_person) == set()
    assert Deadline.objects.get(child=young_person, duty_id="needs_assessment").closed_by == "child.died"


def test_a_child_below_school_age_has_no_pep_deadline(child, alice):
    """A PEP is for a child of compulsory school age (Education Act 1996 s8): a toddler in care has none."""
    child.person.date_of_birth = D(2024, 3, 1)
    child.person.save()
    start(child, alice, THURSDAY)
    assert due(child, "pep_initial") is None
    assert due(child, "lac_review_first") == D(2027, 1, 19)
