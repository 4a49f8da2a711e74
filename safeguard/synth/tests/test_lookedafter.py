"""Children looked after and care leavers at 5,000 children: a period of care for every child looked after
today, episode chains the SSDA903 rules accept, and deadlines exactly as the compliance engine would have
written them."""

import collections
import datetime
import hashlib
import random

import pytest
from django.db.models import F, Q

from safeguard.casework.models import CinEpisode, Visit
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.compliance.services import compliance_event, deadlines_record_breaches
from safeguard.core.reference import codes_valid_on
from safeguard.core.years import CollectionYear
from safeguard.lookedafter import rules
from safeguard.lookedafter.models import (
    Adoption,
    AnnualOutcome,
    CareLeaver,
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    CareLeaverStatus,
    DeprivationOfLiberty,
    HealthAssessment,
    HealthCheckKind,
    LacEpisode,
    LacPlan,
    LacPlanKind,
    LacReview,
    MissingEpisode,
    NeedsAssessment,
    PathwayPlan,
    PathwayPlanReview,
    PeriodOfCare,
    PersonalEducationPlan,
    UascStatus,
    convictions_apply,
    placements_of,
    sdq_applies,
)
from safeguard.lookedafter.selectors import oc2_cohort, uasc_rows
from safeguard.lookedafter.services import _check_outcome
from safeguard.organisation.models import Area, Team, TeamKind
from safeguard.people.models import Child, Sex
from safeguard.synth import rates
from safeguard.synth.steps import lookedafter
from safeguard.synth.tests.conftest import CHILDREN, SEED, TODAY, care_cover_hidden

pytestmark = pytest.mark.usefixtures("city", "db")

SCOPES = (lookedafter.PERIOD, lookedafter.MISSING, lookedafter.CARE_LEAVER)
FIELDS = (
    "duty_id",
    "child_id",
    "scope_type",
    "scope_id",
    "started_by",
    "starts_on",
    "due_on",
    "status",
    "closed_on",
    "closed_by",
    "breached_on",
    "days_late",
    "team_id",
    "area_id",
)


def deadlines():
    return Deadline.objects.filter(scope_type__in=SCOPES)


def looked_after_cases(city):
    return [case for case in city.context.cases if case.kind in lookedafter.LOOKED_AFTER_KINDS]


def test_children_looked_after_per_10000_match_the_allocations(city):
    cases = looked_after_cases(city)
    periods = PeriodOfCare.objects.open()
    assert periods.count() == len(cases)
    per_10k = periods.count() * 10_000 / CHILDREN
    assert rates.LOOKED_AFTER * 0.85 < per_10k < rates.LOOKED_AFTER * 1.15
    # Closed periods at about the national rate of children ceasing to be looked after.
    closed = PeriodOfCare.objects.filter(end_date__isnull=False).count()
    expected = rates.LAC_CEASED_PER_10K_PER_YEAR * 3 * CHILDREN / 10_000
    assert 0.7 * expected < closed <= expected + 1


def test_every_child_looked_after_today_has_an_open_period_inside_their_open_episode(city):
    open_periods = {p.child_id: p for p in PeriodOfCare.objects.open()}
    open_episodes = set(LacEpisode.objects.open().values_list("child_id", flat=True))
    cin = {e.child_id: e for e in CinEpisode.objects.filter(closure_date__isnull=True)}
    for case in looked_after_cases(city):
        period = open_periods[case.child_id]
        assert case.child_id in open_episodes
        assert city.context.open_periods[case.child_id] == period.pk
        episode = cin[case.child_id]  # a looked-after child's child in need episode stays open
        assert episode.referral_date <= period.start_date <= TODAY
    # Nobody else is looked after today, and a closed period lies inside a closed episode.
    assert set(open_periods) == {case.child_id for case in looked_after_cases(city)}
    for period in PeriodOfCare.objects.filter(end_date__isnull=False):
        assert CinEpisode.objects.filter(
            child_id=period.child_id,
            referral_date__lte=period.start_date,
            closure_date__gte=period.end_date,
        ).exists()


def test_episode_chains_are_gapless_and_follow_the_ssda903_rules():
    births = dict(Child.objects.values_list("pk", "person__date_of_birth"))
    uasc = set(UascStatus.objects.values_list("child_id", flat=True))
    checked = 0
    for period in PeriodOfCare.objects.all():
        episodes = list(period.episodes.order_by("start_date"))
        born = births[period.child_id]

        def age(day, born=born):
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

        assert episodes[0].start_date == period.start_date
        assert episodes[0].reason_new_episode == rules.STARTED
        assert not episodes[0].is_temporary  # 380
        assert [e.reason_new_episode for e in episodes[1:]] == [
            e.reason_new_episode for e in episodes[1:] if e.reason_new_episode in "LPTUB"
        ]
        for before, after in zip(episodes, episodes[1:], strict=False):
            assert before.end_date == after.start_date and before.end_reason == rules.CONTINUES
            if after.reason_new_episode == "L":
                assert before.placement_type == after.placement_type
                assert before.legal_status != after.legal_status
            else:
                assert before.placement_type != after.placement_type or after.reason_new_episode in "UB"
            temporary = before.is_temporary or after.is_temporary
            if after.reason_new_episode == "L" or temporary:
                assert before.reason_place_change == ""  # 226
            else:
                assert before.reason_place_change in codes_valid_on("reason_place_change", before.end_date)
        last = episodes[-1]
        assert (last.end_date, last.end_reason) == (period.end_date, period.end_reason)
        if period.end_date is not None:
            assert period.end_reason in codes_valid_on("reason_episode_ceased", period.end_date)
            assert period.end_reason != rules.CONTINUES
            assert not rules.check_ending(
                reason=period.end_reason, age=age(period.end_date), last_place=last.placement_type
            )
        for episode in episodes:
            day = episode.start_date
            assert episode.placement_type in codes_valid_on("placement_type", day)
            assert episode.legal_status in codes_valid_on("legal_status", day)
            assert episode.need_code in {"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"}
            if episode.placement_provider:
                assert episode.placement_provider in codes_valid_on("placement_provider", day)
            assert not rules.check_placement(
                place=episode.placement_type,
                provider=episode.placement_provider,
                urn=episode.urn,
                placement_postcode=episode.placement_postcode,
                home_postcode=episode.home_postcode,
                age=age(day),
            ), episode.__dict__
            assert not rules.check_legal_status(
                legal_status=episode.legal_status, place=episode.placement_type, age=age(day)
            )
            # An unaccompanied asylum-seeking child's home is abroad: no home postcode (SSDA903 rule 406).
            assert episode.home_postcode or period.child_id in uasc
            checked += 1
        # Police protection, EPOs and child assessment orders kept no longer than the law allows (361-363).
        began = episodes[0].start_date
        for before, after in zip(episodes, episodes[1:] + [None], strict=False):
            ends = after.start_date if after is not None else (period.end_date or TODAY)
            if after is None or after.legal_status != before.legal_status:
                if after is None and period.end_date is None:
                    break
                assert rules.legal_status_overrun(before.legal_status, began, ends) is None
                if after is not None:
                    began = after.start_date
    assert checked > 100
    current = collections.Counter(LacEpisode.objects.open().values_list("legal_status", flat=True))
    assert current.most_common(1)[0][0] == "C2"
    places = collections.Counter(LacEpisode.objects.values_list("placement_type", flat=True))
    foster = sum(n for place, n in places.items() if place in rules.FOSTER_PLACEMENTS)
    assert foster > 0.55 * sum(places.values())
    assert places["K2"] > 0


def test_records_lie_inside_their_period():
    def inside(model, field):
        rows = model.objects.filter(
            Q(**{f"{field}__lt": F("period__start_date")})
            | Q(**{f"{field}__gt": F("period__end_date")})
            | Q(**{f"{field}__gt": TODAY})
        )
        assert not rows.exists(), model

    inside(LacReview, "held_on")
    inside(HealthAssessment, "done_on")
    inside(PersonalEducationPlan, "completed_on")
    inside(MissingEpisode, "start_date")
    inside(MissingEpisode, "end_date")
    assert not LacPlan.objects.filter(completed_on__gt=TODAY).exists()
    assert not LacPlan.objects.filter(kind=LacPlanKind.PLACEMENT_PLAN, episode__isnull=True).exists()
    assert not MissingEpisode.objects.filter(interview_offered_on__lt=F("end_date")).exists()
    # Reviews: PN0 exactly for children under 4 (rules 440/441).
    for review in LacReview.objects.select_related("child__person"):
        under_four = review.child.person.age_on(review.held_on) < 4
        assert (review.participation == "PN0") == under_four
    assert HealthAssessment.objects.filter(kind=HealthCheckKind.DENTAL).exists()


def test_care_leavers_are_owed_the_duties_and_have_an_adviser_of_the_16_plus_team():
    records = list(CareLeaver.objects.select_related("child__person", "personal_adviser__team"))
    assert records
    statuses = collections.Counter(record.status for record in records)
    assert statuses[CareLeaverStatus.ELIGIBLE] > 0
    for record in records:
        age = record.child.person.age_on(record.status_since)
        assert 16 <= age < 18
        assert record.personal_adviser.team.kind in (TeamKind.CARE_LEAVERS, TeamKind.CHILDREN_IN_CARE)
        periods = PeriodOfCare.objects.filter(child_id=record.child_id)
        looked_after = periods.filter(start_date__lte=record.status_since).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=record.status_since)
        )
        if record.status == CareLeaverStatus.ELIGIBLE:
            assert looked_after.exists()
        else:
            assert not looked_after.exists()
            assert periods.filter(end_date=record.status_since).exists()
    assert NeedsAssessment.objects.exists() and PathwayPlan.objects.exists()
    assert CareLeaverContact.objects.exists() and CareLeaverActivity.objects.exists()
    assert not PathwayPlan.objects.filter(started_on__gt=TODAY).exists()


# -- deadlines ---------------------------------------------------------------------------------------------------


def test_pep_deadlines_only_for_children_aged_5_to_15():
    peps = deadlines().filter(duty_id__in=("pep_initial", "pep_review")).select_related("child__person")
    assert peps.exists()
    for deadline in peps:
        assert 5 <= deadline.child.person.age_on(deadline.starts_on) <= 15
    # And babies in care have a review health assessment every 6 months.
    for deadline in deadlines().filter(duty_id="health_assessment_review").select_related("child__person"):
        months = 6 if deadline.child.person.age_on(deadline.starts_on) < 5 else 12
        start = deadline.starts_on
        assert (deadline.due_on.year - start.year) * 12 + deadline.due_on.month - start.month == months


def test_a_few_percent_of_children_looked_after_have_something_overdue(city):
    looked_after = {case.child_id for case in looked_after_cases(city)}
    overdue = set(deadlines().overdue(TODAY).values_list("child_id", flat=True))
    assert 0.01 < len(overdue & looked_after) / len(looked_after) < 0.25
    closed = deadlines().exclude(status=DeadlineStatus.OPEN)
    assert 0.03 < closed.filter(days_late__isnull=False).count() / closed.count() < 0.2
    assert closed.filter(status=DeadlineStatus.CANCELLED, closed_by="lac.ended").exists()
    assert closed.filter(duty_id="lac_visit", status=DeadlineStatus.MET).exists()
    assert deadlines().filter(duty_id="lac_review", status=DeadlineStatus.MET).exists()


def replayed_events(child_id: int) -> list[tuple]:
    """The compliance events the lookedafter services would have raised for this child's records, in order
    (with every visit at which the child was seen, which meets any visit deadline)."""
    rank = lookedafter.RANK
    events = []

    def add(day, name, scope, order):
        events.append((day, rank[name], order, name, scope))

    for period in PeriodOfCare.objects.filter(child_id=child_id):
        add(period.start_date, "lac.started", period, (0, period.pk))
        placements = list(placements_of(period.episodes.order_by("start_date")))
        starts = sorted({p.started_on for p in placements})
        for day in starts:
            add(day, "placement.started", period, (0, period.pk, day))
        for plan in period.plans.all():
            if plan.kind == LacPlanKind.CARE_PLAN:
                add(max(plan.completed_on, period.start_date), "care_plan.completed", period, (1, plan.pk))
            else:
                began = max(day for day in starts if day <= plan.completed_on)
                add(max(plan.completed_on, began), "placement_plan.completed", period, (1, plan.pk))
        for review in period.reviews.all():
            add(review.held_on, "lac_review.held", period, (1, review.pk))
        for check in period.health_assessments.exclude(kind=HealthCheckKind.DENTAL):
            add(check.done_on, "health_assessment.completed", period, (1, check.pk))
        for pep in period.education_plans.all():
            add(pep.completed_on, "pep.completed", period, (1, pep.pk))
        for missing in period.missing_episodes.all():
            add(missing.end_date, "missing.returned", missing, (1, missing.pk))
            if missing.interview_offered_on:
                add(missing.interview_offered_on, "return_interview.offered", missing, (1, missing.pk))
        if period.end_date is not None:
            add(period.end_date, "lac.ended", None, (1, period.pk))
    for record in CareLeaver.objects.filter(child_id=child_id):
        add(record.start_date, "care_leaver.eligible", record, (1, record.pk))
        for assessment in record.needs_assessments.all():
            add(assessment.completed_on, "needs_assessment.completed", record, (1, assessment.pk))
        for plan in PathwayPlan.objects.filter(care_leaver=record):
            add(plan.started_on, "pathway_plan.started", record, (1, plan.pk))
            for review in plan.reviews.all():
                add(review.reviewed_on, "pathway_plan.reviewed", record, (1, review.pk))
        provided = record.accommodation.filter(provided_by_la=True).order_by("start_date").first()
        if provided is not None:
            add(provided.start_date, "care_leaver.accommodation_provided", record, (1, provided.pk))
    for visit in Visit.objects.filter(child_id=child_id, child_seen=True):
        add(visit.visited_on, "visit.child_seen", None, (0, visit.pk))
    return sorted(events, key=lambda event: event[:3])


def sample_children() -> list[int]:
    """Children whose histories exercise every path."""
    picks = []

    def some(queryset, n=2, *, required=True):
        found = list(queryset.order_by("child_id").values_list("child_id", flat=True).distinct()[:n])
        assert found or not required, queryset.query
        picks.extend(found)

    some(PeriodOfCare.objects.open())
    some(PeriodOfCare.objects.filter(end_date__isnull=False))
    some(LacEpisode.objects.filter(reason_new_episode="P"))
    some(LacEpisode.objects.filter(long_term=True, start_date__lt=TODAY - datetime.timedelta(days=500)))
    some(LacEpisode.objects.filter(placement_type__in=rules.TEMPORARY_PLACEMENTS), required=False)
    some(MissingEpisode.objects.all(), required=False)
    some(CareLeaver.objects.filter(status=CareLeaverStatus.ELIGIBLE))
    some(CareLeaver.objects.filter(status=CareLeaverStatus.RELEVANT), required=False)
    some(CareLeaverAccommodation.objects.filter(provided_by_la=True), required=False)
    some(deadlines().overdue(TODAY))
    some(deadlines().filter(duty_id="pep_review"))
    some(
        PeriodOfCare.objects.filter(child__person__date_of_birth__gt=TODAY - datetime.timedelta(days=5 * 365))
    )
    return sorted(set(picks))


def test_replaying_a_sample_of_children_through_the_engine_gives_the_same_deadlines():
    children = sample_children()
    assert len(children) >= 10
    for child_id in children:
        mine = deadlines().filter(child_id=child_id)
        expected = collections.Counter(tuple(row) for row in mine.values_list(*FIELDS))
        assert expected
        where = {
            (scope_type, scope_id): (team, area)
            for scope_type, scope_id, team, area in mine.values_list("scope_type", "scope_id", "team", "area")
        }
        mine.delete()
        child = Child.objects.get(pk=child_id)
        for day, _rank, _order, name, scope in replayed_events(child_id):
            team = area = None
            if scope is not None and (scope._meta.label_lower, scope.pk) in where:
                team_id, area_id = where[(scope._meta.label_lower, scope.pk)]
                team, area = Team.objects.get(pk=team_id), Area.objects.get(pk=area_id)
            compliance_event(event=name, child=child, on=day, scope=scope, team=team, area=area)
        deadlines_record_breaches(today=TODAY)
        got = collections.Counter(
            tuple(row) for row in deadlines().filter(child_id=child_id).values_list(*FIELDS)
        )
        assert got == expected, (child_id, expected - got, got - expected)


# -- determinism -------------------------------------------------------------------------------------------------

MODELS = (
    (PeriodOfCare, ("child_id", "start_date", "end_date", "end_reason", "previous_permanence")),
    (Adoption, ("child_id", "decided_on", "matched_on", "placed_on", "order_on", "reversed_on")),
    (DeprivationOfLiberty, ("child_id", "start_date", "end_date")),
    (LacEpisode, ("child_id", "start_date", "reason_new_episode", "legal_status", "placement_type",
                  "placement_provider", "urn", "placement_postcode", "end_date", "end_reason",
                  "reason_place_change")),
    (LacPlan, ("child_id", "kind", "completed_on")),
    (LacReview, ("child_id", "held_on", "participation")),
    (HealthAssessment, ("child_id", "kind", "done_on")),
    (PersonalEducationPlan, ("child_id", "completed_on")),
    (MissingEpisode, ("child_id", "start_date", "end_date", "interview_offered_on")),
    (CareLeaver, ("child_id", "status", "start_date", "personal_adviser_id")),
    (NeedsAssessment, ("child_id", "completed_on")),
    (PathwayPlan, ("child_id", "started_on")),
    (PathwayPlanReview, ("child_id", "reviewed_on")),
    (CareLeaverContact, ("child_id", "contacted_on", "in_touch")),
    (CareLeaverAccommodation, ("child_id", "start_date", "code", "provided_by_la")),
    (CareLeaverActivity, ("child_id", "start_date", "code")),
    (AnnualOutcome, ("child_id", "year_end", "sdq_score", "sdq_reason", "convicted", "immunisations",
                     "substance_misuse", "intervention_received", "intervention_offered")),
    (UascStatus, ("child_id", "start_date", "end_date")),
)  # fmt: skip


def digest(models=MODELS) -> str:
    h = hashlib.sha256()
    visits = Visit.objects.filter(summary__in=lookedafter.VISIT_SUMMARIES)
    for row in sorted(visits.values_list("child_id", "visited_on", "visited_by_id", "child_seen"), key=repr):
        h.update(repr(row).encode())
    for model, fields in models:
        for row in sorted(model.objects.values_list(*fields), key=repr):
            h.update(repr(row).encode())
    for row in sorted(deadlines().values_list(*(f for f in FIELDS if f != "scope_id")), key=repr):
        h.update(repr(row).encode())
    return h.hexdigest()


def rerun(ctx, seed: int) -> str:
    """Delete what the step wrote and run it again, with the stream the runner gives it."""
    deadlines()._raw_delete("default")
    Visit.objects.filter(summary__in=lookedafter.VISIT_SUMMARIES)._raw_delete("default")
    for model, _ in reversed(MODELS):
        model.objects.all()._raw_delete("default")
    ctx.rng = random.Random(f"{seed}:lookedafter")
    lookedafter.run(ctx)
    return digest()


def test_same_seed_same_looked_after_history_different_seed_different(city):
    ctx = city.context
    first = digest()
    kept = (ctx.extra["lookedafter"], dict(ctx.open_periods), collections.Counter(ctx.counts), ctx.rng)
    try:
        with care_cover_hidden(ctx):
            assert rerun(ctx, SEED) == first
            assert ctx.extra["lookedafter"] == kept[0]
            assert ctx.open_periods == kept[1]
            assert rerun(ctx, SEED + 1) != first
    finally:
        ctx.extra["lookedafter"], ctx.open_periods, ctx.counts, ctx.rng = kept


def test_the_summary_is_saved_with_the_dataset(city):
    summary = city.dataset.counts["lookedafter"]
    assert summary["open_periods"] == PeriodOfCare.objects.open().count()
    assert summary["episodes"] == LacEpisode.objects.count()
    assert summary["deadlines"] == deadlines().count()


# -- outcomes for a year (OC2) and UASC status ---------------------------------------------------------------


def complete_years() -> list[int]:
    first = CollectionYear.containing(PeriodOfCare.objects.order_by("start_date").first().start_date).end_year
    return list(
        range(first, CollectionYear.containing(TODAY).end_year)
    )  # the year under way on TODAY has not ended


OUTCOME_FIELDS = (
    "sdq_score",
    "sdq_reason",
    "convicted",
    "immunisations",
    "substance_misuse",
    "intervention_received",
    "intervention_offered",
)


def test_every_child_in_each_complete_years_oc2_cohort_has_outcomes_valid_under_the_dfe_rules():
    years = complete_years()
    assert AnnualOutcome.objects.exists()
    assert set(AnnualOutcome.objects.values_list("year_end", flat=True)) <= set(years)
    for year_end in years:
        cohort = set(oc2_cohort(year_end=year_end).values_list("child_id", flat=True))
        recorded = AnnualOutcome.objects.filter(year_end=year_end).select_related("child__person")
        assert {outcome.child_id for outcome in recorded} == cohort, year_end
        for outcome in recorded:
            errors: dict = {}
            values = {name: getattr(outcome, name) for name in OUTCOME_FIELDS}
            _check_outcome(errors, child=outcome.child, year_end=year_end, values=values)
            assert not errors, (outcome.child_id, year_end, values, errors)


def test_oc2_outcomes_are_plausible():
    """The generator's draws, over many children of every age (the city's cohort is a few dozen): most
    children aged 4 to 16 have an SDQ score, averaging about 14; SDQ1 only where the age allows it; most
    immunisations up to date; a few convictions and substance misuse problems among those 10 or over; and
    every draw valid under the DfE's rules."""
    rng = random.Random(1)
    year_end = 2025
    draws = []
    for n in range(3000):
        born = datetime.date(2007, 4, 2) + datetime.timedelta(days=n * 5)  # 0 to 17 on 31 March 2025
        draws.append((born, lookedafter.draw_outcome(rng, born, year_end, disabled=n % 10 == 0)))
    of_sdq_age = [values for born, values in draws if sdq_applies(born, year_end)]
    scored = [values["sdq_score"] for values in of_sdq_age if values["sdq_score"] is not None]
    assert 0.65 < len(scored) / len(of_sdq_age) < 0.85
    assert 12 < sum(scored) / len(scored) < 16 and min(scored) >= 0 and max(scored) <= 40
    older = [values for born, values in draws if convictions_apply(born, year_end)]
    assert 0.01 < sum(values["convicted"] for values in older) / len(older) < 0.06
    assert 0.03 < sum(values["substance_misuse"] for values in older) / len(older) < 0.1
    assert 0.8 < sum(values["immunisations"] for _, values in draws) / len(draws) < 0.9
    child = Child.objects.select_related("person").first()
    for born, values in draws:
        child.person.date_of_birth = born
        errors: dict = {}
        _check_outcome(errors, child=child, year_end=year_end, values=values)
        assert not errors, (born, values, errors)


def test_a_few_unaccompanied_asylum_seeking_children_mostly_older_boys():
    statuses = list(UascStatus.objects.select_related("child__person"))
    looked_after = PeriodOfCare.objects.open().count()
    assert len(statuses) == round(lookedafter.UASC_SHARE * looked_after)
    for status in statuses:
        person = status.child.person
        period = PeriodOfCare.objects.filter(child=status.child).order_by("start_date").first()
        legal = list(period.episodes.order_by("start_date").values_list("legal_status", flat=True)[:2])
        assert status.start_date == period.start_date and legal[0] in ("V2", "L1") and "V2" in legal
        assert 14 <= person.age_on(status.start_date) <= 17
        assert (
            status.end_date is None
        )  # nobody in the city is 18 yet: the status lasts to their 18th birthday
    assert sum(s.child.person.sex == Sex.MALE for s in statuses) > len(statuses) / 2
    year_end = CollectionYear.containing(TODAY).end_year - 1
    rows = uasc_rows(year_end=year_end)
    assert {row.child_id for row in rows} <= {status.child_id for status in statuses}
    assert all(row.date_ceased == lookedafter.birthday(row.date_of_birth, 18) for row in rows)


def test_outcomes_uasc_and_dolos_draw_on_streams_of_their_own(city):
    """The outcomes, UASC statuses and deprivation of liberty orders are drawn from streams seeded from the
    run's seed, not from the step's own: with another seed for them, everything else the step makes is the
    same, and they differ."""
    ctx = city.context
    own_streams = [
        (model, fields)
        for model, fields in MODELS
        if model in (AnnualOutcome, UascStatus, DeprivationOfLiberty)
    ]
    others = [(model, fields) for model, fields in MODELS if (model, fields) not in own_streams]
    before, outcomes_before = digest(others), digest(own_streams)
    kept = (
        ctx.extra["lookedafter"],
        dict(ctx.open_periods),
        collections.Counter(ctx.counts),
        ctx.rng,
        ctx.seed,
    )
    try:
        ctx.seed = SEED + 1  # the step's own stream (ctx.rng) stays the one the runner gives it for SEED
        with care_cover_hidden(ctx):
            assert rerun(ctx, SEED) != ""
        assert digest(others) == before
        assert digest(own_streams) != outcomes_before
    finally:
        ctx.extra["lookedafter"], ctx.open_periods, ctx.counts, ctx.rng, ctx.seed = kept
