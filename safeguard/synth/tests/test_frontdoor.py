"""The front door's history at 5,000 children: rates near the national ones, a live queue, the personas."""

import collections
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, F
from django.utils import timezone

from safeguard.compliance.models import DeadlineStatus
from safeguard.core.calendar import add_working_days
from safeguard.core.reference import codes_valid_on
from safeguard.frontdoor.dashboard import front_door_figures
from safeguard.frontdoor.models import (
    Contact,
    ContactStatus,
    LevelOfNeed,
    MashCheck,
    Outcome,
    Referral,
    ThresholdDecision,
    decision_deadlines,
)
from safeguard.frontdoor.policies import may_decide
from safeguard.frontdoor.selectors import front_door_queue
from safeguard.organisation.models import Role, TeamKind, Worker
from safeguard.synth import rates
from safeguard.synth.tests.conftest import CHILDREN, TODAY

pytestmark = pytest.mark.usefixtures("city", "db")


def user(username):
    return get_user_model().objects.get(username=username)


def years(city) -> float:
    return (TODAY - city.context.history_start).days / 365.25


def test_contacts_per_child_year_near_60000_a_year_at_274000(city):
    per_child_year = Contact.objects.count() / CHILDREN / years(city)
    assert abs(per_child_year - rates.CONTACTS_PER_CHILD_PER_YEAR) / rates.CONTACTS_PER_CHILD_PER_YEAR < 0.1
    received = Contact.objects.values_list("received_at", flat=True)
    assert min(received).date() >= city.context.history_start
    assert max(received).date() <= TODAY


def test_about_35_percent_of_decided_contacts_become_referrals():
    decided = Contact.objects.filter(status=ContactStatus.DECIDED).count()
    referrals = Referral.objects.count()
    assert abs(referrals / decided - rates.CONTACT_REFERRAL_SHARE) < 0.04
    assert ThresholdDecision.objects.count() == decided
    outcomes = collections.Counter(ThresholdDecision.objects.values_list("outcome", flat=True))
    assert outcomes[Outcome.ASSESSMENT] + outcomes[Outcome.STRATEGY_DISCUSSION] == referrals
    assert 0.03 < outcomes[Outcome.STRATEGY_DISCUSSION] / decided < 0.07
    # Child protection level exactly when a strategy discussion follows, as the service insists.
    assert (
        not ThresholdDecision.objects.filter(level_of_need=LevelOfNeed.CHILD_PROTECTION)
        .exclude(outcome=Outcome.STRATEGY_DISCUSSION)
        .exists()
    )
    assert (
        not ThresholdDecision.objects.filter(outcome=Outcome.STRATEGY_DISCUSSION)
        .exclude(level_of_need=LevelOfNeed.CHILD_PROTECTION)
        .exists()
    )
    assert (
        Referral.objects.filter(urgent_child_protection=True).count() == outcomes[Outcome.STRATEGY_DISCUSSION]
    )
    assert not Referral.objects.exclude(child_id=F("contact__child_id")).exists()
    assert not Referral.objects.exclude(source=F("contact__source")).exists()


def test_re_referral_rate_near_22_percent():
    """DfE's measure: referrals in the last 12 months within 12 months of a previous referral of the child."""
    year_ago = TODAY - datetime.timedelta(days=365)
    by_child = collections.defaultdict(list)
    for child, day in Referral.objects.order_by("referral_date").values_list("child_id", "referral_date"):
        by_child[child].append(day)
    recent = again = 0
    for days in by_child.values():
        for i, day in enumerate(days):
            if day < year_ago:
                continue
            recent += 1
            again += any(0 < (day - earlier).days < 365 for earlier in days[:i])
    assert recent > 300
    assert abs(again / recent - rates.RE_REFERRAL_RATE) < 0.06


def test_sources_are_england_like_and_valid_on_the_day():
    sources = collections.Counter(Contact.objects.values_list("source", flat=True))
    total = sum(sources.values())
    assert 0.24 < sources["6"] / total < 0.32  # police
    assert 0.17 < sources["2A"] / total < 0.25  # schools
    assert 0.11 < sum(sources[code] for code in ("3A", "3B", "3C", "3D", "3E", "3F")) / total < 0.19
    for source, received in Contact.objects.values_list("source", "received_at"):
        assert source in codes_valid_on("referral_source", received.date())
    assert not Contact.objects.filter(source="5D", received_at__date__lt=datetime.date(2022, 4, 1)).exists()


def test_received_mostly_in_working_hours_on_working_days():
    from django.utils import timezone

    from safeguard.core.calendar import is_working_day

    received = [timezone.localtime(at) for at in Contact.objects.values_list("received_at", flat=True)]
    working = [at for at in received if is_working_day(at.date())]
    assert 0.85 < len(working) / len(received) < 0.97
    in_hours = [at for at in working if 8 <= at.hour < 18]
    assert 0.9 < len(in_hours) / len(working) < 0.99


def test_decision_due_is_the_next_working_day_and_most_decided_on_time():
    for contact in Contact.objects.with_decision_due().order_by("?")[:300]:
        day = timezone.localtime(contact.received_at).date()
        assert contact.decision_due == add_working_days(day, 1, counting="exclusive")
    decisions = ThresholdDecision.objects.select_related("contact")
    on_time = sum(1 for decision in decisions if decision.was_on_time)
    assert 0.85 < on_time / decisions.count() < 0.95
    assert not decisions.filter(decided_at__lt=F("contact__received_at")).exists()


def test_every_contact_has_its_decision_deadline_as_the_engine_would_make_it():
    """One ``contact_decision`` deadline per contact, started on the day it arrived: met on the day of the
    decision (breached from the day after its due day if late), open while awaiting (breached if past due)."""
    contacts = {
        pk: (child, team, area, timezone.localtime(received).date(), status, decided_at)
        for pk, child, team, area, received, status, decided_at in Contact.objects.values_list(
            "pk", "child_id", "team_id", "area_id", "received_at", "status", "decision__decided_at"
        )
    }
    deadlines = decision_deadlines().values_list(
        "scope_id",
        "child_id",
        "team_id",
        "area_id",
        "started_by",
        "starts_on",
        "due_on",
        "status",
        "closed_on",
        "closed_by",
        "breached_on",
        "days_late",
    )
    seen = set()
    for (
        pk,
        child,
        team,
        area,
        started_by,
        starts_on,
        due_on,
        status,
        closed_on,
        closed_by,
        breached,
        late,
    ) in deadlines:
        assert pk not in seen
        seen.add(pk)
        contact_child, contact_team, contact_area, received_on, contact_status, decided_at = contacts[pk]
        assert (child, team, area, starts_on) == (contact_child, contact_team, contact_area, received_on)
        assert started_by == "contact.received"
        assert due_on == add_working_days(received_on, 1, counting="exclusive")
        if contact_status == ContactStatus.AWAITING_DECISION:
            assert (status, closed_on, closed_by, late) == (DeadlineStatus.OPEN, None, "", None)
            assert breached == (due_on + datetime.timedelta(days=1) if due_on < TODAY else None)
            continue
        decided_on = timezone.localtime(decided_at).date()
        assert (status, closed_on, closed_by) == (DeadlineStatus.MET, decided_on, "contact.decided")
        if decided_on > due_on:
            assert (breached, late) == (due_on + datetime.timedelta(days=1), (decided_on - due_on).days)
        else:
            assert (breached, late) == (None, None)
    assert seen == set(contacts)


def test_a_realistic_queue_of_recent_contacts_with_some_overdue(city):
    awaiting = Contact.objects.filter(status=ContactStatus.AWAITING_DECISION)
    assert awaiting.exists()
    assert not awaiting.filter(decision__isnull=False).exists()
    # Mostly the last working day or two: nothing waits from weeks ago.
    oldest = min(decision_deadlines().open().values_list("due_on", flat=True))
    assert (TODAY - oldest).days <= 10
    assert not Referral.objects.filter(contact__status=ContactStatus.AWAITING_DECISION).exists()
    summary = city.dataset.counts["frontdoor"]
    assert summary["overdue"] == decision_deadlines().overdue(TODAY).count()
    figures = front_door_figures(user=user("director"), today=TODAY)
    assert (figures.awaiting, figures.overdue) == (summary["awaiting"], summary["overdue"])


def test_queue_at_city_scale_from_the_run_summary(city):
    """At 274,000 children the queue is about 150-300 (``docs/benchmarks.md``); at 5,000 it scales down."""
    summary = city.dataset.counts["frontdoor"]
    assert summary["awaiting"] == Contact.objects.filter(status=ContactStatus.AWAITING_DECISION).count()
    assert summary["awaiting"] <= 0.003 * CHILDREN


def test_mash_checks_recent_ones_outstanding():
    checks = MashCheck.objects.all()
    with_checks = Contact.objects.annotate(n=Count("checks")).filter(n__gt=0)
    assert 0.3 < with_checks.count() / Contact.objects.count() < 0.65
    assert max(with_checks.values_list("n", flat=True)) <= 4
    answered = checks.filter(responded_on__isnull=False)
    assert answered.count() > 0.9 * checks.count()
    assert not answered.filter(response="").exists()
    assert not checks.filter(responded_on__isnull=True).exclude(response="").exists()
    lags = [
        (responded - requested.date()).days
        for responded, requested in answered.values_list("responded_on", "requested_at")
    ]
    assert min(lags) >= 0 and sorted(lags)[len(lags) // 2] <= 3
    assert not answered.filter(responded_on__gt=TODAY).exists()


def test_acknowledgements_rag_and_immediate_risk():
    contacts = Contact.objects.all()
    total = contacts.count()
    assert contacts.filter(acknowledged_at__isnull=False).count() > 0.8 * total
    assert not contacts.filter(acknowledged_at__lt=F("received_at")).exists()
    assert 0.02 < contacts.filter(immediate_risk=True).count() / total < 0.12
    assert not contacts.filter(immediate_risk=True).exclude(rag="red").exists()
    # Decided contacts carry the decision's priority, as the service sets it.
    assert not Contact.objects.filter(status=ContactStatus.DECIDED).exclude(rag=F("decision__rag")).exists()


def test_contacts_belong_to_the_front_door_and_the_childs_area():
    team = Worker.objects.get(user__username="frontdoor").team
    assert team.kind == TeamKind.FRONT_DOOR
    assert not Contact.objects.exclude(team=team).exists()
    assert not Contact.objects.filter(child__person__date_of_death__isnull=False).exists()


def test_open_cases_that_started_in_the_window_have_a_referral_before_they_started(city):
    ctx = city.context
    started = [
        case for case in ctx.cases if case.start_date >= ctx.history_start + datetime.timedelta(days=3)
    ]
    assert started
    referred = collections.defaultdict(list)
    for child, day in Referral.objects.values_list("child_id", "referral_date"):
        referred[child].append(day)
    for case in started:
        assert any(
            case.start_date - datetime.timedelta(days=3) <= day <= case.start_date
            for day in referred[case.child_id]
        ), case


def test_frontdoormanager_persona_decides_and_frontdoor_sees_the_queue():
    manager = Worker.objects.select_related("team").get(user__username="frontdoormanager")
    assert manager.role == Role.TEAM_MANAGER and manager.team.kind == TeamKind.FRONT_DOOR
    assert Worker.objects.get(user__username="frontdoor").manager_id == manager.pk
    assert may_decide(user("frontdoormanager"))
    deciders = collections.Counter(ThresholdDecision.objects.values_list("decided_by__username", flat=True))
    assert deciders.most_common(1)[0][0] == "frontdoormanager"
    assert all(Worker.objects.get(user__username=name).role == Role.TEAM_MANAGER for name in deciders)
    queue = front_door_queue(user=user("frontdoor"))
    assert queue.exists()
    assert list(queue) == list(front_door_queue(user=user("frontdoormanager")))
