"""Weighted caseloads: the weights, the heaviest that applies, the sibling share, the council's overrides,
FTE-adjusted limits, a fixed number of queries, and the system check on the settings."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from safeguard.allocation import caseload as caseload_module
from safeguard.allocation.caseload import (
    DEFAULT_WEIGHTS,
    caseload_limit,
    caseload_with,
    current_weights,
    limit_for,
    weighted_caseloads,
)
from safeguard.allocation.checks import caseload_settings
from safeguard.allocation.tests.conftest import (
    TODAY,
    children_with_cases,
    looked_after,
    on_cp_plan,
    open_case,
    same_household,
    siblings,
    social_worker,
)
from safeguard.organisation.models import Allocation
from safeguard.people.models import Relationship, RelationshipType
from tests.factories import AllocationFactory, ChildFactory

D = Decimal


def with_settings(**values):
    """The SAFEGUARD settings with some values replaced."""
    from django.conf import settings

    return override_settings(SAFEGUARD={**settings.SAFEGUARD, **values})


def allocate(child, worker):
    return AllocationFactory(child=child, worker=worker)


def test_the_defaults_say_where_they_come_from():
    assert {
        "child": D(1),
        "cp_plan": D("1.5"),
        "looked_after": D("1.5"),
        "care_proceedings": D(2),
        "sibling": D("0.5"),
    } == DEFAULT_WEIGHTS
    import safeguard.allocation.caseload as module

    assert "16.0" in module.__doc__ and "local policy" in module.__doc__.lower()


def test_each_child_counts_the_heaviest_weight_that_applies(people):
    worker = people.colleague  # Carl holds carls_child (no case details: a child in need, 1)
    plain = people.carls_child
    cp = ChildFactory()
    on_cp_plan(cp, open_case(cp, people.north_team))
    cared_for = ChildFactory()
    looked_after(cared_for)
    in_proceedings = ChildFactory()
    looked_after(in_proceedings, legal_status="C1")  # an interim care order: care proceedings under way
    both = ChildFactory()
    on_cp_plan(both, open_case(both, people.north_team))
    looked_after(both)  # a CP plan and looked after: 1.5, not 3
    for child in (cp, cared_for, in_proceedings, both):
        allocate(child, worker)
    caseload = caseload_with(worker, today=TODAY)
    weights = {load.child_id: load.counted for load in caseload.loads}
    assert weights == {
        plain.pk: D(1),
        cp.pk: D("1.5"),
        cared_for.pk: D("1.5"),
        in_proceedings.pk: D(2),
        both.pk: D("1.5"),
    }
    assert caseload.children == 5
    assert caseload.weighted == D("7.5")
    kinds = {load.child_id: load.label for load in caseload.loads}
    assert kinds[in_proceedings.pk] == "Care proceedings (interim care order)"


def test_a_full_care_order_is_looked_after_not_care_proceedings(people):
    child = ChildFactory()
    looked_after(child, legal_status="C2")
    allocate(child, people.colleague)
    loads = {load.child_id: load for load in caseload_with(people.colleague, today=TODAY).loads}
    assert loads[child.pk].kind == "looked_after"


def test_a_sibling_group_with_one_worker_counts_once_plus_a_part(people):
    worker = social_worker("sid", people.north_team)
    eldest, middle, youngest = (ChildFactory() for _ in range(3))
    for child in (eldest, middle, youngest):
        on_cp_plan(child, open_case(child, people.north_team))
        allocate(child, worker)
    siblings(eldest, middle, youngest)
    caseload = caseload_with(worker, today=TODAY)
    # The heaviest child in full, each further sibling half their own weight: 1.5 + 0.75 + 0.75.
    assert caseload.weighted == D("3.0")
    assert sorted(load.counted for load in caseload.loads) == [D("0.75"), D("0.75"), D("1.5")]
    assert len({load.group for load in caseload.loads}) == 1


def test_the_heaviest_sibling_counts_in_full(people):
    worker = social_worker("sid", people.north_team)
    plain, proceedings = ChildFactory(), ChildFactory()
    looked_after(proceedings, legal_status="C1")
    allocate(plain, worker)
    allocate(proceedings, worker)
    siblings(proceedings, plain)
    assert caseload_with(worker, today=TODAY).weighted == D("2.5")  # 2 + 0.5 × 1


def test_children_who_only_live_together_are_not_a_sibling_group(people):
    """The discount rests on a recorded family tie (a sibling, half- or step-sibling relationship)."""
    worker = social_worker("sid", people.north_team)
    a, b, c = ChildFactory(), ChildFactory(), ChildFactory()
    for child in (a, b, c):
        allocate(child, worker)
    same_household(a, b)
    assert caseload_with(worker, today=TODAY).weighted == D(3)
    Relationship.objects.create(
        from_person=b.person, to_person=c.person, relationship_type=RelationshipType.HALF_SIBLING
    )
    siblings(a, b)  # a and c are linked through b: one group of three
    assert caseload_with(worker, today=TODAY).weighted == D(2)


def test_siblings_with_different_workers_each_count_in_full(people):
    a, b = ChildFactory(), ChildFactory()
    siblings(a, b)
    alice, sid = people.social_worker, social_worker("sid", people.north_team)
    allocate(a, sid)
    allocate(b, alice)
    caseloads = weighted_caseloads([sid, alice], today=TODAY)
    assert caseloads[sid.pk].weighted == D(1)
    assert caseloads[alice.pk].weighted == D(2)  # Alice's own child and b


def test_the_councils_weights_override_the_defaults(people):
    child = ChildFactory()
    on_cp_plan(child, open_case(child, people.north_team))
    allocate(child, people.colleague)
    with with_settings(CASELOAD_WEIGHTS={"cp_plan": "3", "child": "0.5"}):
        assert current_weights()["cp_plan"] == D(3)
        assert caseload_with(people.colleague, today=TODAY).weighted == D("3.5")  # 3 + 0.5
    with with_settings(CASELOAD_WEIGHTS={"sibling": "1"}):
        assert current_weights()["sibling"] == D(1)


def test_a_limit_is_in_proportion_to_hours(people):
    assert caseload_limit() == D(18)
    assert limit_for(D("1.00")) == D(18)
    assert limit_for(D("0.50")) == D(9)
    part_time = social_worker("pat", people.north_team, fte=D("0.80"))
    assert caseload_with(part_time, today=TODAY).limit == D("14.4")
    with with_settings(CASELOAD_LIMIT="20"):
        assert caseload_with(part_time, today=TODAY).limit == D(16)


def test_over_the_limit_is_strictly_more_than_it(people):
    worker = social_worker("pat", people.north_team, fte=D("0.10"))  # limit 1.8
    children = children_with_cases(people.north_team, 2)
    allocate(children[0], worker)
    caseload = caseload_with(worker, today=TODAY, adding=[children[1].pk])
    assert (caseload.weighted, caseload.over) == (D(1), False)
    assert (caseload.weighted_after, caseload.over_after, caseload.percent_after) == (D(2), True, 111)


def test_what_a_caseload_would_become_counts_the_sibling_share(people):
    worker = social_worker("sid", people.north_team)
    held, new = ChildFactory(), ChildFactory()
    allocate(held, worker)
    siblings(held, new)
    caseload = caseload_with(worker, today=TODAY, adding=[new.pk])
    assert caseload.weighted == D(1)
    assert caseload.weighted_after == D("1.5")
    assert caseload.children_after == 2
    # A child the worker already holds is not counted twice.
    assert caseload_with(worker, today=TODAY, adding=[held.pk]).weighted_after == D(1)


def test_an_allocation_left_behind_in_another_team_or_ended_does_not_count(people):
    carl = people.colleague
    assert caseload_with(carl, today=TODAY).children == 1
    carl.team = people.south_team
    carl.save()
    assert caseload_with(carl, today=TODAY).children == 0
    alice = people.social_worker
    Allocation.objects.filter(worker=alice).update(end_date=TODAY - datetime.timedelta(days=1))
    assert caseload_with(alice, today=TODAY).children == 0


def test_many_workers_take_the_same_few_queries_as_one(people, django_assert_num_queries):
    workers = [social_worker(f"w{i}", people.north_team) for i in range(6)]
    for i, worker in enumerate(workers):
        kids = children_with_cases(people.north_team, i + 1)
        for child in kids:
            allocate(child, worker)
        if len(kids) > 1:
            siblings(*kids)
        if kids:
            looked_after(kids[0], legal_status="C1")
    with django_assert_num_queries(3):
        weighted_caseloads(workers[:1], today=TODAY)
    with django_assert_num_queries(3):
        caseloads = weighted_caseloads(workers, today=TODAY)
    with django_assert_num_queries(3):
        weighted_caseloads(workers, today=TODAY, adding=[people.unallocated_child.pk])
    assert [caseloads[w.pk].children for w in workers] == [1, 2, 3, 4, 5, 6]
    # Six siblings, the eldest in proceedings: 2 + 5 × 0.5.
    assert caseloads[workers[5].pk].weighted == D("4.5")


def test_many_children_read_the_councils_flags_as_sets_with_the_same_result(
    people, django_assert_num_queries
):
    """Past FLAG_SETS_FROM children the flags come from the council's open plans and periods of care: the
    figures are the same, in a fixed number of queries."""
    worker = social_worker("sid", people.north_team)
    cp, proceedings, cared_for, plain = (ChildFactory() for _ in range(4))
    on_cp_plan(cp, open_case(cp, people.north_team))
    looked_after(proceedings, legal_status="C1")
    looked_after(cared_for)
    for child in (cp, proceedings, cared_for, plain):
        allocate(child, worker)
    siblings(cp, plain)
    newcomer = ChildFactory()
    looked_after(newcomer, legal_status="C1")
    few = caseload_with(worker, today=TODAY, adding=[newcomer.pk])
    with mock.patch.object(caseload_module, "FLAG_SETS_FROM", 1), django_assert_num_queries(6):
        many = caseload_with(worker, today=TODAY, adding=[newcomer.pk])
    assert (few.weighted, few.weighted_after) == (many.weighted, many.weighted_after) == (D("5.5"), D("7.5"))
    assert {(load.child_id, load.kind, load.counted) for load in few.loads} == {
        (load.child_id, load.kind, load.counted) for load in many.loads
    }


# -- the system check -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "limit", "expected"),
    [
        ({"cp": "2"}, "18", "CASELOAD_WEIGHTS names 'cp', which is not a caseload weight"),
        ({"cp_plan": "heavy"}, "18", "CASELOAD_WEIGHTS['cp_plan'] must be a number, not 'heavy'"),
        ({"cp_plan": "NaN"}, "18", "CASELOAD_WEIGHTS['cp_plan'] must be a number"),
        ({"looked_after": "0"}, "18", "CASELOAD_WEIGHTS['looked_after'] must be more than 0"),
        ({"sibling": "1.5"}, "18", "CASELOAD_WEIGHTS['sibling'] is a share of a child's weight, from 0 to 1"),
        ({}, "many", "CASELOAD_LIMIT must be a number of weighted cases above 0, not 'many'"),
        ({}, "-3", "CASELOAD_LIMIT must be a number of weighted cases above 0"),
    ],
)
def test_the_system_check_refuses_bad_settings_naming_them(weights, limit, expected):
    with with_settings(CASELOAD_WEIGHTS=weights, CASELOAD_LIMIT=limit):
        errors = caseload_settings(None)
        assert len(errors) == 1
        assert errors[0].msg.startswith(expected), errors[0].msg
        assert errors[0].id in ("allocation.E001", "allocation.E002")
        with pytest.raises(ImproperlyConfigured):
            current_weights() if weights else caseload_limit()


def test_the_system_check_passes_good_settings_and_is_registered(db):
    from django.core import checks

    with with_settings(CASELOAD_WEIGHTS={"cp_plan": "2", "sibling": "0.25"}, CASELOAD_LIMIT="16.5"):
        assert caseload_settings(None) == []
    assert caseload_settings in checks.registry.registry.get_checks()
    with with_settings(CASELOAD_WEIGHTS={"nonsense": "1"}):
        assert any(error.id == "allocation.E001" for error in checks.run_checks())
