"""Every page renders for the officer, and the steps of the work move the request on."""

from django.urls import reverse

from safeguard.sar.models import SarStatus
from safeguard.sar.sources import item_key
from tests.signing_in import identity_confirmed


def test_every_page_renders_for_the_assigned_officer(people, gina, sar, client_for):
    client = identity_confirmed(client_for(gina), gina.user)  # disclosing asks them to confirm it is them
    for name in ("detail", "assign", "identity", "extend", "refuse", "close", "workspace", "disclose"):
        response = client.get(reverse(f"sar:{name}", kwargs={"request_id": sar.pk}))
        assert response.status_code == 200, name
    assert client.get(reverse("sar:list")).status_code == 200
    assert client.get(reverse("sar:receive")).status_code == 200
    redact = client.get(
        reverse("sar:redact", kwargs={"request_id": sar.pk}), {"item": item_key(people.alices_child.person)}
    )
    assert redact.status_code == 200 and "Withhold" in redact.content.decode()
    missing = client.get(
        reverse("sar:redact", kwargs={"request_id": sar.pk}), {"item": "people.person:999999"}
    )
    assert missing.status_code == 404


def test_the_steps_move_the_request_and_a_wrong_step_says_why(people, gina, sar, client_for):
    client = client_for(gina)
    move = reverse("sar:move", kwargs={"request_id": sar.pk})
    assert client.post(move, {"to": "in_progress"}).status_code == 302
    assert client.post(move, {"to": "ready_for_review"}).status_code == 302
    sar.refresh_from_db()
    assert sar.status == SarStatus.READY_FOR_REVIEW
    wrong = client.post(move, {"to": "ready_for_review"})
    assert wrong.status_code == 400 and "cannot be moved to that step" in wrong.content.decode()


def test_an_extension_form_with_bad_input_keeps_what_was_typed(people, gina, sar, client_for):
    response = client_for(gina).post(
        reverse("sar:extend", kwargs={"request_id": sar.pk}),
        {"reason": "Many records", "told_on_day": "40", "told_on_month": "3", "told_on_year": "2026"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Many records" in page
    sar.refresh_from_db()
    assert sar.extended_due_on is None


def test_an_officers_home_panel_counts_open_overdue_and_assigned_requests(people, gina, otto):
    """The panel's figures and words (the home page itself has no entry for the role yet: ui/views.py)."""
    import datetime

    from django.template.loader import render_to_string

    from safeguard.sar.tests.conftest import TODAY, receive
    from safeguard.sar.views import home_panel

    receive(people, gina, received_on=datetime.date(2026, 1, 5))  # overdue, Gina's
    receive(people, gina, child=people.carls_child, assigned=False)
    assert home_panel(otto.user, TODAY) == {"open": 2, "overdue": 1, "mine": 0}
    assert home_panel(gina.user, TODAY) == {"open": 2, "overdue": 1, "mine": 1}
    assert home_panel(people.social_worker.user, TODAY) is None
    html = render_to_string("sar/_home_panel.html", {"panel": home_panel(gina.user, TODAY)})
    assert "2 open subject access requests, 1 overdue; 1 assigned to you" in html


def test_matching_a_new_request_to_a_record_is_logged(people, gina, client_for):
    from safeguard.audit.models import AccessAction, AccessEvent

    form = {
        "la_child_id": people.alices_child.la_child_id,
        "date_of_birth_day": "1",
        "date_of_birth_month": "1",
        "date_of_birth_year": "1990",
        "requester_kind": "subject",
        "received_on_day": "2",
        "received_on_month": "3",
        "received_on_year": "2026",
    }
    client_for(gina).post(reverse("sar:receive"), form)
    event = AccessEvent.objects.get(action=AccessAction.SEARCH, user=gina.user)
    assert event.result_count == 0 and event.child is None  # the date of birth does not match: nothing found


def test_the_assigned_officers_steps_are_refused_to_another_officer_and_logged(
    people, gina, otto, sar, client_for
):
    from safeguard.audit.models import AccessEvent, AccessOutcome

    client = client_for(otto)
    for name in ("extend", "refuse", "disclose"):
        response = client.get(reverse(f"sar:{name}", kwargs={"request_id": sar.pk}))
        assert response.status_code == 403, name
        assert "Only the information governance officer assigned" in response.content.decode()
    assert (
        client.post(reverse("sar:move", kwargs={"request_id": sar.pk}), {"to": "in_progress"}).status_code
        == 403
    )
    refusals = AccessEvent.objects.filter(
        user=otto.user, outcome=AccessOutcome.REFUSED, child=people.alices_child
    )
    assert refusals.count() == 4
    sar.refresh_from_db()
    assert sar.status == SarStatus.RECEIVED
