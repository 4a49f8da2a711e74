"""Safe closure (issue 5): a case closes only when a worker asks, with a closure summary and an analysis of risk,
and a manager who did not ask approves, with reasons; an authorised assessment, or a reason none is needed
for the few closure reasons that allow it; requests and decisions kept; an alert when a team closes many
cases quickly; reopening, and re-referrals linked to the episode they follow."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.casework import closure, services
from safeguard.casework.closure import NO_ASSESSMENT_NEEDED, assessment_needed
from safeguard.casework.models import (
    BulkClosureAlert,
    CinEpisode,
    ClosureRequest,
    ClosureRequestStatus,
)
from safeguard.casework.selectors import (
    alert_closures,
    bulk_closure_alerts,
    closures_approved,
    pending_closure_requests,
)
from safeguard.casework.services import VersionConflict
from safeguard.casework.tests.conftest import (
    REFERRAL_DATE,
    TODAY,
    close_by_request,
    days_ago,
    open_episode_for,
    request_closure,
)
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.frontdoor.models import Outcome
from safeguard.frontdoor.services import contact_decide, contact_record
from safeguard.organisation.models import Role
from tests.factories import AllocationFactory, WorkerFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

D = datetime.date
NO_ASSESSMENT = {"reason": "RC5", "primary_need": "N0", "no_assessment_reason": "The family moved to Leeds"}


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0), tick=False)


@pytest.fixture
def authorised_assessment(submitted_assessment, people):
    return services.assessment_authorise(
        assessment=submitted_assessment,
        authorised_by=people.team_manager.user,
        version=submitted_assessment.version,
        primary_need="N1",
        rationale="The analysis is sound; no further action needed",
        on=TODAY,
    )


def decide(request, user, *, approve=True, rationale="Agreed: safe to close", version=None):
    return closure.closure_decide(
        request=request,
        decided_by=user,
        approve=approve,
        rationale=rationale,
        version=request.version if version is None else version,
    )


# -- the request ----------------------------------------------------------------------------------------------


def test_a_request_needs_a_closure_summary_and_an_analysis_of_risk(people, episode, authorised_assessment):
    with pytest.raises(ValidationError) as refused:
        request_closure(episode, people.social_worker.user, summary=" ", risk_analysis="")
    assert set(refused.value.message_dict) == {"summary", "risk_analysis"}
    assert not ClosureRequest.objects.exists()


def test_ceased_for_another_reason_without_an_authorised_assessment_is_refused(people, episode):
    """RC7 with no assessment is the case closed "without being risk assessed": refused, with or without a
    reason, and so is closing after an assessment that was never authorised."""
    worker = people.social_worker.user
    for reason in ("RC7", "RC9"):
        with pytest.raises(ValidationError) as refused:
            request_closure(episode, worker, reason=reason, primary_need="N0", no_assessment_reason="No time")
        assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError, match="closes only after an authorised assessment"):
        request_closure(episode, worker, reason="RC7", primary_need="N0")
    assert not ClosureRequest.objects.exists()


def test_the_reasons_that_need_no_assessment_need_a_recorded_reason_why(people, episode):
    assert {"RC1", "RC2", "RC3", "RC4", "RC5", "RC6"} == NO_ASSESSMENT_NEEDED
    assert assessment_needed("RC7", False) and assessment_needed("RC8", False)
    assert not assessment_needed("RC8", True)  # no further action on the referral
    worker = people.social_worker.user
    with pytest.raises(ValidationError) as refused:
        request_closure(episode, worker, reason="RC5", primary_need="N0")
    assert refused.value.message_dict == {
        "no_assessment_reason": ["Say why the case can close without an assessment"]
    }
    request = request_closure(episode, worker, **NO_ASSESSMENT)
    assert (request.status, request.no_assessment_reason, request.primary_need) == (
        ClosureRequestStatus.PENDING,
        "The family moved to Leeds",
        "N0",
    )
    assert CinEpisode.objects.get(pk=episode.pk).is_open  # nothing closes until a manager approves


def test_a_referral_closed_with_no_further_action_needs_no_assessment(people, episode):
    request = request_closure(
        episode,
        people.social_worker.user,
        closure_date=REFERRAL_DATE,
        reason="RC8",
        referral_nfa=True,
        no_assessment_reason="Threshold not met: information and advice given to the school",
    )
    decide(request, people.team_manager.user)
    episode.refresh_from_db()
    assert (episode.closure_reason, episode.referral_nfa, episode.primary_need) == ("RC8", True, "")


def test_with_an_authorised_assessment_any_reason_may_be_asked(people, episode, authorised_assessment):
    request = request_closure(
        episode, people.social_worker.user, reason="RC7", no_assessment_reason="Ignored"
    )
    assert request.no_assessment_reason == ""  # there is an assessment: no reason for its absence is kept
    event = AuditEvent.objects.get(action="closure.requested")
    assert (event.entity_id, event.child) == (str(request.pk), episode.child)


def test_only_someone_who_may_change_the_record_asks(people, episode):
    for who in (people.other_worker, people.inspector):
        with pytest.raises(PermissionDenied):
            request_closure(episode, who.user, **NO_ASSESSMENT)
    assert not ClosureRequest.objects.exists()


def test_one_request_at_a_time(people, episode):
    request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    with pytest.raises(ValidationError, match="already waiting for a manager's decision"):
        request_closure(episode, people.colleague.user, **NO_ASSESSMENT)
    assert ClosureRequest.objects.count() == 1


# -- the decision ---------------------------------------------------------------------------------------------


def test_approval_closes_the_episode_and_cancels_its_deadlines(people, episode):
    request = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    assert Deadline.objects.get(duty_id="assessment_from_referral").status == DeadlineStatus.OPEN
    decide(request, people.team_manager.user, rationale="Agreed: Leeds have accepted the transfer")
    request.refresh_from_db()
    episode.refresh_from_db()
    assert (request.status, request.decided_by, request.decided_on) == (
        ClosureRequestStatus.APPROVED,
        people.team_manager.user,
        TODAY,
    )
    assert request.decision_rationale == "Agreed: Leeds have accepted the transfer"
    assert (episode.closure_date, episode.closure_reason, episode.primary_need) == (TODAY, "RC5", "N0")
    assert Deadline.objects.get(duty_id="assessment_from_referral").status == DeadlineStatus.CANCELLED
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-4:] == [
        "closure.requested",
        "closure.approved",
        "cin_episode.closed",
        # The team's whole caseload closed this week: one case, but more than a tenth of it.
        "bulk_closure_alert.raised",
    ]


def test_the_person_who_asked_never_decides(people, episode):
    """A team manager may ask, but another manager decides; a worker never decides."""
    request = request_closure(episode, people.team_manager.user, **NO_ASSESSMENT)
    with pytest.raises(PermissionDenied, match="another manager must decide"):
        decide(request, people.team_manager.user)
    with pytest.raises(PermissionDenied, match="Only a team manager or head of service"):
        decide(request, people.social_worker.user)
    assert ClosureRequest.objects.get().status == ClosureRequestStatus.PENDING
    decide(request, people.hos.user)
    assert CinEpisode.objects.get(pk=episode.pk).closure_reason == "RC5"


def test_a_decision_needs_reasons(people, episode):
    request = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    for approve in (True, False):
        with pytest.raises(ValidationError) as refused:
            decide(request, people.team_manager.user, approve=approve, rationale="  ")
        assert refused.value.message_dict == {"rationale": ["Give the reasons for your decision"]}
    request.refresh_from_db()
    assert (request.status, request.version) == (ClosureRequestStatus.PENDING, 1)
    assert CinEpisode.objects.get(pk=episode.pk).is_open


def test_two_managers_deciding_at_once_decide_once(people, episode):
    request = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    read_by_hana = ClosureRequest.objects.get(pk=request.pk)
    decide(request, people.team_manager.user, approve=False, rationale="Talk to the school first")
    with pytest.raises(VersionConflict, match="Tess .* saved this record"):
        decide(read_by_hana, people.hos.user, version=1)
    with pytest.raises(ValidationError, match="no longer waiting for a decision: it was returned"):
        decide(ClosureRequest.objects.get(pk=request.pk), people.hos.user)
    assert CinEpisode.objects.get(pk=episode.pk).is_open
    assert not AuditEvent.objects.filter(action="closure.approved").exists()


def test_a_returned_request_is_kept_with_the_reasons_beside_the_next(people, episode):
    worker = people.social_worker.user
    first = request_closure(episode, worker, **NO_ASSESSMENT)
    decide(first, people.team_manager.user, approve=False, rationale="Confirm Leeds have accepted it")
    second = request_closure(episode, worker, **{**NO_ASSESSMENT, "summary": "Leeds accepted the transfer."})
    decide(second, people.team_manager.user)
    rows = list(ClosureRequest.objects.order_by("pk").values_list("status", "decision_rationale"))
    assert rows == [
        (ClosureRequestStatus.RETURNED, "Confirm Leeds have accepted it"),
        (ClosureRequestStatus.APPROVED, "Agreed: safe to close"),
    ]
    returned = AuditEvent.objects.get(action="closure.returned")
    assert (returned.reason, returned.entity_id) == ("Confirm Leeds have accepted it", str(first.pk))


def test_approval_checks_the_case_again(people, episode):
    """The case may change between request and decision: an assessment started since stops the closure, and
    nothing is recorded."""
    request = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    services.assessment_start(episode=episode, started_by=people.social_worker.user, start_date=TODAY)
    with pytest.raises(ValidationError) as refused:
        decide(request, people.team_manager.user)
    assert refused.value.message_dict["decision"] == [
        "The case cannot close as asked: Finish an assessment before closing the case. Return the request "
        "to the worker"
    ]
    request.refresh_from_db()
    assert (request.status, request.version) == (ClosureRequestStatus.PENDING, 1)
    assert CinEpisode.objects.get(pk=episode.pk).is_open
    decide(request, people.team_manager.user, approve=False, rationale="An assessment has started")
    assert ClosureRequest.objects.get().status == ClosureRequestStatus.RETURNED


def test_the_worker_who_asked_or_a_manager_withdraws(people, episode):
    request = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    with pytest.raises(PermissionDenied):
        closure.closure_withdraw(request=request, withdrawn_by=people.colleague.user, reason="No", version=1)
    with pytest.raises(ValidationError, match="Say why"):
        closure.closure_withdraw(
            request=request, withdrawn_by=people.social_worker.user, reason="", version=1
        )
    closure.closure_withdraw(
        request=request, withdrawn_by=people.social_worker.user, reason="New concerns from school", version=1
    )
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_rationale) == (
        ClosureRequestStatus.WITHDRAWN,
        people.social_worker.user,
        "New concerns from school",
    )
    with pytest.raises(ValidationError, match="no longer waiting"):
        decide(request, people.team_manager.user)
    assert CinEpisode.objects.get(pk=episode.pk).is_open


# -- selectors for the oversight dashboard ------------------------------------------------------------------------


def test_pending_requests_are_scoped_to_the_managers_reach_with_their_age(people, episode):
    with on(days_ago(7)):
        request = request_closure(
            episode, people.social_worker.user, closure_date=days_ago(7), **NO_ASSESSMENT
        )
    for who in (people.team_manager, people.hos, people.director, people.inspector):
        assert list(pending_closure_requests(who.user)) == [request], who
    south_manager = WorkerFactory(role=Role.TEAM_MANAGER, team=people.south_team)
    for who in (people.social_worker, south_manager, people.other_worker, people.administrator):
        assert not pending_closure_requests(who.user).exists(), who
    row = pending_closure_requests(people.team_manager.user).get()
    assert (row.age_in_days(TODAY), row.age_in_working_days(TODAY)) == (7, 5)


def test_closures_approved_in_a_period(people, episode):
    close_by_request(episode, people.social_worker.user, people.team_manager.user, **NO_ASSESSMENT)
    assert closures_approved(people.hos.user, TODAY, TODAY).count() == 1
    assert closures_approved(people.team_manager.user, days_ago(30), TODAY).count() == 1
    assert not closures_approved(people.hos.user, days_ago(30), days_ago(1)).exists()
    assert not closures_approved(people.social_worker.user, TODAY, TODAY).exists()
    south = WorkerFactory(role=Role.HEAD_OF_SERVICE, area=people.south)
    assert not closures_approved(south.user, TODAY, TODAY).exists()


# -- bulk closure ---------------------------------------------------------------------------------------------


def caseload_of(people, episode, size: int) -> list[CinEpisode]:
    """``size`` open episodes in Child in Need North, Alice's and more of her children, referred well before
    the week the closures happen in."""
    episodes = [episode]
    for _ in range(size - 1):
        child = AllocationFactory(worker=people.social_worker, start_date=REFERRAL_DATE).child
        episodes.append(open_episode_for(child, people.social_worker))
    return episodes


@pytest.fixture
def caseload(people, episode):
    return caseload_of(people, episode, 10)


def close_on(day, episode, people):
    with on(day):
        return close_by_request(
            episode, people.social_worker.user, people.team_manager.user, closure_date=day, **NO_ASSESSMENT
        )


def test_closing_more_than_the_share_of_a_caseload_in_the_window_raises_one_alert(people, episode):
    """10% of the caseload in 7 days (the defaults). One closure eight days ago is outside the window and its
    case is not in the caseload at the window's start: 20. Two closures are not more than 10% of it; three
    are."""
    cases = caseload_of(people, episode, 21)
    close_on(days_ago(8), cases[0], people)
    close_on(days_ago(1), cases[1], people)
    close_on(TODAY, cases[2], people)
    assert not BulkClosureAlert.objects.exists()
    close_on(TODAY, cases[3], people)
    alert = BulkClosureAlert.objects.get()
    assert (alert.team, alert.area, alert.raised_on) == (people.north_team, people.north, TODAY)
    assert (alert.window_start, alert.window_end, alert.window_days) == (days_ago(6), TODAY, 7)
    assert (alert.closures, alert.caseload, str(alert.threshold)) == (3, 20, "0.100")
    assert [row.episode_id for row in alert_closures(alert)] == [cases[1].pk, cases[2].pk, cases[3].pk]
    # A later closure in the same run updates the alert's count rather than raising another.
    with on(TODAY + datetime.timedelta(days=1)):
        close_by_request(cases[4], people.social_worker.user, people.team_manager.user, **NO_ASSESSMENT)
    alert.refresh_from_db()
    assert (BulkClosureAlert.objects.count(), alert.closures, alert.window_end, alert.version) == (
        1,
        4,
        TODAY + datetime.timedelta(days=1),
        2,
    )
    actions = list(
        AuditEvent.objects.filter(entity_type="casework.bulkclosurealert").values_list("action", flat=True)
    )
    assert actions == ["bulk_closure_alert.raised", "bulk_closure_alert.updated"]


def test_the_share_and_window_are_settings(people, caseload, settings):
    settings.SAFEGUARD = {**settings.SAFEGUARD, "BULK_CLOSURE_SHARE": "0.25", "BULK_CLOSURE_DAYS": 2}
    close_on(days_ago(2), caseload[0], people)
    close_on(days_ago(1), caseload[1], people)
    close_on(TODAY, caseload[2], people)
    assert not BulkClosureAlert.objects.exists()  # two in any two days: not more than a quarter of 9 or 10
    close_on(TODAY, caseload[3], people)
    alert = BulkClosureAlert.objects.get()
    assert (alert.window_start, alert.closures, alert.caseload) == (days_ago(1), 3, 9)


def test_the_alert_goes_to_the_areas_head_of_service_and_the_director_who_acknowledge_it(people, caseload):
    for episode in caseload[:2]:
        close_on(TODAY, episode, people)
    alert = BulkClosureAlert.objects.get()
    south = WorkerFactory(role=Role.HEAD_OF_SERVICE, area=people.south)
    assert list(bulk_closure_alerts(people.hos.user, open_only=True)) == [alert]
    assert list(bulk_closure_alerts(people.director.user)) == [alert]
    for who in (people.team_manager, people.social_worker, south):
        assert not bulk_closure_alerts(who.user).exists()
    for who in (people.team_manager, south, people.inspector):
        with pytest.raises(PermissionDenied):
            closure.bulk_closure_alert_acknowledge(
                alert=alert, acknowledged_by=who.user, note="Seen", version=1
            )
    with pytest.raises(ValidationError, match="Say what you found"):
        closure.bulk_closure_alert_acknowledge(
            alert=alert, acknowledged_by=people.hos.user, note=" ", version=1
        )
    closure.bulk_closure_alert_acknowledge(
        alert=alert, acknowledged_by=people.hos.user, note="Read all ten; all appropriate", version=1
    )
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledged_on, alert.is_open) == (people.hos.user, TODAY, False)
    assert not bulk_closure_alerts(people.director.user, open_only=True).exists()
    with pytest.raises(ValidationError, match="already been acknowledged"):
        closure.bulk_closure_alert_acknowledge(
            alert=alert, acknowledged_by=people.director.user, note="Me too", version=2
        )
    # Closures after the acknowledgement are not hidden behind it: they raise a new alert.
    close_on(TODAY, caseload[2], people)
    newest = BulkClosureAlert.objects.order_by("-pk").first()
    assert BulkClosureAlert.objects.count() == 2 and newest.is_open and newest.closures == 3


def test_there_is_no_bulk_closure_service():
    """Every closure is one request and one decision: nothing closes a list of cases at once."""
    public = [name for name in dir(closure) + dir(services) if "close" in name and not name.startswith("_")]
    assert not [name for name in public if "bulk" in name and "alert" not in name and "settings" not in name]
    assert "cin_episode_close" not in public


# -- reopening and re-referral --------------------------------------------------------------------------------


def test_a_manager_reopens_a_closed_case_as_a_new_linked_episode(people, episode):
    with on(days_ago(10)):
        close_by_request(
            episode, people.social_worker.user, people.team_manager.user, closure_date=days_ago(10),
            **NO_ASSESSMENT,
        )  # fmt: skip
    episode.refresh_from_db()
    arguments = {
        "episode": episode,
        "reopened_on": TODAY,
        "referral_source": "2A",
        "reason": "School worried",
    }
    with pytest.raises(PermissionDenied):
        closure.cin_episode_reopen(reopened_by=people.social_worker.user, **arguments)
    with pytest.raises(ValidationError) as refused:
        closure.cin_episode_reopen(
            reopened_by=people.team_manager.user,
            **{**arguments, "reopened_on": days_ago(10), "referral_source": "ZZ", "reason": ""},
        )
    assert set(refused.value.message_dict) == {"reopened_on", "referral_source", "reason"}
    new = closure.cin_episode_reopen(reopened_by=people.team_manager.user, **arguments)
    assert (new.previous_episode, new.referral_date, new.referral, new.reopen_reason) == (
        episode,
        TODAY,
        None,
        "School worried",
    )
    assert new.team == people.north_team and new.is_open
    started = Deadline.objects.open().get(child=episode.child, duty_id="assessment_from_referral")
    assert (started.scope_id, started.starts_on) == (new.pk, TODAY)
    assert AuditEvent.objects.get(action="cin_episode.reopened").reason == "School worried"
    with pytest.raises(ValidationError, match="already has an open case"):
        closure.cin_episode_reopen(reopened_by=people.team_manager.user, **arguments)
    with pytest.raises(ValidationError, match="This case is open"):
        closure.cin_episode_reopen(reopened_by=people.team_manager.user, **{**arguments, "episode": new})


def test_only_the_latest_episode_reopens(people, episode):
    child = episode.child
    older = CinEpisode.objects.create(
        child=child, referral_date=D(2024, 1, 5), referral_source="2A", team=people.north_team,
        area=people.north, closure_date=D(2024, 6, 1), closure_reason="RC8", primary_need="N1",
    )  # fmt: skip
    close_on(TODAY, episode, people)
    older.refresh_from_db()
    with pytest.raises(ValidationError, match="Only the child's latest case"):
        closure.cin_episode_reopen(
            episode=older, reopened_by=people.team_manager.user, reopened_on=TODAY, referral_source="2A",
            reason="Again",
        )  # fmt: skip


def referral_on(people, child, day: datetime.date) -> CinEpisode:
    with on(day):
        contact = contact_record(
            recorded_by=people.front_door.user,
            child=child,
            team=people.front_door_team,
            area=people.north,
            source="2A",
            reported="Concerns again",
            worry="Neglect",
            consent="given",
        )
        contact_decide(
            contact=contact,
            decided_by=people.hos.user,
            level_of_need="child_in_need",
            rag="amber",
            rationale="Needs an assessment",
            outcome=Outcome.ASSESSMENT,
            primary_need="N1",
        )
    return CinEpisode.objects.open().get(child=child)


@pytest.mark.parametrize(
    ("referred", "linked"),
    [(D(2026, 6, 2), True), (D(2027, 6, 1), True), (D(2027, 6, 2), False)],
)
def test_a_re_referral_within_12_months_of_the_last_closure_links_back(people, referred, linked):
    """Linked when the last episode closed on or after the day 12 months before the new referral."""
    child = people.unallocated_child
    closed = CinEpisode.objects.create(
        child=child, referral_date=D(2025, 9, 1), referral_source="2A", team=people.north_team,
        area=people.north, closure_date=D(2026, 6, 1), closure_reason="RC8", primary_need="N1",
    )  # fmt: skip
    new = referral_on(people, child, referred)
    assert new.previous_episode == (closed if linked else None)
    opened = AuditEvent.objects.get(action="cin_episode.opened", entity_id=str(new.pk))
    assert opened.changes["previous_episode_id"] == [None, closed.pk if linked else None]
