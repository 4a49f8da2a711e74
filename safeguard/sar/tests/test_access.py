"""Who reaches the person's record: only the information governance officer assigned to an open request,
while it is open (``SAR_REACH``); everyone else is refused, and every look and refusal is logged."""

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome
from safeguard.audit.policy import access_basis, visible_children
from safeguard.sar import services
from safeguard.sar.models import SarStatus
from safeguard.sar.policies import SUBJECT_ACCESS
from safeguard.sar.tests.conftest import receive


def test_an_officer_sees_no_child_by_role(people, gina, otto):
    assert not access_basis(gina.user, people.alices_child)
    assert not visible_children(gina.user).exists()


def test_the_assigned_officer_reaches_the_child_while_the_request_is_open(people, gina, otto, sar):
    decision = access_basis(gina.user, people.alices_child)
    assert decision.allowed and decision.reason == SUBJECT_ACCESS
    assert list(visible_children(gina.user)) == [people.alices_child]
    assert not access_basis(gina.user, people.carls_child)
    assert not access_basis(otto.user, people.alices_child)  # another officer, not assigned


def test_the_reach_ends_when_the_request_is_refused_or_closed(people, gina, sar):
    services.sar_close(request=sar, by=gina.user, reason="Withdrawn by the requester on the phone")
    assert not access_basis(gina.user, people.alices_child)
    assert not visible_children(gina.user).exists()


def test_reassigning_moves_the_reach(people, gina, otto, sar):
    services.sar_assign(request=sar, by=gina.user, officer=otto)
    assert access_basis(otto.user, people.alices_child)
    assert not access_basis(gina.user, people.alices_child)


def test_an_unassigned_request_reaches_no_one(people, gina):
    receive(people, gina, assigned=False)
    assert not access_basis(gina.user, people.alices_child)


def test_a_request_can_only_be_assigned_to_an_officer(people, gina, sar):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.sar_assign(request=sar, by=gina.user, officer=people.social_worker)
    assert "information governance officer" in str(error.value)
    sar.refresh_from_db()
    assert sar.assigned_to == gina


def _workspace(sar):
    return reverse("sar:workspace", kwargs={"request_id": sar.pk})


def test_the_workspace_opens_for_the_assigned_officer_and_the_look_is_logged(people, gina, sar, client_for):
    response = client_for(gina).get(_workspace(sar))
    assert response.status_code == 200
    assert people.alices_child.person.full_name in response.content.decode()
    event = AccessEvent.objects.get(child=people.alices_child, subject__startswith="subject access workspace")
    assert (
        event.outcome == AccessOutcome.ALLOWED and event.basis == SUBJECT_ACCESS and event.user == gina.user
    )


@pytest.mark.parametrize("who", ["otto", "social_worker", "director", "administrator"])
def test_anyone_else_is_refused_the_workspace_and_the_refusal_logged(
    people, gina, otto, sar, client_for, who
):
    worker = otto if who == "otto" else getattr(people, who)
    response = client_for(worker).get(_workspace(sar))
    assert response.status_code == 403
    event = AccessEvent.objects.filter(user=worker.user).latest("pk")
    assert event.outcome == AccessOutcome.REFUSED


def test_the_workspace_is_refused_once_the_request_is_closed(people, gina, sar, client_for):
    services.sar_close(request=sar, by=gina.user, reason="Withdrawn")
    response = client_for(gina).get(_workspace(sar))
    assert response.status_code == 403
    assert "no longer open" in response.content.decode()
    assert AccessEvent.objects.filter(
        user=gina.user, child=people.alices_child, outcome=AccessOutcome.REFUSED
    ).exists()


def test_the_list_is_for_officers_and_shows_overdue_requests_first(people, gina, client_for):
    import datetime

    late = receive(people, gina, received_on=datetime.date(2026, 1, 5))
    page = client_for(gina).get(reverse("sar:list"))
    assert page.status_code == 200
    text = page.content.decode()
    overdue_table = text.split('id="overdue"')[1].split("</table>")[0]
    assert f'data-request="{late.pk}"' in overdue_table
    refused = client_for(people.social_worker).get(reverse("sar:list"))
    assert refused.status_code == 403
    assert AccessEvent.objects.filter(
        user=people.social_worker.user, outcome=AccessOutcome.REFUSED, action=AccessAction.VIEW
    ).exists()


def test_logging_a_request_through_the_page_matches_the_record_on_two_identifiers(people, gina, client_for):
    child = people.alices_child
    born = child.person.date_of_birth
    form = {
        "la_child_id": child.la_child_id,
        "date_of_birth_day": "1",
        "date_of_birth_month": "1",
        "date_of_birth_year": "1990",
        "requester_kind": "subject",
        "received_on_day": "2",
        "received_on_month": "3",
        "received_on_year": "2026",
        "identity_checked_on_day": "2",
        "identity_checked_on_month": "3",
        "identity_checked_on_year": "2026",
        "assigned_to": str(gina.pk),
    }
    client = client_for(gina)
    wrong = client.post(reverse("sar:receive"), form)
    assert wrong.status_code == 400
    assert "No record has that local child ID and date of birth" in wrong.content.decode()
    form.update(
        {
            "date_of_birth_day": str(born.day),
            "date_of_birth_month": str(born.month),
            "date_of_birth_year": str(born.year),
        }
    )
    made = client.post(reverse("sar:receive"), form)
    assert made.status_code == 302
    sar = child.subject_access_requests.get()
    assert sar.status == SarStatus.RECEIVED and sar.assigned_to == gina
    assert str(sar.due_on) == "2026-04-02"


def test_the_assigned_officer_reads_but_may_not_change_the_record(people, gina, sar):
    from safeguard.audit.policy import may_change

    assert not may_change(gina.user, people.alices_child)
