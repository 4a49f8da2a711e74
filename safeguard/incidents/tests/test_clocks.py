"""The statutory clocks of a serious incident, worked over the Christmas and Easter bank holidays, met, late
(a breach in the legal exposure register), and not cancelled by the child's death (docs/domain.md §8)."""

import datetime

import time_machine

from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.compliance.register import breaches
from safeguard.compliance.registry import EVENTS, duties
from safeguard.compliance.services import compliance_event
from safeguard.incidents import services
from safeguard.incidents.models import Recipient, ReviewDecision
from safeguard.incidents.tests.conftest import AWARE, record

D = datetime.date


def clock(incident, duty):
    return Deadline.objects.get(scope_type="incidents.seriousincident", scope_id=incident.pk, duty_id=duty)


def test_every_incident_event_is_known_to_the_engine():
    for item in duties().values():
        if item.code.startswith("incident_"):
            assert item.triggers | item.met_by <= EVENTS
            assert "child.died" not in item.cancelled_by


def test_aware_on_23_december_2026_the_panel_is_due_on_4_january_and_the_rapid_review_on_18_january(
    people, family, incident
):
    # Working days after Wed 23 Dec: Thu 24 (1); Fri 25, Mon 28 (substitute Boxing Day) are bank holidays;
    # Tue 29 (2), Wed 30 (3), Thu 31 (4); Fri 1 Jan 2027 is New Year's Day; Mon 4 Jan (5).
    panel = clock(incident, "incident_panel_notification")
    assert (panel.starts_on, panel.due_on) == (AWARE, D(2027, 1, 4))
    assert (panel.child_id, panel.team_id, panel.area_id) == (
        family.subject.pk,
        people.north_team.pk,
        people.north.pk,
    )
    # Then Tue 5 (6) ... Fri 15 (14), Mon 18 January (15).
    assert clock(incident, "incident_rapid_review").due_on == D(2027, 1, 18)
    # Not looked after: no separate Ofsted clock.
    assert not Deadline.objects.filter(duty_id="incident_ofsted_notification").exists()


def test_over_easter_2027(people, family, frozen):
    # Aware Wed 24 Mar 2027: Thu 25 (1); Good Friday 26 and Easter Monday 29 Mar skipped; Tue 30 (2), Wed 31
    # (3), Thu 1 Apr (4), Fri 2 Apr (5).
    frozen.move_to(datetime.datetime(2027, 3, 24, 12, 0, tzinfo=datetime.UTC))
    incident = record(people, family, aware=D(2027, 3, 24))
    assert clock(incident, "incident_panel_notification").due_on == D(2027, 4, 2)
    assert clock(incident, "incident_rapid_review").due_on == D(2027, 4, 16)


def test_a_looked_after_childs_panel_notification_meets_the_ofsted_clock_too(people, family, frozen):
    incident = record(people, family, looked_after=True)
    assert clock(incident, "incident_ofsted_notification").due_on == D(2027, 1, 4)
    frozen.move_to(datetime.datetime(2026, 12, 24, 12, 0, tzinfo=datetime.UTC))
    made = services.incident_notification_record(
        incident=incident,
        recipient=Recipient.PANEL,
        notified_on=D(2026, 12, 24),
        reference="CSPRP-77",
        recorded_by=people.team_manager.user,
    )
    assert {n.recipient for n in made} == {Recipient.PANEL, Recipient.OFSTED}
    for duty in ("incident_panel_notification", "incident_ofsted_notification"):
        met = clock(incident, duty)
        assert (met.status, met.closed_on, met.breached_on) == (DeadlineStatus.MET, D(2026, 12, 24), None)


def test_a_notification_after_the_fifth_working_day_is_a_breach_in_the_register(people, incident, frozen):
    frozen.move_to(datetime.datetime(2027, 1, 6, 10, 0, tzinfo=datetime.UTC))
    # Open past its day: already a breach the director sees.
    rows = breaches(people.director.user, today=D(2027, 1, 6))
    assert [row.duty_id for row in rows] == ["incident_panel_notification"]
    services.incident_notification_record(
        incident=incident,
        recipient=Recipient.PANEL,
        notified_on=D(2027, 1, 6),
        reference="CSPRP-9",
        recorded_by=people.team_manager.user,
    )
    late = clock(incident, "incident_panel_notification")
    assert (late.status, late.breached_on, late.days_late) == (DeadlineStatus.MET, D(2027, 1, 5), 2)
    assert late in breaches(people.director.user, today=D(2027, 1, 6))
    # The head of service of North sees it; Bob's South team manager... there is none; Carl has no register.
    assert late in breaches(people.hos.user, today=D(2027, 1, 6))


def test_the_rapid_review_meets_on_the_day_it_is_sent_and_a_practice_review_runs_six_months(
    people, incident, frozen
):
    frozen.move_to(datetime.datetime(2027, 1, 20, 10, 0, tzinfo=datetime.UTC))
    services.rapid_review_record(
        incident=incident,
        completed_on=D(2027, 1, 15),
        sent_to_panel_on=D(2027, 1, 19),
        decision=ReviewDecision.LCSPR,
        summary="Partners did not share the hospital's concerns",
        recorded_by=people.hos.user,
    )
    rapid = clock(incident, "incident_rapid_review")
    assert (rapid.closed_on, rapid.days_late) == (D(2027, 1, 19), 1)  # due Monday 18 January
    lcspr = clock(incident, "incident_lcspr_publication")
    assert (lcspr.starts_on, lcspr.due_on) == (D(2027, 1, 15), D(2027, 7, 15))
    frozen.move_to(datetime.datetime(2027, 7, 1, 10, 0, tzinfo=datetime.UTC))
    review = incident.practice_review
    review.refresh_from_db()
    # Sent Wed 23 June, published Thu 1 July: 6 working days before, one fewer than the guidance asks.
    services.practice_review_update(
        review=review,
        reviewer="An independent reviewer",
        report_sent_on=D(2027, 6, 23),
        published_on=D(2027, 7, 1),
        recorded_by=people.hos.user,
    )
    review.refresh_from_db()
    assert review.report_sent_in_time() is False
    lcspr.refresh_from_db()
    assert (lcspr.status, lcspr.closed_on, lcspr.breached_on) == (DeadlineStatus.MET, D(2027, 7, 1), None)
    review.report_sent_on = D(2027, 6, 22)
    assert review.report_sent_in_time() is True


def test_the_childs_death_does_not_cancel_the_clocks(people, family, incident):
    compliance_event(event="child.died", child=family.subject, on=AWARE)
    assert set(
        Deadline.objects.filter(scope_id=incident.pk, scope_type="incidents.seriousincident").values_list(
            "status", flat=True
        )
    ) == {DeadlineStatus.OPEN}


def test_a_council_may_set_the_unverified_periods(settings, people, family):
    settings.SAFEGUARD = {
        **settings.SAFEGUARD,
        "LOCAL_DUTY_PERIODS": {"incident_ofsted_notification": "1 working_days"},
    }
    with time_machine.travel(datetime.datetime(2026, 12, 23, 15, 0, tzinfo=datetime.UTC), tick=False):
        incident = record(people, family, looked_after=True)
    assert clock(incident, "incident_ofsted_notification").due_on == D(2026, 12, 24)
