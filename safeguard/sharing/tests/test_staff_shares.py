"""Time-limited access for staff: a registered relationship ("time-limited share") that gives one worker one
child's record between its start and its expiry, ended on the very next request after expiry or revocation."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessEvent, AccessOutcome, AuditEvent
from safeguard.audit.policy import access_basis, may_change, visible_children
from safeguard.sharing.models import MAX_STAFF_SHARE_DAYS, StaffShare
from safeguard.sharing.policies import STAFF_SHARE_BASIS, may_share
from safeguard.sharing.services import staff_share_create, staff_share_revoke

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _give_bob_access(people, **overrides):
    arguments = {
        "child": people.alices_child,
        "worker": people.other_worker,
        "reason": "Covering Thursday's visit while Alice is on leave",
        "last_day": timezone.localdate() + datetime.timedelta(days=3),
        "created_by": people.team_manager.user,
    }
    arguments.update(overrides)
    return staff_share_create(**arguments)


def test_time_limited_access_opens_the_record_with_its_own_basis(people):
    bob = people.other_worker.user
    assert not access_basis(bob, people.alices_child)
    _give_bob_access(people)
    decision = access_basis(bob, people.alices_child)
    assert decision and decision.reason == STAFF_SHARE_BASIS
    assert may_change(bob, people.alices_child)  # they cover the visit, so they record it
    assert people.alices_child in visible_children(bob)
    assert not access_basis(bob, people.carls_child)
    assert AuditEvent.objects.filter(action="staff_share_create", child=people.alices_child).exists()


def test_it_ends_at_midnight_after_the_last_day(people):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, tzinfo=LONDON), tick=False):
        _give_bob_access(people, last_day=datetime.date(2027, 3, 4))
    bob = people.other_worker.user
    with time_machine.travel(datetime.datetime(2027, 3, 4, 23, 59, 59, tzinfo=LONDON), tick=False):
        assert access_basis(bob, people.alices_child).reason == STAFF_SHARE_BASIS
    with time_machine.travel(datetime.datetime(2027, 3, 5, 0, 0, tzinfo=LONDON), tick=False):
        assert not access_basis(bob, people.alices_child)
        assert people.alices_child not in visible_children(bob)


def test_revoked_access_ends_on_the_very_next_request(client_for, people):
    share = _give_bob_access(people)
    client = client_for(people.other_worker)
    record = reverse("children:record", kwargs={"child_id": people.alices_child.pk})
    assert client.get(record).status_code == 200
    assert AccessEvent.objects.order_by("-pk").first().basis == STAFF_SHARE_BASIS
    staff_share_revoke(share=share, reason="Visit done", revoked_by=people.team_manager.user)
    assert client.get(record).status_code == 403
    assert AccessEvent.objects.order_by("-pk").first().outcome == AccessOutcome.REFUSED


def test_a_manager_given_time_limited_access_may_not_pass_the_record_on(people):
    from safeguard.organisation.models import Role
    from tests.factories import UserFactory, WorkerFactory

    sam = WorkerFactory(user=UserFactory(username="sam"), role=Role.TEAM_MANAGER, team=people.south_team)
    _give_bob_access(people, worker=sam)
    assert access_basis(sam.user, people.alices_child)
    assert not may_share(sam.user, people.alices_child)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"reason": ""}, "reason"),
        ({"last_day": datetime.date(2000, 1, 1)}, "last_day"),
        ({"last_day": "too_far"}, "last_day"),
        ({"worker": "administrator"}, "worker"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(people, overrides, field):
    if overrides.get("last_day") == "too_far":
        overrides["last_day"] = timezone.localdate() + datetime.timedelta(days=MAX_STAFF_SHARE_DAYS + 1)
    if overrides.get("worker") == "administrator":
        overrides["worker"] = people.administrator
    with pytest.raises(ValidationError) as raised:
        _give_bob_access(people, **overrides)
    assert field in raised.value.message_dict
    assert not StaffShare.objects.exists() and not AuditEvent.objects.exists()


def test_only_a_manager_gives_time_limited_access(people):
    with pytest.raises(PermissionDenied):
        _give_bob_access(people, created_by=people.social_worker.user)
    assert not StaffShare.objects.exists()


def test_a_manager_gives_and_revokes_access_through_the_childs_page(client_for, people):
    url = reverse("sharing:child", kwargs={"child_id": people.alices_child.pk})
    day = timezone.localdate() + datetime.timedelta(days=2)
    client = client_for(people.team_manager)
    response = client.post(
        url,
        {
            "form": "staff",
            "worker": people.other_worker.pk,
            "reason": "Covering a visit",
            "last_day_day": day.day,
            "last_day_month": day.month,
            "last_day_year": day.year,
        },
    )
    assert response.status_code == 302
    share = StaffShare.objects.get()
    assert share.worker == people.other_worker
    assert "Covering a visit" in client.get(url).content.decode()
    revoke = reverse(
        "sharing:staff_revoke", kwargs={"child_id": people.alices_child.pk, "staff_share_id": share.pk}
    )
    assert client.post(revoke, {"reason": "Visit done"}).status_code == 302
    assert not access_basis(people.other_worker.user, people.alices_child)
