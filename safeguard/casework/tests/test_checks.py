"""A mistyped bulk closure setting stops the service at start-up, naming the setting."""

from django.conf import settings
from django.core.checks.registry import registry
from django.test import override_settings

from safeguard.casework.checks import bulk_closure_problems, bulk_closure_settings


def test_sound_settings_pass():
    assert bulk_closure_problems("0.10", 7) == []
    assert bulk_closure_problems("0.25", 14) == []


def test_a_share_that_is_not_a_share_or_days_that_are_not_days_are_refused():
    assert "BULK_CLOSURE_SHARE" in bulk_closure_problems("ten percent", 7)[0]
    assert "BULK_CLOSURE_SHARE" in bulk_closure_problems("10", 7)[0]
    assert "BULK_CLOSURE_SHARE" in bulk_closure_problems("NaN", 7)[0]
    assert "BULK_CLOSURE_DAYS" in bulk_closure_problems("0.1", 0)[0]


def test_the_system_check_is_registered_and_reports_it():
    assert bulk_closure_settings in registry.get_checks()
    with override_settings(SAFEGUARD={**settings.SAFEGUARD, "BULK_CLOSURE_SHARE": "lots"}):
        errors = bulk_closure_settings(None)
    assert len(errors) == 1 and "BULK_CLOSURE_SHARE" in errors[0].msg
