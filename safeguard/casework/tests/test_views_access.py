"""Who may use the casework pages: every page that changes a child's record is refused (and the refusal
logged) to a worker with no working relationship with the child and to an inspector, who only reads; a
refused POST changes nothing."""

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome, AuditEvent
from safeguard.casework.models import (
    Assessment,
    CinEpisode,
    CinPlan,
    ClosureRequest,
    CPPlan,
    S47Enquiry,
    Visit,
)
from safeguard.casework.tests.conftest import TODAY, date_fields
from safeguard.compliance.models import Deadline

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def case(people, episode, assessment, cin_plan, cp_plan):
    """A record with one of everything a casework page is about (the CP plan ended the CIN plan)."""
    enquiry = S47Enquiry.objects.get(child=people.alices_child)
    # A request made before the enquiry started (the service would refuse one now): the pages that decide
    # or withdraw it must still refuse whoever may not.
    request = ClosureRequest.objects.create(
        episode=episode, child=episode.child, requested_by=people.social_worker.user, requested_on=TODAY,
        closure_date=TODAY, reason="RC5", primary_need="N0", summary="Moved", risk_analysis="Low",
        no_assessment_reason="Moved to Leeds", team=episode.team, area=episode.area,
    )  # fmt: skip
    return {
        "assessment_start": {},
        "assessment": {"assessment_id": assessment.pk},
        "assessment_edit": {"assessment_id": assessment.pk},
        "assessment_submit": {"assessment_id": assessment.pk},
        "assessment_authorise": {"assessment_id": assessment.pk},
        "assessment_return": {"assessment_id": assessment.pk},
        "deadline_delay": {"deadline_id": Deadline.objects.filter(child=people.alices_child).first().pk},
        "cin_plan_start": {},
        "cin_plan_review": {"plan_id": cin_plan.pk},
        "cin_plan_end": {"plan_id": cin_plan.pk},
        "strategy_discussion": {},
        "s47_conclude": {"enquiry_id": enquiry.pk},
        "initial_conference": {"enquiry_id": enquiry.pk},
        "review_conference": {"plan_id": cp_plan.pk},
        "core_group": {"plan_id": cp_plan.pk},
        "cp_plan_end": {"plan_id": cp_plan.pk},
        "visit": {},
        "closure_request": {"episode_id": episode.pk},
        "closure_request_detail": {"request_id": request.pk},
        "closure_review": {"request_id": request.pk},
        "closure_withdraw": {"request_id": request.pk},
        "episode_reopen": {"episode_id": episode.pk},
    }


CHANGING_PAGES = [
    "assessment_start",
    "assessment_edit",
    "assessment_submit",
    "assessment_authorise",
    "assessment_return",
    "deadline_delay",
    "cin_plan_start",
    "cin_plan_review",
    "cin_plan_end",
    "strategy_discussion",
    "s47_conclude",
    "initial_conference",
    "review_conference",
    "core_group",
    "cp_plan_end",
    "visit",
    "closure_request",
    "closure_review",
    "closure_withdraw",
    "episode_reopen",
]
MANAGERS_PAGES = ("assessment_authorise", "assessment_return", "closure_review", "episode_reopen")

# Everything a POST could try to write, all at once: any page that let it through would change a row.
EVERYTHING = {
    **date_fields("start_date", TODAY),
    **date_fields("held_on", TODAY),
    **date_fields("end_date", TODAY),
    **date_fields("visited_on", TODAY),
    **date_fields("concluded_on", TODAY),
    **date_fields("closure_date", TODAY),
    "version": "1",
    "summary": "Written by someone who should not",
    "reason": "RC7",
    "primary_need": "N1",
    "outcome": "s47",
    "participants": "Nobody",
    "concerns": "None",
    "findings": "None",
    "location": "home",
    "child_seen": "yes",
    "decision": "continue",
    "rationale": "Decided by someone who should not",
    "risk_analysis": "None",
    "no_assessment_reason": "None",
    **date_fields("reopened_on", TODAY),
    "referral_source": "2A",
    "note": "Seen",
}


def snapshot():
    return (
        AuditEvent.objects.count(),
        list(Assessment.objects.values_list("pk", "version", "status")),
        list(CinPlan.objects.values_list("pk", "version", "end_date")),
        list(CPPlan.objects.values_list("pk", "version", "end_date")),
        list(S47Enquiry.objects.values_list("pk", "version")),
        list(CinEpisode.objects.values_list("pk", "version")),
        list(ClosureRequest.objects.values_list("pk", "version", "status")),
        list(Deadline.objects.values_list("pk", "version", "status")),
        Visit.objects.count(),
    )


@pytest.mark.parametrize("who", ["other_worker", "inspector", "administrator"])
def test_every_changing_page_is_refused_without_the_right_to_change_the_record(people, client_for, case, who):
    child = people.alices_child
    client = client_for(getattr(people, who))
    before = snapshot()
    for name in CHANGING_PAGES:
        page = reverse(f"casework:{name}", kwargs={"child_id": child.pk, **case[name]})
        assert client.get(page).status_code == 403, name
        assert client.post(page, EVERYTHING).status_code == 403, name
    assert snapshot() == before
    refused = AccessEvent.objects.filter(
        user=getattr(people, who).user, child=child, outcome=AccessOutcome.REFUSED
    )
    assert refused.count() == 2 * len(CHANGING_PAGES)


def test_the_assessment_is_read_by_an_inspector_and_refused_to_another_team(people, client_for, case):
    for name in ("assessment", "closure_request_detail"):
        page = reverse(f"casework:{name}", kwargs={"child_id": people.alices_child.pk, **case[name]})
        assert client_for(people.inspector).get(page).status_code == 200
        assert client_for(people.other_worker).get(page).status_code == 403


def test_every_changing_page_opens_for_the_allocated_worker(people, client_for, case):
    """The social worker reaches every page except the managers' (tested in test_views_assessments and
    test_views_closure)."""
    client = client_for(people.social_worker)
    for name in CHANGING_PAGES:
        if name in MANAGERS_PAGES:
            continue
        page = reverse(f"casework:{name}", kwargs={"child_id": people.alices_child.pk, **case[name]})
        response = client.get(page)
        assert response.status_code in (200, 302), name
        if response.status_code == 200:
            assert people.alices_child.person.full_name in response.content.decode(), name


def test_an_unknown_child_is_not_found(people, client_for):
    response = client_for(people.social_worker).get(reverse("casework:visit", kwargs={"child_id": 999999}))
    assert response.status_code == 404


def test_records_of_another_child_are_not_found(people, client_for, case):
    """Carl's child is in Alice's team, so Alice may open it: but the ids in the URL are Alice's child's."""
    client = client_for(people.social_worker)
    for name in CHANGING_PAGES + ["assessment", "closure_request_detail"]:
        if not case[name] or name in MANAGERS_PAGES:
            continue
        page = reverse(f"casework:{name}", kwargs={"child_id": people.carls_child.pk, **case[name]})
        assert client.get(page).status_code == 404, name
