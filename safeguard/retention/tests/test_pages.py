"""The retention pages: the child's retention for whoever may open the record, the information governance
officer's queue and review (identity only, each child shown logged), refusals logged, forms that say what is
wrong and change nothing."""

import datetime

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.retention.models import ApprovalStatus, DisposalReview, HoldReason, LegalHold
from safeguard.retention.services import legal_hold_place
from safeguard.retention.tests.conftest import child_born, looked_after

D = datetime.date


@pytest.fixture
def due(people):
    child = child_born(D(1951, 3, 11), la_child_id="OLD0001")
    looked_after(child, D(1960, 1, 1), D(1969, 3, 10))
    return child


def signed_in(client, worker):
    client.force_login(worker.user)
    return client


@pytest.mark.django_db
class TestOnTheRecord:
    def test_the_allocated_worker_sees_the_retention_and_the_view_is_logged(self, client, people):
        child = people.alices_child
        page = signed_in(client, people.social_worker).get(reverse("retention:child", args=[child.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        # Born 1 June 2015 (factory), never looked after: the council's 25th birthday rule.
        assert "1 June 2040" in html and "Not a statutory period" in html
        assert "No legal hold" in html
        assert AccessEvent.objects.filter(
            child=child, outcome=AccessOutcome.ALLOWED, subject="retention", user=people.social_worker.user
        ).exists()

    def test_the_record_links_to_it(self, client, people):
        page = signed_in(client, people.social_worker).get(
            reverse("children:record", args=[people.alices_child.pk])
        )
        assert reverse("retention:child", args=[people.alices_child.pk]) in page.content.decode()

    def test_a_worker_without_access_is_refused_and_so_is_information_governance(
        self, client, people, infogov
    ):
        child = people.alices_child
        assert (
            signed_in(client, people.other_worker)
            .get(reverse("retention:child", args=[child.pk]))
            .status_code
            == 403
        )
        assert signed_in(client, infogov).get(reverse("retention:child", args=[child.pk])).status_code == 403
        assert AccessEvent.objects.filter(child=child, outcome=AccessOutcome.REFUSED).count() == 2

    def test_a_hold_shows_on_the_record(self, client, people, infogov):
        child = people.alices_child
        legal_hold_place(
            child=child, reason_kind=HoldReason.LITIGATION, reason="Claim 123", placed_by=infogov.user
        )
        html = (
            signed_in(client, people.social_worker)
            .get(reverse("retention:child", args=[child.pk]))
            .content.decode()
        )
        assert "on legal hold" in html and "Claim 123" in html


@pytest.mark.django_db
class TestInformationGovernance:
    def test_the_queue_shows_identity_and_dates_and_logs_each_child(self, client, people, infogov, due):
        page = signed_in(client, infogov).get(reverse("retention:queue"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "OLD0001" in html and "11 Mar 2026" in html and "75th birthday" in html
        assert AccessEvent.objects.filter(
            child=due, user=infogov.user, basis="information governance: disposal review"
        ).exists()
        assert AccessEvent.objects.filter(child=None, user=infogov.user, result_count=1).exists()

    def test_anyone_else_is_refused_the_queue_and_the_refusal_logged(self, client, people, due):
        for worker in (people.director, people.social_worker, people.administrator):
            assert signed_in(client, worker).get(reverse("retention:queue")).status_code == 403
            assert (
                signed_in(client, worker).get(reverse("retention:review", args=[due.pk])).status_code == 403
            )
        assert (
            AccessEvent.objects.filter(outcome=AccessOutcome.REFUSED, subject="disposal review queue").count()
            == 3
        )
        assert not AccessEvent.objects.filter(child=due, outcome=AccessOutcome.ALLOWED).exists()

    def test_a_bad_number_of_days_says_so(self, client, people, infogov):
        page = signed_in(client, infogov).get(reverse("retention:queue"), {"within": "soon"})
        assert page.status_code == 400
        assert "Enter a whole number of days" in page.content.decode()

    def test_approving_a_held_record_shows_why_and_records_nothing(self, client, people, infogov, due):
        legal_hold_place(
            child=due, reason_kind=HoldReason.PUBLIC_INQUIRY, reason="Inquiry", placed_by=infogov.user
        )
        page = signed_in(client, infogov).post(
            reverse("retention:review", args=[due.pk]), {"decision": "dispose", "reason": "Past its date"}
        )
        assert page.status_code == 400
        html = page.content.decode()
        assert "There is a problem" in html and "on legal hold" in html and "Past its date" in html
        assert not DisposalReview.objects.exists()

    def test_a_review_without_a_reason_is_refused(self, client, people, infogov, due):
        page = signed_in(client, infogov).post(
            reverse("retention:review", args=[due.pk]), {"decision": "dispose"}
        )
        assert page.status_code == 400
        assert "Enter the reason for your decision" in page.content.decode()
        assert not DisposalReview.objects.exists()

    def test_approve_then_a_second_officer_confirms(self, client, people, infogov, second_infogov, due):
        done = signed_in(client, infogov).post(
            reverse("retention:review", args=[due.pk]), {"decision": "dispose", "reason": "Past its date"}
        )
        assert done.status_code == 302
        review = DisposalReview.objects.get()
        same = client.post(reverse("retention:confirm", args=[review.pk]), {"confirm": "yes"})
        assert same.status_code == 400 and "second information governance officer" in same.content.decode()
        other = signed_in(client, second_infogov).post(
            reverse("retention:confirm", args=[review.pk]), {"confirm": "yes"}
        )
        assert other.status_code == 302
        review.refresh_from_db()
        assert review.status == ApprovalStatus.CONFIRMED
        listed = client.get(reverse("retention:approvals")).content.decode()
        assert "OLD0001" in listed

    def test_place_and_lift_a_hold_through_the_pages(self, client, people, infogov, due):
        signed_in(client, infogov)
        empty = client.post(reverse("retention:hold_new", args=[due.pk]), {"reason_kind": "litigation"})
        assert empty.status_code == 400 and "Enter what the hold is for" in empty.content.decode()
        assert not LegalHold.objects.exists()
        placed = client.post(
            reverse("retention:hold_new", args=[due.pk]), {"reason_kind": "litigation", "reason": "Claim 77"}
        )
        assert placed.status_code == 302
        hold = LegalHold.objects.get()
        assert "OLD0001" in client.get(reverse("retention:holds")).content.decode()
        lifted = client.post(reverse("retention:hold_lift", args=[hold.pk]), {"reason": "Settled"})
        assert lifted.status_code == 302
        hold.refresh_from_db()
        assert not hold.in_force

    def test_find_a_record_by_local_child_id(self, client, people, infogov, due):
        signed_in(client, infogov)
        found = client.post(reverse("retention:holds"), {"la_child_id": "OLD0001"})
        assert found.status_code == 302 and found["Location"] == reverse("retention:review", args=[due.pk])
        missing = client.post(reverse("retention:holds"), {"la_child_id": "NOPE"})
        assert missing.status_code == 400 and "No record has that local child ID" in missing.content.decode()


@pytest.mark.django_db
def test_the_home_panel_counts_for_information_governance_only(people, infogov, due):
    from safeguard.retention.services import disposal_review_record
    from safeguard.retention.tests.conftest import TODAY
    from safeguard.retention.views import home_panel

    assert home_panel(people.director.user, TODAY) is None
    assert home_panel(infogov.user, TODAY) == {"due": 1, "within": 30, "awaiting": 0}
    disposal_review_record(child=due, decision="dispose", reason="Past its date", reviewed_by=infogov.user)
    assert home_panel(infogov.user, TODAY) == {"due": 0, "within": 30, "awaiting": 1}
