"""Every rule of restricted records and emergency access, through the one policy and the services."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.allocation.selectors import queue_scope, worker_case_list
from safeguard.audit.models import AuditEvent
from safeguard.audit.policy import (
    Basis,
    Refusal,
    access_basis,
    findable_children,
    may_change,
    refusal_offers,
    visible_children,
)
from safeguard.casework.tests.conftest import REFERRAL_DATE, open_episode_for
from safeguard.compliance.register import breaches
from safeguard.core import opaque
from safeguard.organisation.models import Role
from safeguard.people.duplicates import likely_duplicates
from safeguard.restrictions import services
from safeguard.restrictions.models import (
    CaldicottGuardian,
    EmergencyAccess,
    EmergencyAlert,
    EmergencyReason,
    RestrictionKind,
)
from safeguard.restrictions.tests.conftest import PASSWORD
from tests.factories import WorkerFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


def restrict(child, governance, kind=RestrictionKind.HIGH_PROFILE):
    return services.restriction_set(child=child, kind=kind, reason="In the news", set_by=governance.user)


def grant(worker, child, **overrides):
    arguments = {
        "user": worker.user,
        "child": child,
        "reason_category": EmergencyReason.RISK_OF_HARM,
        "reason": "Police at the door at 2am asking about the child",
        "password": PASSWORD,
    } | overrides
    return services.emergency_access_grant(**arguments)


# -- restricted records ---------------------------------------------------------------------------------------


def test_a_restricted_record_is_closed_to_everyone_not_on_its_access_list(people, governance):
    restrict(people.alices_child, governance)
    for worker in [people.social_worker, people.colleague, people.team_manager, people.hos, people.director]:
        decision = access_basis(worker.user, people.alices_child)
        assert not decision.allowed and decision.reason == Refusal.RESTRICTED, worker
    # The inspector too: Ofsted's access is given by putting the inspector on the list, not by role.
    assert access_basis(people.inspector.user, people.alices_child).reason == Refusal.RESTRICTED
    # Other children are untouched.
    assert access_basis(people.social_worker.user, people.carls_child).reason == Basis.TEAM


def test_a_restricted_child_is_absent_from_lists_search_and_counts(people, governance):
    restrict(people.alices_child, governance)
    for worker in [people.social_worker, people.team_manager, people.hos, people.director, people.inspector]:
        assert people.alices_child not in visible_children(worker.user)
        assert people.alices_child not in findable_children(worker.user)
    # The front door finds any child, but not this one.
    assert people.alices_child not in findable_children(people.front_door.user)
    assert people.carls_child in findable_children(people.front_door.user)
    assert visible_children(people.director.user).count() == len(people.children) - 1


def test_the_access_list_opens_the_record_until_its_end_date(people, governance):
    restriction = restrict(people.alices_child, governance)
    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=LONDON)):
        services.access_list_add(
            restriction=restriction,
            worker=people.social_worker,
            reason="Allocated worker",
            end_date=datetime.date(2027, 6, 30),
            added_by=governance.user,
        )
        services.access_list_add(
            restriction=restriction,
            worker=people.other_worker,
            reason="Specialist in another team",
            end_date=None,
            added_by=governance.user,
        )
        # Her ordinary relationship is the basis she is recorded on; Bob's is the list itself.
        assert access_basis(people.social_worker.user, people.alices_child).reason == Basis.ALLOCATED
        assert access_basis(people.other_worker.user, people.alices_child).reason == Basis.ACCESS_LIST
        assert may_change(people.other_worker.user, people.alices_child)
        assert people.alices_child in visible_children(people.other_worker.user)
        assert people.alices_child not in visible_children(people.colleague.user)
    with time_machine.travel(datetime.datetime(2027, 6, 30, 23, tzinfo=LONDON)):
        assert access_basis(people.social_worker.user, people.alices_child).allowed  # the last day, inclusive
    with time_machine.travel(datetime.datetime(2027, 7, 1, 9, tzinfo=LONDON)):
        assert access_basis(people.social_worker.user, people.alices_child).reason == Refusal.RESTRICTED
        assert people.alices_child not in visible_children(people.social_worker.user)


def test_ending_an_access_list_entry_ends_access_at_once(people, governance):
    restriction = restrict(people.alices_child, governance)
    entry = services.access_list_add(
        restriction=restriction,
        worker=people.social_worker,
        reason="Allocated",
        end_date=None,
        added_by=governance.user,
    )
    services.access_list_end(entry=entry, ended_by=governance.user)
    assert not access_basis(people.social_worker.user, people.alices_child).allowed


def test_lifting_a_restriction_reopens_the_record_to_its_relationships(people, governance):
    restriction = restrict(people.alices_child, governance)
    services.restriction_lift(
        restriction=restriction, reason="Adoption order refused", lifted_by=governance.user
    )
    assert access_basis(people.colleague.user, people.alices_child).reason == Basis.TEAM


def test_only_a_governance_officer_manages_the_register_and_it_does_not_open_the_record(people, governance):
    with pytest.raises(PermissionDenied):
        restrict(people.alices_child, people.director)
    restrict(people.alices_child, governance)
    assert not access_basis(governance.user, people.alices_child).allowed
    assert not visible_children(governance.user).exists()


def test_a_restriction_is_audited_and_needs_a_reason(people, governance):
    with pytest.raises(ValidationError):
        services.restriction_set(
            child=people.alices_child, kind=RestrictionKind.HIGH_PROFILE, reason=" ", set_by=governance.user
        )
    restriction = restrict(people.alices_child, governance)
    event = AuditEvent.objects.get(action="restriction.set")
    assert event.child == people.alices_child and event.entity_id == str(restriction.pk)


# -- staff connections ----------------------------------------------------------------------------------------


def test_a_staff_connection_overrides_allocation_team_management_and_the_director(people, governance):
    for worker in [people.social_worker, people.colleague, people.team_manager, people.hos, people.director]:
        services.staff_connection_record(
            worker=worker, child=people.alices_child, kind="relative", details="", recorded_by=governance.user
        )
        decision = access_basis(worker.user, people.alices_child)
        assert not decision.allowed and decision.reason == Refusal.STAFF_CONNECTION, worker
        assert people.alices_child not in visible_children(worker.user)
        assert people.alices_child not in findable_children(worker.user)
    # Only the connected: an unconnected colleague in the area keeps their access.
    assert access_basis(people.other_worker.user, people.bobs_child).allowed


def test_a_staff_connection_overrides_the_access_list_and_takes_the_worker_off_it(people, governance):
    restriction = restrict(people.alices_child, governance)
    services.access_list_add(
        restriction=restriction,
        worker=people.social_worker,
        reason="Allocated",
        end_date=None,
        added_by=governance.user,
    )
    services.staff_connection_record(
        worker=people.social_worker,
        child=people.alices_child,
        kind="neighbour",
        details="Lives next door",
        recorded_by=governance.user,
    )
    assert access_basis(people.social_worker.user, people.alices_child).reason == Refusal.STAFF_CONNECTION
    with pytest.raises(ValidationError):
        services.access_list_add(
            restriction=restriction,
            worker=people.social_worker,
            reason="Again",
            end_date=None,
            added_by=governance.user,
        )


def test_an_ended_staff_connection_gives_access_back(people, governance):
    connection = services.staff_connection_record(
        worker=people.colleague,
        child=people.alices_child,
        kind="friend",
        details="",
        recorded_by=governance.user,
    )
    services.staff_connection_end(connection=connection, ended_by=governance.user)
    assert access_basis(people.colleague.user, people.alices_child).reason == Basis.TEAM


# -- emergency access -----------------------------------------------------------------------------------------


@pytest.fixture
def guardian(people):
    return CaldicottGuardian.objects.create(
        worker=people.director, start_date=datetime.date(2020, 1, 1)
    ).worker


def test_emergency_access_opens_the_record_to_read_only_for_sixty_minutes(people, with_password, guardian):
    with_password(people.front_door)
    with time_machine.travel(datetime.datetime(2027, 3, 10, 2, 0, tzinfo=LONDON), tick=False) as clock:
        assert not access_basis(people.front_door.user, people.alices_child)
        grant(people.front_door, people.alices_child)
        decision = access_basis(people.front_door.user, people.alices_child)
        assert decision.allowed and decision.reason == Basis.EMERGENCY
        assert people.alices_child in visible_children(people.front_door.user)
        # Read only.
        assert may_change(people.front_door.user, people.alices_child).reason == Refusal.READ_ONLY
        clock.shift(datetime.timedelta(minutes=59, seconds=59))
        assert access_basis(people.front_door.user, people.alices_child).allowed
        clock.shift(datetime.timedelta(seconds=1))
        assert not access_basis(people.front_door.user, people.alices_child).allowed
        assert people.alices_child not in visible_children(people.front_door.user)


def test_a_wrong_password_grants_nothing_and_says_so(people, with_password, guardian):
    with_password(people.front_door)
    with pytest.raises(ValidationError) as error:
        grant(people.front_door, people.alices_child, password="not my password")
    assert "password" in error.value.message_dict
    assert "Your password is not right" in error.value.message_dict["password"][0]
    assert not EmergencyAccess.objects.exists() and not EmergencyAlert.objects.exists()
    assert not access_basis(people.front_door.user, people.alices_child).allowed


def test_emergency_access_needs_a_reason(people, with_password, guardian):
    with_password(people.front_door)
    with pytest.raises(ValidationError) as error:
        grant(people.front_door, people.alices_child, reason=" ", reason_category="")
    assert set(error.value.message_dict) == {"reason", "reason_category"}
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.ADMINISTRATOR, Role.PERFORMANCE_ANALYST, Role.INSPECTOR, Role.DIRECTOR]
)
def test_only_named_roles_may_use_emergency_access(people, with_password, role):
    worker = with_password(
        WorkerFactory(role=role, team=people.south_team if role == Role.SOCIAL_WORKER else None)
    )
    with pytest.raises(PermissionDenied):
        grant(worker, people.alices_child)
    assert not EmergencyAccess.objects.exists()
    assert refusal_offers(worker.user, people.alices_child) == []


def test_a_named_role_is_offered_emergency_access_on_a_refusal(people):
    offers = refusal_offers(people.front_door.user, people.alices_child)
    assert offers == [
        (
            "Use emergency access",
            f"/restricted-records/children/{opaque.encode(people.alices_child.pk)}/emergency-access/",
        )
    ]
    # Not for a child they may already open.
    assert refusal_offers(people.team_manager.user, people.alices_child) == []


def test_emergency_access_never_opens_a_sealed_adoption(people, with_password, governance, guardian):
    restrict(people.bobs_child, governance, kind=RestrictionKind.SEALED_ADOPTION)
    with_password(people.team_manager)
    with pytest.raises(PermissionDenied, match="sealed adoption"):
        grant(people.team_manager, people.bobs_child)
    assert not EmergencyAccess.objects.exists()
    assert refusal_offers(people.team_manager.user, people.bobs_child) == []
    assert access_basis(people.team_manager.user, people.bobs_child).reason == Refusal.SEALED


def test_emergency_access_opens_a_high_profile_record_read_only(people, with_password, governance, guardian):
    restrict(people.bobs_child, governance)
    with_password(people.team_manager)
    grant(people.team_manager, people.bobs_child)
    assert access_basis(people.team_manager.user, people.bobs_child).reason == Basis.EMERGENCY
    assert people.bobs_child in visible_children(people.team_manager.user)
    assert not may_change(people.team_manager.user, people.bobs_child)


def test_emergency_access_never_overrides_a_staff_connection(people, with_password, governance):
    services.staff_connection_record(
        worker=people.front_door,
        child=people.alices_child,
        kind="relative",
        details="",
        recorded_by=governance.user,
    )
    with_password(people.front_door)
    with pytest.raises(PermissionDenied):
        grant(people.front_door, people.alices_child)


def test_the_caldicott_guardian_and_the_team_manager_are_alerted_at_once(people, with_password, guardian):
    with_password(people.front_door)
    use = grant(people.front_door, people.alices_child)
    alerts = {
        (alert.recipient, alert.because) for alert in EmergencyAlert.objects.filter(emergency_access=use)
    }
    assert alerts == {(people.director, "Caldicott Guardian"), (people.team_manager, "team manager")}
    event = AuditEvent.objects.get(action="emergency_access.granted")
    assert event.child == people.alices_child and event.reason == use.reason


def test_review_is_due_five_working_days_later_counting_over_a_bank_holiday(people, with_password, guardian):
    with_password(people.front_door)
    # Thursday 24 December 2026: Christmas Day (Fri) and Boxing Day substitute (Mon 28th) are bank holidays.
    with time_machine.travel(datetime.datetime(2026, 12, 24, 22, 0, tzinfo=LONDON), tick=False):
        use = grant(people.front_door, people.alices_child)
    # Working days after Thu 24th: Tue 29, Wed 30, Thu 31, Mon 4 Jan (1 Jan is a bank holiday), Tue 5 Jan.
    assert use.review_due == datetime.date(2027, 1, 5)
    with time_machine.travel(datetime.datetime(2027, 1, 5, 17, tzinfo=LONDON)):
        assert not use.is_overdue(datetime.date(2027, 1, 5))
    assert use.is_overdue(datetime.date(2027, 1, 6))


def test_a_review_records_its_outcome_once_and_never_by_the_user_themselves(
    people, with_password, governance, guardian
):
    with_password(people.front_door)
    use = grant(people.front_door, people.alices_child)
    with pytest.raises(PermissionDenied):
        services.emergency_access_review(
            emergency_access=use, outcome="justified", notes="ok", reviewed_by=people.front_door.user
        )
    with pytest.raises(ValidationError):
        services.emergency_access_review(
            emergency_access=use, outcome="", notes="", reviewed_by=governance.user
        )
    services.emergency_access_review(
        emergency_access=use, outcome="justified", notes="Police log checked", reviewed_by=guardian.user
    )
    use.refresh_from_db()
    assert use.reviewed_by == guardian and use.review_outcome == "justified"
    with pytest.raises(ValidationError):
        services.emergency_access_review(
            emergency_access=use, outcome="not_justified", notes="again", reviewed_by=governance.user
        )


def test_sealing_a_record_ends_an_emergency_access_already_granted(
    people, with_password, governance, guardian
):
    with_password(people.front_door)
    grant(people.front_door, people.alices_child)
    # The director too has an emergency access row (made directly: the service would refuse their role).
    EmergencyAccess.objects.create(
        worker=people.director,
        child=people.alices_child,
        reason_category=EmergencyReason.OTHER,
        reason="test",
        granted_at=datetime.datetime.now(tz=LONDON),
        expires_at=datetime.datetime.now(tz=LONDON) + datetime.timedelta(minutes=30),
        review_due=datetime.date(2030, 1, 1),
    )
    restrict(people.alices_child, governance, kind=RestrictionKind.SEALED_ADOPTION)
    for worker in [people.front_door, people.director]:
        assert access_basis(worker.user, people.alices_child).reason == Refusal.SEALED
        assert people.alices_child not in visible_children(worker.user)
        assert people.alices_child not in findable_children(worker.user)


def test_emergency_access_to_a_restricted_record_of_their_own_team_is_still_read_only(
    people, with_password, governance, guardian
):
    """The restriction closed Tess's team relationship; emergency access opens the record on that basis alone."""
    restrict(people.alices_child, governance)
    with_password(people.team_manager)
    grant(people.team_manager, people.alices_child)
    assert access_basis(people.team_manager.user, people.alices_child).reason == Basis.EMERGENCY
    assert may_change(people.team_manager.user, people.alices_child).reason == Refusal.READ_ONLY
    # An emergency access row of a role that may not use it (made directly) opens nothing.
    EmergencyAccess.objects.create(
        worker=people.colleague,
        child=people.alices_child,
        reason_category=EmergencyReason.OTHER,
        reason="test",
        granted_at=datetime.datetime.now(tz=LONDON),
        expires_at=datetime.datetime.now(tz=LONDON) + datetime.timedelta(minutes=30),
        review_due=datetime.date(2030, 1, 1),
    )
    assert access_basis(people.colleague.user, people.alices_child).reason == Refusal.RESTRICTED
    assert people.alices_child not in visible_children(people.colleague.user)


def test_a_restricted_child_is_left_out_of_team_and_role_lists_too(people, governance):
    """Lists scoped by team or role rather than by ``visible_children`` leave it out as well (policy
    ``without_closed``): the unallocated queue's scope, a worker's case list, the legal exposure register
    and the front door's duplicate check."""
    alices, carls = people.alices_child, people.carls_child
    open_episode_for(alices, people.social_worker)
    open_episode_for(carls, people.colleague)
    later = REFERRAL_DATE + datetime.timedelta(days=200)  # both assessments long overdue: breaches
    manager = people.team_manager.user
    restrict(alices, governance)

    queued = set(queue_scope(manager).values_list("child_id", flat=True))
    assert alices.pk not in queued and carls.pk in queued
    _, rows = worker_case_list(user=manager, worker=people.social_worker, today=later)
    assert alices.pk not in {row.allocation.child_id for row in rows}
    breached = set(breaches(people.director.user, today=later).values_list("child_id", flat=True))
    assert alices.pk not in breached and carls.pk in breached
    person = alices.person
    matches = likely_duplicates(
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        among=findable_children(people.front_door.user),
    )
    assert alices.pk not in {match.child.pk for match in matches}
