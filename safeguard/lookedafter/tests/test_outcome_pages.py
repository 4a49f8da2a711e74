"""The pages on which a worker records a year's outcomes (SSDA903 OC2) and a child's UASC status: who may use
them, what they ask (only what the records do not already hold), and two people saving at once."""

import pytest

from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.lookedafter.models import AnnualOutcome, UascStatus
from safeguard.lookedafter.services import annual_outcome_update, health_assessment_record
from safeguard.lookedafter.tests.helpers import D, child_born, start
from safeguard.lookedafter.tests.test_pages import day, hidden, html_of, url

pytestmark = pytest.mark.django_db

START = D(2026, 12, 17)
YEAR = 2028
FORM = {
    "sdq_score": "14",
    "sdq_reason": "",
    "immunisations": "yes",
    "convicted": "no",
    "substance_misuse": "no",
    "notes": "",
}


def test_alice_records_a_years_outcomes_from_the_overview(people, client_for, child, alice):
    period = start(child, alice, START)
    health_assessment_record(period=period, recorded_by=alice, kind="dental", done_on=D(2027, 9, 1))
    client = client_for(people.social_worker)
    overview = html_of(client.get(url("looked_after", child)))
    assert 'id="outcomes"' in overview and "2027-28" in overview and "2028-29 (under way)" in overview
    assert url("outcomes", child, year_end=YEAR) in overview
    page = client.get(url("outcomes", child, year_end=YEAR))
    html = html_of(page)
    assert page.status_code == 200 and "Outcomes for 2027-28" in html
    assert "a dental check in the year: Yes" in html  # from the health records, not asked
    assert 'name="teeth_check"' not in html and 'name="health_check"' not in html
    assert 'value="SDQ1"' not in html  # 12 all year: the age reason is not offered (rule 157)
    response = client.post(url("outcomes", child, year_end=YEAR), FORM, follow=True)
    assert response.redirect_chain == [(url("looked_after", child), 302)]
    assert "Outcomes for 2027-28 saved" in html_of(response)
    outcome = AnnualOutcome.objects.get(child=child)
    assert (outcome.sdq_score, outcome.immunisations, outcome.convicted) == (14, True, False)


def test_a_rule_broken_on_the_page_is_shown_with_what_was_typed(people, client_for, child, alice):
    start(child, alice, START)
    client = client_for(people.social_worker)
    response = client.post(
        url("outcomes", child, year_end=YEAR), {**FORM, "substance_misuse": "yes", "notes": "Cannabis use"}
    )
    assert response.status_code == 400
    html = html_of(response)
    assert "There is a problem" in html and "SSDA903 rule 192" in html and "Cannabis use" in html
    assert not AnnualOutcome.objects.exists()


def test_a_young_childs_page_asks_no_convictions(people, client_for, alice):
    young = child_born(people, D(2024, 1, 10))  # 4 in January 2028
    start(young, alice, START)
    html = html_of(client_for(people.social_worker).get(url("outcomes", young, year_end=YEAR)))
    assert 'name="convicted"' not in html and 'value="SDQ1"' in html
    assert "development checks up to date on 31 March: No" in html


def test_a_year_the_child_was_not_looked_after_throughout_leads_back(people, client_for, child, alice):
    start(child, alice, START)
    response = client_for(people.social_worker).get(url("outcomes", child, year_end=2027), follow=True)
    assert response.redirect_chain == [(url("looked_after", child), 302)]
    assert "was not looked after throughout 2026-27" in html_of(response)


def test_a_worker_without_access_and_an_inspector_are_refused(people, client_for, child, alice):
    start(child, alice, START)
    client = client_for(people.other_worker)
    assert client.get(url("outcomes", child, year_end=YEAR)).status_code == 403
    assert client.post(url("outcomes", child, year_end=YEAR), FORM).status_code == 403
    assert client.get(url("uasc_new", child)).status_code == 403
    refused = AccessEvent.objects.filter(user=people.other_worker.user, outcome=AccessOutcome.REFUSED)
    assert set(refused.values_list("subject", flat=True)) == {"outcomes for the year", "UASC status"}
    inspector = client_for(people.inspector)
    assert inspector.get(url("looked_after", child)).status_code == 200
    assert inspector.post(url("outcomes", child, year_end=YEAR), FORM).status_code == 403
    assert not AnnualOutcome.objects.exists()


def test_a_stale_change_of_outcomes_is_refused_then_can_be_made(people, client_for, child, alice):
    start(child, alice, START)
    client = client_for(people.social_worker)
    client.post(url("outcomes", child, year_end=YEAR), FORM)
    outcome = AnnualOutcome.objects.get()
    page = html_of(client.get(url("outcomes", child, year_end=YEAR)))
    assert 'value="14"' in page
    version = hidden(page, "version")
    annual_outcome_update(  # Carl saves while Alice's page is open
        outcome=outcome,
        updated_by=people.colleague.user,
        version=int(version),
        sdq_score=16,
        immunisations=True,
        convicted=False,
        substance_misuse=False,
    )
    change = {**FORM, "record": hidden(page, "record"), "version": version, "sdq_score": "18"}
    response = client.post(url("outcomes", child, year_end=YEAR), change)
    assert response.status_code == 400
    html = html_of(response)
    assert "Carl Worker saved this record" in html and 'value="18"' in html
    again = client.post(url("outcomes", child, year_end=YEAR), {**change, "version": hidden(html, "version")})
    assert again.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.sdq_score, outcome.version) == (18, 3)


def test_alice_records_and_ends_a_uasc_status(people, client_for, alice):
    boy = child_born(people, D(2010, 8, 1))
    start(boy, alice, START, legal_status="V2")
    client = client_for(people.social_worker)
    assert "Record that the child is an unaccompanied asylum-seeking child" in html_of(
        client.get(url("looked_after", boy))
    )
    response = client.post(url("uasc_new", boy), {**day("start_date", START), "end_reason": ""}, follow=True)
    assert response.redirect_chain == [(url("looked_after", boy), 302)]
    status = UascStatus.objects.get(child=boy)
    page = html_of(client.get(url("uasc_change", boy, uasc_id=status.pk)))
    ended = {
        "record": hidden(page, "record"),
        "version": hidden(page, "version"),
        **day("start_date", START),
        **day("end_date", D(2028, 8, 1)),
        "end_reason": "aged_18",
    }
    assert client.post(url("uasc_change", boy, uasc_id=status.pk), ended).status_code == 302
    status.refresh_from_db()
    assert (status.end_date, status.end_reason) == (D(2028, 8, 1), "aged_18")
    overview = html_of(client.get(url("looked_after", boy)))
    assert "to 1 August 2028 (Turned 18)" in overview


def test_a_uasc_status_of_another_child_is_not_found(people, client_for, child, alice):
    other = child_born(people, D(2010, 8, 1))
    start(other, alice, START)
    status = UascStatus.objects.create(child=other, start_date=START)
    start(child, alice, START)
    assert (
        client_for(people.social_worker).get(url("uasc_change", child, uasc_id=status.pk)).status_code == 404
    )
