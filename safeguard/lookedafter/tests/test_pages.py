"""The looked-after and leaving care pages as workers use them; the case file sections and chronology entries
this app contributes, and what they cost."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.casework.casefile import sections_for
from safeguard.casework.chronology import chronology_for
from safeguard.core import opaque
from safeguard.lookedafter.models import (
    CareLeaver,
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    HealthAssessment,
    LacEpisode,
    LacPlan,
    LacReview,
    MissingEpisode,
    NeedsAssessment,
    PathwayPlan,
    PathwayPlanReview,
    PeriodOfCare,
    PersonalEducationPlan,
)
from safeguard.lookedafter.services import (
    adoption_record,
    care_leaver_start,
    lac_placement_change,
    lac_review_record,
    missing_episode_record,
    needs_assessment_complete,
    pathway_plan_start,
)
from safeguard.lookedafter.tests.helpers import TODAY, D, child_born, start, visit

pytestmark = pytest.mark.django_db

START = D(2026, 12, 17)


def url(name: str, child, **kwargs) -> str:
    return reverse(f"lookedafter:{name}", kwargs={"child_id": child.pk, **kwargs})


def day(name: str, value) -> dict:
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


def html_of(response) -> str:
    return response.content.decode()


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="(\d+)"', html)[1]


START_FORM = {
    **day("start_date", START),
    "legal_status": "C2",
    "need_code": "N1",
    "home_postcode": "b1 1bb",
    "placement_type": "U6",
    "placement_provider": "PR1",
    "provider_name": "Mr and Mrs Green",
    "placement_postcode": "B15 2TT",
    "urn": "SC123456",
}


# -- starting a period of care --------------------------------------------------------------------------------


def test_alice_records_that_her_child_is_looked_after(people, client_for, child):
    client = client_for(people.social_worker)
    page = client.get(url("looked_after", child))
    assert page.status_code == 200 and "has not been looked after" in html_of(page)
    form = client.get(url("period_start", child))
    assert form.status_code == 200 and "Start a period of care" in html_of(form)
    response = client.post(url("period_start", child), START_FORM, follow=True)
    assert response.redirect_chain == [(url("looked_after", child), 302)]
    html = html_of(response)
    assert "Looked after since 17 December 2026" in html
    assert "What is now due is listed below" in html
    episode = LacEpisode.objects.get(child=child)
    assert (episode.reason_new_episode, episode.home_postcode) == ("S", "B1 1BB")
    assert 'id="due"' in html and "19 January 2027" in html  # read from the deadline rows


def test_a_refused_rule_is_shown_with_what_was_typed(people, client_for, child):
    client = client_for(people.social_worker)
    response = client.post(url("period_start", child), {**START_FORM, "urn": ""})
    assert response.status_code == 400
    html = html_of(response)
    assert "There is a problem" in html and "SSDA903 rule 218" in html
    assert 'value="Mr and Mrs Green"' in html
    assert not PeriodOfCare.objects.exists()


def test_a_worker_without_access_is_refused_and_the_refusal_logged(people, client_for, child):
    client = client_for(people.other_worker)
    for name in ("looked_after", "period_start", "leaving_care", "care_leaver_start"):
        assert client.get(url(name, child)).status_code == 403
    assert client.post(url("period_start", child), START_FORM).status_code == 403
    refused = AccessEvent.objects.filter(user=people.other_worker.user, outcome=AccessOutcome.REFUSED)
    assert set(refused.values_list("subject", flat=True)) == {
        "looked after",
        "start a period of care",
        "leaving care",
        "start leaving care",
    }
    assert not PeriodOfCare.objects.exists()


def test_an_inspector_reads_but_cannot_record(people, client_for, child, alice):
    start(child, alice, START)
    client = client_for(people.inspector)
    page = client.get(url("looked_after", child))
    assert page.status_code == 200
    assert 'id="actions"' not in html_of(page)
    assert client.get(url("review", child)).status_code == 403


def test_a_page_for_a_child_not_looked_after_leads_back_to_the_overview(people, client_for, child):
    response = client_for(people.social_worker).get(url("placement_change", child), follow=True)
    assert response.redirect_chain == [(url("looked_after", child), 302)]
    assert "is not looked after" in html_of(response)


# -- changes to a period of care ------------------------------------------------------------------------------


def test_a_stale_placement_change_is_refused_and_can_then_be_made(people, client_for, child, alice):
    period = start(child, alice, START)
    client = client_for(people.social_worker)
    page = html_of(client.get(url("placement_change", child)))
    record, version = hidden(page, "record"), hidden(page, "version")
    # Carl records a move while Alice's page is open.
    lac_placement_change(
        period=period,
        changed_by=people.colleague.user,
        version=int(version),
        on=D(2027, 1, 4),
        placement_type="U6",
        placement_provider="PR4",
        placement_postcode="B23 5AA",  # rule 392b: a looked-after child's placement has its postcode
        urn="SC654321",
        reason_place_change="CARPL",
    )
    move = {
        "record": record,
        "version": version,
        **day("on", D(2027, 1, 8)),
        "placement_type": "K2",
        "placement_provider": "PR4",
        "provider_name": "Oak House",
        "placement_postcode": "B23 5AA",
        "urn": "SC111111",
        "reason_place_change": "CREQB",
        "legal_status": "",
    }
    response = client.post(url("placement_change", child), move)
    assert response.status_code == 400
    html = html_of(response)
    assert "Carl Worker changed the child&#39;s placement or legal status" in html
    assert 'value="Oak House"' in html
    assert hidden(html, "version") != version  # the form now carries the version stored
    assert period.episodes.count() == 2
    again = client.post(url("placement_change", child), {**move, "version": hidden(html, "version")})
    assert again.status_code == 302
    assert period.episodes.get(end_date__isnull=True).placement_type == "K2"


def test_a_form_read_before_a_new_period_began_is_refused(people, client_for, child, alice):
    period = start(child, alice, START)
    client = client_for(people.social_worker)
    page = html_of(client.get(url("period_end", child)))
    form = {
        "record": hidden(page, "record"),
        "version": hidden(page, "version"),
        **day("end_date", D(2027, 1, 8)),
    }
    client.post(url("period_end", child), {**form, "reason": "E4A"})
    start(child, alice, D(2027, 2, 1))
    response = client.post(url("period_end", child), {**form, "reason": "E13"})
    assert response.status_code == 400 and "someone has begun a new one in its place" in html_of(response)
    assert period.pk != PeriodOfCare.objects.get(end_date__isnull=True).pk


@pytest.mark.parametrize(
    ("name", "data", "model"),
    [
        (
            "review",
            {**day("held_on", D(2027, 1, 14)), "participation": "PN1", "summary": "Plan agreed"},
            LacReview,
        ),
        ("health", {"kind": "initial", **day("done_on", D(2027, 1, 12)), "notes": ""}, HealthAssessment),
        ("pep", {**day("completed_on", D(2027, 1, 4)), "summary": ""}, PersonalEducationPlan),
        ("care_plan", {**day("completed_on", D(2026, 12, 16)), "summary": ""}, LacPlan),
        ("placement_plan", {**day("completed_on", D(2026, 12, 18)), "summary": ""}, LacPlan),
        ("missing_new", {"kind": "M", **day("start_date", D(2027, 1, 2))}, MissingEpisode),
    ],
)
def test_recording_for_a_looked_after_child(people, client_for, child, alice, name, data, model):
    start(child, alice, START)
    client = client_for(people.social_worker)
    assert client.get(url(name, child)).status_code == 200
    response = client.post(url(name, child), data)
    assert response.status_code == 302, html_of(response)
    assert model.objects.filter(child=child).count() == 1


def test_recording_changes_to_the_period_through_its_pages(people, client_for, child, alice):
    period = start(child, alice, START)
    client = client_for(people.social_worker)

    def post(name, data, **kwargs):
        page = html_of(client.get(url(name, child, **kwargs)))
        response = client.post(
            url(name, child, **kwargs),
            {"record": hidden(page, "record"), "version": hidden(page, "version"), **data},
        )
        assert response.status_code == 302, html_of(response)

    # A placement order (E1) needs the decision that the child should be placed for adoption (rule 553).
    adoption_record(child=child, recorded_by=alice, decided_on=D(2027, 1, 2))
    post("legal_status_change", {**day("on", D(2027, 1, 5)), "legal_status": "E1"})
    post(
        "placement_details",
        {
            "provider_name": "The Greens",
            "placement_postcode": "B15 2TT",
            "home_postcode": "B1 1BB",
            "urn": "SC123456",
            "long_term": "on",
        },
    )
    missing = missing_episode_record(period=period, recorded_by=alice, kind="A", start_date=D(2027, 1, 9))
    post("missing_return", {**day("end_date", D(2027, 1, 10))}, missing_id=missing.pk)
    post(
        "return_interview",
        {**day("offered_on", D(2027, 1, 11)), **day("accepted_on", D(2027, 1, 12))},
        missing_id=missing.pk,
    )
    post("period_end", {**day("end_date", D(2027, 2, 1)), "reason": "E13"})
    period.refresh_from_db()
    episode = period.episodes.order_by("start_date").last()
    assert (episode.reason_new_episode, episode.legal_status, episode.provider_name, episode.long_term) == (
        "L",
        "E1",
        "The Greens",
        True,
    )
    missing.refresh_from_db()
    assert (missing.end_date, missing.interview_accepted_on) == (D(2027, 1, 10), D(2027, 1, 12))
    assert (period.end_date, period.end_reason) == (D(2027, 2, 1), "E13")
    overview = html_of(client.get(url("looked_after", child)))
    assert "Ceased to be looked after on 1 February 2027" in overview
    assert "Start a new period of care" in overview


def test_a_missing_episode_of_another_child_is_not_found(people, client_for, child, alice):
    period = start(people.carls_child, people.colleague.user, START)
    missing = missing_episode_record(
        period=period, recorded_by=people.colleague.user, kind="M", start_date=D(2027, 1, 2)
    )
    start(child, alice, START)
    response = client_for(people.social_worker).get(url("missing_return", child, missing_id=missing.pk))
    assert response.status_code == 404


# -- care leavers --------------------------------------------------------------------------------------------


@pytest.fixture
def leaver(people, alice):
    """16 on 1 June 2026; relevant (left care) from then, with Carl as personal adviser."""
    young_person = child_born(people, D(2010, 6, 1))
    record = care_leaver_start(
        child=young_person,
        started_by=alice,
        status="relevant",
        start_date=D(2026, 6, 1),
        personal_adviser=people.colleague,
    )
    return young_person, record


def test_alice_records_a_care_leaver_through_the_pages(people, client_for):
    young_person = child_born(people, D(2010, 6, 1))
    client = client_for(people.social_worker)
    response = client.post(
        url("care_leaver_start", young_person),
        {
            "status": "relevant",
            **day("start_date", D(2026, 6, 1)),
            "personal_adviser": str(people.colleague.pk),
        },
        follow=True,
    )
    html = html_of(response)
    assert (
        "Care leaver needs assessment within 3 months of becoming eligible: due by 1 September 2026" in html
    )
    assert "Carl Worker" in html
    actions = html[html.index('id="actions"') :]
    assert "The pathway plan" in actions and "A pathway plan review" not in actions  # none to review yet
    assert CareLeaver.objects.get(child=young_person).personal_adviser == people.colleague


@pytest.mark.parametrize(
    ("name", "data", "model"),
    [
        ("needs_assessment", {**day("completed_on", D(2026, 8, 1)), "summary": ""}, NeedsAssessment),
        (
            "care_leaver_contact",
            {**day("contacted_on", D(2026, 8, 1)), "in_touch": "YES", "notes": ""},
            CareLeaverContact,
        ),
        (
            "accommodation",
            {**day("start_date", D(2026, 8, 1)), "code": "D", "suitable": "yes", "provided_by_la": "on"},
            CareLeaverAccommodation,
        ),
        ("activity", {**day("start_date", D(2026, 9, 1)), "code": "F2"}, CareLeaverActivity),
    ],
)
def test_recording_for_a_care_leaver(people, client_for, leaver, name, data, model):
    young_person, _record = leaver
    client = client_for(people.social_worker)
    assert client.get(url(name, young_person)).status_code == 200
    response = client.post(url(name, young_person), data)
    assert response.status_code == 302, html_of(response)
    assert model.objects.filter(child=young_person).count() == 1


def test_the_pathway_plan_its_review_and_the_end_through_the_pages(people, client_for, leaver, alice):
    young_person, record = leaver
    needs_assessment_complete(care_leaver=record, recorded_by=alice, completed_on=D(2026, 8, 1))
    client = client_for(people.social_worker)
    assert client.get(url("pathway_review", young_person)).status_code == 302  # no plan yet
    assert (
        client.post(url("pathway_plan", young_person), {**day("started_on", D(2026, 8, 20))}).status_code
        == 302
    )
    assert PathwayPlan.objects.filter(child=young_person).exists()
    assert (
        client.post(url("pathway_review", young_person), {**day("reviewed_on", D(2027, 2, 1))}).status_code
        == 302
    )
    assert PathwayPlanReview.objects.filter(child=young_person).exists()
    page = html_of(client.get(url("care_leaver_update", young_person)))
    response = client.post(
        url("care_leaver_update", young_person),
        {
            "record": hidden(page, "record"),
            "version": hidden(page, "version"),
            "status": "former_relevant",
            **day("status_since", D(2028, 6, 1)),
            "personal_adviser": str(people.social_worker.pk),
        },
    )
    assert response.status_code == 302, html_of(response)
    page = html_of(client.get(url("care_leaver_end", young_person)))
    response = client.post(
        url("care_leaver_end", young_person),
        {
            "record": hidden(page, "record"),
            "version": hidden(page, "version"),
            **day("end_date", TODAY),
            "reason": "aged_out",
        },
    )
    assert response.status_code == 302, html_of(response)
    record.refresh_from_db()
    assert (record.status, record.personal_adviser, record.end_reason) == (
        "former_relevant",
        people.social_worker,
        "aged_out",
    )
    html = html_of(client.get(url("leaving_care", young_person)))
    assert "Leaving care support ended on 1 March 2029" in html


def test_the_personal_adviser_opens_the_record_they_advise(people, client_for):
    young_person = child_born(people, D(2010, 6, 1))
    assert client_for(people.other_worker).get(url("leaving_care", young_person)).status_code == 403
    care_leaver_start(
        child=young_person,
        started_by=people.social_worker.user,
        status="relevant",
        start_date=D(2026, 6, 1),
        personal_adviser=people.other_worker,
    )
    response = client_for(people.other_worker).get(url("leaving_care", young_person))
    assert response.status_code == 200
    assert AccessEvent.objects.filter(user=people.other_worker.user, basis="personal adviser").exists()


# -- the case file and the chronology -------------------------------------------------------------------------


def history(child, by, *, moves: int):
    """A period of care with ``moves`` changes of placement, a review and a missing episode after each."""
    period = start(child, by, D(2025, 1, 6))
    for n in range(moves):
        on = D(2025, 2, 1 + n)
        lac_placement_change(
            period=period,
            changed_by=by,
            version=period.episodes.get(end_date__isnull=True).version,
            on=on,
            placement_type="U6" if n % 2 else "K2",
            placement_provider="PR4",
            placement_postcode="B23 5AA",  # rule 392b
            urn="SC654321",
            reason_place_change="CARPL",
        )
        lac_review_record(period=period, recorded_by=by, held_on=on, participation="PN1")
        missing_episode_record(
            period=period, recorded_by=by, kind="M", start_date=D(2025, 3, 1 + n), end_date=D(2025, 3, 1 + n)
        )
        visit(child, by, on)
    return period


def queries(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), result


def test_the_case_file_sections_show_where_things_stand_and_cost_the_same_whatever_the_history(people, alice):
    short, long = child_born(people, D(2012, 1, 1)), child_born(people, D(2012, 1, 1))
    history(short, alice, moves=1)
    history(long, alice, moves=12)
    for young in (short, long):
        care_leaver_start(child=young, started_by=alice, status="eligible", start_date=D(2028, 1, 1))
    user = people.social_worker.user
    cost_short, _ = queries(lambda: sections_for(short, TODAY, user))
    cost_long, shown = queries(lambda: sections_for(long, TODAY, user))
    assert cost_short == cost_long
    by_key = {section.key: (section, context) for section, context in shown}
    assert {"looked_after", "care_leaver"} <= set(by_key)
    section, context = by_key["looked_after"]
    assert context["summary"].missing_count == 12
    html = " ".join(render_to_string(section.template, {"section": context}).split())
    assert 'Looked after since </dt> <dd class="govuk-summary-list__value"> 6 January 2025' in html
    # Reviews held 1 to 12 February 2025: the next, 6 months after the last, as its deadline row says.
    assert 'Next review </dt> <dd class="govuk-summary-list__value"> 12 August 2025' in html
    assert "Missing from placement" in html
    section, context = by_key["care_leaver"]
    html = render_to_string(section.template, {"section": context})
    assert "Eligible (aged 16 or 17 and still looked after)" in html and "Needs assessment due" in html


def test_the_case_file_has_no_looked_after_sections_for_a_child_never_in_care(people, child):
    keys = {section.key for section, _context in sections_for(child, TODAY, people.social_worker.user)}
    assert not keys & {"looked_after", "care_leaver"}


def test_the_chronology_tells_the_story_at_a_fixed_cost(people, alice):
    short, long = child_born(people, D(2010, 1, 1)), child_born(people, D(2010, 1, 1))
    history(short, alice, moves=1)
    period = history(long, alice, moves=12)
    for young in (short, long):
        record = care_leaver_start(child=young, started_by=alice, status="eligible", start_date=D(2026, 1, 1))
        needs_assessment_complete(care_leaver=record, recorded_by=alice, completed_on=D(2026, 2, 1))
        pathway_plan_start(care_leaver=record, recorded_by=alice, started_on=D(2026, 2, 2))
    kinds = ["looked_after", "care_leaver"]
    cost_short, _ = queries(lambda: chronology_for(short, kinds=kinds))
    cost_long, entries = queries(lambda: chronology_for(long, kinds=kinds))
    assert cost_short == cost_long
    titles = [entry.title for entry in entries]
    assert titles[-1] == "Started to be looked after: Full care order"
    assert titles.count("Looked-after review") == 12
    assert "Placement changed: Children's home subject to children's homes regulations" in titles
    assert {
        "Leaving care: Eligible (aged 16 or 17 and still looked after)",
        "Needs assessment completed",
        "Pathway plan",
    } <= set(titles)
    assert all(entry.url.startswith(f"/children/{opaque.encode(long.pk)}/") for entry in entries)
    assert period.pk


def test_the_case_file_says_the_child_is_looked_after_above_any_other_status(
    people, client_for, child, alice
):
    """Ofsted Annex A list 6: a looked-after child's case status is "looked after", whatever else is open."""
    from safeguard.casework.models import CinEpisode

    CinEpisode.objects.create(
        child=child, referral_date=START, referral_source="6", team=people.north_team, area=people.north
    )
    start(child, alice, START)
    page = html_of(
        client_for(people.social_worker).get(reverse("casework:case_file", kwargs={"child_id": child.pk}))
    )
    assert re.search(r"govuk-tag--purple[^>]*>\s*Looked after", page)
