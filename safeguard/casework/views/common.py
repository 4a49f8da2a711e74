"""What every casework page shares: the refusal page (logged), running a service from a form, and the
deadlines a page shows.

Each page that changes a child's record is guarded by ``@child_record(page=..., changes=True)`` (the access
policy, logged); a step that needs more (a manager authorises) is refused here, and logged too. A page looks
up the record it is about within the child's own records, so an id from another child's record is a 404.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect, render

from safeguard.audit.views import refusals_logged, refuse  # noqa: F401  (re-exported for the casework views)
from safeguard.casework.forms import VersionedForm
from safeguard.casework.models import CinEpisode
from safeguard.casework.services import VersionConflict
from safeguard.compliance.models import Deadline
from safeguard.people.models import Child
from safeguard.ui.forms import add_service_errors

ASSESSMENT_DUTIES = ("assessment_from_referral", "assessment_from_start")


def run_service(
    form,
    call: Callable[[dict], Any],
    *,
    record: models.Model | None = None,
    renamed: dict[str, str] | None = None,
) -> Any:
    """Call a service with the form's cleaned data, if the form is valid; return what the service returned,
    or ``None`` with the form carrying the errors (the service's put where they belong).

    On a ``VersionConflict`` the user has been told who changed ``record`` and what: the form takes the
    version now stored, so that saving again (with what they typed, which is kept) is their decision.
    """
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error, renamed)
        if isinstance(error, VersionConflict) and record is not None and isinstance(form, VersionedForm):
            record.refresh_from_db()
            form.take_version(record.version)
            form.conflict = True
        return None


def open_episode(child: Child) -> CinEpisode | None:
    return CinEpisode.objects.open().filter(child=child).select_related("team", "area").first()


def form_page(request, template: str, child: Child, form, status: int, **extra):
    """A recording page: the child, the form (with its errors when ``status`` is 400), and what else it shows."""
    context = {"child": child, "person": child.person, "form": form, **extra}
    return render(request, template, context, status=status)


def to_case_file(child: Child):
    return redirect("casework:case_file", child_id=child.pk)


def assessment_deadlines(assessment) -> list[Deadline]:
    """Both 45 working day clocks of an assessment: from the referral (Working Together 2023 ch.3) and from
    the assessment's start (CIN census 8670Q). The second is the one this assessment started."""
    rows = (
        Deadline.objects.for_scope(assessment.episode)
        .filter(duty_id__in=ASSESSMENT_DUTIES)
        .select_related("duty")
        .order_by("-starts_on", "-pk")
    )
    found: dict[str, Deadline] = {}
    for deadline in rows:
        if deadline.duty_id == "assessment_from_start" and deadline.starts_on != assessment.start_date:
            continue
        found.setdefault(deadline.duty_id, deadline)
    return [found[code] for code in ASSESSMENT_DUTIES if code in found]


def new_deadlines(child: Child, *, started_by: str, on, scope: models.Model | None = None) -> list[Deadline]:
    """The deadlines an event just opened, read back for the success message ("the conference is due by")."""
    rows = Deadline.objects.open().filter(child=child, started_by=started_by, starts_on=on)
    if scope is not None:
        rows = rows.for_scope(scope)
    return list(rows.select_related("duty").order_by("due_on", "pk"))


def due_message(deadlines: list[Deadline]) -> str:
    return "".join(f" {deadline.duty.name}: due by {deadline.due_on:%-d %B %Y}." for deadline in deadlines)
