"""System checks: the supervision frequency must read as periods, and the audit questions file must load, so
that a mistyped setting or a broken file stops the service at start-up instead of silently misleading
managers about who is overdue."""

from django.core.checks import Error, register

from safeguard.oversight.questions import read_questions
from safeguard.oversight.supervision import frequency_errors, frequency_setting


@register()
def supervision_frequency(app_configs, **kwargs) -> list[Error]:
    return [Error(message, id="oversight.E001") for message in frequency_errors(frequency_setting())]


@register()
def audit_questions(app_configs, **kwargs) -> list[Error]:
    try:
        read_questions()
    except (OSError, ValueError) as error:
        return [Error(f"The case audit questions cannot be read: {error}", id="oversight.E002")]
    return []
