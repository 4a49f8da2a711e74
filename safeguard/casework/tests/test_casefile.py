"""The case file, the chronology and "what is due": what a worker sees, scoped by the access policy."""

import datetime

import pytest
import time_machine

from safeguard.audit.models import AccessAction, AccessEvent
from safeguard.casework import services
from safeguard.casework.chronology import chronology_for
from safeguard.casework.models import CinEpisode, StrategyOutcome, VisitLocation
from safeguard.casework.sources import casework_flags
from safeguard.compliance.services import compliance_event
from safeguard.core import opaque
from safeguard.organisation.models import Allocation
from safeguard.people.models import Relationship, RelationshipType

D = datetime.date


@pytest.fixture
def case(people):
    """Alice's child: referred on 1 April 2026, a strategy discussion and enquiry on 14 April, a visit on 15."""
    Allocation.objects.update(start_date=D(2020, 1, 1))
    worker = people.social_worker.user
    with time_machine.travel(datetime.datetime(2026, 4, 15, 10), tick=False):
        episode = CinEpisode.objects.create(
            child=people.alices_child, referral_date=D(2026, 4, 1), referral_source="2A",
            team=people.north_team, area=people.north,
        )  # fmt: skip
        compliance_event(
            event="cin_episode.opened", child=episode.child, on=episode.referral_date, scope=episode
        )
        services.strategy_discussion_record(
            episode=episode, recorded_by=worker, held_on=D(2026, 4, 14), participants="Police, health",
            concerns="Bruising to the face", outcome=StrategyOutcome.SECTION_47,
        )  # fmt: skip
        services.visit_record(
            child=episode.child, recorded_by=worker, visited_on=D(2026, 4, 15), location=VisitLocation.HOME,
            child_seen=True, seen_alone=True, summary="Seen alone; said she felt safe",
        )  # fmt: skip
    return episode


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12), tick=False)


def test_the_case_file_shows_the_episode_what_is_due_and_recent_events(people, case, client_for):
    with at(D(2026, 5, 7)):
        response = client_for(people.social_worker).get(
            f"/children/{opaque.encode(case.child_id)}/case-file/"
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Section 47 enquiry" in page
    # The conference was due 15 working days after the strategy discussion: 6 May 2026.
    assert (
        'data-duty="initial_cp_conference"' in page
        and "6 May 2026" in page
        and "Overdue by 1 working day" in page
    )
    assert "Seen alone; said she felt safe" in page
    assert AccessEvent.objects.filter(child=case.child, subject="case file", outcome="allowed").exists()


def test_the_case_file_is_refused_without_a_working_relationship(people, case, client_for):
    response = client_for(people.other_worker).get(f"/children/{opaque.encode(case.child_id)}/case-file/")
    assert response.status_code == 403
    assert AccessEvent.objects.filter(child=case.child, subject="case file", outcome="refused").exists()


def test_the_chronology_assembles_itself_newest_first_and_filters(people, case, client_for):
    entries = chronology_for(case.child)
    assert [entry.kind for entry in entries] == ["visit", "child_protection", "closure"]
    assert [entry.on for entry in entries] == [D(2026, 4, 15), D(2026, 4, 14), D(2026, 4, 1)]
    client = client_for(people.social_worker)
    page = client.get(f"/children/{opaque.encode(case.child_id)}/chronology/?kind=visit").content.decode()
    assert "Seen alone; said she felt safe" in page and "Bruising to the face" not in page


def test_printing_the_chronology_is_logged_as_an_export(people, case, client_for):
    response = client_for(people.social_worker).get(
        f"/children/{opaque.encode(case.child_id)}/chronology/?print=1"
    )
    assert response.status_code == 200
    assert "OFFICIAL-SENSITIVE" in response.content.decode()
    assert AccessEvent.objects.filter(child=case.child, action=AccessAction.EXPORT, result_count=3).exists()


def test_what_is_due_lists_only_the_workers_own_children(people, case, client_for):
    with at(D(2026, 5, 7)):
        mine = client_for(people.social_worker).get("/casework/due/").content.decode()
        theirs = client_for(people.other_worker).get("/casework/due/").content.decode()
    assert 'data-duty="initial_cp_conference"' in mine and "1 overdue" in mine
    assert 'data-duty="initial_cp_conference"' not in theirs


def test_the_chronology_reads_a_fixed_number_of_queries(people, case):
    """Its cost grows with what it shows, not with a query per event: twenty more visits, no more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            chronology_for(case.child)
        return len(captured)

    before = queries()
    for day in range(1, 21):
        with at(D(2026, 5, day)):
            services.visit_record(
                child=case.child, recorded_by=people.social_worker.user, visited_on=D(2026, 5, day),
                location=VisitLocation.HOME, child_seen=True, seen_alone=False, summary="Visit",
            )  # fmt: skip
    assert queries() == before
    assert len(chronology_for(case.child)) == 23


def test_the_front_door_is_told_of_a_plan_in_the_household_and_earlier_enquiries(people, case):
    sibling = people.carls_child
    Relationship.objects.create(
        from_person=sibling.person, to_person=case.child.person, relationship_type=RelationshipType.SIBLING
    )
    flags = casework_flags(sibling, D(2026, 5, 1), {case.child_id})
    assert flags == []  # no plan yet; the enquiry is the other child's
    kinds = {flag.kind: flag.text for flag in casework_flags(case.child, D(2026, 5, 1), set())}
    assert "previous_s47" in kinds and "1 section 47 enquiry" in kinds["previous_s47"]


def test_the_case_file_offers_what_can_be_recorded_next(people, case, client_for):
    with at(D(2026, 4, 20)):
        worker_page = (
            client_for(people.social_worker)
            .get(f"/children/{opaque.encode(case.child_id)}/case-file/")
            .content.decode()
        )
        inspector_page = (
            client_for(people.inspector)
            .get(f"/children/{opaque.encode(case.child_id)}/case-file/")
            .content.decode()
        )
    for action in (
        "Record a visit",
        "Start an assessment",
        "Conclude the section 47 enquiry",
        "Request closure",
    ):
        assert action in worker_page
    assert "Record a strategy discussion" not in worker_page  # an enquiry is already open
    assert 'id="actions"' not in inspector_page and "Explain the delay" not in inspector_page


def test_the_childs_record_links_to_the_case_file(people, case, client_for):
    page = client_for(people.social_worker).get(f"/children/{opaque.encode(case.child_id)}/").content.decode()
    assert f'href="/children/{opaque.encode(case.child_id)}/case-file/"' in page
