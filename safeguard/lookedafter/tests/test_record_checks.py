"""A change to a looked-after child's records that would give the SSDA903 of the year in progress a new error
is refused when it is saved, with the DfE's message and the rule's code, and nothing of it is kept
(core.record_checks, returns.record_checks; ADR 11). Every test runs on 1 March 2029 (conftest): the year in
progress is 2028-29."""

import pytest
from django.core.exceptions import ValidationError

from safeguard.core import record_checks
from safeguard.core.years import CollectionYear
from safeguard.lookedafter.models import LacEpisode, LacReview, PeriodOfCare
from safeguard.lookedafter.services import (
    care_leaver_contact_record,
    care_leaver_start,
    lac_episode_update,
    lac_legal_status_change,
    lac_placement_change,
    lac_review_record,
    period_of_care_end,
)
from safeguard.lookedafter.tests.helpers import D, child_born, start
from safeguard.returns import rules
from safeguard.returns.record_checks import LEFT_TO_THE_ANALYST, checked_on_entry, ssda903_problems
from safeguard.returns.ssda903.build import build
from safeguard.returns.ssda903.checks.common import OC2_ITEMS, OC3_ITEMS
from safeguard.returns.ssda903.validate import COLLECTION, validate

pytestmark = pytest.mark.django_db

YEAR = CollectionYear(2029)
START = D(2028, 6, 5)


@pytest.fixture
def period(child, alice):
    return start(child, alice, START)


def current(period) -> LacEpisode:
    return period.episodes.get(end_date__isnull=True)


def refused(excinfo, rule: str) -> list[str]:
    """The messages of a refusal that name the SSDA903 rule."""
    return [message for message in excinfo.value.messages if message.endswith(f"[SSDA903 rule {rule}]")]


def test_the_ssda903_checker_is_registered(child, period):
    assert ssda903_problems in record_checks._CHECKERS
    assert ssda903_problems(child.pk) == {}  # a period of care recorded through the services is valid


def test_a_placement_order_without_the_decision_to_place_for_adoption_is_refused(child, alice, period):
    """Rule 553 (a placement order, E1, needs the decision that the child should be placed for adoption): the
    legal status service does not check it; the SSDA903 does, and the change is undone."""
    with pytest.raises(ValidationError) as excinfo:
        lac_legal_status_change(
            period=period,
            changed_by=alice,
            version=current(period).version,
            on=D(2028, 9, 1),
            legal_status="E1",
        )
    assert refused(excinfo, "553") == [
        "Placement order has been granted but there is no date of decision that the child should "
        "[SSDA903 rule 553]"
    ]
    assert list(period.episodes.values_list("legal_status", "end_date")) == [("C2", None)]


def test_a_move_to_a_placement_with_no_postcode_is_refused(child, alice, period):
    """Rule 392b (a looked-after child's episodes give the placement's postcode): the placement change
    service takes the postcode as optional."""
    with pytest.raises(ValidationError) as excinfo:
        lac_placement_change(
            period=period,
            changed_by=alice,
            version=current(period).version,
            on=D(2028, 9, 1),
            placement_type="K2",
            placement_provider="PR4",
            urn="SC654321",
            reason_place_change="CARPL",
        )
    assert refused(excinfo, "392b")
    assert "Child is looked after but no postcodes are recorded" in refused(excinfo, "392b")[0]
    assert period.episodes.count() == 1
    assert current(period).placement_type == "U6"


def test_clearing_the_placements_postcode_is_refused(child, alice, period):
    episode = current(period)
    with pytest.raises(ValidationError) as excinfo:
        lac_episode_update(
            episode=episode,
            updated_by=alice,
            version=episode.version,
            provider_name=episode.provider_name,
            placement_postcode="",
            home_postcode=episode.home_postcode,
            urn=episode.urn,
            long_term=False,
        )
    assert refused(excinfo, "392b")
    episode.refresh_from_db()
    assert episode.placement_postcode == "B15 2TT"


def test_a_problem_already_there_does_not_stop_an_unrelated_change(child, alice, period):
    LacEpisode.objects.filter(period=period).update(placement_postcode="")  # 392b, before the change
    assert any(key.startswith("SSDA903:392b:") for key in ssda903_problems(child.pk))
    review = lac_review_record(period=period, recorded_by=alice, held_on=D(2028, 7, 1), participation="PN1")
    assert LacReview.objects.filter(pk=review.pk).exists()


def test_a_period_of_care_that_brings_the_child_into_the_oc2_cohort_is_not_refused(child, alice):
    """Care recorded late that began before 1 April 2028 puts the child among those looked after for 12 months
    at 31 March 2029. Their OC2 outcomes are recorded after that day, so the return of the year in progress has
    the OC2 errors until then; they are the analyst's to follow, not a reason to refuse the change."""
    period = start(child, alice, D(2028, 3, 1))
    assert PeriodOfCare.objects.filter(pk=period.pk).exists()
    in_progress = validate(build(YEAR, child=child.pk))
    oc2_errors = {finding.rule.code for finding in in_progress.errors}
    assert {"182", "186", "191", "543"} <= oc2_errors  # 12 years old: SDQ, convictions, health items
    assert oc2_errors <= set(LEFT_TO_THE_ANALYST)
    assert ssda903_problems(child.pk) == {}
    # Later changes go on being made while the outcomes wait.
    lac_review_record(period=period, recorded_by=alice, held_on=D(2028, 8, 1), participation="PN1")


def test_a_care_leaver_is_not_refused_for_the_oc3_items_of_a_birthday_to_come(people, alice):
    """A young person who left care at 17 is in OC3 for their 18th birthday (1 January 2029); what is returned
    is as things stood at the contact nearest it, which may come after the records are saved."""
    young_person = child_born(people, D(2011, 1, 1))
    period = start(young_person, alice, D(2025, 1, 6), placement_type="U4", long_term=True)
    period_of_care_end(
        period=period, ended_by=alice, version=current(period).version, end_date=D(2028, 10, 1), reason="E8"
    )
    record = care_leaver_start(
        child=young_person, started_by=alice, status="relevant", start_date=D(2028, 10, 2)
    )
    care_leaver_contact_record(
        care_leaver=record, recorded_by=alice, contacted_on=D(2029, 1, 3), in_touch="YES"
    )
    oc3 = build(YEAR, child=young_person.pk).children[0].rows("OC3")
    assert [(row["IN_TOUCH"], row["ACTIV"], row["ACCOM"]) for row in oc3] == [("YES", "", "")]
    # Rule 153 (OC3's items all coded or all blank) waits for the activity and accommodation; the child's
    # details (ethnicity, UPN) and social workers are other records': all on the report, none refuses.
    in_progress = {finding.rule.code for finding in validate(build(YEAR, child=young_person.pk)).errors}
    assert "153" in in_progress
    assert in_progress <= set(LEFT_TO_THE_ANALYST)
    assert ssda903_problems(young_person.pk) == {}


def test_the_rules_left_to_the_analyst_are_rules_with_their_reasons():
    child_rules = {
        rule.code
        for year_end in range(2023, 2030)
        for rule, check in rules.checks_for(COLLECTION, CollectionYear(year_end))
        if check.scope == "child"
    }
    assert set(LEFT_TO_THE_ANALYST) <= child_rules
    assert all(reason.strip() for reason in LEFT_TO_THE_ANALYST.values())


def test_every_rule_on_the_oc2_and_oc3_items_alone_is_left_to_the_analyst():
    """Rules whose items are all OC2 or OC3 items (the date of birth aside) are about what is recorded after
    31 March or around a birthday to come."""
    outcome_items = {*OC2_ITEMS, *OC3_ITEMS, "SDQ_SCORE", "SDQ_REASON"}
    for year_end in range(2023, 2030):
        for rule, check in rules.checks_for(COLLECTION, CollectionYear(year_end)):
            items = set(check.fields) - {"DOB"}
            if items and items <= outcome_items:
                assert rule.code in LEFT_TO_THE_ANALYST, rule.code


def test_only_child_level_rules_are_checked_on_entry():
    scopes = {rule.code: check.scope for rule, check in rules.checks_for(COLLECTION, YEAR)}
    codes = checked_on_entry(YEAR)
    assert codes and all(scopes[code] == "child" for code in codes)
    assert not codes & set(LEFT_TO_THE_ANALYST)
    assert "444" not in codes  # a UPN used twice in the council: a return-level rule
