"""A system check: a council's own periods (``SAFEGUARD["LOCAL_DUTY_PERIODS"]``) must name local duties and
read as a period, so a mistyped setting stops the service at start-up instead of silently moving deadlines."""

from django.conf import settings
from django.core.checks import Error, register

from safeguard.compliance.registry import Period, duties


@register()
def local_duty_periods(app_configs, **kwargs) -> list[Error]:
    errors = []
    for code, text in getattr(settings, "SAFEGUARD", {}).get("LOCAL_DUTY_PERIODS", {}).items():
        item = duties().get(code)
        if item is None:
            errors.append(
                Error(f"LOCAL_DUTY_PERIODS names {code!r}, which is not a duty", id="compliance.E001")
            )
        elif not item.local:
            errors.append(
                Error(
                    f"LOCAL_DUTY_PERIODS cannot change {code!r}: its period is set in law ({item.citation})",
                    id="compliance.E002",
                )
            )
        else:
            try:
                Period.parse(text)
            except ValueError:
                errors.append(
                    Error(
                        f"LOCAL_DUTY_PERIODS[{code!r}] must read like '10 working_days' or '3 months', not {text!r}",
                        id="compliance.E003",
                    )
                )
    return errors
