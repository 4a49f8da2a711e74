"""The allocate page, the case file's allocation action, the caseload view and a worker's case list: who
sees them, what they show, and what they do."""

import datetime
from decimal import Decimal

import pytest

from safeguard.allocation.models import OverLimitAllocation, SocialWorkerChange
from safeguard.allocation.tests.conftest import TODAY, looked_after, open_case, siblings, social_worker
from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.core import opaque
from safeguard.organisation.models import Allocation, AllocationRole, Role
from tests.factories import AllocationFactory, ChildFactory, UserFactory, WorkerFactory


def allocate_url(child) -> str:
    return f"/allocation/children/{opaque.encode(child.pk)}/allocate/"


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def holder(child):
    return Allocation.objects.filter(
        child=child, role=AllocationRole.SOCIAL_WORKER, end_date__isnull=True
    ).first()


@pytest.fixture
def waiting(people):
    child = ChildFactory()
    open_case(child, people.north_team)
    return child


# -- the queue and the case file ---------------------------------------------------------------------------------


def test_each_queue_row_links_to_the_allocate_page_for_those_who_allocate(people, client_for, waiting):
    page = client_for(people.team_manager).get("/allocation/unallocated/").content.decode()
    assert f'href="{allocate_url(waiting)}"' in page
    page = client_for(people.inspector).get("/allocation/unallocated/").content.decode()
    assert f'data-child="{waiting.pk}"' in page and allocate_url(waiting) not in page


def test_the_case_file_offers_allocating_or_changing_the_worker_to_managers(people, client_for, waiting):
    page = (
        client_for(people.team_manager)
        .get(f"/children/{opaque.encode(waiting.pk)}/case-file/")
        .content.decode()
    )
    assert "Allocate a social worker" in page and allocate_url(waiting) in page
    open_case(people.alices_child, people.north_team)
    page = (
        client_for(people.team_manager)
        .get(f"/children/{opaque.encode(people.alices_child.pk)}/case-file/")
        .content.decode()
    )
    assert "Change the allocated worker" in page
    page = (
        client_for(people.social_worker)
        .get(f"/children/{opaque.encode(people.alices_child.pk)}/case-file/")
        .content.decode()
    )
    assert "Change the allocated worker" not in page and allocate_url(people.alices_child) not in page


# -- the allocate page -----------------------------------------------------------------------------------------------


def test_the_allocate_page_shows_the_case_siblings_and_workers_caseloads(people, client_for, waiting):
    sister, brother = ChildFactory(), ChildFactory()
    open_case(sister, people.north_team)
    open_case(brother, people.north_team)
    AllocationFactory(child=brother, worker=people.colleague)
    siblings(waiting, sister, brother)
    response = client_for(people.team_manager).get(allocate_url(waiting))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Allocate a social worker" in page and 'id="open-case"' in page
    # Siblings with open cases, the unallocated one ticked to begin with.
    assert f'value="{sister.pk}" checked' in page
    assert f'value="{brother.pk}" checked' not in page and f'value="{brother.pk}"' in page
    assert "allocated to Carl Worker" in page
    # Every qualified social worker of the team, with their figures now and with the two children.
    assert (
        f'data-worker="{people.social_worker.pk}"' in page and f'data-worker="{people.colleague.pk}"' in page
    )
    assert f'data-worker="{people.other_worker.pk}"' not in page  # South
    assert "would become 3.0" in page  # Alice: her child, plus the two siblings (1 + 0.5)
    assert "Over limit" not in page


def test_unticking_a_sibling_recalculates_without_them(people, client_for, waiting):
    sister = ChildFactory()
    open_case(sister, people.north_team)
    siblings(waiting, sister)
    page = client_for(people.team_manager).get(allocate_url(waiting) + "?chosen=1").content.decode()
    assert f'value="{sister.pk}" checked' not in page
    assert "would become 2.0" in page  # Alice: her child and this one


def test_allocating_from_the_page(people, client_for, waiting):
    sister = ChildFactory()
    open_case(sister, people.north_team)
    siblings(waiting, sister)
    response = client_for(people.team_manager).post(
        allocate_url(waiting),
        {
            "worker": str(people.colleague.pk),
            "siblings": [str(sister.pk)],
            **date_fields("start_date", TODAY),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/allocation/unallocated/"
    assert holder(waiting).worker == people.colleague
    assert holder(sister).worker == people.colleague


def test_changing_the_worker_from_the_page_returns_to_the_case_file(people, client_for):
    child = people.alices_child
    open_case(child, people.north_team, referred=datetime.date(2026, 10, 1))
    client = client_for(people.team_manager)
    page = client.get(allocate_url(child)).content.decode()
    assert "Change the allocated worker" in page and "Why is the social worker changing?" in page
    chosen = {"worker": str(people.colleague.pk), **date_fields("start_date", TODAY)}
    response = client.post(allocate_url(child), chosen)  # the reason the DfE asks (SW_REASON) is needed
    assert (
        response.status_code == 400
        and "Choose why the social worker is changing" in response.content.decode()
    )
    assert holder(child).worker == people.social_worker
    response = client.post(allocate_url(child), chosen | {"change_reason": "LEFTRL"})
    assert (
        response.status_code == 302
        and response["Location"] == f"/children/{opaque.encode(child.pk)}/case-file/"
    )
    assert holder(child).worker == people.colleague
    assert SocialWorkerChange.objects.get(allocation=holder(child)).reason == "LEFTRL"
    assert Allocation.objects.get(
        child=child, worker=people.social_worker
    ).end_date == TODAY - datetime.timedelta(1)


def test_over_the_limit_the_page_shows_it_and_asks_for_a_reason(people, client_for, waiting):
    pat = social_worker("pat", people.north_team, fte=Decimal("0.10"))  # limit 1.8
    AllocationFactory(child=ChildFactory(), worker=pat)
    looked_after(waiting, legal_status="C1")
    client = client_for(people.team_manager)
    page = client.get(allocate_url(waiting)).content.decode()
    assert "Over limit" in page and "needs a reason" in page
    data = {"worker": str(pat.pk), **date_fields("start_date", TODAY)}
    response = client.post(allocate_url(waiting), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "over their limit of 1.8" in page
    assert holder(waiting) is None
    response = client.post(allocate_url(waiting), {**data, "over_limit_reason": "Pat knows the family"})
    assert response.status_code == 302
    decision = OverLimitAllocation.objects.get()
    assert (decision.weighted_after, decision.reason) == (Decimal(3), "Pat knows the family")


def test_bad_input_on_the_page_keeps_what_was_typed(people, client_for, waiting):
    response = client_for(people.team_manager).post(
        allocate_url(waiting),
        {
            "worker": "",
            "over_limit_reason": "typed",
            **date_fields("start_date", TODAY + datetime.timedelta(3)),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the social worker" in page and "The start date must be today or in the past" in page
    assert "typed" in page
    assert holder(waiting) is None


@pytest.mark.parametrize("who", ["social_worker", "colleague", "inspector"])
def test_the_allocate_page_refuses_those_who_do_not_allocate(people, client_for, waiting, who):
    response = client_for(getattr(people, who)).get(allocate_url(waiting))
    assert response.status_code == 403
    assert AccessEvent.objects.filter(child=waiting, outcome=AccessOutcome.REFUSED).exists()
    response = client_for(getattr(people, who)).post(
        allocate_url(waiting), {"worker": str(people.colleague.pk), **date_fields("start_date", TODAY)}
    )
    assert response.status_code == 403 and holder(waiting) is None


def test_another_teams_manager_cannot_open_the_allocate_page(people, client_for, waiting):
    south_manager = WorkerFactory(
        user=UserFactory(username="sol"), role=Role.TEAM_MANAGER, team=people.south_team
    )
    assert client_for(south_manager).get(allocate_url(waiting)).status_code == 403


def test_the_allocate_page_for_a_child_with_no_open_case(people, client_for):
    page = client_for(people.director).get(allocate_url(people.unallocated_child)).content.decode()
    assert 'id="no-open-case"' in page


# -- caseloads --------------------------------------------------------------------------------------------------------


def test_the_caseload_view_in_each_scope(people, client_for):
    for worker, shown, hidden in (
        (people.team_manager, [people.social_worker, people.colleague], [people.other_worker]),
        (people.hos, [people.social_worker, people.colleague], [people.other_worker]),
    ):
        response = client_for(worker).get("/allocation/caseloads/")
        page = response.content.decode()
        assert response.status_code == 200, worker
        for member in shown:
            assert f'data-worker="{member.pk}"' in page, (worker, member)
        for member in hidden:
            assert f'data-worker="{member.pk}"' not in page, (worker, member)
    # The director and inspectors see every team's figures, each team's workers a click away.
    for worker in (people.director, people.inspector):
        client = client_for(worker)
        page = client.get("/allocation/caseloads/").content.decode()
        assert f'data-team-total="{people.north_team.pk}"' in page
        assert f'data-team-total="{people.south_team.pk}"' in page
        assert f'href="/allocation/caseloads/?team={people.south_team.pk}"' in page
        assert "data-worker=" not in page
        page = client.get(f"/allocation/caseloads/?area={people.north.pk}").content.decode()
        assert f'data-worker="{people.social_worker.pk}"' in page
        assert f'data-worker="{people.other_worker.pk}"' not in page
    for worker in (people.social_worker, people.front_door, people.iro, people.administrator):
        assert client_for(worker).get("/allocation/caseloads/").status_code == 403


def test_the_caseload_view_shows_figures_limits_and_totals(people, client_for):
    part_time = social_worker("pat", people.north_team, fte=Decimal("0.50"))
    for _ in range(10):
        AllocationFactory(child=ChildFactory(), worker=part_time)  # 10 of a limit of 9
    page = client_for(people.team_manager).get("/allocation/caseloads/").content.decode()
    row = page[page.index(f'data-worker="{part_time.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "0.50" in row and ">10<" in row and "10.0" in row and "9.0" in row and "111%" in row
    assert "Over limit" in row
    total = page[page.index(f'data-team-total="{people.north_team.pk}"') :]
    total = total[: total.index("</tr>")]
    # Alice 1, Carl 1, Pat 10 = 12 weighted, against 18 + 18 + 9 = 45.
    assert "12.0" in total and "45.0" in total and "27%" in total and "1 over limit" in total


def test_the_caseloads_navigation_entry_is_for_those_who_see_them(people, client_for):
    assert 'href="/allocation/caseloads/"' in client_for(people.team_manager).get("/").content.decode()
    assert 'href="/allocation/caseloads/"' not in client_for(people.social_worker).get("/").content.decode()


def test_a_worker_who_moved_team_is_listed_as_still_holding_allocations(people, client_for):
    carl = people.colleague
    carl.team = people.south_team
    carl.save()
    page = client_for(people.team_manager).get("/allocation/caseloads/").content.decode()
    assert f'data-left-behind="{people.north_team.pk}"' in page
    assert "Moved to Child in Need South, 1 open allocation" in page


# -- a worker's case list, and ending their allocations ---------------------------------------------------------------


def test_a_workers_case_list_is_logged_and_scoped(people, client_for):
    url = f"/allocation/caseloads/workers/{people.social_worker.pk}/"
    response = client_for(people.team_manager).get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-child="{people.alices_child.pk}"' in page and "Child in need" in page
    event = AccessEvent.objects.get(
        user=people.team_manager.user, subject=f"caseload of worker {people.social_worker.pk}"
    )
    assert event.result_count == 1
    assert (
        "End all of this worker&#39;s allocations" in page or "End all of this worker's allocations" in page
    )
    page = client_for(people.inspector).get(url).content.decode()
    assert f'data-child="{people.alices_child.pk}"' in page and "End all of this worker" not in page
    south_manager = WorkerFactory(
        user=UserFactory(username="sol"), role=Role.TEAM_MANAGER, team=people.south_team
    )
    for worker in (south_manager, people.social_worker, people.colleague):
        assert client_for(worker).get(url).status_code == 403


def test_ending_all_of_a_workers_allocations_from_the_page(people, client_for):
    carl = people.colleague
    url = f"/allocation/caseloads/workers/{carl.pk}/end/"
    client = client_for(people.team_manager)
    page = client.get(url).content.decode()
    assert "holds 1 open allocation" in page
    response = client.post(url, {"reason": "", **date_fields("end_date", TODAY)})
    assert response.status_code == 400 and "Say why the allocations end" in response.content.decode()
    assert Allocation.objects.filter(worker=carl, end_date__isnull=True).count() == 1
    response = client.post(url, {"reason": "Left the council", **date_fields("end_date", TODAY)})
    assert response.status_code == 302
    assert not Allocation.objects.filter(worker=carl, end_date__isnull=True).exists()


def test_ending_a_workers_allocations_is_refused_to_others(people, client_for):
    url = f"/allocation/caseloads/workers/{people.colleague.pk}/end/"
    for worker in (people.social_worker, people.inspector):
        response = client_for(worker).post(url, {"reason": "x", **date_fields("end_date", TODAY)})
        assert response.status_code == 403
    assert Allocation.objects.filter(worker=people.colleague, end_date__isnull=True).count() == 1


def test_heads_of_service_and_the_director_see_area_totals(people, client_for):
    page = client_for(people.hos).get("/allocation/caseloads/").content.decode()
    assert (
        f'data-area-total="{people.north.pk}"' in page and f'data-area-total="{people.south.pk}"' not in page
    )
    page = client_for(people.director).get("/allocation/caseloads/").content.decode()
    assert f'data-area-total="{people.south.pk}"' in page and 'id="caseload-totals"' in page
    page = (
        client_for(people.director)
        .get(f"/allocation/caseloads/?team={people.south_team.pk}")
        .content.decode()
    )
    assert (
        f'data-worker="{people.other_worker.pk}"' in page
        and f'data-worker="{people.social_worker.pk}"' not in page
    )
    page = (
        client_for(people.team_manager)
        .get(f"/allocation/caseloads/?team={people.south_team.pk}")
        .content.decode()
    )
    assert f'data-worker="{people.other_worker.pk}"' not in page  # out of scope: nothing shown


def test_a_worker_who_has_left_is_listed_and_their_page_says_so(people, client_for):
    alice = people.social_worker
    alice.user.is_active = False
    alice.user.save()
    client = client_for(people.team_manager)
    page = client.get("/allocation/caseloads/").content.decode()
    assert f'data-worker="{alice.pk}"' not in page  # not counted among the team's caseloads
    assert "Has left, 1 open allocation" in page
    page = client.get(f"/allocation/caseloads/workers/{alice.pk}/").content.decode()
    assert 'id="worker-status"' in page and "can no longer sign in" in page
    assert "End all of this worker" in page


def test_many_workers_are_offered_in_a_select_with_their_figures(people, client_for, waiting):
    for i in range(12):
        social_worker(f"extra{i}", people.north_team)
    client = client_for(people.hos)
    page = client.get(allocate_url(waiting)).content.decode()
    assert 'class="govuk-select' in page and "Choose a worker" in page
    assert "Alice Worker, Child in Need North (2.0 of 18.0)" in page
    response = client.post(
        allocate_url(waiting), {"worker": str(people.colleague.pk), **date_fields("start_date", TODAY)}
    )
    assert response.status_code == 302 and holder(waiting).worker == people.colleague
