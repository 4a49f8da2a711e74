"""Migrations 0003 and 0004: the one-working-day clock moves from ``Contact.decision_due`` to the deadline
engine, and existing contacts keep their due dates as deadlines (and get them back if it is reversed).

PostgreSQL only: its schema changes roll back with the test's transaction, where SQLite cannot change a
schema inside one. CI runs it.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from safeguard.compliance.models import Deadline, DeadlineStatus
from tests.migrations import latest, migrate

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="schema changes inside the test's transaction; CI runs it"
)

LONDON = ZoneInfo("Europe/London")
BEFORE = [("frontdoor", "0002_queue_and_decision_indexes")]
D = datetime.date


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def test_existing_contacts_keep_their_due_dates_as_deadlines_and_back(people):
    latest_migrations = latest()
    old = migrate(BEFORE)
    Contact = old.get_model("frontdoor", "Contact")
    Decision = old.get_model("frontdoor", "ThresholdDecision")
    user = people.hos.user

    def contact(received_at, due, status="awaiting_decision", decided_at=None):
        made = Contact.objects.create(
            child_id=people.unallocated_child.pk,
            team_id=people.front_door_team.pk,
            area_id=people.north.pk,
            received_at=received_at,
            source="2A",
            reported="Reported",
            worry="Worry",
            consent="given",
            status=status,
            decision_due=due,
            created_by_id=people.front_door.user.pk,
        )
        if decided_at:
            Decision.objects.create(
                contact=made,
                decided_at=decided_at,
                decided_by_id=user.pk,
                level_of_need="universal",
                rag="green",
                rationale="Because",
                outcome="nfa",
            )
        return made.pk

    # Wednesday 30 December 2026. Contacts of Christmas Eve were due by the end of Tuesday 29th.
    with time_machine.travel(at(2026, 12, 30, 10, 0), tick=False):
        overdue = contact(at(2026, 12, 24, 15, 0), D(2026, 12, 29))
        # Stored under a calendar since changed: the stored day stands.
        running = contact(at(2026, 12, 24, 15, 0), D(2026, 12, 31))
        on_time = contact(at(2026, 12, 24, 15, 0), D(2026, 12, 29), "decided", at(2026, 12, 29, 17, 0))
        late = contact(at(2026, 12, 24, 15, 0), D(2026, 12, 29), "decided", at(2026, 12, 31, 0, 30))
        in_error = contact(at(2026, 12, 24, 15, 0), D(2026, 12, 29), "recorded_in_error")
        migrate(latest_migrations)

    deadlines = {
        deadline.scope_id: deadline
        for deadline in Deadline.objects.filter(duty_id="contact_decision", scope_type="frontdoor.contact")
    }
    assert set(deadlines) == {overdue, running, on_time, late, in_error}
    for deadline in deadlines.values():
        assert deadline.starts_on == D(2026, 12, 24) and deadline.started_by == "contact.received"
        assert deadline.child == people.unallocated_child and deadline.team == people.front_door_team
        assert deadline.area == people.north
    expected = {
        overdue: (DeadlineStatus.OPEN, D(2026, 12, 29), None, "", D(2026, 12, 30), None),
        running: (DeadlineStatus.OPEN, D(2026, 12, 31), None, "", None, None),
        on_time: (DeadlineStatus.MET, D(2026, 12, 29), D(2026, 12, 29), "contact.decided", None, None),
        late: (DeadlineStatus.MET, D(2026, 12, 29), D(2026, 12, 31), "contact.decided", D(2026, 12, 30), 2),
        in_error: (
            DeadlineStatus.CANCELLED,
            D(2026, 12, 29),
            D(2026, 12, 30),
            "contact.recorded_in_error",
            D(2026, 12, 30),
            1,
        ),
    }
    for pk, row in expected.items():
        deadline = deadlines[pk]
        found = (
            deadline.status,
            deadline.due_on,
            deadline.closed_on,
            deadline.closed_by,
            deadline.breached_on,
            deadline.days_late,
        )
        assert found == row, pk
    assert deadlines[late].modified_by == user

    old = migrate(BEFORE)
    restored = dict(old.get_model("frontdoor", "Contact").objects.values_list("pk", "decision_due"))
    assert restored == {
        overdue: D(2026, 12, 29),
        running: D(2026, 12, 31),
        on_time: D(2026, 12, 29),
        late: D(2026, 12, 29),
        in_error: D(2026, 12, 29),
    }
    assert not Deadline.objects.exists()
    migrate(latest_migrations)
