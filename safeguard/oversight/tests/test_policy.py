"""The access policy with oversight's relationship in it: what anyone lists is still exactly what the policy
lets them open (the property ADR 1 asks of every relationship), now with quality assurance auditors and
audits in progress and completed."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.audit.policy import access_basis, visible_children
from safeguard.organisation.models import Allocation, AllocationRole, Role, TeamKind
from safeguard.oversight.models import AuditStatus, CaseAudit, Grade
from tests.factories import AreaFactory, ChildFactory, TeamFactory, WorkerFactory

ROLES = [
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.IRO,
    Role.DIRECTOR,
    Role.INSPECTOR,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
    Role.AUDITOR,  # drawn more often: they are what this test is about
]

worlds = st.fixed_dictionaries(
    {
        # Each worker: (role, team index).
        "workers": st.lists(st.tuples(st.sampled_from(ROLES), st.integers(0, 2)), min_size=2, max_size=7),
        # Each allocation: (child index, worker index, days ago started, days ago ended or None).
        "allocations": st.lists(
            st.tuples(
                st.integers(0, 4), st.integers(0, 6), st.integers(0, 100), st.none() | st.integers(-5, 100)
            ),
            max_size=6,
        ),
        # Each audit: (child index, auditor index, completed).
        "audits": st.lists(st.tuples(st.integers(0, 4), st.integers(0, 6), st.booleans()), max_size=6),
    }
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds)
def test_what_anyone_lists_is_exactly_what_the_policy_lets_them_open(world):
    today = timezone.localdate()
    with transaction.atomic():
        areas = [AreaFactory(), AreaFactory()]
        teams = [TeamFactory(area=areas[i % 2], kind=TeamKind.CHILD_IN_NEED) for i in range(3)]
        workers = []
        for role, team_index in world["workers"]:
            on_team = role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO)
            workers.append(
                WorkerFactory(
                    role=role,
                    team=teams[team_index] if on_team else None,
                    area=areas[team_index % 2] if role == Role.HEAD_OF_SERVICE else None,
                )
            )
        children = [ChildFactory() for _ in range(5)]
        open_children = set()
        for child_i, worker_i, started, ended in world["allocations"]:
            if worker_i >= len(workers) or workers[worker_i].team_id is None:
                continue
            end = None if ended is None or ended > started else today - datetime.timedelta(days=ended)
            if end is None and child_i in open_children:
                continue
            if end is None:
                open_children.add(child_i)
            Allocation.objects.create(
                child=children[child_i],
                worker=workers[worker_i],
                team=workers[worker_i].team,
                role=AllocationRole.SOCIAL_WORKER,
                start_date=today - datetime.timedelta(days=started),
                end_date=end,
            )
        in_progress = set()
        for child_i, worker_i, completed in world["audits"]:
            if worker_i >= len(workers) or (not completed and child_i in in_progress):
                continue
            if not completed:
                in_progress.add(child_i)
            CaseAudit.objects.create(
                child=children[child_i],
                auditor=workers[worker_i],
                started_on=today,
                status=AuditStatus.COMPLETED if completed else AuditStatus.DRAFT,
                overall_grade=Grade.GOOD if completed else "",
                summary="Fine" if completed else "",
                completed_on=today if completed else None,
            )
        for worker in workers:
            allowed = {child for child in children if access_basis(worker.user, child).allowed}
            listed = set(visible_children(worker.user).filter(pk__in=[c.pk for c in children]))
            assert listed == allowed, worker.get_role_display()
            if worker.role == Role.AUDITOR:
                # An auditor reaches exactly the children whose audit is in progress with them.
                drafts = CaseAudit.objects.filter(auditor=worker, status=AuditStatus.DRAFT)
                assert allowed == {audit.child for audit in drafts}
        transaction.set_rollback(True)
