"""The front door dashboard: figures on a small known data set, at a frozen moment."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from safeguard.compliance.services import compliance_event
from safeguard.core.models import CalendarOverride
from safeguard.frontdoor import benchmarks
from safeguard.frontdoor.dashboard import MonthsBefore, front_door_by_area, front_door_figures
from safeguard.frontdoor.models import (
    Consent,
    Contact,
    ContactStatus,
    LevelOfNeed,
    Outcome,
    Rag,
    Referral,
    ThresholdDecision,
    decision_deadlines,
)
from safeguard.organisation.models import Role, TeamKind
from tests.factories import ChildFactory, TeamFactory, UserFactory, WorkerFactory

LONDON = ZoneInfo("Europe/London")
# Wednesday 18 November 2026, 3pm. The week began on Monday 16th; the last 12 months from 19 November 2025.
NOW = datetime.datetime(2026, 11, 18, 15, 0, tzinfo=LONDON)


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


def contact(
    people, child, received, *, source="6", area=None, team=None, decided=None, outcome=None, status=None
):
    """A contact with its decision deadline, raised as the services raise it (without their other rules, so
    that history can be dated in the past)."""
    received_at = at(*received) if isinstance(received, tuple) else at(received)
    made = Contact.objects.create(
        child=child,
        team=team or people.front_door_team,
        area=area or people.north,
        received_at=received_at,
        source=source,
        reported="Reported",
        worry="Worry",
        consent=Consent.GIVEN,
        status=status or (ContactStatus.DECIDED if decided else ContactStatus.AWAITING_DECISION),
    )
    compliance_event(
        event="contact.received",
        child=child,
        on=received_at.date(),
        scope=made,
        team=made.team,
        area=made.area,
    )
    if status == ContactStatus.RECORDED_IN_ERROR:
        compliance_event(event="contact.recorded_in_error", child=child, on=received_at.date(), scope=made)
    if decided:
        decided_at = at(*decided) if isinstance(decided, tuple) else at(decided)
        compliance_event(event="contact.decided", child=child, on=decided_at.date(), scope=made)
        outcome = outcome or Outcome.NO_FURTHER_ACTION
        ThresholdDecision.objects.create(
            contact=made,
            decided_at=decided_at,
            decided_by=people.hos.user,
            level_of_need=LevelOfNeed.CHILD_IN_NEED,
            rag=Rag.AMBER,
            rationale="Because",
            outcome=outcome,
        )
        if outcome == Outcome.ASSESSMENT:
            Referral.objects.create(
                child=child, contact=made, referral_date=received_at.date(), source=made.source
            )
    return made


@pytest.fixture
def manager(people):
    """Faye, the front door's team manager."""
    user = UserFactory(username="faye")
    return WorkerFactory(user=user, role=Role.TEAM_MANAGER, team=people.front_door_team, manager=people.hos)


@pytest.fixture
def known(people):
    """Eight contacts in the last 12 months (five decided, three referred), and older history."""
    a, b, c = ChildFactory(), ChildFactory(), ChildFactory()
    south = people.south
    contact(people, ChildFactory(), ("2026-11-18", "09:00"))  # today, awaiting, due tomorrow
    contact(people, ChildFactory(), "2026-11-16", source="2A")  # Monday: due Tuesday, overdue
    contact(people, ChildFactory(), ("2026-11-13", "16:00"), area=south)  # Friday: due Monday, overdue
    # Decided this month: on time (and a re-referral of child a), late, and on time across a weekend.
    contact(people, a, "2026-11-02", decided=("2026-11-03", "17:30"), outcome=Outcome.ASSESSMENT)
    contact(people, ChildFactory(), "2026-11-03", source="3A", area=south, decided="2026-11-05")
    contact(
        people, ChildFactory(), "2026-10-30", source="2A", decided="2026-11-02", outcome=Outcome.EARLY_HELP
    )
    # Child a: referred in January (not a re-referral: the one before was 13 months earlier).
    contact(people, a, "2026-01-10", decided="2026-01-11", outcome=Outcome.ASSESSMENT)
    contact(people, a, "2024-12-01", decided="2024-12-02", outcome=Outcome.ASSESSMENT)
    # Child b: referred on 20 November 2025, exactly 12 months after a previous referral: a re-referral.
    contact(
        people, b, "2025-11-20", source="2A", area=south, decided="2025-11-20", outcome=Outcome.ASSESSMENT
    )
    contact(
        people, b, "2024-11-20", source="2A", area=south, decided="2024-11-21", outcome=Outcome.ASSESSMENT
    )
    # Child c: referred the day before the 12 months began: not counted.
    contact(people, c, "2025-11-18", decided="2025-11-19", outcome=Outcome.ASSESSMENT)
    # Recorded in error: never counted.
    contact(people, ChildFactory(), ("2026-11-18", "08:00"), status=ContactStatus.RECORDED_IN_ERROR)
    return {"a": a, "b": b, "c": c}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.usefixtures("known", "frozen")
def test_the_figures_on_a_known_data_set(people, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        figures = front_door_figures(user=people.director.user)

    assert figures.period_start == datetime.date(2025, 11, 19)
    assert figures.received_today == 1
    assert figures.received_this_week == 2
    assert figures.received_in_period == 8
    assert figures.awaiting == 3
    assert figures.overdue == 2
    assert (figures.decided_this_month.count, figures.decided_this_month.out_of) == (2, 3)
    assert (figures.conversion.count, figures.conversion.out_of) == (3, 5)
    assert figures.conversion.percent == 60
    assert (figures.re_referral.count, figures.re_referral.out_of) == (2, 3)
    assert figures.england_re_referral.value == 22.6

    sources = {source.code: source for source in figures.by_source}
    assert (sources["6"].contacts, sources["6"].referrals) == (4, 2)
    assert sources["6"].contacts_share.percent == 50
    assert (sources["2A"].contacts, sources["2A"].referrals) == (3, 1)
    assert sources["2A"].contacts_share.percent == 37.5
    assert round(sources["2A"].referrals_share.percent, 1) == 33.3
    assert (sources["3A"].contacts, sources["3A"].referrals) == (1, 0)
    assert sources["6"].england.value == 28 and sources["2A"].england.value == 21
    assert sources["3A"].england is None

    areas = {area.name: area for area in figures.by_area}
    assert (areas["North"].contacts, areas["North"].referrals, areas["North"].re_referrals) == (5, 2, 1)
    assert (areas["South"].contacts, areas["South"].referrals, areas["South"].re_referrals) == (3, 1, 1)
    assert areas["South"].re_referral_rate.percent == 100


@pytest.mark.usefixtures("known", "frozen")
def test_the_figures_by_area_alone_are_the_dashboards_in_fewer_queries(
    people, manager, django_assert_max_num_queries
):
    """The area dashboards read only the figures by area: the same as the dashboard's, for everyone who sees
    the front door (the director, its team manager) and no one else."""
    for user in (people.director.user, manager.user, people.social_worker.user):
        with django_assert_max_num_queries(4):
            by_area = front_door_by_area(user=user)
        assert by_area == front_door_figures(user=user).by_area
    areas = {area.name: area for area in front_door_by_area(user=people.director.user)}
    assert (areas["North"].contacts, areas["North"].referrals, areas["North"].re_referrals) == (5, 2, 1)
    assert (areas["North"].awaiting, areas["North"].overdue) == (2, 1)
    assert (areas["South"].awaiting, areas["South"].overdue) == (1, 1)


@pytest.mark.usefixtures("frozen")
def test_a_re_referral_is_within_12_months_of_the_one_before(people):
    child = ChildFactory()
    contact(people, child, "2025-12-01", decided="2025-12-01", outcome=Outcome.ASSESSMENT)
    contact(people, child, "2026-11-30", decided="2026-11-30", outcome=Outcome.ASSESSMENT)
    other = ChildFactory()
    contact(people, other, "2025-06-01", decided="2025-06-01", outcome=Outcome.ASSESSMENT)
    contact(people, other, "2026-06-02", decided="2026-06-02", outcome=Outcome.ASSESSMENT)
    figures = front_door_figures(user=people.director.user, today=datetime.date(2026, 11, 30))
    # 1 Dec 2025 has no earlier referral; 30 Nov 2026 follows it within 12 months; 2 Jun 2026 is 12 months
    # and a day after 1 Jun 2025: not a re-referral.
    assert (figures.re_referral.count, figures.re_referral.out_of) == (1, 3)
    north = front_door_by_area(user=people.director.user, today=datetime.date(2026, 11, 30))[0]
    assert (north.name, north.re_referrals, north.referrals) == ("North", 1, 3)


def test_months_before_clamps_to_the_end_of_a_short_month(people):
    from django.db.models import Value

    child = ChildFactory()
    made = contact(people, child, "2024-02-29", decided="2024-02-29", outcome=Outcome.ASSESSMENT)
    year_before = (
        Referral.objects.filter(contact=made)
        .annotate(
            back=MonthsBefore("referral_date", months=12),
            month=MonthsBefore(Value(datetime.date(2025, 3, 31)), months=1),
            quarter=MonthsBefore(Value(datetime.date(2025, 5, 31)), months=3),
            same_day=MonthsBefore(Value(datetime.date(2025, 3, 15)), months=1),
        )
        .values_list("back", "month", "quarter", "same_day")
        .get()
    )
    D = datetime.date
    assert year_before == (D(2023, 2, 28), D(2025, 2, 28), D(2025, 2, 28), D(2025, 2, 15))


def test_overdue_is_counted_in_working_days_across_a_weekend(people):
    """A contact received on Friday afternoon is due by the end of Monday: overdue only from Tuesday."""
    contact(people, ChildFactory(), ("2026-11-13", "16:00"))
    overdue = {
        day: front_door_figures(user=people.director.user, today=datetime.date(2026, 11, day)).overdue
        for day in (13, 14, 15, 16, 17)
    }
    assert overdue == {13: 0, 14: 0, 15: 0, 16: 0, 17: 1}


def test_overdue_waits_over_a_bank_holiday(people):
    """Christmas Eve 2026 is a Thursday: due by the end of Tuesday 29 December."""
    contact(people, ChildFactory(), ("2026-12-24", "11:00"))
    assert front_door_figures(user=people.director.user, today=datetime.date(2026, 12, 29)).overdue == 0
    assert front_door_figures(user=people.director.user, today=datetime.date(2026, 12, 30)).overdue == 1


@pytest.mark.usefixtures("frozen")
def test_overdue_and_on_time_are_the_deadlines_not_a_later_calendar(people):
    """Contacts received on Monday 16 November 2026 are due by the end of Tuesday 17th. The council then
    closes on the 17th: the calendar now gives Wednesday, but the clocks already running do not move. On
    Wednesday 18th the one still awaiting is overdue, and the one decided that day was late."""
    waiting = contact(people, ChildFactory(), "2026-11-16")
    contact(people, ChildFactory(), "2026-11-16", decided=("2026-11-18", "09:00"))
    CalendarOverride.objects.create(date=datetime.date(2026, 11, 17), is_working_day=False, reason="Closure")
    assert Contact.decision_due_for(waiting.received_at) == datetime.date(2026, 11, 18)
    figures = front_door_figures(user=people.director.user)
    assert (figures.awaiting, figures.overdue) == (1, 1)
    assert (figures.decided_this_month.count, figures.decided_this_month.out_of) == (0, 1)


@pytest.mark.usefixtures("frozen")
def test_the_figures_count_met_and_open_deadlines(people):
    """What the deadline says is what is counted: a contact whose deadline was met on time is on time, and
    one awaiting whose deadline is not yet past due is not overdue."""
    decided = contact(people, ChildFactory(), "2026-11-16", decided=("2026-11-17", "16:00"))
    waiting = contact(people, ChildFactory(), "2026-11-16")
    assert front_door_figures(user=people.director.user).overdue == 1
    decision_deadlines().filter(scope_id=waiting.pk).update(due_on=datetime.date(2026, 11, 18))
    assert front_door_figures(user=people.director.user).overdue == 0
    assert front_door_figures(user=people.director.user).decided_this_month.count == 1
    decision_deadlines().filter(scope_id=decided.pk).update(closed_on=datetime.date(2026, 11, 18))
    assert front_door_figures(user=people.director.user).decided_this_month.count == 0


@pytest.mark.usefixtures("known", "frozen")
def test_a_front_door_manager_sees_only_their_teams_contacts(people, manager):
    elsewhere = TeamFactory(area=people.south, name="Front Door South", kind=TeamKind.FRONT_DOOR)
    contact(people, ChildFactory(), ("2026-11-18", "11:00"), team=elsewhere)
    assert front_door_figures(user=manager.user).received_today == 1
    assert front_door_figures(user=people.director.user).received_today == 2


def test_the_england_figures_are_sourced():
    for figure in [*benchmarks.RE_REFERRAL_RATE, *benchmarks.REFERRAL_SOURCE_SHARE["6"]]:
        assert "DfE" in figure.source and "DOMAIN.md §5" in figure.source
    assert [figure.value for figure in benchmarks.RE_REFERRAL_RATE] == [22.4, 22.6]


# ----------------------------------------------------------------------------------------------------------
# The page


@pytest.mark.usefixtures("known", "frozen")
@pytest.mark.parametrize("persona", ["director", "hos", "manager"])
def test_the_page_shows_the_figures_with_englands(people, client_for, manager, persona):
    worker = manager if persona == "manager" else getattr(people, persona)
    response = client_for(worker).get(reverse("frontdoor:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd class="govuk-summary-list__value" id="overdue">' in html
    assert 'id="re-referral">66.7%<' in html
    assert "22.6%" in html and "28.0%" in html and "21.0%" in html
    assert "22.4% in the year to March 2024" in html
    assert 'id="conversion">60.0%<' in html


@pytest.mark.parametrize(
    "persona", ["social_worker", "front_door", "team_manager", "iro", "inspector", "administrator"]
)
def test_the_page_is_refused_to_everyone_else(people, client_for, persona):
    response = client_for(getattr(people, persona)).get(reverse("frontdoor:dashboard"))
    assert response.status_code == 403
    assert "22.6%" not in response.content.decode()
