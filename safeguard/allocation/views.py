"""The unallocated queue, allocating a child (or a sibling group) to a worker, and the caseload view."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from safeguard.allocation import services
from safeguard.allocation.caseload import Caseload, weighted_caseloads
from safeguard.allocation.forms import WORKER_RADIOS_UP_TO, AllocateForm, ChangeReasonForm, EndAllocationsForm
from safeguard.allocation.models import FIRST_CONTACT
from safeguard.allocation.policies import manages_team, may_allocate, may_see_caseloads, may_see_queue
from safeguard.allocation.selectors import (
    Totals,
    caseloads_by_area,
    current_holder,
    eligible_workers,
    has_had_a_social_worker,
    held_by_a_social_worker,
    may_see_worker,
    queue_rows,
    queue_scope,
    siblings_to_allocate,
    teams_in_scope,
    unallocated_count,
    unallocated_queue,
    worker_case_list,
)
from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import child_record, policy, refusals_logged, refuse
from safeguard.casework.models import CinEpisode
from safeguard.casework.views.common import run_service
from safeguard.core.reference import codes_valid_on
from safeguard.organisation.models import Allocation, AllocationRole, Role, Worker
from safeguard.people.models import Child
from safeguard.ui.forms import id_from_query

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
    queue = unallocated_queue(user=request.user, today=today)
    # The oversight dashboard links here for one team or one area; within the user's scope only.
    team_id, area_id = (id_from_query(request.GET, name) for name in ("team", "area"))
    chosen = None
    if team_id is not None:
        queue = queue.filter(team_id=team_id)
        chosen = teams_in_scope(request.user).filter(pk=team_id).first()
    elif area_id is not None:
        queue = queue.filter(area_id=area_id)
        chosen = next((t.area for t in teams_in_scope(request.user).filter(area_id=area_id)[:1]), None)
    paginator = Paginator(queue, ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    # A list of children's names is case data: the viewing is logged, with how many it showed.
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, "unallocated queue"),
        subject=f"unallocated queue page={page.number}"
        + (f" team={team_id}" if team_id else f" area={area_id}" if area_id else ""),
        result_count=paginator.count,
    )
    filter_query = f"team={team_id}&" if team_id else f"area={area_id}&" if area_id else ""
    context = {
        "chosen": chosen,
        "page_base": f"{reverse('allocation:unallocated')}?{filter_query}page=",
        "page": page,
        "rows": queue_rows(page.object_list, today),
        "total": paginator.count,
        "today": today,
        "may_allocate": may_allocate(request.user),
    }
    return render(request, "allocation/unallocated.html", context)


def home_panel(user, today) -> dict | None:
    """The queue's total for the home page of anyone who sees the queue."""
    if not may_see_queue(user):
        return None
    return {"unallocated": unallocated_count(user=user, today=today)}


# -- allocating ----------------------------------------------------------------------------------------------


def _open_episode(child: Child) -> CinEpisode | None:
    return CinEpisode.objects.open().filter(child=child).select_related("team", "area").first()


def case_file_actions(child: Child, today: datetime.date, user) -> list[tuple[str, str]]:
    """On the case file, for a manager who allocates this child's case: allocate a worker, or change the
    worker. (The case file calls this only for a user who may change the record and an open case.)"""
    manager = worker_for(user)
    if manager is None or not may_allocate(user):
        return []
    episode = _open_episode(child)
    if episode is None or not manages_team(manager, episode.team):
        return []
    url = reverse("allocation:allocate", kwargs={"child_id": child.pk})
    if held_by_a_social_worker(today).filter(child_id=child.pk).exists():
        return [("Change the allocated worker", url)]
    return [("Allocate a social worker", url)]


def _figures(caseload: Caseload) -> str:
    return f"{caseload.weighted:.1f} of {caseload.limit:.1f}"


def _worker_hint(caseload: Caseload) -> str | SafeString:
    """Under each worker's name on the form: their caseload now and with these children."""
    text = (
        f"{caseload.worker.team.name}, {caseload.worker.fte} FTE. Weighted caseload {_figures(caseload)} "
        f"({caseload.percent}%), would become {caseload.weighted_after:.1f} ({caseload.percent_after}%)."
    )
    if caseload.over_after:
        return format_html('{} <strong class="govuk-tag govuk-tag--red">Over limit</strong>', text)
    return text


def _worker_option(caseload: Caseload) -> str:
    """A worker in the select offered when there are many: their name, team and what their caseload would
    become."""
    over = ": over limit" if caseload.over_after else ""
    return (
        f"{caseload.worker.name}, {caseload.worker.team.name} "
        f"({caseload.weighted_after:.1f} of {caseload.limit:.1f}{over})"
    )


def _chosen_siblings(request, siblings) -> list[int]:
    """The siblings to allocate with the child: those ticked (the sibling form was sent, or the main form
    carries them), otherwise those with no allocated worker, which the page ticks to begin with."""
    offered = {sibling.child.pk for sibling in siblings}
    source = request.POST if request.method == "POST" else request.GET
    if request.method == "POST" or "chosen" in request.GET:
        picked = []
        for value in source.getlist("siblings"):
            if value.isdigit() and int(value) in offered:
                picked.append(int(value))
        return picked
    return [sibling.child.pk for sibling in siblings if sibling.held_by is None]


def _sibling_item(sibling, chosen: list[int]) -> dict:
    """A checkbox for a sibling on the allocate page, saying how they are related and who holds their case."""
    episode = sibling.episode
    held = f"allocated to {sibling.held_by.name}" if sibling.held_by else "not allocated"
    hint = (
        f"{sibling.how.capitalize()}; referred {episode.referral_date:%-d %B %Y}, {episode.team.name}; {held}"
    )
    return {
        "value": str(sibling.child.pk),
        "text": sibling.child.person.full_name,
        "checked": sibling.child.pk in chosen,
        "hint": {"text": hint},
    }


@child_record(page="allocate a social worker", changes=True)
@refusals_logged("allocate a social worker")
def allocate(request, child):
    if not may_allocate(request.user):
        return refuse(
            request,
            "Allocating is for team managers, heads of service and the director.",
            child=child,
            subject="allocate a social worker",
        )
    today = timezone.localdate()
    episode = _open_episode(child)
    context = {"child": child, "person": child.person, "episode": episode, "today": today}
    if episode is None:
        return render(request, "allocation/allocate.html", context)
    if not queue_scope(request.user).filter(pk=episode.pk).exists():
        return refuse(
            request,
            f"the case is held by {episode.team.name}, which you do not allocate for",
            child=child,
            subject="allocate a social worker",
        )
    siblings = siblings_to_allocate(user=request.user, child=child, episode=episode, today=today)
    chosen = _chosen_siblings(request, siblings)
    workers = list(eligible_workers(user=request.user, episode=episode))
    caseloads = weighted_caseloads(workers, today=today, adding=[child.pk, *chosen])
    many = len(workers) > WORKER_RADIOS_UP_TO
    form_args = {
        "siblings": [(sibling.child.pk, sibling.child.person.full_name) for sibling in siblings],
        "workers": [
            (worker.pk, _worker_option(caseloads[worker.pk]) if many else worker.name) for worker in workers
        ],
    }
    holder = current_holder(child)
    if has_had_a_social_worker(child, episode):
        form_args["change_reasons"] = [
            (code, text)
            for code, text in codes_valid_on("social_worker_change", today).items()
            if code != FIRST_CONTACT
        ]
    if request.method == "POST":
        form = AllocateForm(request.POST, **form_args)
        by_pk = {worker.pk: worker for worker in workers}
        sibling_children = {sibling.child.pk: sibling.child for sibling in siblings}
        allocated = run_service(
            form,
            lambda data: services.allocation_allocate(
                children=[child, *(sibling_children[int(pk)] for pk in data["siblings"])],
                worker=by_pk[int(data["worker"])],
                allocated_by=request.user,
                start_date=data["start_date"],
                over_limit_reason=data["over_limit_reason"],
                change_reason=data.get("change_reason", ""),
            ),
        )
        if allocated is not None:
            worker = allocated[0].worker
            names = ", ".join(allocation.child.person.full_name for allocation in allocated)
            messages.success(
                request, f"{names} allocated to {worker.name} from {allocated[0].start_date:%-d %B %Y}"
            )
            if holder is not None:
                return redirect("casework:case_file", child_id=child.pk)
            return redirect("allocation:unallocated")
        status = 400
    else:
        form = AllocateForm(
            initial={"start_date": today, "siblings": [str(pk) for pk in chosen]}, **form_args
        )
        status = 200
    context.update(
        form=form,
        holder=holder,
        siblings=siblings,
        sibling_items=[_sibling_item(sibling, chosen) for sibling in siblings],
        chosen=chosen,
        caseloads=[caseloads[worker.pk] for worker in workers],
        worker_hints={}
        if many
        else {str(worker.pk): _worker_hint(caseloads[worker.pk]) for worker in workers},
        any_over=any(caseloads[worker.pk].over_after for worker in workers),
    )
    return render(request, "allocation/allocate.html", context, status=status)


@child_record(page="why the social worker changed", changes=True)
@refusals_logged("why the social worker changed")
def change_reason(request, child, allocation_id):
    """Why a social worker's allocation began (SSDA903 SW_REASON), recorded afterwards where it was not at the
    time: the SSDA903 report's rule SW15 links here."""
    allocation = get_object_or_404(
        Allocation.objects.select_related("worker", "team", "social_worker_change"),
        pk=allocation_id,
        child=child,
        role=AllocationRole.SOCIAL_WORKER,
    )
    if not (may_allocate(request.user) and manages_team(worker_for(request.user), allocation.team)):
        return refuse(
            request,
            f"recording why a social worker changed is for the managers of {allocation.team.name}",
            child=child,
            subject="why the social worker changed",
        )
    recorded = getattr(allocation, "social_worker_change", None)
    reasons = list(codes_valid_on("social_worker_change", allocation.start_date).items())
    form = ChangeReasonForm(request.POST if request.method == "POST" else None, reasons=reasons)
    status = 200
    if request.method == "POST" and recorded is None:
        done = run_service(
            form,
            lambda data: services.social_worker_change_record(
                allocation=allocation, reason=data["reason"], recorded_by=request.user
            ),
        )
        if done is not None:
            messages.success(request, f"Recorded why {allocation.worker.name}'s allocation began")
            return redirect("casework:case_file", child_id=child.pk)
        status = 400
    context = {
        "child": child,
        "person": child.person,
        "allocation": allocation,
        "recorded": recorded,
        "recorded_label": dict(reasons).get(recorded.reason, "") if recorded else "",
        "form": form,
    }
    return render(request, "allocation/change_reason.html", context, status=status)


# -- caseloads ------------------------------------------------------------------------------------------------


@policy(
    "team managers (their team), heads of service (their area), the director and inspectors (every team): "
    "weighted caseloads against limits, as counts; no child's details"
)
def caseloads(request):
    if not may_see_caseloads(request.user):
        return refuse(request, "Caseloads are for managers who allocate work.", subject="caseloads")
    today = timezone.localdate()
    team_id, area_id = (id_from_query(request.GET, name) for name in ("team", "area"))
    areas = caseloads_by_area(user=request.user, today=today, team_id=team_id, area_id=area_id)
    totals = None
    if len(areas) > 1:
        totals = Totals()
        for area in areas:
            for team in area.teams:
                for caseload in team.caseloads:
                    totals.add(caseload)
    reader = worker_for(request.user)
    context = {
        "areas": areas,
        "totals": totals,
        "area_totals": team_id is None and reader is not None and reader.role != Role.TEAM_MANAGER,
        # Every area of a city at once is the teams' figures; each team's workers are a click away (?team=,
        # ?area=). Hundreds of rows would be unreadable, and rendering them the largest cost of the page.
        "show_workers": len(areas) <= 1 or team_id is not None or area_id is not None,
        "today": today,
        "narrowed": team_id is not None or area_id is not None,
    }
    return render(request, "allocation/caseloads.html", context)


def _may_end_all(user, worker: Worker) -> bool:
    """The "end all" button: a manager of every team the worker holds open allocations in."""
    manager = worker_for(user)
    if manager is None or not may_allocate(user):
        return False
    teams = {
        allocation.team
        for allocation in Allocation.objects.filter(worker=worker, end_date__isnull=True).select_related(
            "team"
        )
    }
    return bool(teams) and all(manages_team(manager, team) for team in teams)


@policy(
    "team managers, heads of service, the director and inspectors, for a worker in a team whose caseloads "
    "they see: the children the worker holds there (the viewing is access-logged)"
)
def worker_cases(request, worker_id: int):
    worker = get_object_or_404(Worker.objects.select_related("user", "team__area"), pk=worker_id)
    if not may_see_caseloads(request.user) or not may_see_worker(request.user, worker):
        return refuse(
            request,
            "This worker's cases are for the managers of their team.",
            subject=f"caseload of worker {worker_id}",
        )
    today = timezone.localdate()
    caseload, rows = worker_case_list(user=request.user, worker=worker, today=today)
    # A list of children's names is case data: the viewing is logged, with how many it showed.
    access_event_record(
        request=request,
        action=AccessAction.VIEW,
        decision=Decision(True, "caseloads"),
        subject=f"caseload of worker {worker.pk}",
        result_count=len(rows),
    )
    context = {
        "worker": worker,
        "caseload": caseload,
        "rows": rows,
        "today": today,
        "may_end": _may_end_all(request.user, worker),
        "in_team": worker.team_id is not None
        and teams_in_scope(request.user).filter(pk=worker.team_id).exists(),
    }
    return render(request, "allocation/worker_cases.html", context)


@policy(
    "team managers, heads of service and the director, for a worker whose open allocations are all in teams "
    "they manage: ends them all (a worker who leaves or changes team)"
)
def worker_allocations_end(request, worker_id: int):
    worker = get_object_or_404(Worker.objects.select_related("user", "team"), pk=worker_id)
    subject = f"end allocations of worker {worker.pk}"
    if not _may_end_all(request.user, worker):
        return refuse(
            request,
            "Only a manager of every team this worker holds cases in can end their allocations.",
            subject=subject,
        )
    open_allocations = Allocation.objects.filter(worker=worker, end_date__isnull=True).count()
    if request.method == "POST":
        form = EndAllocationsForm(request.POST)
        ended = run_service(
            form,
            lambda data: services.worker_allocations_end(
                worker=worker, ended_by=request.user, end_date=data["end_date"], reason=data["reason"]
            ),
        )
        if ended is not None:
            messages.success(
                request,
                f"{len(ended)} allocation{'s' if len(ended) != 1 else ''} of {worker.name} ended on "
                f"{ended[0].end_date:%-d %B %Y}",
            )
            return redirect("allocation:caseloads")
        status = 400
    else:
        form = EndAllocationsForm(initial={"end_date": timezone.localdate()})
        status = 200
    context = {"worker": worker, "form": form, "open_allocations": open_allocations}
    return render(request, "allocation/worker_allocations_end.html", context, status=status)
