"""The front door's pages, as its workers and managers use them."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome, AuditEvent
from safeguard.core.models import CalendarOverride
from safeguard.frontdoor.models import (
    Contact,
    ContactStatus,
    MashCheck,
    Rag,
    Referral,
    decision_deadlines,
)
from safeguard.frontdoor.services import contact_record, mash_check_request
from safeguard.organisation.models import Role
from safeguard.people.models import Child
from tests.factories import ChildFactory, PersonFactory, TeamFactory, WorkerFactory


@pytest.fixture
def manager(people):
    """The front door's team manager, who makes threshold decisions."""
    return WorkerFactory(role=Role.TEAM_MANAGER, team=people.front_door_team, user__username="mo")


def record(people, child=None, *, worker=None, received_at=None, **overrides):
    worker = worker or people.front_door
    arguments = {
        "source": "6",
        "reported": "Police attended a domestic incident",
        "worry": "The child was present",
        "consent": "not_sought_risk",
        "received_at": received_at,
    }
    arguments.update(overrides)
    return contact_record(
        recorded_by=worker.user,
        child=child or people.unallocated_child,
        team=worker.team,
        area=people.north,
        **arguments,
    )


def contact_form(**overrides):
    now = timezone.localtime()
    data = {
        "received_on_day": str(now.day),
        "received_on_month": str(now.month),
        "received_on_year": str(now.year),
        "received_time": now.strftime("%H:%M"),
        "source": "3A",
        "referrer_name": "Dr Patel",
        "referrer_organisation": "Moss Lane Surgery",
        "referrer_contact_details": "0161 000 0000",
        "external_reference": "",
        "reported": "Bruising seen at an appointment",
        "worry": "Unexplained injuries to a baby",
        "immediate_risk": "no",
        "rag": "amber",
        "consent": "given",
        "area": "",
    }
    data.update(overrides)
    return data


def html_of(response) -> str:
    return response.content.decode()


# ----------------------------------------------------------------------------------------------------------
# The queue


def test_queue_orders_by_risk_then_age_and_tags_the_overdue(people, client_for):
    now = timezone.now()
    old = record(people, received_at=now - datetime.timedelta(days=10), rag=Rag.GREEN)
    red = record(
        people, child=people.alices_child, received_at=now - datetime.timedelta(hours=2), rag=Rag.RED
    )
    risk = record(
        people, child=people.bobs_child, received_at=now - datetime.timedelta(hours=1), immediate_risk=True
    )
    html = html_of(client_for(people.front_door).get(reverse("frontdoor:queue")))
    positions = [html.index(reverse("frontdoor:contact", args=[c.pk]) + '"') for c in (risk, red, old)]
    assert positions == sorted(positions)
    assert len(re.findall(r">\s*Overdue\s*</strong>", html)) == 1  # only the ten-day-old one
    assert '<dd class="govuk-heading-xl govuk-!-margin-left-0" id="awaiting-count">3</dd>' in html
    assert "Police" in html and "North" in html and "Immediate risk" in html
    assert "Record a contact" in html


def test_queue_is_one_count_and_one_page_query(people, client_for):
    for _ in range(30):
        record(people, child=ChildFactory())
    client = client_for(people.front_door)
    client.get(reverse("frontdoor:queue"))  # warm the session and user
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("frontdoor:queue"))
    assert response.status_code == 200
    contact_queries = [q["sql"] for q in queries if "frontdoor_contact" in q["sql"]]
    assert len(contact_queries) == 2, contact_queries
    # The due dates come with the page's rows, not a query per row.
    assert not [q for q in queries if "compliance_deadline" in q["sql"] and q["sql"] not in contact_queries]
    assert html_of(response).count("govuk-table__row") == 26  # 25 and the header
    assert "page 1 of 2" in html_of(response)


def test_queue_due_dates_and_overdue_come_from_the_deadlines(people, client_for):
    """A contact received on Monday 16 November 2026 is due by the end of Tuesday 17th. The council then
    closes on the 17th: the calendar now says Wednesday, but a clock already running does not move, so on
    Wednesday the queue shows it due on the 17th and overdue."""
    london = timezone.get_default_timezone()
    with time_machine.travel(datetime.datetime(2026, 11, 16, 10, 0, tzinfo=london), tick=False):
        contact = record(people)
    CalendarOverride.objects.create(date=datetime.date(2026, 11, 17), is_working_day=False, reason="Closure")
    assert Contact.decision_due_for(contact.received_at) == datetime.date(2026, 11, 18)
    client = client_for(people.front_door)
    with time_machine.travel(datetime.datetime(2026, 11, 18, 9, 0, tzinfo=london), tick=False):
        html = html_of(client.get(reverse("frontdoor:queue")))
        page = html_of(client.get(reverse("frontdoor:contact", args=[contact.pk])))
    assert 'id="overdue-count">1<' in html
    assert len(re.findall(r">\s*Overdue\s*</strong>", html)) == 1
    assert "17 Nov 2026" in html and "18 Nov 2026" not in html
    assert "By the end of 17 November 2026" in page

    # Met (as the decision meets it), the deadline no longer counts, whatever the contact row says.
    decision_deadlines().filter(scope_id=contact.pk).update(
        status="met", closed_on=datetime.date(2026, 11, 17), closed_by="contact.decided"
    )
    with time_machine.travel(datetime.datetime(2026, 11, 18, 9, 0, tzinfo=london), tick=False):
        html = html_of(client.get(reverse("frontdoor:queue")))
    assert 'id="overdue-count">0<' in html and 'id="awaiting-count">1<' in html


def test_queue_is_refused_to_a_social_worker_and_shown_to_leaders(people, client_for, manager):
    record(people)
    assert client_for(people.social_worker).get(reverse("frontdoor:queue")).status_code == 403
    for worker in (people.hos, people.director, manager):
        response = client_for(worker).get(reverse("frontdoor:queue"))
        assert response.status_code == 200
        assert people.unallocated_child.person.first_name in html_of(response)


def test_a_front_door_worker_of_another_team_sees_neither_queue_nor_contact(people, client_for):
    contact = record(people)
    other_team = TeamFactory(area=people.south, kind="front_door", name="Front Door South")
    other = WorkerFactory(role=Role.FRONT_DOOR_WORKER, team=other_team)
    client = client_for(other)
    assert people.unallocated_child.person.first_name not in html_of(client.get(reverse("frontdoor:queue")))
    response = client.get(reverse("frontdoor:contact", args=[contact.pk]))
    assert response.status_code == 403
    event = AccessEvent.objects.get(user=other.user, child=contact.child)
    assert event.outcome == AccessOutcome.REFUSED and event.subject == f"contact {contact.pk}"


def test_a_social_worker_cannot_open_or_change_a_contact(people, client_for):
    contact = record(people)
    client = client_for(people.social_worker)
    assert client.get(reverse("frontdoor:contact", args=[contact.pk])).status_code == 403
    assert client.post(reverse("frontdoor:acknowledge", args=[contact.pk])).status_code == 403
    assert (
        client.post(reverse("frontdoor:request_check", args=[contact.pk]), {"agency": "police"}).status_code
        == 403
    )
    assert client.get(reverse("frontdoor:start")).status_code == 403
    assert client.get(reverse("frontdoor:new_contact", args=[contact.child.pk])).status_code == 403
    contact.refresh_from_db()
    assert contact.acknowledged_at is None and not contact.checks.exists()
    assert (
        AccessEvent.objects.filter(user=people.social_worker.user, outcome=AccessOutcome.REFUSED).count() == 5
    )


def test_post_views_refuse_get(people, client_for, manager):
    contact = record(people)
    client = client_for(manager)
    for name in ("acknowledge", "request_check", "decide"):
        assert client.get(reverse(f"frontdoor:{name}", args=[contact.pk])).status_code == 405


# ----------------------------------------------------------------------------------------------------------
# Recording a contact


def test_search_first_keeps_terms_out_of_the_url_and_offers_a_contact(people, client_for):
    client = client_for(people.front_door)
    child = people.bobs_child
    response = client.post(
        reverse("frontdoor:start"),
        {
            "name": child.person.first_name,
            "nhs_number": "",
            "la_child_id": "",
            "date_of_birth_day": "",
            "date_of_birth_month": "",
            "date_of_birth_year": "",
        },
        follow=True,
    )
    url, _ = response.redirect_chain[-1]
    assert child.person.first_name.lower() not in url.lower()
    html = html_of(response)
    assert reverse("frontdoor:new_contact", args=[child.pk]) in html
    assert reverse("children:record", args=[child.pk]) not in html  # identity only
    assert "The child is not here: record a new child" in html
    assert AccessEvent.objects.filter(user=people.front_door.user, action=AccessAction.SEARCH).count() == 1


def test_new_contact_shows_flags_at_once_and_logs_the_view(people, client_for):
    child = people.alices_child  # allocated: an open case
    response = client_for(people.front_door).get(reverse("frontdoor:new_contact", args=[child.pk]))
    html = html_of(response)
    assert 'data-flag="open_case"' in html
    form_action = f'action="{reverse("frontdoor:new_contact", args=[child.pk])}"'
    assert html.index("Known to the service") < html.index(form_action)
    # the area defaults to the area of the child's allocated team
    assert f'<option value="{people.north.pk}" selected>' in html
    event = AccessEvent.objects.get(user=people.front_door.user, child=child)
    assert (event.action, event.subject, event.basis) == (
        AccessAction.VIEW,
        "new contact",
        "front door: recording a contact",
    )


def test_new_contact_errors_are_shown_and_what_was_typed_kept(people, client_for):
    child = people.unallocated_child
    response = client_for(people.front_door).post(
        reverse("frontdoor:new_contact", args=[child.pk]),
        contact_form(worry="", received_time="25:99", area=str(people.north.pk)),
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Enter the time received" in html
    assert "Bruising seen at an appointment" in html
    assert not Contact.objects.exists()


def test_a_future_contact_is_refused_by_the_service_and_shown_on_the_field(people, client_for):
    child = people.unallocated_child
    later = timezone.localtime() + datetime.timedelta(hours=2)
    if later.date() != timezone.localdate():
        pytest.skip("near midnight")
    response = client_for(people.front_door).post(
        reverse("frontdoor:new_contact", args=[child.pk]),
        contact_form(received_time=later.strftime("%H:%M"), area=str(people.north.pk)),
    )
    assert response.status_code == 400
    assert "cannot be in the future" in html_of(response)


def test_the_whole_flow_from_search_to_referral(people, client_for, manager):
    existing = ChildFactory(
        person=PersonFactory(
            first_name="Jayden", last_name="Brookes", date_of_birth=datetime.date(2019, 4, 3)
        )
    )
    client = client_for(people.front_door)

    # 1. A new child: the likely duplicate is shown first, and nothing is created
    data = {
        "first_name": "Jaden",
        "last_name": "Brooks",
        "date_of_birth_day": "3",
        "date_of_birth_month": "4",
        "date_of_birth_year": "2019",
        "expected_date_of_birth_day": "",
        "expected_date_of_birth_month": "",
        "expected_date_of_birth_year": "",
        "sex": "M",
        "nhs_number": "",
        "ethnicity": "",
    }
    response = client.post(reverse("frontdoor:new_child"), data)
    html = html_of(response)
    assert response.status_code == 200
    assert "This child may already be recorded" in html
    assert "Similar name and same date of birth" in html
    assert reverse("frontdoor:new_contact", args=[existing.pk]) in html
    assert Child.objects.count() == 5

    # 2. Not them: confirmed, the record is made and the contact page follows
    response = client.post(reverse("frontdoor:new_child"), data | {"confirm_new": "true"})
    child = Child.objects.get(person__first_name="Jaden")
    assert response.url == reverse("frontdoor:new_contact", args=[child.pk])
    assert AuditEvent.objects.filter(action="child.created", child=child).exists()

    # 3. The contact
    assert "Not known to the service" in html_of(client.get(response.url))
    response = client.post(
        reverse("frontdoor:new_contact", args=[child.pk]), contact_form(area=str(people.north.pk))
    )
    contact = Contact.objects.get(child=child)
    assert response.url == reverse("frontdoor:contact", args=[contact.pk])
    assert contact.team == people.front_door_team and contact.source == "3A" and contact.rag == "amber"
    page = client.get(response.url)
    html = html_of(page)
    due = decision_deadlines().get(scope_id=contact.pk).due_on
    assert f"Contact recorded. A decision is due by {due:%-d %B %Y}" in html and "Dr Patel" in html
    assert f"By the end of {due:%-d %B %Y}" in html
    assert reverse("frontdoor:decide", args=[contact.pk]) not in html  # a worker does not decide
    assert AccessEvent.objects.filter(
        child=child, subject=f"contact {contact.pk}", basis="front door", outcome=AccessOutcome.ALLOWED
    ).exists()

    # 4. Acknowledge, twice: the second is refused on the page
    client.post(reverse("frontdoor:acknowledge", args=[contact.pk]))
    response = client.post(reverse("frontdoor:acknowledge", args=[contact.pk]))
    assert response.status_code == 400 and "already recorded" in html_of(response)

    # 5. A check, its response
    response = client.post(reverse("frontdoor:request_check", args=[contact.pk]), {"agency": "health"})
    check = MashCheck.objects.get(contact=contact)
    assert "Outstanding" in html_of(client.get(reverse("frontdoor:contact", args=[contact.pk])))
    today = timezone.localdate()
    response = client.post(
        reverse("frontdoor:record_response", args=[check.pk]),
        {
            "responded_on_day": today.day,
            "responded_on_month": today.month,
            "responded_on_year": today.year,
            "response": "Known to the health visitor; missed appointments",
        },
    )
    assert response.url == reverse("frontdoor:contact", args=[contact.pk])
    check.refresh_from_db()
    assert check.response.startswith("Known to the health visitor")

    # 6. The manager decides: an error first (no rationale), kept input, then the decision
    manager_client = client_for(manager)
    decision = {"level_of_need": "child_in_need", "rag": "amber", "rationale": "", "outcome": "assessment"}
    response = manager_client.post(reverse("frontdoor:decide", args=[contact.pk]), decision)
    assert response.status_code == 400
    assert "There is a problem" in html_of(response)
    assert "primary need as it appears now" in html_of(response)
    response = manager_client.post(
        reverse("frontdoor:decide", args=[contact.pk]),
        decision | {"rationale": "Unexplained injuries need an assessment", "primary_need": "N1"},
    )
    assert response.url == reverse("frontdoor:contact", args=[contact.pk])
    html = html_of(manager_client.get(response.url))
    assert "Referral for assessment" in html and "Referral created:" in html and "On time" in html
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED
    assert Referral.objects.get(contact=contact).child == child

    # 7. A second decision is refused on the page, and the first stands
    response = manager_client.post(
        reverse("frontdoor:decide", args=[contact.pk]),
        decision | {"rationale": "Changed my mind", "outcome": "nfa", "level_of_need": "universal"},
    )
    assert response.status_code == 400 and "already been decided" in html_of(response)
    assert Referral.objects.filter(contact=contact).count() == 1

    views = AccessEvent.objects.filter(child=child, action=AccessAction.VIEW, outcome=AccessOutcome.ALLOWED)
    assert views.filter(subject="new contact").exists()
    assert views.filter(subject=f"contact {contact.pk}", user=manager.user).exists()
    assert set(AuditEvent.objects.filter(child=child).values_list("action", flat=True)) >= {
        "child.created",
        "contact.recorded",
        "contact.acknowledged",
        "mash_check.requested",
        "mash_check.responded",
        "contact.decided",
        "referral.created",
    }


def test_a_front_door_worker_cannot_decide(people, client_for):
    contact = record(people)
    response = client_for(people.front_door).post(
        reverse("frontdoor:decide", args=[contact.pk]),
        {"level_of_need": "child_in_need", "rag": "amber", "rationale": "x", "outcome": "assessment"},
    )
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.status == ContactStatus.AWAITING_DECISION


def test_asking_the_same_agency_twice_is_an_error_on_the_page(people, client_for):
    contact = record(people)
    mash_check_request(contact=contact, agency="police", requested_by=people.front_door.user)
    response = client_for(people.front_door).post(
        reverse("frontdoor:request_check", args=[contact.pk]), {"agency": "police"}
    )
    assert response.status_code == 400
    assert "There is a problem" in html_of(response)
    assert MashCheck.objects.filter(contact=contact).count() == 1


def test_front_door_home_page_links_to_queue_and_recording(people, client_for):
    html = html_of(client_for(people.front_door).get(reverse("home")))
    assert reverse("frontdoor:queue") in html and reverse("frontdoor:start") in html
    inspector_html = html_of(client_for(people.inspector).get(reverse("home")))
    assert "read-only access" in inspector_html
    assert reverse("frontdoor:start") not in inspector_html


def test_a_late_decision_says_so_on_the_contact_page(people, client_for, manager):
    contact = record(people, received_at=timezone.now() - datetime.timedelta(days=10))
    client = client_for(manager)
    client.post(
        reverse("frontdoor:decide", args=[contact.pk]),
        {"level_of_need": "universal", "rag": "green", "rationale": "Nothing to do", "outcome": "nfa"},
    )
    html = html_of(client.get(reverse("frontdoor:contact", args=[contact.pk])))
    assert re.search(r">\s*Late\s*</strong>", html)
    assert "&lt;br&gt;" not in html
    assert "Referral created" not in html


def test_a_new_child_starts_with_what_was_searched_for(people, client_for):
    client = client_for(people.front_door)
    response = client.post(
        reverse("frontdoor:start"),
        {
            "name": "nobody here",
            "nhs_number": "",
            "la_child_id": "",
            "date_of_birth_day": "2",
            "date_of_birth_month": "5",
            "date_of_birth_year": "2016",
        },
    )
    results = client.get(response.url)
    assert "0 children found" in html_of(results)
    key = response.url.split("results=")[1]
    html = html_of(client.get(reverse("frontdoor:new_child") + f"?results={key}"))
    assert 'value="Nobody"' in html and 'value="Here"' in html and 'value="2016"' in html


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", datetime.time(14, 30)),
        ("1430", datetime.time(14, 30)),
        ("2:30pm", datetime.time(14, 30)),
        ("9am", datetime.time(9, 0)),
        ("12am", datetime.time(0, 0)),
        ("9.15", datetime.time(9, 15)),
        ("midday", datetime.time(12, 0)),
        ("25:00", None),
        ("13pm", None),
        ("soon", None),
    ],
)
def test_times_are_read_as_people_type_them(typed, expected):
    from safeguard.frontdoor.forms import parse_time

    assert parse_time(typed) == expected
