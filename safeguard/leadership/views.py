"""The leadership pages: the performance measures side by side, and the improvement plan.

Both show counts and the plan, never a child, so they write no ``AccessEvent`` for a view; anyone outside
their roles is refused, and the refusal logged (``audit.views.refuse``). Who sees which area, and who may
change which action, is ``leadership.policies``'; every change goes through ``leadership.services``.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.audit.views import policy, refuse
from safeguard.leadership import policies, services
from safeguard.leadership.forms import ActionForm, FiguresEntryForm, FiguresImportForm, StatusForm
from safeguard.leadership.measures import Period, definitions, twelve_months_to, year_to_last_31_march
from safeguard.leadership.models import OPEN_STATUSES, ActionStatus, ImprovementAction
from safeguard.leadership.rates import population_year, rate_definitions
from safeguard.leadership.selectors import (
    figures_page,
    measures_page,
    plan_actions,
    plan_rows,
    plan_summary,
    rates_page,
)
from safeguard.learning.selectors import summary as learning_summary
from safeguard.organisation import services as services_org
from safeguard.organisation.models import Area
from safeguard.ui.forms import add_service_errors, id_from_query

READ_REFUSAL = "The performance measures and the improvement plan are for managers and inspectors"
EARLIEST_END = datetime.date(2010, 3, 31)


def _period(query, today: datetime.date) -> tuple[str, Period]:
    """The period asked for: the year to the last 31 March (the default), the 12 months to today
    (``?period=rolling``), or the 12 months to a date (``?end=2025-09-30``). Anything malformed is ignored."""
    raw_end = (query.get("end") or "").strip()
    if raw_end:
        try:
            end = datetime.date.fromisoformat(raw_end)
        except ValueError:
            end = None
        if end is not None and EARLIEST_END <= end <= today:
            return "end", twelve_months_to(end)
    if query.get("period") == "rolling":
        return "rolling", twelve_months_to(today)
    return "year", year_to_last_31_march(today)


def _run(form, call):
    if not form.is_valid():
        return None
    try:
        return call(form.service_arguments() if hasattr(form, "service_arguments") else form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error, {"on": "on"})
        return None


@policy(
    "team managers (their area and the council), heads of service (their area and the council), the director "
    "and inspectors (the council and every area): performance measures, counts only"
)
def measures_view(request):
    if not policies.may_read(request.user):
        return refuse(request, READ_REFUSAL, subject="performance measures")
    today = timezone.localdate()
    chosen, period = _period(request.GET, today)
    columns = measures_page(request.user, period=period, today=today)
    rows = [
        (definition, [column.values[i] for column in columns])
        for i, definition in enumerate(definitions().values())
    ]
    context = {
        "today": today,
        "period": period,
        "chosen": chosen,
        "year": year_to_last_31_march(today),
        "rolling": twelve_months_to(today),
        "columns": columns,
        "rows": rows,
        "rate_columns": rates_page(request.user, period=period),
        "rate_definitions": list(rate_definitions().values()),
        "population_year": population_year(period),
        "may_read_figures": policies.may_read_figures(request.user),
        # Learning actions in the reader's reach (safeguard.learning): open, and overdue (each a breach).
        "learning": learning_summary(request.user, today),
    }
    return render(request, "leadership/measures.html", context)


@policy(
    "team managers, heads of service, the director and inspectors: the improvement plan (actions, owners, "
    "due dates, status, evidence and the measures they are meant to move)"
)
def plan(request):
    if not policies.may_read(request.user):
        return refuse(request, READ_REFUSAL, subject="improvement plan")
    today = timezone.localdate()
    area_id = id_from_query(request.GET, "area")
    status = request.GET.get("status", "")
    late_only = request.GET.get("late") == "1"
    actions = plan_actions(area_id=area_id, status=status, late_on=today if late_only else None)
    rows = plan_rows(actions, today=today)
    context = {
        "today": today,
        "rows": rows,
        "summary": plan_summary(rows),
        "areas": list(Area.objects.order_by("name").values_list("pk", "name")),
        "area_id": area_id,
        "status": status if status in ActionStatus.values else "",
        "statuses": ActionStatus.choices,
        "late_only": late_only,
        "may_add": policies.may_edit_plan(request.user),
    }
    return render(request, "leadership/plan.html", context)


@policy("the director (any area, or the whole council) and heads of service (their area): set an action")
def action_new(request):
    if not policies.may_edit_plan(request.user):
        return refuse(
            request, "Only the director and heads of service set actions", subject="improvement plan"
        )
    owners, areas = policies.owner_candidates(request.user), policies.area_choices(request.user)
    council_wide = policies.may_act_for_area(request.user, None)
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, owners=owners, areas=areas, council_wide=council_wide)
        try:
            action = _run(form, lambda data: services.action_create(created_by=request.user, **data))
        except PermissionDenied as error:
            return refuse(request, str(error), subject="improvement plan: set an action")
        if action is not None:
            messages.success(request, f"Action set: {action.title}.")
            return redirect("leadership:action", action_id=action.pk)
        status = 400
    else:
        form = ActionForm(owners=owners, areas=areas, council_wide=council_wide)
    return render(request, "leadership/action_form.html", {"form": form, "action": None}, status=status)


def _action(action_id: int) -> ImprovementAction:
    return get_object_or_404(
        ImprovementAction.objects.select_related("owner__user", "owner__team", "area", "created_by"),
        pk=action_id,
    )


@policy(
    "team managers, heads of service, the director and inspectors read an action and its history; the "
    "director, or the head of service for its area, moves its status on"
)
def action(request, action_id: int):
    if not policies.may_read(request.user):
        return refuse(request, READ_REFUSAL, subject="improvement plan")
    item = _action(action_id)
    today = timezone.localdate()
    may_change = policies.may_change_action(request.user, item)
    form, status = None, 200
    if request.method == "POST":
        if not may_change:
            return refuse(
                request,
                "Only the director, or the head of service for its area, changes this action",
                subject=f"improvement action {item.pk}",
            )
        form = StatusForm(request.POST, current=item.status)
        done = _run(
            form,
            lambda data: services.action_set_status(
                action=item,
                changed_by=request.user,
                version=data["version"],
                status=data["status"],
                note=data.get("note") or "",
                on=data.get("on"),
            ),
        )
        if done is not None:
            messages.success(request, f"Status changed to {done.get_status_display().lower()}.")
            return redirect("leadership:action", action_id=item.pk)
        status = 400
    elif may_change and item.status in OPEN_STATUSES:
        form = StatusForm(current=item.status, initial={"version": item.version})
    context = {
        "action": item,
        "row": plan_rows([item], today=today)[0],
        "history": list(item.status_changes.select_related("changed_by")),
        "form": form,
        "may_change": may_change,
        "today": today,
    }
    return render(request, "leadership/action.html", context, status=status)


@policy("the director, or the head of service for its area: change an action's details and linked measure")
def action_edit(request, action_id: int):
    item = _action(action_id)
    if not policies.may_change_action(request.user, item):
        return refuse(
            request,
            "Only the director, or the head of service for its area, changes this action",
            subject=f"improvement action {item.pk}",
        )
    owners = policies.owner_candidates(request.user)
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, owners=owners)
        updated = _run(
            form,
            lambda data: services.action_update(
                action=item, updated_by=request.user, version=form.cleaned_data.get("version") or 0, **data
            ),
        )
        if updated is not None:
            messages.success(request, "Action updated.")
            return redirect("leadership:action", action_id=item.pk)
        status = 400
    else:
        form = ActionForm(
            owners=owners,
            initial={
                "title": item.title,
                "description": item.description,
                "owner": item.owner_id,
                "due_on": item.due_on,
                "measure": item.measure,
                "target": item.target,
                "version": item.version,
            },
        )
    return render(request, "leadership/action_form.html", {"form": form, "action": item}, status=status)


# -- the city in numbers: areas' populations and deprivation (issue 9) ------------------------------------------

FIGURES_READ_REFUSAL = "Areas' populations are for managers, inspectors and performance analysts"
FIGURES_EDIT_REFUSAL = "Only the director and performance analysts record areas' populations and deprivation"
CHECK, APPLY = "check", "apply"
# The names the confirmation page gives the stored fields.
FIGURE_LABELS = {
    "children_0_17": "Children aged 0 to 17",
    "children_in_relative_poverty_percent": "Children in relative poverty (%)",
    "fsm_eligible_percent": "Pupils eligible for free school meals (%)",
    "source_note": "Source",
}


@policy(
    "team managers, heads of service, the director, inspectors and performance analysts: every area's "
    "population aged 0 to 17 and deprivation by year, with their sources (counts of the whole population)"
)
def figures(request):
    if not policies.may_read_figures(request.user):
        return refuse(request, FIGURES_READ_REFUSAL, subject="area populations")
    context = {**figures_page(request.user), "may_edit": policies.may_edit_figures(request.user)}
    return render(request, "leadership/figures.html", context)


def _confirm_page(request, *, plan, hidden, back, title, error="", stale=False, status=200):
    context = {
        "plan": plan,
        "hidden": hidden,
        "back": back,
        "title": title,
        "error": error,
        "stale": stale,
        "labels": FIGURE_LABELS,
    }
    return render(request, "leadership/figures_confirm.html", context, status=status)


def _apply(request, rows, *, hidden, back, title, fingerprint=None):
    """Store ``rows`` if the plan confirmed (its ``fingerprint``, from the confirmation page unless given) is
    still the plan (else show the new one), and go to the list."""
    try:
        plan = services_org.area_figures_apply(
            rows=rows,
            fingerprint=request.POST.get("fingerprint", "") if fingerprint is None else fingerprint,
            by=request.user,
            overwrite_confirmed=request.POST.get("overwrite") == "yes",
        )
    except services_org.FiguresStale:
        plan = services_org.area_figures_plan(rows)
        return _confirm_page(
            request, plan=plan, hidden=hidden, back=back, title=title, stale=True, status=409
        )
    except ValidationError as error:
        plan = services_org.area_figures_plan(rows)
        return _confirm_page(
            request, plan=plan, hidden=hidden, back=back, title=title, error=error.messages[0], status=400
        )
    messages.success(
        request,
        f"Figures saved: {len(plan.new)} added, {len(plan.overwrites)} changed, {len(plan.unchanged)} unchanged.",
    )
    return redirect("leadership:figures")


@policy("the director and performance analysts: record one area's population and deprivation for a year")
def figures_enter(request):
    if not policies.may_edit_figures(request.user):
        return refuse(request, FIGURES_EDIT_REFUSAL, subject="area populations: record")
    areas = list(Area.objects.order_by("name"))
    title = "Record an area's figures"
    back = "leadership:figures_enter"
    if request.method == "POST":
        form = FiguresEntryForm(request.POST, areas=areas)
        if form.is_valid():
            hidden = [(name, request.POST.get(name, "")) for name in form.fields]
            if request.POST.get("step") == APPLY:
                return _apply(request, form.rows, hidden=hidden, back=back, title=title)
            plan = services_org.area_figures_plan(form.rows)
            if not plan.overwrites:
                # Nothing stored would be replaced: saved at once, as any form is.
                return _apply(
                    request, form.rows, hidden=hidden, back=back, title=title, fingerprint=plan.fingerprint
                )
            return _confirm_page(request, plan=plan, hidden=hidden, back=back, title=title)
        return render(request, "leadership/figures_enter.html", {"form": form}, status=400)
    initial = {}
    if request.GET.get("area") in {area.code for area in areas}:
        initial["area"] = request.GET["area"]
    return render(
        request, "leadership/figures_enter.html", {"form": FiguresEntryForm(areas=areas, initial=initial)}
    )


@policy(
    "the director and performance analysts: import areas' populations or deprivation from a CSV file, "
    "checked and shown before anything is saved"
)
def figures_import(request):
    if not policies.may_edit_figures(request.user):
        return refuse(request, FIGURES_EDIT_REFUSAL, subject="area populations: import")
    context = {"columns": services_org.FIGURE_COLUMNS, "kinds": services_org.FIGURE_KINDS, "rejected": None}
    title = "Import figures from a file"
    back = "leadership:figures_import"
    if request.method == "POST" and request.POST.get("step") == APPLY:
        kind, text = request.POST.get("kind", ""), request.POST.get("text", "")
        hidden = [("kind", kind), ("text", text)]
        try:
            rows = services_org.area_figures_parse(kind=kind, text=text)
        except services_org.FiguresRejected as rejected:
            context.update(form=FiguresImportForm(), rejected=rejected)
            return render(request, "leadership/figures_import.html", context, status=400)
        return _apply(request, rows, hidden=hidden, back=back, title=title)
    if request.method == "POST":
        form = FiguresImportForm(request.POST, request.FILES)
        if form.is_valid():
            kind, text = form.cleaned_data["kind"], form.cleaned_data["file"]
            try:
                rows = services_org.area_figures_parse(kind=kind, text=text)
            except services_org.FiguresRejected as rejected:
                whole_file = [problem.message for problem in rejected.problems if problem.row is None]
                if whole_file:
                    form.add_error("file", whole_file[0])
                else:
                    context["rejected"] = rejected
                    context["file_name"] = request.FILES["file"].name
            else:
                plan = services_org.area_figures_plan(rows)
                return _confirm_page(
                    request, plan=plan, hidden=[("kind", kind), ("text", text)], back=back, title=title
                )
        context["form"] = form
        return render(request, "leadership/figures_import.html", context, status=400)
    context["form"] = FiguresImportForm()
    return render(request, "leadership/figures_import.html", context)
