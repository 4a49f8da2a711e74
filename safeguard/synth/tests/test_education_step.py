"""The synthetic city's education: every child of compulsory school age has a status, about 1.4% are home
educated and 0.5% missing education (DfE, autumn 2024/25), and the withdrawals flagged follow the rule."""

import pytest

from safeguard.frontdoor.education import involvement_on
from safeguard.frontdoor.models import Contact, ContactStatus, EducationWithdrawal
from safeguard.frontdoor.selectors import front_door_queue, related_child_ids
from safeguard.organisation.models import Allocation, AllocationRole, Worker
from safeguard.people.models import Child, EducationSetting, EducationStatus
from safeguard.people.selectors import education_status_on
from safeguard.synth.tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("city", "db")


def test_every_child_of_school_age_has_a_status_and_the_rates_are_near_the_national_ones():
    children = set(EducationStatus.objects.values_list("child_id", flat=True))
    assert children
    school_age = [
        child
        for child in Child.objects.filter(pk__in=children).select_related("person")
        if child.person.date_of_birth and 5 <= child.person.age_on(TODAY) <= 15
    ]
    assert len(school_age) == len(children)  # only children of compulsory school age
    now = [education_status_on(child=child, on=TODAY).setting for child in school_age]
    ehe = now.count(EducationSetting.ELECTIVE_HOME_EDUCATION) / len(now)
    cme = now.count(EducationSetting.MISSING_EDUCATION) / len(now)
    assert 0.007 <= ehe <= 0.025, ehe
    assert 0.001 <= cme <= 0.012, cme
    assert now.count(EducationSetting.ON_ROLL) / len(now) > 0.95


def test_each_flag_is_a_withdrawal_while_the_child_or_a_sibling_was_known():
    withdrawals = list(EducationWithdrawal.objects.select_related("status", "child"))
    assert withdrawals
    for withdrawal in withdrawals:
        before = education_status_on(
            child=withdrawal.child, on=withdrawal.withdrawn_on, excluding=withdrawal.status_id
        )
        assert before.setting == EducationSetting.ON_ROLL
        assert withdrawal.status.setting != EducationSetting.ON_ROLL
        related = related_child_ids(withdrawal.child, withdrawal.withdrawn_on)
        known = involvement_on({withdrawal.child_id, *related}, withdrawal.withdrawn_on)
        assert withdrawal.child_id in known or set(
            withdrawal.known_siblings.values_list("pk", flat=True)
        ) & set(known)
        assert bool(withdrawal.known_because) == (withdrawal.child_id in known)
        assert withdrawal.considered_at is None or withdrawal.consideration


def test_the_demo_shows_the_flag_on_the_persona_caseload_and_in_the_queue(city):
    persona = Worker.objects.get(user__username="socialworker")
    caseload = Allocation.objects.current(TODAY).filter(worker=persona, role=AllocationRole.SOCIAL_WORKER)
    assert EducationWithdrawal.objects.filter(
        considered_at__isnull=True, child_id__in=caseload.values("child_id")
    ).exists()
    front_door = Worker.objects.get(user__username="frontdoor")
    awaiting = Contact.objects.filter(status=ContactStatus.AWAITING_DECISION)
    assert awaiting.exists()
    assert any(contact.withdrawn_from_school for contact in front_door_queue(user=front_door.user))
