"""The access-log pages: who may read them (and that a refusal is logged), what they show, newest first, a page
at a time, filtered; the file for a subject access request; and that reading a log is itself logged."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.log_views import CHILD_LOG_PAGE, EVENTS_PER_PAGE, GOVERNANCE_BASIS
from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome
from safeguard.audit.views import refuse
from safeguard.organisation.models import Role
from tests.factories import UserFactory, WorkerFactory
from tests.signing_in import identity_confirmed

LONDON = timezone.get_default_timezone()


@pytest.fixture
def infogov(people):
    return WorkerFactory(
        user=UserFactory(username="iggy", first_name="Iggy", last_name="Governance"),
        role=Role.INFORMATION_GOVERNANCE,
        team=None,
    )


def looked(worker, child=None, *, at=None, action=AccessAction.VIEW, outcome=AccessOutcome.ALLOWED, **fields):
    """An access event as if ``worker`` had looked at ``child`` at ``at``."""
    at = at or timezone.now()
    with time_machine.travel(at, tick=False):
        return AccessEvent.objects.create(
            user=worker.user,
            child=child,
            action=action,
            outcome=outcome,
            basis=fields.pop("basis", "allocated worker"),
            subject=fields.pop("subject", "record"),
            **fields,
        )


def on(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def rows(response, table="access-events") -> list[str]:
    html = response.content.decode()
    match = re.search(rf'<table class="govuk-table" id="{table}">(.*?)</table>', html, re.S)
    if match is None:
        return []
    return re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', match.group(1).split("<tbody", 1)[1], re.S)


def last_event(worker) -> AccessEvent:
    return AccessEvent.objects.filter(user=worker.user).latest("pk")


# ----------------------------------------------------------------------------------------------------------
# Who has looked at this record


def test_a_team_manager_sees_who_looked_at_a_child_in_their_team_and_the_read_is_logged(people, client_for):
    child = people.alices_child
    looked(people.social_worker, child, subject="case notes")
    looked(people.other_worker, child, outcome=AccessOutcome.REFUSED, basis="no working relationship")
    response = client_for(people.team_manager).get(reverse("audit:child", args=[child.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    found = rows(response)
    # Bob's refusal is newest, then Alice's view; the manager's own read is logged before the page is built.
    assert "Tess" in found[0] and CHILD_LOG_PAGE in found[0]
    assert "Bob" in found[1] and "Refused" in found[1] and "Child in Need South" in found[1]
    assert "Alice" in found[2] and "Social worker" in found[2] and "Child in Need North" in found[2]
    assert "case notes" in found[2] and "allocated worker" in found[2] and "Allowed" in found[2]
    assert child.person.full_name in html
    event = last_event(people.team_manager)
    assert (event.child, event.action, event.outcome, event.subject) == (
        child,
        AccessAction.VIEW,
        AccessOutcome.ALLOWED,
        CHILD_LOG_PAGE,
    )


@pytest.mark.parametrize("persona", ["hos", "director"])
def test_a_head_of_service_and_the_director_see_it_too(people, client_for, persona):
    response = client_for(getattr(people, persona)).get(reverse("audit:child", args=[people.alices_child.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["social_worker", "colleague", "iro", "inspector"])
def test_workers_who_may_open_the_record_but_do_not_manage_it_are_refused_and_it_is_logged(
    people, client_for, persona
):
    worker = getattr(people, persona)
    child = people.bobs_child if persona == "iro" else people.alices_child
    looked(people.other_worker, child)
    response = client_for(worker).get(reverse("audit:child", args=[child.pk]))
    assert response.status_code == 403
    assert "Bob" not in response.content.decode()
    event = last_event(worker)
    assert (event.child, event.outcome, event.subject) == (child, AccessOutcome.REFUSED, CHILD_LOG_PAGE)


def test_a_manager_with_no_relationship_to_the_child_is_refused_by_the_policy(people, client_for):
    response = client_for(people.team_manager).get(reverse("audit:child", args=[people.bobs_child.pk]))
    assert response.status_code == 403
    event = last_event(people.team_manager)
    assert event.outcome == AccessOutcome.REFUSED and event.child == people.bobs_child


@pytest.mark.parametrize("persona", ["administrator", "analyst"])
def test_people_with_no_case_access_are_refused(people, client_for, persona):
    worker = getattr(people, persona)
    response = client_for(worker).get(reverse("audit:child", args=[people.alices_child.pk]))
    assert response.status_code == 403
    assert last_event(worker).outcome == AccessOutcome.REFUSED


def test_the_information_governance_officer_cannot_open_the_page_that_is_part_of_the_record(
    people, infogov, client_for
):
    response = client_for(infogov).get(reverse("audit:child", args=[people.alices_child.pk]))
    assert response.status_code == 403
    assert last_event(infogov).outcome == AccessOutcome.REFUSED


def test_the_child_log_is_paginated_newest_first(people, client_for):
    child = people.alices_child
    start = on(timezone.localdate() - datetime.timedelta(days=2))
    for minute in range(EVENTS_PER_PAGE + 5):
        looked(
            people.social_worker,
            child,
            at=start + datetime.timedelta(minutes=minute),
            subject=f"page {minute}",
        )
    client = client_for(people.team_manager)
    first = client.get(reverse("audit:child", args=[child.pk]))
    # The manager's own read of page one is the newest entry; then Alice's, from the last she made.
    first_rows = rows(first)
    assert len(first_rows) == EVENTS_PER_PAGE
    assert "Tess" in first_rows[0]
    assert f"page {EVENTS_PER_PAGE + 4}" in first_rows[1]
    assert "page=2" in first.content.decode()
    second = client.get(reverse("audit:child", args=[child.pk]), {"page": 2})
    second_rows = rows(second)
    # 55 of Alice's and now two of Tess's: 57, of which 50 were on page one.
    assert len(second_rows) == 7
    assert "page 0<" in second_rows[-1].replace("</span>", "<")


def test_the_child_log_is_filtered_by_dates(people, client_for):
    child = people.alices_child
    today = timezone.localdate()
    looked(people.social_worker, child, at=on(today - datetime.timedelta(days=10)), subject="ten days ago")
    looked(people.social_worker, child, at=on(today - datetime.timedelta(days=5)), subject="five days ago")
    looked(people.social_worker, child, at=on(today - datetime.timedelta(days=1)), subject="yesterday")
    since, until = today - datetime.timedelta(days=6), today - datetime.timedelta(days=2)
    query = {
        "since_day": since.day,
        "since_month": since.month,
        "since_year": since.year,
        "until_day": until.day,
        "until_month": until.month,
        "until_year": until.year,
    }
    response = client_for(people.team_manager).get(reverse("audit:child", args=[child.pk]), query)
    assert response.status_code == 200
    found = rows(response)
    assert len(found) == 1 and "five days ago" in found[0]


def test_the_last_day_of_the_range_counts_whole(people, client_for):
    child = people.alices_child
    day = timezone.localdate() - datetime.timedelta(days=3)
    looked(people.social_worker, child, at=on(day, hour=23), subject="late in the evening")
    query = {"since_day": day.day, "since_month": day.month, "since_year": day.year}
    query |= {"until_day": day.day, "until_month": day.month, "until_year": day.year}
    response = client_for(people.team_manager).get(reverse("audit:child", args=[child.pk]), query)
    assert [row for row in rows(response) if "late in the evening" in row]


def test_a_wrong_date_range_says_why_and_lists_nothing(people, client_for):
    child = people.alices_child
    looked(people.social_worker, child)
    today = timezone.localdate()
    query = {"since_day": today.day, "since_month": today.month, "since_year": today.year}
    query |= {"until_day": 1, "until_month": 1, "until_year": 2020}
    response = client_for(people.team_manager).get(reverse("audit:child", args=[child.pk]), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "To must be the same as or after From" in html
    assert rows(response) == []


def test_an_impossible_date_says_why(people, client_for):
    response = client_for(people.team_manager).get(
        reverse("audit:child", args=[people.alices_child.pk]),
        {"since_day": 31, "since_month": 2, "since_year": 2026},
    )
    assert response.status_code == 400
    assert "From must be a real date" in response.content.decode()


# ----------------------------------------------------------------------------------------------------------
# A user's activity


def test_the_information_governance_officer_sees_a_users_activity_by_local_child_id(
    people, infogov, client_for
):
    child = people.alices_child
    looked(people.social_worker, child, subject="record")
    looked(
        people.social_worker,
        people.bobs_child,
        outcome=AccessOutcome.REFUSED,
        basis="no working relationship",
    )
    looked(people.social_worker, action=AccessAction.SEARCH, subject="name Smith", result_count=3)
    response = client_for(infogov).get(reverse("audit:user", args=[people.social_worker.user.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    found = rows(response)
    assert len(found) == 3
    assert "Searched" in found[0] and "name Smith" in found[0] and "3 found" in found[0]
    assert people.bobs_child.la_child_id in found[1] and "Refused" in found[1]
    assert child.la_child_id in found[2]
    # The children are named by local child ID only: the officer has no access to their records.
    assert "Testchild" not in html
    assert "has been refused 1 time" in html
    event = last_event(infogov)
    assert event.action == AccessAction.VIEW and event.child is None
    assert f"access log of user alice ({people.social_worker.user.pk})" in event.subject
    assert event.basis == GOVERNANCE_BASIS and event.result_count == 3


def test_a_users_activity_is_filtered_to_refusals_and_by_action(people, infogov, client_for):
    looked(people.social_worker, people.alices_child, subject="allowed one")
    looked(people.social_worker, people.bobs_child, outcome=AccessOutcome.REFUSED, subject="refused one")
    looked(people.social_worker, action=AccessAction.EXPORT, subject="an export")
    client = client_for(infogov)
    url = reverse("audit:user", args=[people.social_worker.user.pk])
    refused = rows(client.get(url, {"outcome": "refused"}))
    assert len(refused) == 1 and "refused one" in refused[0]
    exports = rows(client.get(url, {"action": "export"}))
    assert len(exports) == 1 and "an export" in exports[0]
    assert client.get(url, {"action": "nonsense"}).status_code == 400


def test_the_director_sees_a_users_activity(people, client_for):
    looked(people.social_worker, people.alices_child)
    response = client_for(people.director).get(reverse("audit:user", args=[people.social_worker.user.pk]))
    assert response.status_code == 200
    assert last_event(people.director).basis == "director"


@pytest.mark.parametrize("persona", ["team_manager", "hos", "social_worker", "inspector", "administrator"])
def test_others_may_not_see_a_users_activity_and_the_refusal_is_logged(people, client_for, persona):
    worker = getattr(people, persona)
    looked(people.social_worker, people.alices_child, subject="something alice did")
    response = client_for(worker).get(reverse("audit:user", args=[people.social_worker.user.pk]))
    assert response.status_code == 403
    assert "something alice did" not in response.content.decode()
    event = last_event(worker)
    assert event.outcome == AccessOutcome.REFUSED and "access log of user alice" in event.subject


def test_a_users_activity_is_paginated(people, infogov, client_for):
    start = on(timezone.localdate() - datetime.timedelta(days=1))
    for minute in range(EVENTS_PER_PAGE + 1):
        looked(people.colleague, people.carls_child, at=start + datetime.timedelta(minutes=minute))
    client = client_for(infogov)
    url = reverse("audit:user", args=[people.colleague.user.pk])
    assert len(rows(client.get(url))) == EVENTS_PER_PAGE
    assert len(rows(client.get(url, {"page": 2}))) == 1


# ----------------------------------------------------------------------------------------------------------
# Finding a user or a child


def test_the_index_finds_users_by_name(people, infogov, client_for):
    response = client_for(infogov).get(reverse("audit:index"), {"q": "ali"})
    assert response.status_code == 200
    found = rows(response, "users")
    assert len(found) == 1 and reverse("audit:user", args=[people.social_worker.user.pk]) in found[0]


@pytest.mark.parametrize("persona", ["team_manager", "social_worker", "administrator"])
def test_the_index_is_refused_to_others(people, client_for, persona):
    worker = getattr(people, persona)
    assert client_for(worker).get(reverse("audit:index")).status_code == 403
    assert last_event(worker).outcome == AccessOutcome.REFUSED


def test_a_local_child_id_opens_the_childs_access_log_for_a_request_and_the_search_is_logged(
    people, infogov, client_for
):
    child = people.alices_child
    response = client_for(infogov).get(reverse("audit:find_child"), {"la_child_id": child.la_child_id})
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:child_for_request", args=[child.pk])
    event = last_event(infogov)
    assert (event.action, event.child, event.result_count) == (AccessAction.SEARCH, child, 1)


@pytest.mark.parametrize("persona", ["team_manager", "social_worker", "administrator"])
def test_finding_a_child_by_local_id_is_refused_to_others_and_logged_as_a_search(people, client_for, persona):
    worker = getattr(people, persona)
    response = client_for(worker).get(
        reverse("audit:find_child"), {"la_child_id": people.alices_child.la_child_id}
    )
    assert response.status_code == 403
    event = last_event(worker)
    assert (event.action, event.outcome) == (AccessAction.SEARCH, AccessOutcome.REFUSED)


def test_the_director_finding_a_child_goes_to_who_has_looked(people, client_for):
    child = people.alices_child
    response = client_for(people.director).get(
        reverse("audit:find_child"), {"la_child_id": child.la_child_id}
    )
    assert response["Location"] == reverse("audit:child", args=[child.pk])


def test_an_unknown_local_child_id_says_so(people, infogov, client_for):
    response = client_for(infogov).get(reverse("audit:find_child"), {"la_child_id": "NOSUCH1"})
    assert response.status_code == 400
    assert "No child has that local child ID" in response.content.decode()
    assert last_event(infogov).result_count == 0


def test_the_navigation_shows_access_logs_only_to_auditors(people, infogov, client_for):
    def navigation(worker) -> str:
        html = client_for(worker).get(reverse("children:search")).content.decode()
        return html.split('<nav aria-label="Menu"', 1)[1].split("</nav>", 1)[0]

    link = f'href="{reverse("audit:index")}"'
    assert link in navigation(infogov) and link in navigation(people.director)
    assert link not in navigation(people.team_manager)
    assert link not in navigation(people.administrator)


# ----------------------------------------------------------------------------------------------------------
# A child's access log for a subject access request


def test_the_officer_reads_a_childs_access_log_by_local_child_id_and_it_is_logged_against_the_child(
    people, infogov, client_for
):
    child = people.alices_child
    looked(people.social_worker, child, subject="case notes")
    response = client_for(infogov).get(reverse("audit:child_for_request", args=[child.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Access log for local child ID {child.la_child_id}" in html
    assert "Testchild" not in html and child.person.first_name not in html
    assert reverse("audit:child_csv", args=[child.pk]) in html
    assert any("case notes" in row for row in rows(response))
    event = last_event(infogov)
    assert (event.child, event.action, event.basis) == (child, AccessAction.VIEW, GOVERNANCE_BASIS)


@pytest.mark.parametrize("persona", ["director", "team_manager", "social_worker", "administrator"])
def test_only_the_officer_reads_the_log_for_a_request(people, client_for, persona):
    worker = getattr(people, persona)
    response = client_for(worker).get(reverse("audit:child_for_request", args=[people.alices_child.pk]))
    assert response.status_code == 403
    event = last_event(worker)
    assert event.outcome == AccessOutcome.REFUSED and event.child == people.alices_child


def test_the_export_is_a_csv_attachment_logged_as_an_export_with_formulas_made_inert(
    people, infogov, client_for
):
    child = people.alices_child
    looked(people.social_worker, child, at=on(datetime.date(2026, 11, 2), 9), subject="record")
    looked(people.social_worker, child, at=on(datetime.date(2026, 11, 3), 9), subject="=HYPERLINK(1)")
    looked(people.other_worker, people.bobs_child, subject="not this child")
    with time_machine.travel(on(datetime.date(2026, 12, 4), 12), tick=False):
        exporter = identity_confirmed(client_for(infogov), infogov.user)  # exports ask them to confirm it
        response = exporter.get(reverse("audit:child_csv", args=[child.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = f"access-log-{child.la_child_id}-2026-12-04.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:3] == ["When", "Local child ID", "Who"]
    assert len(table) == 3
    newest, oldest = table[1], table[2]
    assert newest[6] == "'=HYPERLINK(1)"
    assert oldest == [
        "2026-11-02T09:00:00+00:00",
        child.la_child_id,
        "Alice Worker",
        "Social worker",
        "Child in Need North",
        "Viewed",
        "record",
        "allocated worker",
        "Allowed",
    ]
    event = last_event(infogov)
    assert (event.action, event.child, event.result_count) == (AccessAction.EXPORT, child, 2)
    assert event.subject.startswith(filename)


def test_the_export_keeps_to_the_dates_asked_for(people, infogov, client_for):
    child = people.alices_child
    looked(people.social_worker, child, at=on(datetime.date(2026, 10, 1)), subject="october")
    looked(people.social_worker, child, at=on(datetime.date(2026, 11, 1)), subject="november")
    with time_machine.travel(on(datetime.date(2026, 12, 4), 12), tick=False):
        response = identity_confirmed(client_for(infogov), infogov.user).get(
            reverse("audit:child_csv", args=[child.pk]),
            {"since_day": 15, "since_month": 10, "since_year": 2026},
        )
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[6] for row in table[1:]] == ["november"]


@pytest.mark.parametrize("persona", ["director", "team_manager", "administrator"])
def test_a_refused_export_is_logged_as_an_export(people, client_for, persona):
    worker = getattr(people, persona)
    response = client_for(worker).get(reverse("audit:child_csv", args=[people.alices_child.pk]))
    assert response.status_code == 403
    assert "attachment" not in response.get("Content-Disposition", "")
    event = last_event(worker)
    assert (event.action, event.outcome, event.child) == (
        AccessAction.EXPORT,
        AccessOutcome.REFUSED,
        people.alices_child,
    )


def test_refuse_logs_the_action_asked_for(people, rf):
    request = rf.get("/")
    request.user = people.social_worker.user
    response = refuse(request, "not for you", subject="a file", action=AccessAction.DOWNLOAD)
    assert response.status_code == 403
    event = last_event(people.social_worker)
    assert (event.action, event.outcome, event.basis) == (
        AccessAction.DOWNLOAD,
        AccessOutcome.REFUSED,
        "not for you",
    )
    refuse(request, "still not", subject="a page")
    assert last_event(people.social_worker).action == AccessAction.VIEW


# ----------------------------------------------------------------------------------------------------------
# Cost grows with the page, not with the log


@pytest.mark.parametrize("url_name", ["audit:child", "audit:user", "audit:child_for_request"])
def test_a_log_page_makes_the_same_queries_for_few_rows_as_for_many(people, infogov, client_for, url_name):
    reader = people.team_manager if url_name == "audit:child" else infogov
    target = people.social_worker.user.pk if url_name == "audit:user" else people.alices_child.pk
    client = client_for(reader)
    url = reverse(url_name, args=[target])
    looked(people.social_worker, people.alices_child)
    client.get(url)  # the first request loads the session and the user: not what is measured
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for worker in (people.colleague, people.other_worker, people.hos, people.director):
        for _ in range(5):
            looked(worker, people.alices_child)
            looked(people.social_worker, people.bobs_child)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
