"""Disposal reviews and legal holds: who may, what is refused and why, what is written to the audit log, and
that nothing is ever deleted. Time is frozen at 11 March 2026 (conftest)."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.retention.models import ApprovalStatus, DisposalReview, HoldReason, LegalHold, ReviewDecision
from safeguard.retention.selectors import disposal_queue
from safeguard.retention.services import (
    disposal_approval_confirm,
    disposal_review_record,
    legal_hold_lift,
    legal_hold_place,
)
from safeguard.retention.tests.conftest import TODAY, adopted, child_born, looked_after

D = datetime.date


@pytest.fixture
def due(people):
    """Looked after in the 1960s, born 11 March 1951: 75 today, so due today."""
    child = child_born(D(1951, 3, 11), la_child_id="OLD0001")
    looked_after(child, D(1960, 1, 1), D(1969, 3, 10))
    return child


def _row_counts() -> dict[str, int]:
    """Rows of every table outside the retention app: a review or a hold must change none of them except the
    two logs, which only grow."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"retention", "audit", "sessions"}
    }


def approve(child, by, reason="Past its retention date; no reason to keep"):
    return disposal_review_record(child=child, decision=ReviewDecision.DISPOSE, reason=reason, reviewed_by=by)


@pytest.mark.django_db
class TestQueue:
    def test_due_today_is_in_the_queue_and_due_tomorrow_only_within_a_day(self, people, infogov, due):
        tomorrow = child_born(D(1951, 3, 12))
        looked_after(tomorrow, D(1960, 1, 1), D(1969, 3, 10))
        queued = set(disposal_queue(user=infogov.user, cutoff=TODAY))
        assert due in queued and tomorrow not in queued
        assert tomorrow in set(disposal_queue(user=infogov.user, cutoff=TODAY + datetime.timedelta(days=1)))
        # The shared personas' children are born in 2015: nowhere near.
        assert not set(people.children) & queued

    def test_only_information_governance_gets_a_queue(self, people, infogov, due):
        for worker in (people.director, people.team_manager, people.administrator, people.inspector):
            assert not disposal_queue(user=worker.user, cutoff=TODAY).exists()

    def test_a_held_record_never_enters_the_queue(self, people, infogov, due):
        hold = legal_hold_place(
            child=due,
            reason_kind=HoldReason.PUBLIC_INQUIRY,
            reason="Inquiry ref 2026/14",
            placed_by=infogov.user,
        )
        assert due not in set(disposal_queue(user=infogov.user, cutoff=TODAY))
        legal_hold_lift(hold=hold, reason="Inquiry closed", lifted_by=infogov.user)
        assert due in set(disposal_queue(user=infogov.user, cutoff=TODAY))

    def test_a_decision_to_keep_takes_it_out_until_the_new_date(self, people, infogov, due):
        disposal_review_record(
            child=due,
            decision=ReviewDecision.RETAIN,
            reason="Sibling's adoption file refers to it",
            retain_until=D(2027, 1, 1),
            reviewed_by=infogov.user,
        )
        assert due not in set(disposal_queue(user=infogov.user, cutoff=TODAY))
        with time_machine.travel(datetime.datetime(2027, 1, 1, 9, 0), tick=False):
            assert due in set(disposal_queue(user=infogov.user, cutoff=D(2027, 1, 1)))

    def test_an_approval_awaiting_or_confirmed_takes_it_out_a_declined_one_puts_it_back(
        self, people, infogov, second_infogov, due
    ):
        review = approve(due, infogov.user)
        assert due not in set(disposal_queue(user=infogov.user, cutoff=TODAY))
        disposal_approval_confirm(
            review=review, confirm=False, note="Check the sibling file", confirmed_by=second_infogov.user
        )
        assert due in set(disposal_queue(user=infogov.user, cutoff=TODAY))


@pytest.mark.django_db
class TestReviews:
    def test_approval_then_a_second_person_marks_it_approved_and_deletes_nothing(
        self, people, infogov, second_infogov, due
    ):
        before = _row_counts()
        review = approve(due, infogov.user)
        assert review.status == ApprovalStatus.AWAITING and review.keep_until_then == TODAY
        assert review.rule_code == "looked_after"
        with pytest.raises(ValidationError, match="second information governance officer"):
            disposal_approval_confirm(review=review, confirm=True, note="", confirmed_by=infogov.user)
        confirmed = disposal_approval_confirm(
            review=review, confirm=True, note="", confirmed_by=second_infogov.user
        )
        assert confirmed.status == ApprovalStatus.CONFIRMED and confirmed.confirmed_by == second_infogov.user
        assert _row_counts() == before
        due.refresh_from_db()  # still there
        actions = list(AuditEvent.objects.filter(child=due).values_list("action", flat=True))
        assert "retention.disposal_reviewed" in actions and "retention.disposal_confirmed" in actions

    def test_a_legal_hold_refuses_an_approval_with_a_clear_message(self, people, infogov, due):
        legal_hold_place(
            child=due, reason_kind=HoldReason.LITIGATION, reason="Claim HQ26X01234", placed_by=infogov.user
        )
        with pytest.raises(ValidationError, match="on legal hold"):
            approve(due, infogov.user)
        assert not DisposalReview.objects.exists()

    def test_a_hold_placed_after_an_approval_stops_its_confirmation(
        self, people, infogov, second_infogov, due
    ):
        review = approve(due, infogov.user)
        legal_hold_place(
            child=due, reason_kind=HoldReason.POLICE, reason="Operation X", placed_by=second_infogov.user
        )
        with pytest.raises(ValidationError, match="on legal hold"):
            disposal_approval_confirm(review=review, confirm=True, note="", confirmed_by=second_infogov.user)
        review.refresh_from_db()
        assert review.status == ApprovalStatus.AWAITING

    def test_a_record_not_yet_due_cannot_be_approved(self, people, infogov):
        child = child_born(D(2019, 8, 1))
        adopted(child, D(2021, 11, 30))
        with pytest.raises(ValidationError, match="kept until 30 November 2121"):
            approve(child, infogov.user)

    def test_a_record_without_a_date_of_birth_cannot_be_reviewed(self, people, infogov):
        with pytest.raises(ValidationError, match="No date of birth"):
            approve(child_born(None), infogov.user)

    def test_two_approvals_of_one_record_are_refused(self, people, infogov, second_infogov, due):
        approve(due, infogov.user)
        with pytest.raises(ValidationError, match="already been approved"):
            approve(due, second_infogov.user)

    @pytest.mark.parametrize(
        "decision, reason, retain_until, field",
        [
            ("retain", "", D(2030, 1, 1), "reason"),
            ("retain", "Keep", None, "retain_until"),
            ("retain", "Keep", TODAY, "retain_until"),
            ("shred", "Because", None, "decision"),
        ],
    )
    def test_bad_input_is_refused_and_changes_nothing(
        self, people, infogov, due, decision, reason, retain_until, field
    ):
        with pytest.raises(ValidationError) as refused:
            disposal_review_record(
                child=due,
                decision=decision,
                reason=reason,
                retain_until=retain_until,
                reviewed_by=infogov.user,
            )
        assert field in refused.value.message_dict
        assert not DisposalReview.objects.exists() and not AuditEvent.objects.filter(child=due).exists()

    def test_keeping_a_record_until_before_its_retention_date_is_refused(self, people, infogov):
        child = child_born(D(2015, 6, 1))
        with pytest.raises(ValidationError) as refused:
            disposal_review_record(
                child=child,
                decision="retain",
                reason="Keep",
                retain_until=D(2030, 1, 1),
                reviewed_by=infogov.user,
            )
        assert refused.value.message_dict["retain_until"] == [
            "The rules already keep this record until 1 June 2040: enter a later date"
        ]

    def test_only_an_information_governance_officer_reviews_or_holds(self, people, due):
        for worker in (people.director, people.team_manager, people.social_worker, people.administrator):
            with pytest.raises(PermissionDenied):
                approve(due, worker.user)
            with pytest.raises(PermissionDenied):
                legal_hold_place(child=due, reason_kind=HoldReason.OTHER, reason="x", placed_by=worker.user)
        assert not DisposalReview.objects.exists() and not LegalHold.objects.exists()


@pytest.mark.django_db
class TestHolds:
    def test_placing_and_lifting_are_audited_with_their_reasons(self, people, infogov, due):
        hold = legal_hold_place(
            child=due,
            reason_kind=HoldReason.PUBLIC_INQUIRY,
            reason="IICSA-style inquiry",
            placed_by=infogov.user,
        )
        lifted = legal_hold_lift(hold=hold, reason="Inquiry reported", lifted_by=infogov.user)
        assert not lifted.in_force
        events = AuditEvent.objects.filter(child=due).order_by("pk")
        assert [(e.action, e.reason) for e in events] == [
            ("retention.legal_hold_placed", "IICSA-style inquiry"),
            ("retention.legal_hold_lifted", "Inquiry reported"),
        ]
        with pytest.raises(ValidationError, match="already been lifted"):
            legal_hold_lift(hold=hold, reason="again", lifted_by=infogov.user)

    def test_a_hold_needs_a_reason(self, people, infogov, due):
        with pytest.raises(ValidationError) as refused:
            legal_hold_place(
                child=due, reason_kind=HoldReason.LITIGATION, reason="  ", placed_by=infogov.user
            )
        assert "reason" in refused.value.message_dict
        assert not LegalHold.objects.exists()
