"""Pages: a child's shares with partner agencies (staff, through the child's record), and, for partner-agency
users, the shares in force for them and one shared record showing only its shared fields (ADR 0016).

The partner's pages open no record through the one policy, which refuses partners everything
(``policies.PARTNER_USERS``): each request checks the share itself (in force now, given to this user's
agency or to them) and logs the view against the child, with the share as its basis.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import RESTRICTIONS, Decision, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import child_record, policy, refusals_logged, refuse
from safeguard.casework.views.common import run_service
from safeguard.sharing import selectors, services
from safeguard.sharing.catalogue import CATALOGUE, shared_rows
from safeguard.sharing.forms import RevokeForm, ShareForm, StaffShareForm
from safeguard.sharing.models import Share, StaffShare
from safeguard.sharing.policies import PARTNER_USERS, is_partner, may_share, sharing_refusal

CHILD_PAGE = "shares with partner agencies"
SHARED_PAGE = "shared record"
PARTNERS_ONLY = "This page is for partner agency users"
NOT_YOURS = "this share is not with you or your agency"


def share_basis(share: Share) -> str:
    """The basis written on the access log for a view through a share (the log's column holds 60 characters:
    the share's id makes it traceable whatever the agency's name)."""
    return f"share {share.pk} with {share.agency.name}"[:60]


# -- home page panel ------------------------------------------------------------------------------------------


def partner_panel(user, today) -> dict | None:
    """For a partner-agency user: the shares in force for them, soonest to end first."""
    if not is_partner(user):
        return None
    return {"shares": list(selectors.shares_for_partner(user)[:50])}


# -- the child's side -----------------------------------------------------------------------------------------


@child_record(page=CHILD_PAGE)
@refusals_logged(CHILD_PAGE)
def child_shares(request, child):
    # Two forms on the page: "staff" for time-limited access, anything else posted is a partner share.
    posted = request.POST.get("form", "partner") if request.method == "POST" else None
    form = ShareForm(request.POST if posted is not None and posted != "staff" else None)
    staff_form = StaffShareForm(request.POST if posted == "staff" else None)
    if request.method == "POST":
        refusal = sharing_refusal(request.user, child)
        if refusal:
            return refuse(request, refusal, child=child, subject="share a record")
    if posted == "staff":
        staff_share = run_service(
            staff_form,
            lambda data: services.staff_share_create(
                child=child,
                worker=data["worker"],
                reason=data["reason"],
                last_day=data["last_day"],
                created_by=request.user,
            ),
        )
        if staff_share is not None:
            return redirect("sharing:child", child_id=child.pk)
    elif request.method == "POST":
        share = run_service(
            form,
            lambda data: services.share_create(
                child=child,
                agency=data["agency"],
                partner_user=data["partner_user"],
                fields=data["fields"],
                purpose=data["purpose"],
                lawful_basis=data["lawful_basis"],
                last_day=data["last_day"],
                created_by=request.user,
            ),
        )
        if share is not None:
            return redirect("sharing:child", child_id=child.pk)
    shares = list(selectors.shares_of_child(child))
    now = timezone.now()
    context = {
        "child": child,
        "person": child.person,
        "shares": [(share, share.refusal(now)) for share in shares],
        "staff_shares": [(share, share.refusal(now)) for share in selectors.staff_shares_of_child(child)],
        "staff_form": staff_form,
        "catalogue": CATALOGUE,
        "form": form,
        "may_share": may_share(request.user, child),
        "revoke_form": RevokeForm(),
    }
    status = 400 if form.errors or staff_form.errors else 200
    return render(request, "sharing/child_shares.html", context, status=status)


def _revoke_page(request, child, share, revoke):
    refusal = sharing_refusal(request.user, child)
    if refusal:
        return refuse(request, refusal, child=child, subject="revoke a share")
    form = RevokeForm(request.POST or None)
    if request.method == "POST":
        revoked = run_service(
            form, lambda data: revoke(share=share, reason=data["reason"], revoked_by=request.user)
        )
        if revoked is not None:
            return redirect("sharing:child", child_id=child.pk)
    with_whom = share.agency.name if isinstance(share, Share) else share.worker.name
    return render(
        request,
        "sharing/revoke.html",
        {"child": child, "person": child.person, "share": share, "with_whom": with_whom, "form": form},
        status=400 if form.errors else 200,
    )


@child_record(page="revoke a share", changes=True)
@refusals_logged("revoke a share")
def share_revoke(request, child, share_id: int):
    share = get_object_or_404(Share.objects.select_related("agency"), pk=share_id, child=child)
    return _revoke_page(request, child, share, services.share_revoke)


@child_record(page="revoke time-limited access", changes=True)
@refusals_logged("revoke time-limited access")
def staff_share_revoke(request, child, staff_share_id: int):
    share = get_object_or_404(
        StaffShare.objects.select_related("worker__user"), pk=staff_share_id, child=child
    )
    return _revoke_page(request, child, share, services.staff_share_revoke)


# -- the partner's side ---------------------------------------------------------------------------------------


@policy("partner agency users: the shares in force for their agency or for them, scoped by the selector")
def index(request):
    if not is_partner(request.user):
        return refuse(request, PARTNERS_ONLY, subject="shares with a partner agency")
    shares = list(selectors.shares_for_partner(request.user))
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, "partner agency shares list"),
        subject="shares with a partner agency",
        result_count=len(shares),
    )
    return render(request, "sharing/index.html", {"shares": shares})


def _closed_by_restriction(user, share: Share) -> str | None:
    """A restricted record (sealed adoption, high-profile) or a staff connection closes a share too: the rules
    other than this app's own, which closes every ordinary record to partners."""
    worker = worker_for(user)
    for restriction in RESTRICTIONS:
        if restriction is PARTNER_USERS:
            continue
        reason = restriction.refusal(worker, share.child)
        if reason:
            return reason
    return None


@policy(
    "partner agency users: one shared record, only its shared fields, only while the share is in force for "
    "their agency or them; each view logged against the child with the share as its basis"
)
def shared_record(request, share_id: int):
    share = get_object_or_404(Share.objects.select_related("agency", "child__person"), pk=share_id)
    subject = f"{SHARED_PAGE} (share {share.pk})"
    if not is_partner(request.user):
        return refuse(request, PARTNERS_ONLY, child=share.child, subject=subject)
    if not Share.objects.for_partner(worker_for(request.user)).filter(pk=share.pk).exists():
        return refuse(request, NOT_YOURS, child=share.child, subject=subject)
    ended = share.refusal() or _closed_by_restriction(request.user, share)
    if ended:
        return refuse(request, ended, child=share.child, subject=subject)
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, share_basis(share)),
        child=share.child,
        subject=f"{subject}: {', '.join(share.fields)}",
    )
    rows = shared_rows(share.child, share.fields, timezone.localdate())
    return render(request, "sharing/shared_record.html", {"share": share, "rows": rows})
