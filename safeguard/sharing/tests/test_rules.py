"""Who may share, what a share must say, and that a partner reaches nothing through the ordinary policy."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.audit.policy import access_basis, findable_children, may_change, visible_children
from safeguard.organisation.models import AllocationRole
from safeguard.sharing.models import MAX_SHARE_DAYS, Share
from safeguard.sharing.policies import PARTNER_REFUSAL
from safeguard.sharing.services import end_of_day, share_revoke
from tests.factories import AllocationFactory


def test_a_partner_user_has_no_working_relationship_with_any_child(sharing):
    pat = sharing.pat.worker.user
    for child in sharing.children:
        assert not access_basis(pat, child)
    assert not visible_children(pat).exists()
    assert not findable_children(pat).exists()


def test_a_partner_is_refused_even_when_something_else_would_reach_them(sharing):
    """Defence in depth: a partner allocated by mistake (or put in a front door team) still gets nothing."""
    pat = sharing.pat.worker
    AllocationFactory(child=sharing.unallocated_child, worker=pat, team=sharing.north_team)
    pat.team = sharing.front_door_team
    pat.save()
    decision = access_basis(pat.user, sharing.unallocated_child)
    assert not decision and decision.reason == PARTNER_REFUSAL
    assert not may_change(pat.user, sharing.unallocated_child)
    assert not visible_children(pat.user).exists()
    assert not findable_children(pat.user).exists()


def test_a_team_manager_shares_a_record_and_the_decision_is_audited(make_share, sharing):
    share = make_share()
    assert share.fields == ["identity", "plan"]
    assert share.approved_by == sharing.team_manager
    assert share.expires_at == end_of_day(timezone.localdate() + datetime.timedelta(days=7))
    assert share.is_in_force
    event = AuditEvent.objects.get(action="share_create")
    assert event.child == sharing.alices_child and event.entity_id == str(share.pk)
    assert event.reason == "Joint s47 enquiry after the strategy discussion"


@pytest.mark.parametrize("who", ["social_worker", "other_worker", "iro", "inspector", "administrator"])
def test_only_a_manager_who_may_change_the_record_shares_it(make_share, sharing, who):
    with pytest.raises(PermissionDenied):
        make_share(created_by=getattr(sharing, who).user)
    assert not Share.objects.exists() and not AuditEvent.objects.filter(action="share_create").exists()


def test_a_manager_of_another_area_may_not_share_a_child_they_do_not_work_with(make_share, sharing):
    from safeguard.organisation.models import Role
    from tests.factories import UserFactory, WorkerFactory

    south_manager = WorkerFactory(
        user=UserFactory(username="sam"), role=Role.TEAM_MANAGER, team=sharing.south_team
    )
    with pytest.raises(PermissionDenied):
        make_share(created_by=south_manager.user)
    make_share(
        child=sharing.bobs_child, created_by=sharing.director.user
    )  # the director works with every child


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"fields": []}, "fields"),
        ({"fields": ["identity", "bank_details"]}, "fields"),
        ({"purpose": "  "}, "purpose"),
        ({"lawful_basis": "because"}, "lawful_basis"),
        ({"last_day": datetime.date(2000, 1, 1)}, "last_day"),
        ({"last_day": "too_far"}, "last_day"),
        ({"partner_user": "hugh"}, "partner_user"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(make_share, sharing, overrides, field):
    if overrides.get("last_day") == "too_far":
        overrides["last_day"] = timezone.localdate() + datetime.timedelta(days=MAX_SHARE_DAYS + 1)
    if overrides.get("partner_user") == "hugh":
        overrides["partner_user"] = sharing.hugh  # health, while the share is with the police
    with pytest.raises(ValidationError) as raised:
        make_share(**overrides)
    assert field in raised.value.message_dict
    assert not Share.objects.exists() and not AuditEvent.objects.exists()


def test_the_longest_share_and_a_share_for_today_are_allowed(make_share):
    today = timezone.localdate()
    assert make_share(last_day=today + datetime.timedelta(days=MAX_SHARE_DAYS)).is_in_force
    assert make_share(last_day=today).is_in_force


def test_a_named_partner_user_is_the_only_one_at_the_agency_who_sees_it(make_share, sharing):
    share = make_share(partner_user=sharing.pat)
    assert list(Share.objects.in_force().for_partner(sharing.pat.worker)) == [share]
    assert not Share.objects.in_force().for_partner(sharing.paul.worker).exists()
    assert not Share.objects.in_force().for_partner(sharing.hugh.worker).exists()
    assert not Share.objects.in_force().for_partner(sharing.social_worker).exists()


def test_revoking_needs_a_manager_and_a_reason_and_happens_once(make_share, sharing):
    share = make_share()
    with pytest.raises(PermissionDenied):
        share_revoke(share=share, reason="done", revoked_by=sharing.social_worker.user)
    with pytest.raises(ValidationError):
        share_revoke(share=share, reason="", revoked_by=sharing.team_manager.user)
    share_revoke(share=share, reason="Enquiry closed", revoked_by=sharing.team_manager.user)
    assert share.revoked_by == sharing.team_manager and not share.is_in_force
    with pytest.raises(ValidationError):
        share_revoke(share=share, reason="again", revoked_by=sharing.hos.user)
    assert AuditEvent.objects.filter(action="share_revoke").count() == 1


def test_an_iro_allocation_does_not_make_a_partner_out_of_staff(sharing):
    """The IRO keeps their own route: the partner rule is about the role, nothing else."""
    AllocationFactory(
        child=sharing.alices_child, worker=sharing.iro, team=sharing.reviewing_team, role=AllocationRole.IRO
    )
    assert access_basis(sharing.iro.user, sharing.alices_child)
