"""A system check: the council's caseload weights and limit (``SAFEGUARD["CASELOAD_WEIGHTS"]`` and
``SAFEGUARD["CASELOAD_LIMIT"]``) must name weights that exist and be numbers, so that a mistyped setting stops
the service at start-up instead of silently miscounting every worker's caseload."""

from django.conf import settings
from django.core.checks import Error, register

from safeguard.allocation.caseload import DEFAULT_LIMIT, limit_problems, weight_problems


@register()
def caseload_settings(app_configs, **kwargs) -> list[Error]:
    configured = getattr(settings, "SAFEGUARD", {})
    errors = [
        Error(problem, hint="Set CASELOAD_WEIGHTS like 'cp_plan=1.5;sibling=0.5'", id="allocation.E001")
        for problem in weight_problems(configured.get("CASELOAD_WEIGHTS") or {})
    ]
    errors += [
        Error(
            problem,
            hint="Set CASELOAD_LIMIT to the weighted cases of a full-time worker, e.g. 18",
            id="allocation.E002",
        )
        for problem in limit_problems(configured.get("CASELOAD_LIMIT", DEFAULT_LIMIT))
    ]
    return errors
