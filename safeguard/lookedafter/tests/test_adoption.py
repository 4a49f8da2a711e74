"""A child's adoption journey (SSDA903 PlacedAdoption and AD1) and previous permanence (PrevPerm): recorded
against the DfE's rules, a clear message and nothing changed when a rule is broken, and the pages."""

import pytest
from django.core.exceptions import ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.casework.services import VersionConflict
from safeguard.lookedafter.models import Adoption, LacEpisode, PeriodOfCare
from safeguard.lookedafter.services import (
    adoption_record,
    adoption_update,
    lac_legal_status_change,
    period_of_care_start,
    previous_permanence_record,
)
from safeguard.lookedafter.tests.helpers import FOSTER, D, child_born, start
from safeguard.lookedafter.tests.test_pages import day, hidden, html_of, url

pytestmark = pytest.mark.django_db

START = D(2026, 12, 17)
DECIDED = D(2027, 3, 1)
ADOPTERS = {
    "adopted_by_foster_carers": False,
    "number_of_adopters": 2,
    "adopters_sex": "MF",
    "adopters_legal_status": "L11",
}


@pytest.fixture
def baby(people):
    return child_born(people, D(2026, 6, 1))


def test_a_decision_is_recorded_then_the_match_placement_and_order(baby, alice):
    period = start(baby, alice, START)
    adoption = adoption_record(child=baby, recorded_by=alice, decided_on=DECIDED)
    assert (adoption.period, adoption.is_open) == (period, True)
    assert AuditEvent.objects.filter(action="adoption.recorded", entity_id=str(adoption.pk)).exists()
    adoption_update(
        adoption=adoption,
        updated_by=alice,
        version=adoption.version,
        decided_on=DECIDED,
        matched_on=D(2027, 6, 1),
        placed_on=D(2027, 6, 20),
        order_on=D(2028, 1, 10),
        **ADOPTERS,
    )
    adoption.refresh_from_db()
    assert (adoption.order_on, adoption.adopters_sex, adoption.is_open) == (D(2028, 1, 10), "MF", False)
    assert AuditEvent.objects.filter(action="adoption.order_made", entity_id=str(adoption.pk)).exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"decided_on": D(2026, 12, 1)}, "decided_on", "rules 334 and 1003"),
        ({"matched_on": D(2027, 2, 1)}, "matched_on", "rule 333"),
        ({"matched_on": D(2027, 6, 1), "placed_on": D(2027, 5, 1)}, "placed_on", "rule 331"),
        ({"reversed_on": D(2027, 4, 1)}, "reversal_reason", "rule 119"),
        ({"reversed_on": D(2027, 2, 1), "reversal_reason": "RD1"}, "reversed_on", "rule 522"),
        ({"reversed_on": D(2027, 4, 1), "reversal_reason": "RD9"}, "reversal_reason", "not a code"),
        ({"number_of_adopters": 2}, "adopted_by_foster_carers", "rule 151"),
        ({**ADOPTERS, "adopters_sex": "F1"}, "adopters_sex", "rules 511 and 514"),
        ({**ADOPTERS, "adopters_legal_status": "L12"}, "adopters_legal_status", "524"),
        (
            {"matched_on": D(2027, 6, 1), "placed_on": D(2027, 6, 20), "order_on": D(2028, 1, 10)},
            "number_of_adopters",
            "rule 601",
        ),
    ],
)
def test_a_decision_breaking_a_dfe_rule_is_refused_and_nothing_is_saved(baby, alice, values, field, message):
    start(baby, alice, START)
    with pytest.raises(ValidationError) as refused:
        adoption_record(child=baby, recorded_by=alice, **{"decided_on": DECIDED, **values})
    assert message in " ".join(refused.value.message_dict[field])
    assert not Adoption.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="adoption.").exists()


def test_a_placement_order_before_the_decision_is_refused(baby, alice):
    period = start(baby, alice, START)
    lac_legal_status_change(
        period=period, changed_by=alice, version=period.version, on=D(2027, 2, 1), legal_status="C1"
    )
    # No service records a placement order (E1) before the decision (rule 553: returns.record_checks); a
    # council's imported records may have one.
    LacEpisode.objects.filter(period=period, start_date=D(2027, 2, 1)).update(legal_status="E1")
    with pytest.raises(ValidationError, match="rules 552, 554 and 556"):
        adoption_record(child=baby, recorded_by=alice, decided_on=DECIDED)
    assert adoption_record(child=baby, recorded_by=alice, decided_on=D(2027, 1, 20)).pk


def test_a_new_decision_only_after_the_last_was_reversed(baby, alice):
    start(baby, alice, START)
    first = adoption_record(child=baby, recorded_by=alice, decided_on=DECIDED)
    with pytest.raises(ValidationError, match="rules 579 and 583"):
        adoption_record(child=baby, recorded_by=alice, decided_on=D(2027, 5, 1))
    adoption_update(
        adoption=first, updated_by=alice, version=first.version, decided_on=DECIDED,
        reversed_on=D(2027, 4, 1), reversal_reason="RD3",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="rule 579"):
        adoption_record(child=baby, recorded_by=alice, decided_on=D(2027, 3, 15))
    second = adoption_record(child=baby, recorded_by=alice, decided_on=D(2027, 5, 1))
    assert list(Adoption.objects.open()) == [second]


def test_two_people_saving_one_adoption_the_second_is_told(baby, alice):
    start(baby, alice, START)
    adoption = adoption_record(child=baby, recorded_by=alice, decided_on=DECIDED)
    adoption_update(
        adoption=adoption, updated_by=alice, version=1, decided_on=DECIDED, matched_on=D(2027, 6, 1)
    )
    with pytest.raises(VersionConflict):
        adoption_update(adoption=adoption, updated_by=alice, version=1, decided_on=DECIDED, notes="Late")
    adoption.refresh_from_db()
    assert (adoption.matched_on, adoption.notes) == (D(2027, 6, 1), "")


def test_previous_permanence_is_recorded_with_the_start_of_care_or_after(people, alice):
    child = child_born(people, D(2015, 6, 1))
    period = period_of_care_start(
        child=child, started_by=alice, start_date=START, **FOSTER,
        previous_permanence="P2", previous_permanence_la="330", previous_permanence_on=D(2020, 1, 1),
    )  # fmt: skip
    assert (period.previous_permanence, period.previous_permanence_la) == ("P2", "330")
    with pytest.raises(ValidationError) as refused:
        previous_permanence_record(
            period=period,
            recorded_by=alice,
            version=period.version,
            previous_permanence="Z1",
            previous_permanence_la="330",
        )
    assert "rule 635" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        previous_permanence_record(
            period=period,
            recorded_by=alice,
            version=period.version,
            previous_permanence="P1",
            previous_permanence_la="330",
            previous_permanence_on=START,
        )
    assert "rule 632" in str(refused.value)
    period.refresh_from_db()
    assert period.previous_permanence == "P2"
    previous_permanence_record(
        period=period, recorded_by=alice, version=period.version, previous_permanence="z1"
    )
    period.refresh_from_db()
    assert (period.previous_permanence, period.previous_permanence_la, period.previous_permanence_on) == (
        "Z1",
        "",
        None,
    )


def test_previous_permanence_with_an_order_needs_the_council_and_date(people, alice):
    child = child_born(people, D(2015, 6, 1))
    with pytest.raises(ValidationError) as refused:
        period_of_care_start(
            child=child, started_by=alice, start_date=START, **FOSTER, previous_permanence="P1"
        )
    assert "rule 630" in str(refused.value)
    assert not PeriodOfCare.objects.filter(child=child).exists()


def test_alice_records_an_adoption_on_the_page(people, client_for, baby, alice):
    start(baby, alice, START)
    client = client_for(people.social_worker)
    overview = html_of(client.get(url("looked_after", baby)))
    assert "Record the decision that the child should be placed for adoption" in overview
    response = client.post(url("adoption_new", baby), {**day("decided_on", DECIDED)}, follow=True)
    assert response.redirect_chain == [(url("looked_after", baby), 302)]
    adoption = Adoption.objects.get(child=baby)
    page = html_of(client.get(url("adoption_change", baby, adoption_id=adoption.pk)))
    reversed_ = {
        "record": hidden(page, "record"),
        "version": hidden(page, "version"),
        **day("decided_on", DECIDED),
        **day("reversed_on", D(2027, 5, 1)),
        "reversal_reason": "RD1",
    }
    assert client.post(url("adoption_change", baby, adoption_id=adoption.pk), reversed_).status_code == 302
    adoption.refresh_from_db()
    assert (adoption.reversed_on, adoption.reversal_reason) == (D(2027, 5, 1), "RD1")
    assert "reversed 1 May 2027" in html_of(client.get(url("looked_after", baby)))


def test_a_rule_broken_on_the_adoption_page_is_shown_with_what_was_typed(people, client_for, baby, alice):
    start(baby, alice, START)
    response = client_for(people.social_worker).post(
        url("adoption_new", baby),
        {**day("decided_on", DECIDED), **day("matched_on", D(2027, 2, 1)), "notes": "Panel"},
    )
    assert response.status_code == 400
    html = html_of(response)
    assert "There is a problem" in html and "SSDA903 rule 333" in html and "Panel" in html
    assert not Adoption.objects.exists()


def test_an_adoption_of_another_child_is_not_found(people, client_for, child, baby, alice):
    start(baby, alice, START)
    adoption = adoption_record(child=baby, recorded_by=alice, decided_on=DECIDED)
    start(child, alice, START)
    response = client_for(people.social_worker).get(url("adoption_change", child, adoption_id=adoption.pk))
    assert response.status_code == 404


def test_alice_records_previous_permanence_on_the_page(people, client_for, child, alice):
    period = start(child, alice, START)
    client = client_for(people.social_worker)
    assert "Not recorded for this period of care" in html_of(client.get(url("looked_after", child)))
    page = html_of(client.get(url("previous_permanence", child)))
    form = {"record": hidden(page, "record"), "version": hidden(page, "version"), "previous_permanence": "P3"}
    response = client.post(url("previous_permanence", child), form)
    assert response.status_code == 400 and "SSDA903 rule 630" in html_of(response)
    form.update({"previous_permanence_la": "330", **day("previous_permanence_on", D(2021, 5, 4))})
    assert client.post(url("previous_permanence", child), form).status_code == 302
    period.refresh_from_db()
    assert (period.previous_permanence, period.previous_permanence_la) == ("P3", "330")
    assert "order of 4 May 2021 (330)" in html_of(client.get(url("looked_after", child)))
