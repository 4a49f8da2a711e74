"""A child's case file, their chronology, and a worker's "what is due" list."""

from django.shortcuts import render
from django.utils import timezone

from safeguard.audit.policy import may_change, worker_for
from safeguard.audit.views import child_record, policy
from safeguard.casework.casefile import sections_for
from safeguard.casework.chronology import KINDS, chronology_for
from safeguard.casework.selectors import case_summary, deadlines_due_for_worker, open_deadlines_for_child


@child_record(page="case file")
def case_file(request, child):
    today = timezone.localdate()
    context = {
        "child": child,
        "person": child.person,
        "today": today,
        "summary": case_summary(child=child, today=today),
        "deadlines": open_deadlines_for_child(child=child),
        "sections": sections_for(child, today, request.user),
        "recent": chronology_for(child)[:10],
        "read_only": not may_change(request.user, child).allowed,
        "basis": request.access_basis,
    }
    return render(request, "casework/case_file.html", context)


@child_record(page="chronology")
def chronology(request, child):
    kinds = [kind for kind in request.GET.getlist("kind") if kind in KINDS]
    entries = chronology_for(child, kinds=kinds or None)
    context = {
        "child": child,
        "person": child.person,
        "entries": entries,
        "kinds": KINDS,
        "chosen": set(kinds),
        "printing": request.GET.get("print") == "1",
    }
    return render(request, "casework/chronology.html", context)


@policy("signed-in staff: the open deadlines of the children allocated to them")
def due(request):
    worker = worker_for(request.user)
    today = timezone.localdate()
    rows = deadlines_due_for_worker(worker=worker) if worker is not None else []
    return render(request, "casework/due.html", {"rows": rows, "today": today, "worker": worker})
