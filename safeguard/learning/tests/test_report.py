"""The leadership report against a hand-built set, and who sees what of it.

On Saturday 5 December 2026, with the actions below (North unless said):

====  ================  ==============  ===========================  ==============
name  source            incident        due / what happened          counted as
====  ================  ==============  ===========================  ==============
a1    rapid review      SI-T-1          10 Dec, done 2 Dec           done on time
a2    practice review   SI-T-1          3 Dec, open                  overdue
a3    rapid review      SI-T-1          20 Dec, open                 open
b1    rapid review      SI-T-2          4 Dec, open                  overdue
c1    case audit        (Alice's child) 2 Dec, done 4 Dec            done late
s1    rapid review      SI-T-3 (South)  20 Dec, open                 open
====  ================  ==============  ===========================  ==============

Tess (team manager, North) counts the five North actions but may not see SI-T-2, so b1 is counted, not listed.
"""

import datetime

import pytest
from django.urls import reverse

from safeguard.learning import selectors, services
from safeguard.learning.models import Source
from safeguard.learning.tests.conftest import make_incident
from safeguard.oversight import services as oversight_services
from safeguard.oversight.models import CaseAudit

D = datetime.date
REPORT_DAY = D(2026, 12, 5)


def noon(day):
    return datetime.datetime(day.year, day.month, day.day, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def hand_built(people, incident, other_incident, frozen):
    def agree(inc, source, description, due, owner=people.social_worker, by=people.director):
        return services.learning_action_agree(
            incident=inc, agreed_by=by.user, source=source, description=description, owner=owner, due_on=due
        )

    south = make_incident(
        reference="SI-T-3",
        child=people.bobs_child,
        lead=people.other_worker,
        team=people.south_team,
        area=people.south,
    )
    a1 = agree(incident, Source.RAPID_REVIEW, "a1 training on neglect", D(2026, 12, 10))
    agree(incident, Source.PRACTICE_REVIEW, "a2 revise the procedure", D(2026, 12, 3))
    agree(incident, Source.RAPID_REVIEW, "a3 audit of fathers", D(2026, 12, 20))
    agree(other_incident, Source.RAPID_REVIEW, "b1 secret escalation protocol", D(2026, 12, 4))
    agree(
        south,
        Source.RAPID_REVIEW,
        "s1 school in strategy discussions",
        D(2026, 12, 20),
        owner=people.other_worker,
    )
    services.learning_action_complete(
        action=a1, completed_by=people.social_worker.user, evidence="Held", version=1
    )
    audit = CaseAudit.objects.create(
        child=people.alices_child, auditor=people.team_manager, started_on=D(2026, 12, 2)
    )
    c1 = oversight_services.case_audit_action_add(
        audit=audit,
        added_by=people.team_manager.user,
        description="c1 update the chronology",
        owner=people.social_worker,
        due_on=D(2026, 12, 2),
    )
    frozen.move_to(noon(D(2026, 12, 4)))
    oversight_services.case_audit_action_complete(
        action=c1, completed_by=people.social_worker.user, evidence="Done"
    )
    frozen.move_to(noon(REPORT_DAY))


def as_tuple(counts):
    return (counts.open, counts.overdue, counts.done_on_time, counts.done_late, counts.not_needed)


def test_the_director_counts_every_action_by_source_and_area_and_lists_them_all(people, hand_built):
    report = selectors.report(people.director.user, REPORT_DAY)
    assert as_tuple(report.total) == (2, 2, 1, 1, 0)
    assert as_tuple(report.by_source["rapid_review"]) == (2, 1, 1, 0, 0)
    assert as_tuple(report.by_source["practice_review"]) == (0, 1, 0, 0, 0)
    assert as_tuple(report.by_source["case_audit"]) == (0, 0, 0, 1, 0)
    assert [(name, as_tuple(c)) for name, c in report.by_area] == [
        ("North", (1, 2, 1, 1, 0)),
        ("South", (1, 0, 0, 0, 0)),
    ]
    assert len(report.rows) == 6 and report.hidden == 0
    first = report.rows[0]
    assert first.description.startswith("a2") and first.days_overdue == 2  # the longest overdue first


def test_a_head_of_service_counts_their_area_only(people, hand_built):
    report = selectors.report(people.hos.user, REPORT_DAY)
    assert as_tuple(report.total) == (1, 2, 1, 1, 0)
    assert [name for name, _ in report.by_area] == ["North"]


def test_a_team_manager_counts_an_incident_they_may_not_see_without_its_description(people, hand_built):
    report = selectors.report(people.team_manager.user, REPORT_DAY)
    assert as_tuple(report.total) == (1, 2, 1, 1, 0)
    listed = {row.description[:2] for row in report.rows}
    assert listed == {"a1", "a2", "a3", "c1"} and report.hidden == 1


def test_those_outside_the_report_roles_count_nothing(people, hand_built):
    for worker in (people.social_worker, people.other_worker, people.iro, people.administrator):
        assert selectors.report(worker.user, REPORT_DAY).total.total == 0


def test_the_report_page_shows_counts_and_hides_what_the_incident_policy_hides(
    people, hand_built, client_for
):
    page = client_for(people.team_manager).get(reverse("learning:report"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "a2 revise the procedure" in text and "b1 secret" not in text
    assert "1 action is counted above but not listed" in text
    assert (
        client_for(people.director).get(reverse("learning:report")).content.decode().count("b1 secret") == 1
    )


def test_the_report_is_refused_to_a_social_worker(people, client_for):
    assert client_for(people.social_worker).get(reverse("learning:report")).status_code == 403


def test_the_overdue_panel_counts_for_leaders_and_my_panel_lists_the_owners(people, hand_built):
    from safeguard.learning.views import my_actions_panel, overdue_panel

    assert overdue_panel(people.director.user, REPORT_DAY) == {"overdue": 2}
    assert overdue_panel(people.hos.user, REPORT_DAY) == {"overdue": 2}
    assert overdue_panel(people.team_manager.user, REPORT_DAY) is None
    mine = my_actions_panel(people.social_worker.user, REPORT_DAY)
    assert [row.description[:2] for row in mine["rows"]] == ["a2", "b1", "a3"]


def test_the_performance_page_says_how_many_learning_actions_are_open_and_overdue(
    people, hand_built, client_for
):
    # Open on 5 December: a2 and b1 (overdue), a3 and s1; the director's reach is the council.
    assert selectors.summary(people.director.user, REPORT_DAY) == (4, 2)
    # The head of service's area, North: a2, b1 and a3.
    assert selectors.summary(people.hos.user, REPORT_DAY) == (3, 2)
    page = client_for(people.director).get(reverse("leadership:measures")).content.decode()
    assert "4 learning actions from rapid reviews" in page
    assert "2 overdue" in page
