"""The home page each kind of user lands on, and the error pages (signing in: safeguard/ui/accounts.py)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone

from safeguard.audit.policy import visible_children, worker_for
from safeguard.audit.views import policy
from safeguard.organisation.models import Allocation, AllocationRole, Role
from safeguard.organisation.selectors import (
    areas_in_reach,
    establishment_by,
    teams_in_reach,
    worker_caseloads,
)
from safeguard.people.forms import ChildSearchForm


@dataclass(frozen=True)
class HomePanel:
    """Something an app above the foundation puts at the top of a home page (the unallocated queue's total):
    ``context(user, today)`` returns what ``template`` needs, or None to show nothing to this user."""

    template: str
    context: Callable[[object, datetime.date], dict | None]


# Registered from apps' ``AppConfig.ready``, so this module imports no app built on the foundation.
HOME_PANELS: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if panel not in HOME_PANELS:
        HOME_PANELS.append(panel)


# Which home page each role sees: what they need first when they sign in.
HOME_TEMPLATES = {
    Role.SOCIAL_WORKER: "ui/home/caseholder.html",
    Role.FAMILY_SUPPORT_WORKER: "ui/home/caseholder.html",
    Role.IRO: "ui/home/caseholder.html",
    Role.FRONT_DOOR_WORKER: "ui/home/search_first.html",
    Role.INSPECTOR: "ui/home/search_first.html",
    Role.AUDITOR: "ui/home/search_first.html",
    Role.TEAM_MANAGER: "ui/home/team_manager.html",
    Role.HEAD_OF_SERVICE: "ui/home/leader.html",
    Role.DIRECTOR: "ui/home/leader.html",
    Role.ADMINISTRATOR: "ui/home/administrator.html",
    Role.PERFORMANCE_ANALYST: "ui/home/analyst.html",
    Role.INFORMATION_GOVERNANCE: "ui/home/information_governance.html",
    Role.PARTNER_AGENCY: "sharing/partner_home.html",
}


@policy("signed-in users: each sees figures and children within their own reach (audit.policy)")
def home(request):
    worker = worker_for(request.user)
    if worker is None:
        return render(request, "ui/home/no_worker.html", status=403)
    today = timezone.localdate()
    context = {"worker": worker, "search_form": ChildSearchForm(), "today": today}
    context["panels"] = [
        (panel.template, shown)
        for panel in HOME_PANELS
        if (shown := panel.context(request.user, today)) is not None
    ]
    if worker.role in (Role.SOCIAL_WORKER, Role.FAMILY_SUPPORT_WORKER, Role.IRO):
        role = AllocationRole.IRO if worker.role == Role.IRO else AllocationRole.SOCIAL_WORKER
        context["allocations"] = (
            Allocation.objects.current()
            .filter(worker=worker, role=role)
            .select_related("child__person", "team")
            .order_by("child__person__last_name_key", "child__person__first_name_key")
        )
    if worker.role == Role.TEAM_MANAGER and worker.team_id:
        context["team"] = worker.team
        context["caseloads"] = worker_caseloads(team=worker.team)
        context["establishment"] = establishment_by("id", teams=teams_in_reach(worker=worker)).get(
            worker.team_id
        )
    if worker.role in (Role.HEAD_OF_SERVICE, Role.DIRECTOR):
        teams = teams_in_reach(worker=worker)
        context["areas"] = list(areas_in_reach(worker=worker))
        context["area_figures"] = establishment_by("area_id", teams=teams)
        context["teams"] = list(teams.order_by("area__name", "name"))
        context["team_figures"] = establishment_by("id", teams=teams)
    if worker.role in (Role.FRONT_DOOR_WORKER, Role.INSPECTOR, Role.DIRECTOR):
        context["children_known"] = visible_children(request.user).count()
    return render(request, HOME_TEMPLATES[Role(worker.role)], context)


# Error pages in the service's own layout (config/urls.py points Django's handlers here).
def refused(request, exception=None):
    return render(request, "ui/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "ui/404.html", status=404)


def server_error(request):
    # No request context: the page must render even when the database or a context processor is what failed.
    from django.http import HttpResponseServerError
    from django.template.loader import get_template

    return HttpResponseServerError(get_template("ui/500.html").render())
