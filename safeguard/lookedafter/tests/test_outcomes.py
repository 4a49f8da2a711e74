"""Outcomes for children looked after for 12 months (SSDA903 OC2) and unaccompanied asylum-seeking children
(SSDA903 UASC): what the database refuses, what the services check (the DfE's rules, the audit, two people
saving at once), and what the returns app reads (``selectors.ssda903_outcomes``)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from safeguard.audit.models import AuditEvent
from safeguard.casework.services import VersionConflict
from safeguard.lookedafter.models import (
    AnnualOutcome,
    HealthCheckKind,
    LacEpisode,
    PeriodOfCare,
    UascStatus,
    convictions_apply,
    derived_health_items,
    health_check_applies,
    sdq_age_reason_allowed,
    sdq_applies,
)
from safeguard.lookedafter.selectors import oc2_cohort, oc2_rows, outcome_years, ssda903_outcomes, uasc_rows
from safeguard.lookedafter.services import (
    annual_outcome_record,
    annual_outcome_update,
    health_assessment_record,
    period_of_care_end,
    uasc_status_record,
    uasc_status_update,
)
from safeguard.lookedafter.tests.helpers import TODAY, D, child_born, start
from safeguard.people.models import Sex

pytestmark = pytest.mark.django_db

START = D(2026, 12, 17)  # Alice's child (born 1 June 2015) is looked after from here: in the 2027-28 cohort
YEAR = 2028  # 1 April 2027 to 31 March 2028
ANSWERS = {"sdq_score": 14, "immunisations": True, "convicted": False, "substance_misuse": False}


def record(child, by, year_end=YEAR, **overrides):
    return annual_outcome_record(child=child, recorded_by=by, year_end=year_end, **{**ANSWERS, **overrides})


def refused(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


# -- the age rules, as dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "sdq", "age_reason"),
    [
        (D(2024, 4, 1), False, True),  # turns 4 on 1 April 2028, after the year: no SDQ (rule 188)
        (D(2024, 3, 31), True, True),  # turns 4 on 31 March 2028: an SDQ is due, SDQ1 allowed (188, 157)
        (D(2023, 4, 1), True, False),  # 4 on 1 April 2027 and 4 to 16 all year: SDQ1 refused (157)
        (D(2011, 4, 1), True, False),  # turns 17 on 1 April 2028, after the year: 16 all year
        (D(2011, 3, 31), True, True),  # turns 17 on 31 March 2028, in the year: SDQ1 allowed (197B)
        (D(2010, 4, 2), True, True),  # turns 17 on 2 April 2027
        (D(2010, 4, 1), False, True),  # 17 on 1 April 2027: no SDQ at all (189)
    ],
)
def test_who_has_an_sdq_and_who_may_give_the_age_reason(born, sdq, age_reason):
    assert sdq_applies(born, YEAR) is sdq
    assert sdq_age_reason_allowed(born, YEAR) is age_reason


def test_convictions_from_10_and_development_checks_under_5_on_31_march():
    assert convictions_apply(D(2018, 3, 31), YEAR) and not convictions_apply(D(2018, 4, 1), YEAR)  # 542, 543
    assert health_check_applies(D(2023, 4, 1), YEAR) and not health_check_applies(
        D(2023, 3, 31), YEAR
    )  # 545, 546


def test_dental_check_and_health_assessment_come_from_the_health_records():
    checks = [
        (HealthCheckKind.INITIAL, D(2027, 1, 5)),  # before the year
        (HealthCheckKind.REVIEW, D(2027, 10, 1)),
        (HealthCheckKind.DENTAL, D(2027, 3, 31)),  # the day before the year began
    ]
    assert derived_health_items(D(2015, 6, 1), YEAR, checks) == {
        "health_check": None,  # 5 or over
        "teeth_check": False,
        "health_assessment": True,
    }
    under_five = D(2024, 1, 1)
    assert (
        derived_health_items(under_five, YEAR, checks)["health_check"] is True
    )  # 1 Oct + 6 months >= 31 Mar
    stale = [(HealthCheckKind.REVIEW, D(2027, 9, 30))]
    assert derived_health_items(under_five, YEAR, stale)["health_check"] is False


# -- what the database refuses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"sdq_score": 41},  # 180
        {"sdq_score": 10, "sdq_reason": "SDQ2"},  # 197a
        {"substance_misuse": False, "intervention_received": False, "intervention_offered": True},  # 193
        {"substance_misuse": None, "intervention_received": True},  # 193
        {"substance_misuse": True},  # 192
        {"substance_misuse": True, "intervention_received": True, "intervention_offered": False},  # 158
        {"substance_misuse": True, "intervention_received": False},  # 159
    ],
)
def test_the_database_refuses_an_oc2_row_the_dfe_rules_forbid(child, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualOutcome.objects.create(child=child, year_end=YEAR, **values)


def test_the_database_keeps_one_record_a_child_a_year_and_one_open_uasc_status(child):
    AnnualOutcome.objects.create(child=child, year_end=YEAR, immunisations=True, substance_misuse=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualOutcome.objects.create(child=child, year_end=YEAR)
    AnnualOutcome.objects.create(child=child, year_end=YEAR + 1)
    UascStatus.objects.create(child=child, start_date=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        UascStatus.objects.create(child=child, start_date=D(2027, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():  # a date ceased goes with a reason
        UascStatus.objects.create(child=child, start_date=D(2020, 1, 1), end_date=D(2020, 2, 1))


# -- recording the outcomes -----------------------------------------------------------------------------------


def test_alice_records_the_outcomes_and_the_audit_says_what(child, alice):
    start(child, alice, START)
    outcome = record(child, alice, notes="  SDQ from the foster carer  ")
    assert (outcome.year_end, outcome.sdq_score, outcome.immunisations, outcome.notes) == (
        YEAR,
        14,
        True,
        "SDQ from the foster carer",
    )
    event = AuditEvent.objects.get(action="annual_outcome.recorded")
    assert event.child == child and event.actor == alice
    assert event.changes["sdq_score"] == [None, 14] and event.changes["year_end"] == [None, YEAR]
    assert "already recorded" in refused(lambda: record(child, alice))["year_end"][0]


def test_only_for_a_year_the_child_was_looked_after_throughout(people, child, alice):
    start(child, alice, START)
    assert "not looked after throughout 2026-27" in refused(lambda: record(child, alice, 2027))["year_end"][0]
    assert "has not begun" in refused(lambda: record(child, alice, 2030))["year_end"][0]
    record(child, alice, 2029)  # the year under way: looked after since 1 April 2028
    never = child_born(people, D(2015, 1, 1))
    assert "SSDA903 OC2" in refused(lambda: record(never, alice))["year_end"][0]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"sdq_score": None}, "sdq_score", "rule 186"),
        ({"sdq_score": 41}, "sdq_score", "rule 180"),
        ({"sdq_score": 3, "sdq_reason": "SDQ2"}, "sdq_reason", "rule 197a"),
        ({"sdq_score": None, "sdq_reason": "SDQ1"}, "sdq_reason", "rule 157"),
        ({"sdq_score": None, "sdq_reason": "SDQ9"}, "sdq_reason", "rule 196"),
        ({"convicted": None}, "convicted", "rule 543"),
        ({"immunisations": None}, "immunisations", "rule 191"),
        ({"substance_misuse": None}, "substance_misuse", "rule 191"),
        ({"substance_misuse": True}, "intervention_received", "rule 192"),
        ({"substance_misuse": True, "intervention_received": False}, "intervention_offered", "rule 159"),
        (
            {"substance_misuse": True, "intervention_received": True, "intervention_offered": True},
            "intervention_offered",
            "rule 158",
        ),
        ({"intervention_received": True}, "intervention_received", "rule 193"),
    ],
)
def test_each_dfe_rule_is_checked_with_a_clear_message(child, alice, overrides, field, words):
    start(child, alice, START)
    errors = refused(lambda: record(child, alice, **overrides))
    assert words in errors[field][0]
    assert not AnnualOutcome.objects.exists()


def test_substance_misuse_with_an_intervention_offered_but_not_received(child, alice):
    start(child, alice, START)
    outcome = record(
        child, alice, substance_misuse=True, intervention_received=False, intervention_offered=True
    )
    assert (outcome.intervention_received, outcome.intervention_offered) == (False, True)


def test_a_young_child_has_no_convictions_and_the_sdq_by_age(people, alice):
    turning_four = child_born(people, D(2024, 1, 10))  # 4 on 10 January 2028
    start(turning_four, alice, START)
    errors = refused(lambda: record(turning_four, alice, convicted=False))
    assert "rule 542" in errors["convicted"][0]
    outcome = record(turning_four, alice, convicted=None, sdq_score=None, sdq_reason="SDQ1")
    assert outcome.sdq_reason == "SDQ1"  # turned 4 in the year (rule 157 allows it)
    baby = child_born(people, D(2025, 5, 1))
    start(baby, alice, START)
    errors = refused(lambda: record(baby, alice, convicted=None))
    assert "rules 188 and 189" in errors["sdq_score"][0]
    record(baby, alice, convicted=None, sdq_score=None)


def test_a_worker_without_access_cannot_record(people, child, alice):
    start(child, alice, START)
    with pytest.raises(PermissionDenied):
        record(child, people.other_worker.user)
    outcome = record(child, alice)
    with pytest.raises(PermissionDenied):
        annual_outcome_update(outcome=outcome, updated_by=people.inspector.user, version=1, **ANSWERS)


def test_a_change_is_audited_and_the_second_of_two_saves_is_told(people, child, alice):
    start(child, alice, START)
    outcome = record(child, alice)
    carl = people.colleague.user
    stale = AnnualOutcome.objects.get(pk=outcome.pk)
    annual_outcome_update(outcome=outcome, updated_by=carl, version=1, **{**ANSWERS, "sdq_score": 20})
    event = AuditEvent.objects.get(action="annual_outcome.updated")
    assert event.changes == {"sdq_score": [14, 20]} and event.actor == carl
    with pytest.raises(VersionConflict) as conflict:
        annual_outcome_update(
            outcome=stale, updated_by=alice, version=1, **{**ANSWERS, "immunisations": False}
        )
    assert "Carl" in str(conflict.value) and "SDQ total score" in str(conflict.value)
    outcome.refresh_from_db()
    assert (outcome.sdq_score, outcome.immunisations, outcome.version) == (20, True, 2)


def test_a_change_is_checked_as_a_new_record_is(child, alice):
    start(child, alice, START)
    outcome = record(child, alice)
    errors = refused(
        lambda: annual_outcome_update(
            outcome=outcome, updated_by=alice, version=1, **{**ANSWERS, "substance_misuse": True}
        )
    )
    assert "rule 192" in errors["intervention_received"][0]


# -- UASC status ----------------------------------------------------------------------------------------------


def test_uasc_status_is_recorded_ended_and_audited(people, alice):
    boy = child_born(people, D(2010, 8, 1))
    boy.person.sex = Sex.MALE
    boy.person.save()
    start(boy, alice, START, legal_status="V2")
    status = uasc_status_record(child=boy, recorded_by=alice, start_date=START)
    assert status.is_open and AuditEvent.objects.filter(action="uasc_status.recorded").exists()
    errors = refused(lambda: uasc_status_record(child=boy, recorded_by=alice, start_date=D(2027, 2, 1)))
    assert "overlaps" in errors["start_date"][0]
    errors = refused(
        lambda: uasc_status_update(
            uasc_status=status,
            updated_by=alice,
            version=1,
            start_date=START,
            end_date=D(2028, 8, 2),
            end_reason="aged_18",
        )
    )
    assert "18th birthday, 1 August 2028" in errors["end_date"][0]
    uasc_status_update(
        uasc_status=status,
        updated_by=alice,
        version=1,
        start_date=START,
        end_date=D(2028, 8, 1),
        end_reason="aged_18",
    )
    event = AuditEvent.objects.get(action="uasc_status.ended")
    assert event.changes == {"end_date": [None, "2028-08-01"], "end_reason": ["", "aged_18"]}
    with pytest.raises(VersionConflict):
        uasc_status_update(
            uasc_status=UascStatus.objects.get(), updated_by=alice, version=1, start_date=START
        )


def test_uasc_status_needs_a_looked_after_child_a_date_ceased_with_its_reason(people, child, alice):
    errors = refused(lambda: uasc_status_record(child=child, recorded_by=alice, start_date=START))
    assert "not looked after on this day" in errors["start_date"][0]
    start(child, alice, START)
    errors = refused(
        lambda: uasc_status_record(child=child, recorded_by=alice, start_date=START, end_date=D(2027, 1, 1))
    )
    assert "Choose why" in errors["end_reason"][0]
    errors = refused(
        lambda: uasc_status_record(
            child=child, recorded_by=alice, start_date=START, end_date=D(2026, 1, 1), end_reason="other"
        )
    )
    assert "cannot cease before it began" in errors["end_date"][0]
    with pytest.raises(PermissionDenied):
        uasc_status_record(child=child, recorded_by=people.other_worker.user, start_date=START)


# -- what the returns app reads -------------------------------------------------------------------------------


def _episode(child, period, start_date, end_date=None, legal_status="C2", end_reason=""):
    return LacEpisode.objects.create(
        period=period,
        child=child,
        start_date=start_date,
        end_date=end_date,
        end_reason=end_reason,
        reason_new_episode="S",
        legal_status=legal_status,
        need_code="N1",
        placement_type="U6",
    )


def _period(child, start_date, end_date=None, end_reason="", legal_status="C2"):
    period = PeriodOfCare.objects.create(
        child=child, start_date=start_date, end_date=end_date, end_reason=end_reason
    )
    _episode(child, period, start_date, end_date, legal_status, end_reason)
    return period


def test_the_cohort_is_the_dfes(people):
    def someone():
        return child_born(people, D(2015, 1, 1))

    throughout = someone()
    _period(throughout, D(2027, 4, 1))  # began on the year's first day
    ended_on_31_march = someone()
    _period(ended_on_31_march, D(2026, 1, 1), D(2028, 3, 31), "E4A")
    ended_before = someone()
    _period(ended_before, D(2026, 1, 1), D(2028, 3, 30), "E4A")
    began_after = someone()
    _period(began_after, D(2027, 4, 2))
    short_breaks = someone()
    _period(short_breaks, D(2026, 1, 1), legal_status="V3")
    assert set(oc2_cohort(year_end=YEAR).values_list("child_id", flat=True)) == {
        throughout.pk,
        ended_on_31_march.pk,
    }


def test_the_oc2_rows_join_what_was_recorded_to_what_the_health_records_say(
    people, child, alice, django_assert_num_queries
):
    period = start(child, alice, START)
    health_assessment_record(period=period, recorded_by=alice, kind="initial", done_on=D(2027, 1, 5))
    health_assessment_record(period=period, recorded_by=alice, kind="review", done_on=D(2027, 12, 1))
    outcome = record(child, alice, substance_misuse=True, intervention_received=True)
    toddler = child_born(people, D(2024, 1, 10))
    start(toddler, alice, START)  # in the cohort, nothing recorded yet
    later = child_born(people, D(2012, 1, 1))
    start(later, alice, D(2027, 6, 1))  # not in the cohort
    with django_assert_num_queries(3):
        rows = oc2_rows(year_end=YEAR)
    assert [row.child_id for row in rows] == sorted([child.pk, toddler.pk])
    mine = next(row for row in rows if row.child_id == child.pk)
    assert (mine.outcome_id, mine.date_of_birth) == (outcome.pk, D(2015, 6, 1))
    assert mine.values() == {
        "SDQ_SCORE": "14",
        "SDQ_REASON": "",
        "CONVICTED": "0",
        "HEALTH_CHECK": "",  # 5 or over
        "IMMUNISATIONS": "1",
        "TEETH_CHECK": "0",
        "HEALTH_ASSESSMENT": "1",
        "SUBSTANCE_MISUSE": "1",
        "INTERVENTION_RECEIVED": "1",
        "INTERVENTION_OFFERED": "",
    }
    theirs = next(row for row in rows if row.child_id == toddler.pk)
    assert theirs.outcome_id is None
    assert theirs.values()["HEALTH_CHECK"] == "0" and theirs.values()["IMMUNISATIONS"] == ""


def test_the_uasc_rows_of_a_year(people, alice, django_assert_num_queries):
    def uasc(born, start_date, end_date=None, end_reason="", period_end=None):
        young = child_born(people, born)
        young.person.sex = Sex.MALE
        young.person.save()
        _period(young, D(2026, 6, 1), period_end, "E4A" if period_end else "")
        UascStatus.objects.create(
            child=young, start_date=start_date, end_date=end_date, end_reason=end_reason
        )
        return young

    lasting = uasc(D(2010, 9, 1), D(2026, 6, 1))
    ceased_in_year = uasc(D(2010, 1, 15), D(2026, 6, 1), D(2028, 1, 15), "aged_18")
    ceased_later = uasc(D(2011, 1, 15), D(2026, 6, 1), D(2028, 6, 1), "age_assessed")
    uasc(D(2009, 1, 15), D(2026, 6, 1), D(2027, 1, 15), "aged_18")  # ceased before the year (rule 104)
    uasc(D(2010, 9, 1), D(2026, 6, 1), period_end=D(2027, 1, 1))  # not looked after in the year (rule 1014)
    with django_assert_num_queries(1):
        rows = {row.child_id: row for row in uasc_rows(year_end=YEAR)}
    assert set(rows) == {lasting.pk, ceased_in_year.pk, ceased_later.pk}
    assert (rows[lasting.pk].ceased_on, rows[lasting.pk].date_ceased) == (
        None,
        D(2028, 9, 1),
    )  # 18th birthday
    assert rows[ceased_in_year.pk].date_ceased == D(2028, 1, 15)
    assert (rows[ceased_later.pk].ceased_on, rows[ceased_later.pk].date_ceased) == (None, D(2029, 1, 15))
    assert rows[lasting.pk].sex == Sex.MALE
    with django_assert_num_queries(4):
        both = ssda903_outcomes(year_end=YEAR)
    assert len(both.uasc) == 3 and both.oc2 == oc2_rows(year_end=YEAR)


def test_the_years_a_child_has_outcomes_for(child, alice):
    period = start(child, alice, START)
    assert [year.year_end for year in outcome_years(child=child, today=TODAY)] == [2029, 2028]
    years = outcome_years(child=child, today=TODAY)
    assert years[0].under_way and not years[1].under_way
    period_of_care_end(period=period, ended_by=alice, version=1, end_date=D(2028, 3, 31), reason="E4A")
    assert [year.year_end for year in outcome_years(child=child, today=TODAY)] == [2028]
