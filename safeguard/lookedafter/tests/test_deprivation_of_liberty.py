"""Deprivation of liberty orders (SSDA903 DoLo, from 2026-27): recorded against the DfE's rules 700-710, a
clear message naming the rule and nothing saved when one is broken, and the pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.casework.services import VersionConflict
from safeguard.lookedafter.models import DeprivationOfLiberty, LacEpisode
from safeguard.lookedafter.services import (
    deprivation_of_liberty_record,
    deprivation_of_liberty_update,
    lac_placement_change,
    period_of_care_end,
)
from safeguard.lookedafter.tests.helpers import D, child_born, start
from safeguard.lookedafter.tests.test_pages import day, hidden, html_of, url

pytestmark = pytest.mark.django_db

START = D(2027, 5, 1)
ORDER = D(2027, 6, 1)
HOME = {"placement_type": "K2", "placement_provider": "PR4", "provider_name": "Oak House"}


@pytest.fixture
def teenager(people):
    return child_born(people, D(2013, 2, 1))


def _in_home(teenager, alice):
    return start(teenager, alice, START, **HOME)


def test_an_order_is_recorded_then_ended(teenager, alice):
    period = _in_home(teenager, alice)
    order = deprivation_of_liberty_record(
        child=teenager, recorded_by=alice, start_date=ORDER, notes=" High Court "
    )
    assert (order.period, order.is_open, order.notes) == (period, True, "High Court")
    assert AuditEvent.objects.filter(
        action="deprivation_of_liberty.recorded", entity_id=str(order.pk)
    ).exists()
    deprivation_of_liberty_update(
        order=order, updated_by=alice, version=order.version, start_date=ORDER, end_date=D(2027, 9, 1)
    )
    order.refresh_from_db()
    assert (order.end_date, order.is_open) == (D(2027, 9, 1), False)
    assert AuditEvent.objects.filter(action="deprivation_of_liberty.ended", entity_id=str(order.pk)).exists()
    # A second order may start the day the first ended (rule 705).
    second = deprivation_of_liberty_record(child=teenager, recorded_by=alice, start_date=D(2027, 9, 1))
    assert second.is_open


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"start_date": D(2027, 4, 1)}, "start_date", "not looked after on this day"),
        ({"start_date": D(2029, 3, 2)}, "start_date", "rule 703"),
        ({"end_date": D(2027, 5, 31)}, "end_date", "rule 702"),
        ({"end_date": D(2029, 3, 2)}, "end_date", "rule 704"),
    ],
)
def test_an_order_breaking_a_dfe_rule_is_refused_and_nothing_is_saved(
    teenager, alice, values, field, message
):
    _in_home(teenager, alice)
    with pytest.raises(ValidationError) as refused:
        deprivation_of_liberty_record(child=teenager, recorded_by=alice, **{"start_date": ORDER, **values})
    assert message in " ".join(refused.value.message_dict[field])
    assert not DeprivationOfLiberty.objects.exists()


def test_an_order_before_birth_is_refused(people, alice):
    baby = child_born(people, D(2027, 6, 10))
    start(baby, alice, D(2027, 6, 10), **HOME)
    with pytest.raises(ValidationError) as refused:
        deprivation_of_liberty_record(child=baby, recorded_by=alice, start_date=D(2027, 6, 1))
    assert "rule 708" in " ".join(refused.value.message_dict["start_date"])


def test_an_order_cannot_start_while_another_is_open(teenager, alice):
    _in_home(teenager, alice)
    first = deprivation_of_liberty_record(child=teenager, recorded_by=alice, start_date=ORDER)
    for end_date in (None, D(2027, 8, 1)):
        with pytest.raises(ValidationError) as refused:
            deprivation_of_liberty_record(
                child=teenager, recorded_by=alice, start_date=D(2027, 7, 1), end_date=end_date
            )
        assert "rule 705" in " ".join(refused.value.message_dict["start_date"])
    # nor an earlier order that runs into it
    with pytest.raises(ValidationError) as refused:
        deprivation_of_liberty_record(
            child=teenager, recorded_by=alice, start_date=D(2027, 5, 10), end_date=D(2027, 6, 10)
        )
    assert "rule 705" in " ".join(refused.value.message_dict["start_date"])
    assert list(DeprivationOfLiberty.objects.all()) == [first]


def test_an_order_ends_when_care_ends(teenager, alice):
    period = _in_home(teenager, alice)
    episode = LacEpisode.objects.get(period=period)
    period_of_care_end(
        period=period, ended_by=alice, version=episode.version, end_date=D(2027, 8, 1), reason="E4A"
    )
    with pytest.raises(ValidationError) as refused:
        deprivation_of_liberty_record(child=teenager, recorded_by=alice, start_date=ORDER)
    assert "rule 707" in " ".join(refused.value.message_dict["end_date"])
    with pytest.raises(ValidationError) as refused:
        deprivation_of_liberty_record(
            child=teenager, recorded_by=alice, start_date=ORDER, end_date=D(2027, 8, 2)
        )
    assert "rule 707" in " ".join(refused.value.message_dict["end_date"])
    order = deprivation_of_liberty_record(
        child=teenager, recorded_by=alice, start_date=ORDER, end_date=D(2027, 8, 1)
    )
    assert order.end_date == D(2027, 8, 1)


def test_a_foster_placement_is_unexpected_rule_709(teenager, alice):
    start(teenager, alice, START)  # U6: foster care
    with pytest.raises(ValidationError) as refused:
        deprivation_of_liberty_record(child=teenager, recorded_by=alice, start_date=ORDER)
    message = " ".join(refused.value.message_dict["start_date"])
    assert "U6 from 1 May 2027" in message and "rule 709" in message
    assert not DeprivationOfLiberty.objects.exists()


def test_a_placement_with_parents_is_barred_rule_710(teenager, alice):
    start(teenager, alice, START, placement_type="P1", placement_provider="PR0", provider_name="", urn="")
    with pytest.raises(ValidationError) as refused:
        deprivation_of_liberty_record(child=teenager, recorded_by=alice, start_date=ORDER)
    assert "rule 710" in " ".join(refused.value.message_dict["start_date"])


def test_a_worker_who_cannot_record_is_refused(people, teenager, alice):
    _in_home(teenager, alice)
    with pytest.raises(PermissionDenied):
        deprivation_of_liberty_record(child=teenager, recorded_by=people.other_worker.user, start_date=ORDER)
    assert not DeprivationOfLiberty.objects.exists()


def test_two_people_saving_one_order_the_second_is_told(teenager, alice):
    _in_home(teenager, alice)
    order = deprivation_of_liberty_record(child=teenager, recorded_by=alice, start_date=ORDER)
    read = order.version
    deprivation_of_liberty_update(
        order=order, updated_by=alice, version=read, start_date=ORDER, notes="Court"
    )
    with pytest.raises(VersionConflict):
        deprivation_of_liberty_update(order=order, updated_by=alice, version=read, start_date=D(2027, 6, 2))
    order.refresh_from_db()
    assert (order.start_date, order.notes) == (ORDER, "Court")


def test_alice_records_an_order_on_the_page(people, client_for, teenager, alice):
    _in_home(teenager, alice)
    client = client_for(people.social_worker)
    overview = html_of(client.get(url("looked_after", teenager)))
    assert "No deprivation of liberty order recorded" in overview
    assert "Record a deprivation of liberty order" in overview
    response = client.post(url("dolo_new", teenager), {**day("start_date", ORDER)}, follow=True)
    assert response.redirect_chain == [(url("looked_after", teenager), 302)]
    order = DeprivationOfLiberty.objects.get(child=teenager)
    page = html_of(client.get(url("dolo_change", teenager, dolo_id=order.pk)))
    ended = {
        "record": hidden(page, "record"),
        "version": hidden(page, "version"),
        **day("start_date", ORDER),
        **day("end_date", D(2027, 9, 1)),
    }
    assert client.post(url("dolo_change", teenager, dolo_id=order.pk), ended).status_code == 302
    order.refresh_from_db()
    assert order.end_date == D(2027, 9, 1)
    assert "Order from 1 June 2027 to 1 September 2027" in html_of(client.get(url("looked_after", teenager)))


def test_a_rule_broken_on_the_page_is_shown_with_what_was_typed(people, client_for, teenager, alice):
    _in_home(teenager, alice)
    response = client_for(people.social_worker).post(
        url("dolo_new", teenager),
        {**day("start_date", ORDER), **day("end_date", D(2027, 5, 2)), "notes": "High Court"},
    )
    assert response.status_code == 400
    html = html_of(response)
    assert "There is a problem" in html and "rule 702" in html and "High Court" in html
    assert not DeprivationOfLiberty.objects.exists()


def test_a_worker_without_access_is_refused(people, client_for, teenager, alice):
    _in_home(teenager, alice)
    order = deprivation_of_liberty_record(child=teenager, recorded_by=alice, start_date=ORDER)
    client = client_for(people.other_worker)
    assert client.get(url("dolo_new", teenager)).status_code == 403
    assert client.post(url("dolo_new", teenager), day("start_date", D(2027, 7, 1))).status_code == 403
    assert client.get(url("dolo_change", teenager, dolo_id=order.pk)).status_code == 403
    assert DeprivationOfLiberty.objects.count() == 1


def test_an_order_of_another_child_is_not_found(people, client_for, child, teenager, alice):
    _in_home(teenager, alice)
    order = deprivation_of_liberty_record(child=teenager, recorded_by=alice, start_date=ORDER)
    response = client_for(people.social_worker).get(url("dolo_change", child, dolo_id=order.pk))
    assert response.status_code == 404


def test_while_an_order_is_in_force_care_cannot_end_nor_the_child_move_to_foster_care(teenager, alice):
    period = _in_home(teenager, alice)
    deprivation_of_liberty_record(child=teenager, recorded_by=alice, start_date=ORDER)
    episode = LacEpisode.objects.get(period=period)
    with pytest.raises(ValidationError) as refused:
        period_of_care_end(
            period=period, ended_by=alice, version=episode.version, end_date=D(2027, 8, 1), reason="E4A"
        )
    assert "rule 707" in " ".join(refused.value.message_dict["end_date"])
    with pytest.raises(ValidationError) as refused:
        lac_placement_change(
            period=period, changed_by=alice, version=episode.version, on=D(2027, 8, 1), placement_type="U6",
            placement_provider="PR4", placement_postcode="LS1 2BB", reason_place_change="CARPL",
        )  # fmt: skip
    assert "rules 709 and 710" in " ".join(refused.value.message_dict["placement_type"])
    period.refresh_from_db()
    assert period.end_date is None and LacEpisode.objects.filter(period=period).count() == 1
