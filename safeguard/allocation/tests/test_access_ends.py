"""Access ends on the request after an allocation is ended or a role is changed, not at midnight (issue 8:
"removing an allocation or changing a role takes effect on the very next request"), while the day it ended
still counts as held for caseloads and the statutory returns."""

import datetime

from django.test import Client

from safeguard.allocation.services import allocation_end
from safeguard.allocation.tests.conftest import TODAY
from safeguard.audit.policy import access_basis, visible_children
from safeguard.core import opaque
from safeguard.organisation.models import Allocation, AllocationRole, Role


def signed_in(worker) -> Client:
    client = Client()
    client.force_login(worker.user)
    return client


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def alices_allocation(people) -> Allocation:
    return Allocation.objects.get(child=people.alices_child, worker=people.social_worker)


def test_an_allocation_ended_today_gives_no_access_on_the_next_request(people):
    alice = signed_in(people.social_worker)
    record = f"/children/{opaque.encode(people.alices_child.pk)}/"
    assert alice.get(record).status_code == 200

    allocation_end(
        allocation=alices_allocation(people),
        ended_by=people.team_manager.user,
        end_date=TODAY,
        reason="Moved to the disabled children's team",
    )

    assert alice.get(record).status_code == 403
    assert not access_basis(people.social_worker.user, people.alices_child)
    assert people.alices_child not in visible_children(people.social_worker.user)
    # Her teammate Carl reached the child through the team's allocation: that has ended too.
    assert not access_basis(people.colleague.user, people.alices_child)


def test_the_day_an_allocation_ends_still_counts_as_held(people):
    allocation = alices_allocation(people)
    allocation_end(allocation=allocation, ended_by=people.team_manager.user, end_date=TODAY, reason="Left")
    # Who held the case on a day (caseloads, the queue, CIN census and SSDA903 episodes) reads the end day
    # as the last day held; only "in force now" (the access policy) drops it.
    assert allocation in Allocation.objects.current(TODAY)
    assert allocation not in Allocation.objects.current()
    assert allocation not in Allocation.objects.current(TODAY + datetime.timedelta(days=1))


def test_an_allocation_ending_on_a_later_day_still_gives_access_today(people):
    allocation = alices_allocation(people)
    Allocation.objects.filter(pk=allocation.pk).update(end_date=TODAY + datetime.timedelta(days=1))
    assert access_basis(people.social_worker.user, people.alices_child)
    assert people.alices_child in visible_children(people.social_worker.user)


def test_ending_a_workers_allocations_from_the_page_refuses_their_next_request(people):
    carl = signed_in(people.colleague)
    record = f"/children/{opaque.encode(people.carls_child.pk)}/"
    assert carl.get(record).status_code == 200

    response = signed_in(people.team_manager).post(
        f"/allocation/caseloads/workers/{people.colleague.pk}/end/",
        {"reason": "Left the council", **date_fields("end_date", TODAY)},
    )
    assert response.status_code == 302

    assert carl.get(record).status_code == 403


def test_an_iro_allocation_ended_today_gives_no_access(people):
    iro = signed_in(people.iro)
    record = f"/children/{opaque.encode(people.bobs_child.pk)}/"
    assert iro.get(record).status_code == 200
    Allocation.objects.filter(child=people.bobs_child, role=AllocationRole.IRO).update(end_date=TODAY)
    assert iro.get(record).status_code == 403


def test_a_change_of_role_takes_effect_on_the_next_request(people):
    alice = signed_in(people.social_worker)
    record = f"/children/{opaque.encode(people.alices_child.pk)}/"
    assert alice.get(record).status_code == 200

    # Moved into the performance team: the allocation is still open, but the role opens no record.
    people.social_worker.role = Role.ADMINISTRATOR
    people.social_worker.save()
    assert alice.get(record).status_code == 403

    director = signed_in(people.director)
    unallocated = f"/children/{opaque.encode(people.unallocated_child.pk)}/"
    assert director.get(unallocated).status_code == 200
    people.director.role = Role.HEAD_OF_SERVICE
    people.director.area = people.south
    people.director.save()
    assert director.get(unallocated).status_code == 403


def test_a_disabled_account_is_signed_out_on_the_next_request(people):
    alice = signed_in(people.social_worker)
    record = f"/children/{opaque.encode(people.alices_child.pk)}/"
    assert alice.get(record).status_code == 200
    people.social_worker.user.is_active = False
    people.social_worker.user.save()
    response = alice.get(record)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
