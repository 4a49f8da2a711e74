"""A system check: the bulk closure alert's settings (``SAFEGUARD["BULK_CLOSURE_SHARE"]`` and
``SAFEGUARD["BULK_CLOSURE_DAYS"]``) must be a share between 0 and 1 and a number of days, so that a mistyped
setting stops the service at start-up instead of failing every manager's closure approval."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.checks import Error, register


def bulk_closure_problems(share: object, days: object) -> list[str]:
    problems = []
    try:
        value = Decimal(str(share))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 < value < 1:
        problems.append(f"BULK_CLOSURE_SHARE must be a share between 0 and 1, such as 0.10, not {share!r}")
    if not isinstance(days, int) or days < 1:
        problems.append(f"BULK_CLOSURE_DAYS must be a whole number of days, at least 1, not {days!r}")
    return problems


@register()
def bulk_closure_settings(app_configs, **kwargs) -> list[Error]:
    configured = getattr(settings, "SAFEGUARD", {})
    return [
        Error(problem, hint="See docs/how-to/closing-a-case.md", id="casework.E001")
        for problem in bulk_closure_problems(
            configured.get("BULK_CLOSURE_SHARE", "0.10"), configured.get("BULK_CLOSURE_DAYS", 7)
        )
    ]
