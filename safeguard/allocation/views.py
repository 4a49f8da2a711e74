"""The unallocated queue page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from safeguard.allocation.policies import may_see_queue
from safeguard.allocation.selectors import queue_rows, unallocated_count, unallocated_queue
from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision
from safeguard.audit.services import access_event_record
from safeguard.audit.views import policy, refuse

ROWS_PER_PAGE = 50


@policy(
    "team managers (their team's), heads of service (their area's), the director and inspectors: open cases with no allocated qualified social worker"
)
def unallocated(request):
    if not may_see_queue(request.user):
        return refuse(
            request, "The unallocated queue is for managers who allocate work.", subject="unallocated queue"
        )
    today = timezone.localdate()
    paginator = Paginator(unallocated_queue(user=request.user, today=today), ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    # A list of children's names is case data: the viewing is logged, with how many it showed.
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, "unallocated queue"),
        subject=f"unallocated queue page={page.number}",
        result_count=paginator.count,
    )
    context = {
        "page": page,
        "rows": queue_rows(page.object_list, today),
        "total": paginator.count,
        "today": today,
    }
    return render(request, "allocation/unallocated.html", context)


def home_panel(user, today) -> dict | None:
    """The queue's total for the home page of anyone who sees the queue."""
    if not may_see_queue(user):
        return None
    return {"unallocated": unallocated_count(user=user, today=today)}
