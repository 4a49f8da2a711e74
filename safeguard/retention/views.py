"""Retention pages.

- A child's retention (``child_retention``): for anyone who may open the record (``@child_record``): the date
  the record is kept until, the rule and its source, every rule that applies, legal holds and the reviews.
- The information governance officer's pages: the disposal review queue, one record's review (the decision,
  legal holds), approvals awaiting a second person, approvals confirmed, holds in force. The officer opens no
  case record by role, so these show identity (local child ID, name, date of birth and of death), the kinds of
  record the rules look at and the dates, never case content; each child shown is written to the access log
  with the basis "information governance: disposal review".
"""

import datetime

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome
from safeguard.audit.policy import Decision
from safeguard.audit.services import access_event_record, client_ip
from safeguard.audit.views import child_record, policy, refuse
from safeguard.casework.views.common import run_service
from safeguard.people.models import Child
from safeguard.retention import selectors, services
from safeguard.retention.forms import ConfirmForm, FindForm, HoldForm, LiftForm, ReviewForm, WithinForm
from safeguard.retention.models import ApprovalStatus, DisposalReview, LegalHold, ReviewDecision
from safeguard.retention.policies import REFUSAL, may_review
from safeguard.retention.rules import facts_for, retention_for, retention_of

IG_POLICY = (
    "information governance officers only (retention.policies.may_review): identity, retention dates, legal "
    "holds and reviews of the records they review, each child shown logged; no case content"
)
BASIS = "information governance: disposal review"
PER_PAGE = 50
DEFAULT_WITHIN_DAYS = 30


def _log_children(request, children: list[Child], subject: str) -> None:
    """One access-log row per child whose identity the page shows, so that each child's own log (and a
    subject access request) shows who looked at it for retention (Caldicott principle 8, 2020)."""
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(
                user=request.user,
                child=child,
                action=AccessAction.VIEW,
                outcome=AccessOutcome.ALLOWED,
                basis=BASIS,
                subject=subject[:300],
                ip_address=client_ip(request),
            )
            for child in children
        ]
    )


def _refused(request, subject: str):
    if may_review(request.user):
        return None
    return refuse(request, REFUSAL, subject=subject)


def home_panel(user, today: datetime.date) -> dict | None:
    """For information governance officers: how many records wait for review, and approvals for a second
    person. Counts only: no child is named, so nothing to log."""
    if not may_review(user):
        return None
    cutoff = today + datetime.timedelta(days=DEFAULT_WITHIN_DAYS)
    return {
        "due": selectors.disposal_queue(user=user, cutoff=cutoff).count(),
        "within": DEFAULT_WITHIN_DAYS,
        "awaiting": selectors.approvals_awaiting(user=user).count(),
    }


# ----------------------------------------------------------------------------------------------------------
# On the child's record


@child_record(page="retention")
def child_retention(request, child):
    retention = retention_for(child)
    context = {
        "child": child,
        "person": child.person,
        "retention": retention,
        "holds": list(selectors.holds_of(child)),
        "reviews": list(selectors.reviews_of(child)),
    }
    return render(request, "retention/child.html", context)


# ----------------------------------------------------------------------------------------------------------
# The information governance officer's pages


@policy(IG_POLICY)
def queue(request):
    refused = _refused(request, "disposal review queue")
    if refused:
        return refused
    today = timezone.localdate()
    form = WithinForm(request.GET or None, initial={"within": DEFAULT_WITHIN_DAYS})
    within = DEFAULT_WITHIN_DAYS
    if form.is_bound and form.is_valid() and form.cleaned_data["within"] is not None:
        within = form.cleaned_data["within"]
    cutoff = today + datetime.timedelta(days=within)
    page = Paginator(selectors.disposal_queue(user=request.user, cutoff=cutoff), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = selectors.with_retention(list(page.object_list))
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, BASIS),
        subject=f"disposal review queue, due by {cutoff.isoformat()}",
        result_count=page.paginator.count,
    )
    _log_children(request, [row.child for row in rows], "disposal review queue (identity and dates)")
    context = {
        "form": form,
        "within": within,
        "cutoff": cutoff,
        "today": today,
        "page": page,
        "rows": rows,
        "awaiting_count": selectors.approvals_awaiting(user=request.user).count(),
    }
    return render(request, "retention/queue.html", context, status=400 if form.errors else 200)


def _review_context(request, child: Child) -> dict:
    facts = facts_for([child])[child.pk]
    return {
        "child": child,
        "person": child.person,
        "facts": facts,
        "retention": retention_of(facts),
        "holds": list(selectors.holds_of(child)),
        "reviews": list(selectors.reviews_of(child)),
        "today": timezone.localdate(),
    }


@policy(IG_POLICY)
def review(request, child_id: int):
    refused = _refused(request, "disposal review")
    if refused:
        return refused
    child = get_object_or_404(Child.objects.select_related("person"), pk=child_id)
    _log_children(request, [child], "disposal review (identity and dates)")
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = run_service(
            form,
            lambda data: services.disposal_review_record(
                child=child,
                decision=data["decision"],
                reason=data["reason"],
                retain_until=data["retain_until"],
                reviewed_by=request.user,
            ),
        )
        if done is not None:
            return redirect("retention:queue")
    context = {**_review_context(request, child), "form": form}
    return render(request, "retention/review.html", context, status=400 if form.is_bound else 200)


@policy(IG_POLICY)
def hold_new(request, child_id: int):
    refused = _refused(request, "place a legal hold")
    if refused:
        return refused
    child = get_object_or_404(Child.objects.select_related("person"), pk=child_id)
    _log_children(request, [child], "place a legal hold (identity)")
    form = HoldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        hold = run_service(
            form,
            lambda data: services.legal_hold_place(
                child=child, reason_kind=data["reason_kind"], reason=data["reason"], placed_by=request.user
            ),
        )
        if hold is not None:
            return redirect("retention:review", child_id=child.pk)
    context = {"child": child, "person": child.person, "form": form}
    return render(request, "retention/hold_new.html", context, status=400 if form.is_bound else 200)


@policy(IG_POLICY)
def hold_lift(request, hold_id: int):
    refused = _refused(request, "lift a legal hold")
    if refused:
        return refused
    hold = get_object_or_404(LegalHold.objects.select_related("child__person"), pk=hold_id)
    _log_children(request, [hold.child], "lift a legal hold (identity)")
    form = LiftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        lifted = run_service(
            form,
            lambda data: services.legal_hold_lift(hold=hold, reason=data["reason"], lifted_by=request.user),
        )
        if lifted is not None:
            return redirect("retention:review", child_id=hold.child_id)
    context = {"hold": hold, "child": hold.child, "person": hold.child.person, "form": form}
    return render(request, "retention/hold_lift.html", context, status=400 if form.is_bound else 200)


@policy(IG_POLICY)
def holds(request):
    refused = _refused(request, "legal holds")
    if refused:
        return refused
    found = list(selectors.holds_in_force(user=request.user)[:500])
    _log_children(request, [hold.child for hold in found], "legal holds in force (identity)")
    form = FindForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            child = Child.objects.filter(la_child_id=form.cleaned_data["la_child_id"].strip()).first()
            access_event_record(
                request=request,
                action=AccessAction.SEARCH,
                decision=Decision(True, BASIS),
                child=child,
                subject="retention: find by local child ID",
                result_count=1 if child else 0,
            )
            if child is not None:
                return redirect("retention:review", child_id=child.pk)
            form.add_error("la_child_id", "No record has that local child ID")
    return render(request, "retention/holds.html", {"holds": found, "form": form}, status=status)


@policy(IG_POLICY)
def approvals(request):
    refused = _refused(request, "disposal approvals")
    if refused:
        return refused
    awaiting = list(selectors.approvals_awaiting(user=request.user)[:500])
    approved = list(selectors.approved_for_disposal(user=request.user)[:500])
    _log_children(
        request, [found.child for found in awaiting + approved], "disposal approvals (identity and dates)"
    )
    context = {"awaiting": awaiting, "approved": approved}
    return render(request, "retention/approvals.html", context)


@policy(IG_POLICY)
def confirm(request, review_id: int):
    refused = _refused(request, "confirm a disposal approval")
    if refused:
        return refused
    found = get_object_or_404(
        DisposalReview.objects.select_related("child__person", "reviewed_by"),
        pk=review_id,
        decision=ReviewDecision.DISPOSE,
    )
    _log_children(request, [found.child], "confirm a disposal approval (identity and dates)")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = run_service(
            form,
            lambda data: services.disposal_approval_confirm(
                review=found, confirm=data["confirm"] == "yes", note=data["note"], confirmed_by=request.user
            ),
        )
        if done is not None:
            return redirect("retention:approvals")
    context = {
        **_review_context(request, found.child),
        "approval": found,
        "form": form,
        "awaiting": found.status == ApprovalStatus.AWAITING,
    }
    return render(request, "retention/confirm.html", context, status=400 if form.is_bound else 200)
