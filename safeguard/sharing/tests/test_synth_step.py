"""The synthetic city's sharing step, run on the shared personas: one share in force, one expired."""

from collections import Counter
from types import SimpleNamespace

from django.utils import timezone

from safeguard.organisation.models import Role
from safeguard.sharing.models import PartnerUser, Share
from safeguard.synth.steps import sharing as sharing_step
from tests.factories import AllocationFactory, UserFactory, WorkerFactory


def _ctx(people, **personas):
    return SimpleNamespace(
        org=SimpleNamespace(personas=personas), today=timezone.localdate(), counts=Counter()
    )


def test_the_step_links_the_partner_and_makes_one_share_in_force_and_one_expired(people):
    partner = WorkerFactory(user=UserFactory(username="partner"), role=Role.PARTNER_AGENCY, team=None)
    AllocationFactory(worker=people.social_worker)  # a second child on the caseload
    ctx = _ctx(
        people,
        partner=partner.pk,
        teammanager=people.team_manager.pk,
        socialworker=people.social_worker.pk,
    )
    sharing_step.run(ctx)
    assert PartnerUser.objects.get(worker=partner).agency.kind == "police"
    assert Share.objects.count() == 2
    assert Share.objects.in_force().for_partner(partner).count() == 1
    assert ctx.counts["sharing.Share"] == 2


def test_the_step_does_nothing_without_the_partner_persona(people):
    sharing_step.run(_ctx(people, teammanager=people.team_manager.pk, socialworker=people.social_worker.pk))
    assert not Share.objects.exists() and not PartnerUser.objects.exists()
