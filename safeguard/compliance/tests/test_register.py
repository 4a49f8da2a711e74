"""The legal exposure register: what counts as a breach, how late, who sees which, and that its totals
reconcile with the deadlines behind them."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome
from safeguard.casework.tests.conftest import open_episode_for
from safeguard.compliance.exports import CSV_COLUMNS, XLSX_CONTENT_TYPE
from safeguard.compliance.models import Deadline
from safeguard.compliance.register import breaches, exposure_by_area, summary
from safeguard.compliance.services import compliance_event, deadline_explain_delay
from tests.factories import ChildFactory
from tests.signing_in import identity_confirmed

D = datetime.date
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)
TODAY = D(2026, 6, 15)
REFERRAL = D(2026, 2, 16)  # the assessment's 45 working days end on 22 April 2026 (Easter skipped)
DUE = D(2026, 4, 22)
REGISTER = reverse("compliance:register")
EXPORT = reverse("compliance:register_csv")


def exporter(client_for, worker):
    """The client signed in as ``worker``, who has just confirmed who they are (exports ask for it)."""
    return identity_confirmed(client_for(worker), worker.user)


XLSX = reverse("compliance:register_xlsx")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def assessment_clock(episode) -> Deadline:
    return Deadline.objects.get(scope_id=episode.pk, duty_id="assessment_from_referral")


def meet(child, episode, on):
    compliance_event(event="assessment.authorised", child=child, on=on, scope=episode)


@pytest.fixture
def register(people):
    """North: Alice's child's assessment still open (late), one met 10 days late, one met on time.
    South: Bob's child's assessment still open (late)."""
    r = type("Register", (), {})()
    r.open_episode = open_episode_for(people.alices_child, people.social_worker)
    r.late_child = ChildFactory()
    r.late_episode = open_episode_for(r.late_child, people.colleague)
    meet(r.late_child, r.late_episode, DUE + datetime.timedelta(days=10))
    r.on_time_child = ChildFactory()
    r.on_time_episode = open_episode_for(r.on_time_child, people.colleague)
    meet(r.on_time_child, r.on_time_episode, DUE - datetime.timedelta(days=3))
    r.south_episode = open_episode_for(people.bobs_child, people.other_worker)
    open_clock = assessment_clock(r.open_episode)
    deadline_explain_delay(
        deadline=open_clock,
        reason="Waiting for the school's report",
        recorded_by=people.team_manager.user,
        version=open_clock.version,
    )
    return r


def test_the_clock_falls_due_when_the_tests_say(register):
    assert assessment_clock(register.open_episode).due_on == DUE


def test_a_breach_appears_with_its_days_late_and_one_met_on_time_does_not(people, register):
    rows = {row.child_id: row for row in breaches(people.director.user, today=TODAY)}
    assert set(rows) == {people.alices_child.pk, register.late_child.pk, people.bobs_child.pk}
    assert rows[people.alices_child.pk].days_overdue(TODAY) == (TODAY - DUE).days == 54
    assert rows[register.late_child.pk].days_overdue(TODAY) == 10
    assert rows[register.late_child.pk].status == "met"


def test_the_area_figures_count_the_open_breaches_and_those_due_lately(people, register):
    """North: Alice's child's breach still open and one met 10 days late, both due on 22 April; South: Bob's
    child's, still open. Those that fell due lately are those due from ``lately`` to ``today``."""
    figures = exposure_by_area(people.director.user, today=TODAY, lately=DUE)
    north, south = figures[people.north.pk], figures[people.south.pk]
    assert (north.still_open, north.children_still_open, north.fell_due_lately) == (1, 1, 2)
    assert (south.still_open, south.children_still_open, south.fell_due_lately) == (1, 1, 1)
    after_they_fell_due = exposure_by_area(
        people.director.user, today=TODAY, lately=DUE + datetime.timedelta(1)
    )
    assert after_they_fell_due[people.north.pk].fell_due_lately == 0
    # On the day before they fell due, no breach had: not even the one met late, recorded since.
    assert exposure_by_area(people.director.user, today=DUE - datetime.timedelta(1), lately=REFERRAL) == {}


def test_the_page_shows_the_breaches_in_the_managers_team_only(people, register, client_for):
    response = client_for(people.team_manager).get(REGISTER)
    assert response.status_code == 200
    page = response.content.decode()
    assert people.alices_child.person.full_name in page
    assert register.late_child.person.full_name in page
    assert register.on_time_child.person.full_name not in page
    assert people.bobs_child.person.full_name not in page  # South's
    assert "Waiting for the school&#39;s report" in page
    assert '<span class="govuk-heading-xl govuk-!-margin-bottom-1" id="total-breaches">2</span>' in page
    event = AccessEvent.objects.filter(user=people.team_manager.user).latest("pk")
    assert (event.action, event.outcome, event.result_count) == (AccessAction.VIEW, AccessOutcome.ALLOWED, 2)


def test_the_director_sees_every_area_and_a_head_of_service_their_own(people, register):
    assert breaches(people.director.user, today=TODAY).count() == 3
    assert breaches(people.inspector.user, today=TODAY).count() == 3
    assert breaches(people.hos.user, today=TODAY).count() == 2  # North's


@pytest.mark.parametrize("who", ["social_worker", "front_door", "iro", "administrator"])
def test_anyone_else_is_refused_and_the_refusal_logged(people, register, client_for, who):
    worker = getattr(people, who)
    for page in (REGISTER, EXPORT):
        response = client_for(worker).get(page)
        assert response.status_code == 403
        event = AccessEvent.objects.filter(user=worker.user).latest("pk")
        assert event.outcome == AccessOutcome.REFUSED
    assert breaches(worker.user, today=TODAY).count() == 0


def test_the_filters_narrow_the_page(people, register, client_for):
    client = client_for(people.director)
    page = client.get(REGISTER, {"area": people.south.pk}).content.decode()
    assert people.bobs_child.person.full_name in page
    assert people.alices_child.person.full_name not in page
    page = client.get(REGISTER, {"month": "2026-03"}).content.decode()
    assert "No breaches match these filters" in page
    page = client.get(REGISTER, {"duty": "assessment_from_referral", "month": "2026-04"}).content.decode()
    assert 'id="total-breaches">3</span>' in page


def make_history(people):
    """Assessments referred every ten days over a year in North and South, met early, late or never, or
    ended (cancelled) after their day."""
    workers = [people.social_worker, people.other_worker, people.colleague]
    for number in range(36):
        referred = D(2025, 5, 1) + datetime.timedelta(days=10 * number)
        child = ChildFactory()
        episode = open_episode_for(child, workers[number % 3], referral_date=referred)
        due = assessment_clock(episode).due_on
        outcome = number % 4
        if outcome == 0:
            meet(child, episode, due - datetime.timedelta(days=1))
        elif outcome == 1:
            meet(child, episode, min(due + datetime.timedelta(days=number), TODAY))
        elif outcome == 2 and due < TODAY:
            compliance_event(event="cin_episode.closed", child=child, on=TODAY, scope=episode)


@pytest.mark.parametrize("since, until", [(D(2025, 9, 1), D(2025, 12, 31)), (D(2026, 1, 1), D(2026, 6, 30))])
def test_the_totals_for_a_period_reconcile_with_the_deadlines_behind_them(people, since, until):
    make_history(people)
    # Directly from the rows, one by one, as the model defines a breach.
    expected = [
        deadline
        for deadline in Deadline.objects.all()
        if deadline.was_breached(TODAY) and since <= deadline.due_on <= until
    ]
    assert expected, "the history should have breaches in the period"
    figures = summary(breaches(people.director.user, today=TODAY, since=since, until=until), today=TODAY)
    assert figures.total == len(expected)
    assert figures.children == len({deadline.child_id for deadline in expected})
    assert figures.still_open == sum(1 for deadline in expected if deadline.is_open)
    for grouping in (figures.by_duty, figures.by_area, figures.by_team, figures.by_month):
        assert sum(group["count"] for group in grouping) == figures.total
    by_area = {group["name"]: group["count"] for group in figures.by_area}
    assert by_area == {
        name: count
        for name in ("North", "South")
        if (count := sum(1 for deadline in expected if deadline.area.name == name))
    }
    longest = [days for _, days in figures.longest]
    assert longest == sorted((d.days_overdue(TODAY) for d in expected), reverse=True)[:10]


def test_the_page_costs_the_same_number_of_queries_however_many_breaches(people, client_for):
    client = client_for(people.director)
    open_episode_for(ChildFactory(), people.social_worker)
    client.get(REGISTER)
    with CaptureQueriesContext(connection) as few:
        client.get(REGISTER)
    make_history(people)
    with CaptureQueriesContext(connection) as many:
        client.get(REGISTER)
    assert len(many) == len(few)


def test_the_csv_has_one_row_per_breach_and_is_logged_as_an_export(people, register, client_for):
    response = exporter(client_for, people.director).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == CSV_COLUMNS
    assert len(rows) == 3
    by_child = {row[3]: dict(zip(header, row, strict=True)) for row in rows}
    alice = by_child[people.alices_child.la_child_id]
    assert (alice["Duty code"], alice["Due on"], alice["Breached on"], alice["Days late"]) == (
        "assessment_from_referral",
        "2026-04-22",
        "2026-04-23",
        "54",
    )
    assert (alice["Status"], alice["Met later"], alice["Delay reason"]) == (
        "Open",
        "no",
        "Waiting for the school's report",
    )
    late = by_child[register.late_child.la_child_id]
    assert (late["Days late"], late["Met later"], late["Closed on"]) == ("10", "yes", "2026-05-02")
    event = AccessEvent.objects.filter(user=people.director.user).latest("pk")
    assert (event.action, event.outcome, event.result_count) == (
        AccessAction.EXPORT,
        AccessOutcome.ALLOWED,
        3,
    )


def test_the_csv_keeps_the_filters_and_the_scope(people, register, client_for):
    response = exporter(client_for, people.team_manager).get(EXPORT, {"month": "2026-04"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))[1:]
    assert {row[3] for row in rows} == {people.alices_child.la_child_id, register.late_child.la_child_id}


def test_a_formula_in_a_reason_is_made_inert_in_the_csv(people, register, client_for):
    Deadline.objects.filter(child=people.bobs_child).update(delay_reason='=HYPERLINK("http://x")')
    response = exporter(client_for, people.director).get(EXPORT)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    (bob,) = [row for row in rows if row[3] == people.bobs_child.la_child_id]
    assert bob[-1].startswith("'=")


def test_the_navigation_offers_the_register_to_managers_only(people, client_for):
    assert REGISTER in client_for(people.team_manager).get("/").content.decode()
    assert REGISTER not in client_for(people.social_worker).get("/").content.decode()


def _workbook(response):
    from openpyxl import load_workbook

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="legal-exposure-2026-06-15.xlsx"'
    return load_workbook(io.BytesIO(response.content))


def test_the_workbook_holds_every_breach_typed_and_the_summaries_and_is_logged(people, register, client_for):
    book = _workbook(exporter(client_for, people.director).get(XLSX))
    assert book.sheetnames == ["About", "Breaches", "Summary"]
    header, *rows = list(book["Breaches"].iter_rows(values_only=True))
    assert list(header) == CSV_COLUMNS
    by_child = {row[3]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_child) == {
        people.alices_child.la_child_id,
        register.late_child.la_child_id,
        people.bobs_child.la_child_id,
    }
    alice = by_child[people.alices_child.la_child_id]
    # Dates are dates and days are numbers, so the legal team can sort and sum them.
    assert (alice["Due on"].date(), alice["Breached on"].date(), alice["Days late"]) == (
        DUE,
        D(2026, 4, 23),
        54,
    )
    assert alice["Delay reason"] == "Waiting for the school's report"
    summary_rows = list(book["Summary"].iter_rows(values_only=True))[1:]
    by_area = {name: count for grouping, name, _, count in summary_rows if grouping == "Area"}
    assert by_area == {"North": 2, "South": 1}
    about = dict(book["About"].iter_rows(values_only=True))
    assert (about["Breaches"], about["Children affected"], about["Still open"]) == (3, 3, 2)
    event = AccessEvent.objects.filter(user=people.director.user).latest("pk")
    assert (event.action, event.result_count) == (AccessAction.EXPORT, 3)
    assert "xlsx" in event.subject


def test_the_workbook_keeps_the_scope_and_a_formula_stays_text(people, register, client_for):
    Deadline.objects.filter(child=people.alices_child).update(delay_reason='=HYPERLINK("http://x")\x07')
    book = _workbook(exporter(client_for, people.team_manager).get(XLSX))
    rows = list(book["Breaches"].iter_rows())[1:]
    assert {row[3].value for row in rows} == {
        people.alices_child.la_child_id,
        register.late_child.la_child_id,
    }
    (alice,) = [row for row in rows if row[3].value == people.alices_child.la_child_id]
    # Stored as a string cell, exactly as recorded (less the control character XML cannot hold).
    assert (alice[-1].data_type, alice[-1].value) == ("s", '=HYPERLINK("http://x")')


def test_the_workbook_is_refused_to_a_social_worker(people, register, client_for):
    assert exporter(client_for, people.social_worker).get(XLSX).status_code == 403


def test_the_trend_chart_draws_each_month_and_its_table_holds_the_figures(people, client_for):
    make_history(people)
    figures = summary(breaches(people.director.user, today=TODAY), today=TODAY)
    page = client_for(people.director).get(REGISTER).content.decode()
    assert 'id="trend-chart"' in page and 'role="img"' in page
    assert "The figures are in the table" in page
    for item in figures.by_month:
        assert item["count"] == item["closed"] + item["still_open"]
        # each month with breaches has a bar segment with its count, and a row in the table beside it
        if item["still_open"]:
            assert f"{item['month']:%b %Y}, still open: {item['still_open']:,}" in page
        assert f"{item['month']:%B %Y}</a>" in page


def test_the_register_reads_its_partial_index_not_every_deadline(people, register):
    """At a large city's scale the register is fast only because its counts read ``deadline_exposure_idx``
    (the breached and open deadlines) rather than every deadline ever opened; SQLite uses a partial index
    only when the query repeats its condition, which ``DeadlineQuerySet.breached`` does."""
    if connection.vendor != "sqlite":
        pytest.skip(
            "PostgreSQL proves the implication itself and plans by table size; this guards SQLite's rule"
        )
    rows = (
        breaches(people.team_manager.user, today=TODAY).order_by().values("duty_id").annotate(n=Count("pk"))
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(step) for step in cursor.fetchall())
    assert "deadline_exposure_idx" in plan
