"""Workforce pages: the areas side by side, an area's teams and its demand against capacity, a team's posts,
and the forms that change the establishment.

No page shows a child's record: they show posts, staff and counts, scoped to the reader (``policies``). A
refusal (a team outside the reader's reach, a change by someone who only reads) is logged (``refuse``).
"""

import datetime

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.audit.policy import worker_for
from safeguard.audit.views import policy, refuse
from safeguard.casework.views.common import run_service
from safeguard.organisation.models import Area, Post, PostFilling, Role, Team, Worker
from safeguard.workforce import policies, selectors, services
from safeguard.workforce.charts import demand_chart
from safeguard.workforce.forms import CutForm, FillForm, LeaverForm, OnDateForm, PostForm
from safeguard.workforce.rates import census_dates, twelve_months_to, year_before
from safeguard.workforce.reference import england

READ_POLICY = (
    "the director and inspectors (every area), a head of service (their area), a team manager (their team, "
    "read only): posts, staff in post, starters and leavers, and counts of cases; no child's record"
)
CHANGE_POLICY = (
    "the director (any team) or the head of service for the team's area: changes the establishment"
)


def _on(request, today: datetime.date) -> tuple[datetime.date, OnDateForm | None]:
    """The day the figures are for: ``?on=YYYY-MM-DD`` (the census-date links), the date boxes, or today."""
    raw = request.GET.get("on", "")
    try:
        day = datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        day = None
    if day is not None and day <= today:
        return day, None
    if any(key.startswith("on_") for key in request.GET):
        form = OnDateForm(request.GET)
        if form.is_valid():
            return form.cleaned_data["on"], form
        return today, form
    return today, None


def _comparators(on: datetime.date) -> dict:
    return {measure: england(measure, on) for measure in ("vacancy_rate", "agency_rate", "turnover_rate")}


def _reader(request):
    worker = worker_for(request.user)
    if not policies.may_see_workforce(request.user):
        return worker, refuse(request, "The workforce pages are for managers, the director and inspectors")
    return worker, None


@policy(READ_POLICY)
def overview(request):
    worker, refused = _reader(request)
    if refused:
        return refused
    if worker.role == Role.TEAM_MANAGER:
        return redirect("workforce:team", team_id=worker.team_id)
    today = timezone.localdate()
    on, date_form = _on(request, today)
    areas = list(policies.areas_for(worker))
    figures = selectors.workforce_by_area(areas=areas, on=on, today=today)
    total = selectors.establishment(area_ids=[a.pk for a in areas], since=year_before(on)).total(on)
    context = {
        "areas": [(area, figures[area.pk]) for area in areas],
        "total": total,
        "on": on,
        "today": today,
        "census_dates": census_dates(today, 3),
        "england": _comparators(on),
        "date_form": date_form or OnDateForm(initial={"on": on}),
        "may_change": worker.role in policies.CHANGERS,
    }
    return render(request, "workforce/overview.html", context)


@policy(READ_POLICY)
def area(request, area_id: int):
    worker, refused = _reader(request)
    if refused:
        return refused
    found = get_object_or_404(Area, pk=area_id)
    if not policies.areas_for(worker).filter(pk=found.pk).exists():
        return refuse(
            request, f"{found.name} is not an area you answer for", subject=f"workforce area {area_id}"
        )
    today = timezone.localdate()
    on, date_form = _on(request, today)
    teams = list(Team.objects.filter(area=found).order_by("name"))
    by_team = selectors.workforce_by_team(teams=Team.objects.filter(area=found), on=on)
    figures = selectors.workforce_by_area(areas=[found.pk], on=on, today=today)[found.pk]
    series = selectors.demand_series(areas=[found.pk], today=today)[found.pk]
    first, last = twelve_months_to(on)
    movements = list(
        selectors.starters_and_leavers(team_ids=[team.pk for team in teams], first=first, last=last)[:200]
    )
    context = {
        "area": found,
        "figures": figures,
        "teams": [(team, by_team.get(team.pk)) for team in teams],
        "series": series,
        "chart": demand_chart(series, area_name=found.name),
        "movements": movements,
        "first": first,
        "last": last,
        "on": on,
        "today": today,
        "census_dates": census_dates(today, 3),
        "england": _comparators(on),
        "date_form": date_form or OnDateForm(initial={"on": on}),
        "may_change": policies.change_refusal(worker, teams[0]) is None if teams else False,
    }
    return render(request, "workforce/area.html", context)


def _team_in_reach(request, worker, team_id: int):
    team = get_object_or_404(Team.objects.select_related("area"), pk=team_id)
    if not policies.teams_for(worker).filter(pk=team.pk).exists():
        return team, refuse(
            request, f"{team.name} is not a team you answer for", subject=f"workforce team {team_id}"
        )
    return team, None


@policy(READ_POLICY)
def team(request, team_id: int):
    worker, refused = _reader(request)
    if refused:
        return refused
    found, refused = _team_in_reach(request, worker, team_id)
    if refused:
        return refused
    today = timezone.localdate()
    on, date_form = _on(request, today)
    rates = selectors.workforce_by_team(teams=Team.objects.filter(pk=found.pk), on=on).get(found.pk)
    first, last = twelve_months_to(on)
    context = {
        "team": found,
        "rates": rates,
        "posts": selectors.team_posts(team=found, on=on),
        "movements": list(selectors.starters_and_leavers(team_ids=[found.pk], first=first, last=last)[:200]),
        "first": first,
        "last": last,
        "on": on,
        "today": today,
        "england": _comparators(on),
        "census_dates": census_dates(today, 3),
        "date_form": date_form or OnDateForm(initial={"on": on}),
        "may_change": policies.change_refusal(worker, found) is None,
    }
    return render(request, "workforce/team.html", context)


def _changer(request, team: Team):
    refusal = policies.change_refusal(worker_for(request.user), team)
    if refusal:
        return refuse(request, refusal, subject=f"workforce change, team {team.pk}")
    return None


def _form_page(request, template: str, form, status: int, **extra):
    return render(request, template, {"form": form, **extra}, status=status)


@policy(CHANGE_POLICY)
def post_new(request, team_id: int):
    found = get_object_or_404(Team.objects.select_related("area"), pk=team_id)
    refused = _changer(request, found)
    if refused:
        return refused
    form = PostForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        post = run_service(
            form,
            lambda data: services.post_establish(
                team=found,
                title=data["title"],
                grade=data["grade"],
                fte=data["fte"],
                established_on=data["established_on"],
                established_by=request.user,
            ),
        )
        if post is not None:
            return redirect("workforce:team", team_id=found.pk)
    status = 400 if form.is_bound else 200
    return _form_page(
        request,
        "workforce/post_new.html",
        form,
        status,
        back_team=found,
        caption=found.name,
        button="Add the post",
    )


def _post(post_id: int) -> Post:
    return get_object_or_404(Post.objects.select_related("team__area"), pk=post_id)


@policy(CHANGE_POLICY)
def post_fill(request, post_id: int):
    post = _post(post_id)
    refused = _changer(request, post.team)
    if refused:
        return refused
    today = timezone.localdate()
    in_post = PostFilling.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).values(
        "worker_id"
    )
    workers = (
        Worker.objects.filter(team=post.team, user__is_active=True)
        .exclude(pk__in=in_post)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    form = FillForm(request.POST if request.method == "POST" else None, workers=workers)
    if request.method == "POST":
        filling = run_service(
            form,
            lambda data: services.post_fill(
                post=post, worker=data["worker"], start_date=data["start_date"], recorded_by=request.user
            ),
        )
        if filling is not None:
            return redirect("workforce:team", team_id=post.team_id)
    status = 400 if form.is_bound else 200
    return _form_page(
        request,
        "workforce/post_fill.html",
        form,
        status,
        post=post,
        back_team=post.team,
        caption=f"{post.title}, {post.team.name} ({post.fte} FTE)",
        button="Record the starter",
    )


@policy(CHANGE_POLICY)
def post_leaver(request, post_id: int):
    post = _post(post_id)
    refused = _changer(request, post.team)
    if refused:
        return refused
    filling = post.fillings.filter(end_date__isnull=True).select_related("worker__user").first()
    if filling is None:
        raise Http404("Nobody is in this post")
    form = LeaverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        ended = run_service(
            form,
            lambda data: services.post_filling_end(
                filling=filling, end_date=data["end_date"], reason=data["reason"], recorded_by=request.user
            ),
            renamed={"reason": "reason", "end_date": "end_date"},
        )
        if ended is not None:
            return redirect("workforce:team", team_id=post.team_id)
    status = 400 if form.is_bound else 200
    return _form_page(
        request,
        "workforce/post_leaver.html",
        form,
        status,
        post=post,
        filling=filling,
        back_team=post.team,
        caption=f"{post.title}, {post.team.name}",
        button="Record the leaver",
    )


@policy(CHANGE_POLICY)
def post_cut(request, post_id: int):
    post = _post(post_id)
    refused = _changer(request, post.team)
    if refused:
        return refused
    form = CutForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        cut = run_service(
            form,
            lambda data: services.post_disestablish(
                post=post, on=data["on"], reason=data["reason"], cut_by=request.user
            ),
        )
        if cut is not None:
            return redirect("workforce:team", team_id=post.team_id)
    status = 400 if form.is_bound else 200
    return _form_page(
        request,
        "workforce/post_cut.html",
        form,
        status,
        post=post,
        back_team=post.team,
        caption=f"{post.title}, {post.team.name}",
        button="Cut the post",
    )
