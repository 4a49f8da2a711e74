"""Why a child's social worker changed (SSDA903 SW_REASON): first contact worked out, a change's reason given
by the manager from the DfE's list, and a bad reason refused with nothing changed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safeguard.allocation.models import SocialWorkerChange
from safeguard.allocation.services import allocation_allocate, allocation_end, social_worker_change_record
from safeguard.allocation.tests.conftest import TODAY, open_case
from safeguard.audit.models import AuditEvent
from safeguard.core import opaque
from safeguard.organisation.models import Allocation, AllocationRole
from safeguard.returns.rules import Source
from safeguard.returns.views import record_url
from tests.factories import ChildFactory

D = datetime.date


def reasons(child) -> list[tuple[str, str]]:
    return [
        (row.allocation.worker.name, row.reason)
        for row in SocialWorkerChange.objects.filter(allocation__child=child).order_by(
            "allocation__start_date"
        )
    ]


@pytest.fixture
def waiting(people):
    child = ChildFactory()
    open_case(child, people.north_team)
    return child


def test_a_cases_first_social_worker_is_a_first_contact(people, waiting):
    (allocation,) = allocation_allocate(
        children=[waiting],
        worker=people.social_worker,
        allocated_by=people.team_manager.user,
        start_date=TODAY,
    )
    assert allocation.social_worker_change.reason == "FCONTA"
    assert AuditEvent.objects.filter(
        action="allocation.change_reason_recorded", entity_id=str(allocation.pk)
    ).exists()


def test_a_reallocation_records_the_reason_given(people):
    child = people.alices_child
    open_case(child, people.north_team, referred=D(2026, 10, 1))
    (new,) = allocation_allocate(
        children=[child],
        worker=people.colleague,
        allocated_by=people.team_manager.user,
        start_date=TODAY,
        change_reason="leftrl",
    )
    assert SocialWorkerChange.objects.get(allocation=new).reason == "LEFTRL"


def test_a_worker_again_after_a_gap_in_the_same_case_is_a_change_not_a_first_contact(people):
    child = people.alices_child
    open_case(child, people.north_team, referred=D(2026, 10, 1))
    (previous,) = Allocation.objects.filter(child=child, role=AllocationRole.SOCIAL_WORKER, end_date=None)
    allocation_end(allocation=previous, ended_by=people.team_manager.user, end_date=TODAY, reason="Left")
    (new,) = allocation_allocate(
        children=[child],
        worker=people.colleague,
        allocated_by=people.team_manager.user,
        start_date=TODAY,
        change_reason="ABSENC",
    )
    assert new.social_worker_change.reason == "ABSENC"


@pytest.mark.parametrize(
    ("reason", "message"),
    [("NOPE", "not a reason for a change of social worker"), ("FCONTA", "already had a social worker")],
)
def test_a_bad_reason_is_refused_and_nothing_changes(people, reason, message):
    child = people.alices_child
    open_case(child, people.north_team, referred=D(2026, 10, 1))
    before = list(Allocation.objects.filter(child=child).values_list("pk", "end_date"))
    with pytest.raises(ValidationError) as refused:
        allocation_allocate(
            children=[child],
            worker=people.colleague,
            allocated_by=people.team_manager.user,
            start_date=TODAY,
            change_reason=reason,
        )
    assert message in str(refused.value)
    assert list(Allocation.objects.filter(child=child).values_list("pk", "end_date")) == before
    assert not SocialWorkerChange.objects.filter(allocation__child=child).exists()


def test_a_reallocation_without_a_reason_records_none_until_it_is_recorded(people):
    child = people.alices_child
    open_case(child, people.north_team, referred=D(2026, 10, 1))
    (new,) = allocation_allocate(
        children=[child], worker=people.colleague, allocated_by=people.team_manager.user, start_date=TODAY
    )
    assert not SocialWorkerChange.objects.filter(allocation=new).exists()
    with pytest.raises(ValidationError, match="not a reason"):
        social_worker_change_record(allocation=new, reason="XXXXXX", recorded_by=people.team_manager.user)
    with pytest.raises(PermissionDenied):
        social_worker_change_record(allocation=new, reason="MANAGE", recorded_by=people.social_worker.user)
    assert not SocialWorkerChange.objects.filter(allocation=new).exists()
    social_worker_change_record(allocation=new, reason="MANAGE", recorded_by=people.team_manager.user)
    assert SocialWorkerChange.objects.get(allocation=new).reason == "MANAGE"
    with pytest.raises(ValidationError, match="already recorded"):
        social_worker_change_record(allocation=new, reason="OTHERS", recorded_by=people.team_manager.user)


def test_a_missing_reason_is_recorded_on_its_page(people, client_for):
    """The SSDA903 report's SW15 links to the allocation's page, where its team's manager records the reason."""
    child = people.alices_child
    open_case(child, people.north_team, referred=D(2026, 10, 1))
    (new,) = allocation_allocate(
        children=[child], worker=people.colleague, allocated_by=people.team_manager.user, start_date=TODAY
    )
    url = reverse("allocation:change_reason", kwargs={"child_id": child.pk, "allocation_id": new.pk})
    assert client_for(people.social_worker).get(url).status_code == 403
    client = client_for(people.team_manager)
    page = client.get(url)
    assert page.status_code == 200 and "Why did the social worker change?" in page.content.decode()
    refused = client.post(url, {})
    assert refused.status_code == 400 and "Choose why the social worker changed" in refused.content.decode()
    assert not SocialWorkerChange.objects.filter(allocation=new).exists()
    done = client.post(url, {"reason": "LEFTRL"})
    assert done.status_code == 302 and done["Location"] == f"/children/{opaque.encode(child.pk)}/case-file/"
    assert SocialWorkerChange.objects.get(allocation=new).reason == "LEFTRL"
    again = client.get(url).content.decode()
    assert 'id="recorded"' in again and "LEFTRL" in again and "Record the reason" not in again


def test_the_903_report_links_a_social_worker_episode_to_its_allocation(people):
    child = people.alices_child
    (allocation,) = Allocation.objects.filter(child=child, role=AllocationRole.SOCIAL_WORKER)
    source = Source("organisation.allocation", allocation.pk, child.pk)
    assert (
        record_url(source)
        == f"/allocation/children/{opaque.encode(child.pk)}/allocations/{allocation.pk}/change-reason/"
    )
