"""The front door queue: every contact awaiting a decision, most urgent first, with its one-working-day clock."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from safeguard.audit.views import policy
from safeguard.core.reference import label
from safeguard.frontdoor.models import ContactStatus
from safeguard.frontdoor.policies import may_see_queue, may_work_at_front_door
from safeguard.frontdoor.selectors import contacts_for, decision_overdue, front_door_queue

CONTACTS_PER_PAGE = 25


def waited(contact, now, today) -> str:
    """How long a contact has waited: working days, or hours on the day it arrived."""
    days = contact.working_days_waited(today)
    if days > 0:
        return f"{days} working day{'s' if days != 1 else ''}"
    hours = int((now - contact.received_at).total_seconds() // 3600)
    if hours < 1:
        return "Under an hour"
    return f"{hours} hour{'s' if hours != 1 else ''}"


@policy("front door staff, their managers, heads of service and the director: contacts awaiting decision")
def queue(request):
    if not may_see_queue(request.user):
        return render(
            request, "ui/403.html", {"reason": "The front door queue is for front door staff."}, status=403
        )
    now, today = timezone.now(), timezone.localdate()
    # One query counts both figures, overdue from the contacts' deadlines; the paginator is told the total so
    # it does not count again.
    counts = (
        contacts_for(request.user)
        .filter(status=ContactStatus.AWAITING_DECISION)
        .aggregate(awaiting=Count("pk"), overdue=Count("pk", filter=decision_overdue(today)))
    )
    paginator = Paginator(front_door_queue(user=request.user), CONTACTS_PER_PAGE)
    paginator.count = counts["awaiting"]
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "contact": contact,
            "waited": waited(contact, now, today),
            "overdue": contact.is_overdue(today),
            "source": label("referral_source", contact.source),
        }
        for contact in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "awaiting": counts["awaiting"],
        "overdue": counts["overdue"],
        "may_record": may_work_at_front_door(request.user),
        "today": today,
    }
    return render(request, "frontdoor/queue.html", context)
