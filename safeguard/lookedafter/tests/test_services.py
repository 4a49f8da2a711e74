"""The services' transitions and guards: the episode chain, the SSDA903 rules checked at entry, codes valid
on the day, who may record, the audit trail, and two people saving the same record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.casework.services import VersionConflict
from safeguard.lookedafter.models import (
    CareLeaver,
    HealthCheckKind,
    LacEpisode,
    MissingKind,
    PeriodOfCare,
)
from safeguard.lookedafter.services import (
    adoption_record,
    care_leaver_accommodation_record,
    care_leaver_activity_record,
    care_leaver_contact_record,
    care_leaver_start,
    care_leaver_update,
    health_assessment_record,
    lac_episode_update,
    lac_legal_status_change,
    lac_placement_change,
    lac_review_record,
    missing_episode_end,
    missing_episode_record,
    pathway_plan_start,
    period_of_care_end,
    weeks_looked_after_since_14,
)
from safeguard.lookedafter.tests.helpers import D, child_born, start

pytestmark = pytest.mark.django_db

START = D(2026, 12, 17)


def current(period) -> LacEpisode:
    return period.episodes.get(end_date__isnull=True)


def move(period, by, on, *, version=None, **overrides):
    arguments = {
        "placement_type": "K2",
        "placement_provider": "PR4",
        "provider_name": "Oak House",
        "placement_postcode": "B23 5AA",
        "urn": "SC654321",
        "reason_place_change": "CREQB",
    }
    arguments.update(overrides)
    version = current(period).version if version is None else version
    return lac_placement_change(period=period, changed_by=by, version=version, on=on, **arguments)


def end(period, by, on, reason="E4A"):
    return period_of_care_end(
        period=period, ended_by=by, version=current(period).version, end_date=on, reason=reason
    )


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# -- the episode chain ----------------------------------------------------------------------------------------


def test_a_period_is_a_chain_of_episodes_with_no_gap_or_overlap(child, alice):
    period = start(child, alice, START, legal_status="C1")
    move(period, alice, D(2027, 2, 1))
    lac_legal_status_change(
        period=period, changed_by=alice, version=current(period).version, on=D(2027, 3, 1), legal_status="C2"
    )
    # A placement order (E1) needs the decision that the child should be placed for adoption (rule 553).
    adoption_record(child=child, recorded_by=alice, decided_on=D(2027, 4, 1))
    move(
        period,
        alice,
        D(2027, 5, 3),
        placement_type="U4",
        placement_provider="PR1",
        urn="SC123456",
        same_carers=True,
        legal_status="E1",
    )
    end(period, alice, D(2027, 9, 1))
    episodes = list(period.episodes.order_by("start_date"))
    assert [(e.reason_new_episode, e.legal_status, e.placement_type) for e in episodes] == [
        ("S", "C1", "U6"),
        ("P", "C1", "K2"),
        ("L", "C2", "K2"),
        ("U", "E1", "U4"),  # legal status and placement changed, with the same carers (rule 436)
    ]
    for before, after in zip(episodes, episodes[1:], strict=False):
        assert (before.end_date, before.end_reason) == (after.start_date, "X1")
    assert [e.reason_place_change for e in episodes] == ["CREQB", "", "CREQB", ""]
    assert (episodes[-1].end_date, episodes[-1].end_reason) == (D(2027, 9, 1), "E4A")
    period.refresh_from_db()
    assert (period.start_date, period.end_date, period.end_reason) == (START, D(2027, 9, 1), "E4A")
    assert all(e.need_code == "N1" for e in episodes)  # rule 504: the period's category of need


def test_a_placement_for_adoption_with_the_current_carers_is_coded_u_or_t(child, alice):
    period = start(child, alice, START)
    # The placement order (E1) follows the decision that the child should be placed for adoption (rule 553).
    adoption_record(child=child, recorded_by=alice, decided_on=D(2026, 12, 20))
    lac_legal_status_change(
        period=period, changed_by=alice, version=current(period).version, on=D(2027, 1, 2), legal_status="E1"
    )
    episode = move(
        period, alice, D(2027, 1, 5), placement_type="A5", placement_provider="PR1", urn="SC123456"
    )
    assert (
        episode.reason_new_episode == "T"
    )  # the placement changed, not the legal status; rule 217: S, T or U


def test_every_change_is_audited(child, alice):
    period = start(child, alice, START)
    move(period, alice, D(2027, 2, 1))
    actions = list(AuditEvent.objects.filter(child=child).order_by("pk").values_list("action", flat=True))
    assert actions == ["lac.started", "lac_episode.started", "lac_episode.ended", "lac_episode.started"]
    ended = AuditEvent.objects.filter(action="lac_episode.ended").get()
    assert ended.changes["end_reason"] == [None, "X1"] and ended.changes["reason_place_change"] == [
        None,
        "CREQB",
    ]


# -- guards on transitions ------------------------------------------------------------------------------------


def test_a_child_has_one_open_period_of_care(child, alice):
    start(child, alice, START)
    with pytest.raises(ValidationError) as excinfo:
        start(child, alice, D(2027, 1, 5))
    assert "already looked after" in errors_of(excinfo)["start_date"][0]
    assert PeriodOfCare.objects.filter(child=child).count() == 1


def test_a_new_period_starts_after_the_last_ended(child, alice):
    period = start(child, alice, START)
    end(period, alice, D(2027, 1, 5))
    with pytest.raises(ValidationError) as excinfo:
        start(child, alice, D(2027, 1, 5))
    assert "431" in errors_of(excinfo)["start_date"][0]
    assert start(child, alice, D(2027, 1, 6)).episodes.get().reason_new_episode == "S"


def test_a_placement_change_needs_the_child_to_be_looked_after(child, alice):
    period = start(child, alice, START)
    end(period, alice, D(2027, 1, 5))
    with pytest.raises(ValidationError, match="no longer looked after"):
        move(period, alice, D(2027, 2, 1), version=1)


def test_episode_dates_must_follow_one_another(child, alice):
    period = start(child, alice, START)
    with pytest.raises(ValidationError) as excinfo:
        move(period, alice, START)
    assert "after the current episode began" in errors_of(excinfo)["on"][0]
    with pytest.raises(ValidationError) as excinfo:
        move(period, alice, D(2026, 12, 1))
    assert "rules 355 and 501" in errors_of(excinfo)["on"][0]
    with pytest.raises(ValidationError) as excinfo:
        move(period, alice, D(2029, 3, 2))
    assert "future" in errors_of(excinfo)["on"][0]


def test_a_review_cannot_be_before_the_period_starts_or_after_it_ends(child, alice):
    period = start(child, alice, START)
    with pytest.raises(ValidationError) as excinfo:
        lac_review_record(period=period, recorded_by=alice, held_on=D(2026, 12, 10), participation="PN1")
    assert "before the child became looked after" in errors_of(excinfo)["held_on"][0]
    end(period, alice, D(2027, 1, 5))
    with pytest.raises(ValidationError) as excinfo:
        lac_review_record(period=period, recorded_by=alice, held_on=D(2027, 1, 6), participation="PN1")
    assert "after the child ceased" in errors_of(excinfo)["held_on"][0]
    lac_review_record(
        period=period, recorded_by=alice, held_on=D(2027, 1, 4), participation="PN1"
    )  # late entry


def test_a_period_cannot_end_before_what_is_recorded_in_it(child, alice):
    period = start(child, alice, START)
    lac_review_record(period=period, recorded_by=alice, held_on=D(2027, 1, 14), participation="PN1")
    with pytest.raises(ValidationError) as excinfo:
        end(period, alice, D(2027, 1, 10))
    assert "A review is recorded after this date" in errors_of(excinfo)["end_date"][0]


def test_a_child_still_missing_cannot_cease_to_be_looked_after(child, alice):
    period = start(child, alice, START)
    missing = missing_episode_record(
        period=period, recorded_by=alice, kind=MissingKind.MISSING, start_date=D(2027, 1, 2)
    )
    with pytest.raises(ValidationError) as excinfo:
        end(period, alice, D(2027, 1, 5))
    assert "577" in errors_of(excinfo)["end_date"][0]
    missing_episode_end(missing=missing, recorded_by=alice, version=missing.version, end_date=D(2027, 1, 3))
    end(period, alice, D(2027, 1, 5))


def test_missing_episodes_do_not_overlap_or_run_backwards(child, alice):
    period = start(child, alice, START)
    missing_episode_record(
        period=period, recorded_by=alice, kind="M", start_date=D(2027, 1, 2), end_date=D(2027, 1, 5)
    )
    with pytest.raises(ValidationError) as excinfo:
        missing_episode_record(period=period, recorded_by=alice, kind="A", start_date=D(2027, 1, 4))
    assert "574" in errors_of(excinfo)["start_date"][0]
    with pytest.raises(ValidationError) as excinfo:
        missing_episode_record(
            period=period, recorded_by=alice, kind="A", start_date=D(2027, 1, 9), end_date=D(2027, 1, 8)
        )
    assert "567" in errors_of(excinfo)["end_date"][0]
    with pytest.raises(ValidationError) as excinfo:
        missing_episode_record(period=period, recorded_by=alice, kind="M", start_date=D(2026, 12, 1))
    assert "before the child became looked after" in errors_of(excinfo)["start_date"][0]


def test_one_initial_health_assessment_and_reviews_after_it(child, alice):
    period = start(child, alice, START)
    with pytest.raises(ValidationError) as excinfo:
        health_assessment_record(
            period=period, recorded_by=alice, kind=HealthCheckKind.REVIEW, done_on=D(2027, 1, 4)
        )
    assert "follows the initial one" in errors_of(excinfo)["kind"][0]
    health_assessment_record(
        period=period, recorded_by=alice, kind=HealthCheckKind.INITIAL, done_on=D(2027, 1, 4)
    )
    with pytest.raises(ValidationError) as excinfo:
        health_assessment_record(
            period=period, recorded_by=alice, kind=HealthCheckKind.INITIAL, done_on=D(2027, 2, 4)
        )
    assert "this is a review" in errors_of(excinfo)["kind"][0]


# -- SSDA903 rules checked at entry ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"placement_type": "T1", "placement_provider": "", "urn": ""}, "placement_type", "380"),
        ({"placement_type": "Z11", "placement_provider": "PR1", "urn": ""}, "placement_provider", "213"),
        ({"placement_provider": ""}, "placement_provider", "526"),
        ({"placement_provider": "PR0"}, "placement_provider", "550"),
        ({"placement_type": "K2", "placement_provider": "PR3"}, "placement_provider", "529"),
        ({"placement_type": "R2", "placement_provider": "PR1", "urn": ""}, "placement_provider", "527"),
        ({"urn": ""}, "urn", "218"),
        ({"placement_type": "P1", "placement_provider": "PR0", "legal_status": "C2"}, "urn", "222"),
        ({"urn": "12AB"}, "urn", "1008"),
        ({"placement_postcode": "B1 1BB"}, "placement_postcode", "392d"),
        ({"placement_postcode": "nowhere"}, "placement_postcode", "392c"),
        ({"legal_status": "J1"}, "legal_status", "358"),
        (
            {"placement_type": "P1", "placement_provider": "PR0", "urn": "", "legal_status": "V2"},
            "legal_status",
            "378",
        ),
        ({"placement_type": "P3", "placement_provider": "PR4", "urn": ""}, "placement_type", "374"),
        ({"need_code": "N9"}, "need_code", "145"),
    ],
)
def test_ssda903_rules_refuse_bad_episodes_at_entry(people, alice, overrides, field, rule):
    nine_year_old = child_born(people, D(2017, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        start(nine_year_old, alice, START, **overrides)
    assert rule in errors_of(excinfo)[field][0]
    assert not PeriodOfCare.objects.filter(child=nine_year_old).exists()


def test_an_urn_placeholder_is_accepted_for_a_provider_with_none(child, alice):
    period = start(child, alice, START, urn="xxxxxxx")
    assert current(period).urn == "XXXXXXX"


def test_a_young_person_of_18_does_not_start_to_be_looked_after(people, alice):
    adult = child_born(people, D(2008, 12, 1))
    with pytest.raises(ValidationError) as excinfo:
        start(adult, alice, START)
    assert "352" in errors_of(excinfo)["start_date"][0]


def test_placement_codes_are_checked_against_the_day(people, alice):
    # K3 and Z11-Z14 arrived in 2025-26; H5 and Z1 left with 2024-25. K3, supported accommodation, is for a
    # young person of 16 or over (rule 371).
    child = child_born(people, D(2008, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        start(child, alice, D(2025, 3, 20), placement_type="K3")
    assert errors_of(excinfo)["placement_type"] == [
        "K3 is not a code in use on 20 March 2025: choose the placement type"
    ]
    with pytest.raises(ValidationError) as excinfo:
        start(child, alice, D(2025, 4, 1), placement_type="H5")
    assert "H5 is not a code in use" in errors_of(excinfo)["placement_type"][0]
    period = start(child, alice, D(2025, 4, 1), placement_type="K3", placement_provider="PR4")
    assert current(period).placement_type == "K3"


def test_a_placement_change_needs_its_reason_except_for_temporary_moves(child, alice):
    period = start(child, alice, START)
    with pytest.raises(ValidationError) as excinfo:
        move(period, alice, D(2027, 1, 4), reason_place_change="")
    assert "225" in errors_of(excinfo)["reason_place_change"][0]
    with pytest.raises(ValidationError) as excinfo:
        move(
            period,
            alice,
            D(2027, 1, 4),
            placement_type="T2",
            placement_provider="",
            urn="",
            reason_place_change="CARPL",
        )
    assert "226" in errors_of(excinfo)["reason_place_change"][0]
    with pytest.raises(ValidationError) as excinfo:
        move(period, alice, D(2027, 1, 4), reason_place_change="NOPE")
    assert "NOPE is not a code in use" in errors_of(excinfo)["reason_place_change"][0]


def test_after_a_temporary_placement_the_child_returns_to_their_usual_one(child, alice):
    period = start(child, alice, START)
    move(
        period,
        alice,
        D(2027, 1, 4),
        placement_type="T2",
        placement_provider="",
        urn="",
        reason_place_change="",
    )
    with pytest.raises(ValidationError) as excinfo:
        move(period, alice, D(2027, 1, 8), reason_place_change="")
    assert "383" in errors_of(excinfo)["placement_type"][0]
    move(period, alice, D(2027, 1, 8), placement_type="U6", reason_place_change="")
    with pytest.raises(ValidationError) as excinfo:
        end(period, alice, D(2027, 1, 4))
    assert "before the current episode began" in errors_of(excinfo)["end_date"][0]


def test_a_period_cannot_end_in_a_temporary_placement(child, alice):
    period = start(child, alice, START)
    move(
        period,
        alice,
        D(2027, 1, 4),
        placement_type="T1",
        placement_provider="",
        urn="",
        reason_place_change="",
    )
    with pytest.raises(ValidationError) as excinfo:
        end(period, alice, D(2027, 1, 6))
    assert "381" in errors_of(excinfo)["reason"][0]


@pytest.mark.parametrize(
    ("reason", "rule"),
    [("E11", "390"), ("E45", "516"), ("E17", "460"), ("E7", "389"), ("X1", "")],
)
def test_the_reason_for_ceasing_must_fit_the_child(child, alice, reason, rule):
    period = start(child, alice, START, placement_type="K2", placement_provider="PR4")
    with pytest.raises(ValidationError) as excinfo:
        end(period, alice, D(2027, 1, 6), reason=reason)
    assert rule in errors_of(excinfo)["reason"][0]


def test_police_protection_cannot_outlast_72_hours(child, alice):
    period = start(child, alice, START, legal_status="L1")
    with pytest.raises(ValidationError) as excinfo:
        lac_legal_status_change(
            period=period,
            changed_by=alice,
            version=current(period).version,
            on=D(2026, 12, 23),
            legal_status="C1",
        )
    assert "361" in errors_of(excinfo)["legal_status"][0]
    lac_legal_status_change(
        period=period,
        changed_by=alice,
        version=current(period).version,
        on=D(2026, 12, 19),
        legal_status="C1",
    )


def test_a_legal_status_change_must_change_the_legal_status(child, alice):
    period = start(child, alice, START)
    with pytest.raises(ValidationError) as excinfo:
        lac_legal_status_change(
            period=period,
            changed_by=alice,
            version=current(period).version,
            on=D(2027, 1, 4),
            legal_status="C2",
        )
    assert "already" in errors_of(excinfo)["legal_status"][0]


@pytest.mark.parametrize(
    ("born", "code", "ok"),
    [(D(2023, 6, 1), "PN1", False), (D(2015, 6, 1), "PN0", False), (D(2023, 6, 1), "PN0", True)],
)
def test_review_participation_fits_the_childs_age(people, alice, born, code, ok):
    young = child_born(people, born)
    period = start(young, alice, START)
    if ok:
        lac_review_record(period=period, recorded_by=alice, held_on=D(2027, 1, 14), participation=code)
        return
    with pytest.raises(ValidationError) as excinfo:
        lac_review_record(period=period, recorded_by=alice, held_on=D(2027, 1, 14), participation=code)
    assert "rule 44" in errors_of(excinfo)["participation"][0]


# -- who may record -------------------------------------------------------------------------------------------


def test_a_worker_without_access_cannot_record(people, child, alice):
    with pytest.raises(PermissionDenied):
        start(child, people.other_worker.user, START)
    period = start(child, alice, START)
    with pytest.raises(PermissionDenied):
        lac_review_record(
            period=period, recorded_by=people.inspector.user, held_on=D(2027, 1, 4), participation="PN1"
        )


# -- two people, one record -----------------------------------------------------------------------------------


def test_a_second_move_saved_from_a_stale_page_is_refused_with_who_and_what(people, child, alice):
    period = start(child, alice, START)
    read = current(period).version  # both Alice and Carl open the page
    move(period, people.colleague.user, D(2027, 1, 4), version=read)
    with pytest.raises(VersionConflict) as excinfo:
        move(period, alice, D(2027, 1, 6), version=read, placement_type="U4", placement_provider="PR1")
    message = excinfo.value.messages[0]
    assert message.startswith("Carl Worker changed the child's placement or legal status")
    assert (
        "It is now: Children's home subject to children's homes regulations (K2) since 4 January 2027"
        in message
    )
    assert "Your changes have not been saved" in message
    assert period.episodes.count() == 2


def test_a_stale_edit_of_the_placements_details_is_refused(people, child, alice):
    period = start(child, alice, START)
    episode = current(period)
    details = {
        "provider_name": "Mr and Mrs Green",
        "placement_postcode": "B15 2TT",
        "home_postcode": "B1 1BB",
        "urn": "SC123456",
    }
    lac_episode_update(
        episode=episode, updated_by=people.colleague.user, version=1, long_term=True, **details
    )
    stale = LacEpisode.objects.get(pk=episode.pk)
    with pytest.raises(VersionConflict) as excinfo:
        lac_episode_update(
            episode=stale, updated_by=alice, version=1, long_term=False, **{**details, "urn": "SC000001"}
        )
    assert "placement intended to last until 18" in excinfo.value.messages[0]
    stale.refresh_from_db()
    assert (stale.long_term, stale.urn, stale.version) == (True, "SC123456", 2)


# -- care leavers --------------------------------------------------------------------------------------------


@pytest.fixture
def sixteen(people, alice):
    """Born 1 June 2010: 16 on 1 June 2026."""
    return child_born(people, D(2010, 6, 1))


def test_an_eligible_child_has_been_looked_after_13_weeks_since_14(sixteen, alice):
    start(sixteen, alice, D(2026, 4, 1), placement_type="U4", long_term=True)
    assert round(weeks_looked_after_since_14(sixteen, D(2026, 6, 1)), 1) == 8.7
    with pytest.raises(ValidationError) as excinfo:
        care_leaver_start(child=sixteen, started_by=alice, status="eligible", start_date=D(2026, 6, 1))
    assert "13 weeks" in errors_of(excinfo)["status"][0]
    care_leaver_start(child=sixteen, started_by=alice, status="eligible", start_date=D(2026, 7, 1))


def test_a_relevant_child_has_left_care(sixteen, alice):
    start(sixteen, alice, D(2025, 1, 6), placement_type="U4")
    with pytest.raises(ValidationError) as excinfo:
        care_leaver_start(child=sixteen, started_by=alice, status="relevant", start_date=D(2026, 6, 1))
    assert "still looked after" in errors_of(excinfo)["status"][0]


def test_a_care_leaver_status_moves_only_forwards(sixteen, alice):
    record = care_leaver_start(child=sixteen, started_by=alice, status="relevant", start_date=D(2026, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        care_leaver_update(
            care_leaver=record,
            updated_by=alice,
            version=record.version,
            status="eligible",
            status_since=D(2026, 7, 1),
            personal_adviser=None,
        )
    assert "cannot become eligible" in errors_of(excinfo)["status"][0]
    with pytest.raises(ValidationError) as excinfo:
        care_leaver_update(
            care_leaver=record,
            updated_by=alice,
            version=record.version,
            status="former_relevant",
            status_since=D(2027, 6, 1),
            personal_adviser=None,
        )
    assert "aged 18 to 24" in errors_of(excinfo)["status"][0]
    care_leaver_update(
        care_leaver=record,
        updated_by=alice,
        version=record.version,
        status="former_relevant",
        status_since=D(2028, 6, 1),
        personal_adviser=None,
    )
    assert CareLeaver.objects.get().status == "former_relevant"


def test_one_leaving_care_record_at_a_time(sixteen, alice):
    care_leaver_start(child=sixteen, started_by=alice, status="relevant", start_date=D(2026, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        care_leaver_start(child=sixteen, started_by=alice, status="relevant", start_date=D(2026, 7, 1))
    assert "already has a leaving care record" in errors_of(excinfo)["status"][0]


def test_the_pathway_plan_follows_the_needs_assessment(sixteen, alice):
    record = care_leaver_start(child=sixteen, started_by=alice, status="relevant", start_date=D(2026, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        pathway_plan_start(care_leaver=record, recorded_by=alice, started_on=D(2026, 7, 1))
    assert "reg 43" in errors_of(excinfo)["started_on"][0]


def test_oc3_codes_and_rules_for_care_leavers(sixteen, alice):
    record = care_leaver_start(child=sixteen, started_by=alice, status="relevant", start_date=D(2026, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        care_leaver_contact_record(
            care_leaver=record, recorded_by=alice, contacted_on=D(2026, 7, 1), in_touch="MAYBE"
        )
    assert errors_of(excinfo)["in_touch"] == [
        "MAYBE is not a code in use on 1 July 2026: choose the answer to whether you are in touch"
    ]
    care_leaver_contact_record(
        care_leaver=record, recorded_by=alice, contacted_on=D(2026, 7, 1), in_touch="YES"
    )
    with pytest.raises(ValidationError) as excinfo:
        care_leaver_accommodation_record(
            care_leaver=record, recorded_by=alice, start_date=D(2026, 7, 1), code="S", suitable=True
        )
    assert "133" in errors_of(excinfo)["suitable"][0]
    with pytest.raises(ValidationError) as excinfo:
        care_leaver_accommodation_record(
            care_leaver=record, recorded_by=alice, start_date=D(2026, 7, 1), code="Z", suitable=True
        )
    assert "3001" in errors_of(excinfo)["code"][0]
    with pytest.raises(ValidationError) as excinfo:
        care_leaver_activity_record(
            care_leaver=record, recorded_by=alice, start_date=D(2026, 7, 1), code="F3"
        )
    assert "F3 is not a code in use" in errors_of(excinfo)["code"][0]  # F3 gave way to F4 and F5
    activity = care_leaver_activity_record(
        care_leaver=record, recorded_by=alice, start_date=D(2026, 7, 1), code="F2"
    )
    assert activity.code_label == "Full-time in education other than higher education"


def test_the_personal_adviser_reaches_the_young_persons_record(people, sixteen, alice):
    from safeguard.audit.policy import access_basis, visible_children

    adviser = people.other_worker  # in another area's team: no allocation
    assert not access_basis(adviser.user, sixteen).allowed
    care_leaver_start(
        child=sixteen, started_by=alice, status="relevant", start_date=D(2026, 6, 1), personal_adviser=adviser
    )
    assert access_basis(adviser.user, sixteen).reason == "personal adviser"
    assert sixteen in visible_children(adviser.user)
