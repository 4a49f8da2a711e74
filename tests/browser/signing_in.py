"""Signing in through the real pages: username and password, then the code from the authenticator app."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache

from tests.factories import TEST_TOTP_SECRET


def authenticator_code() -> str:
    """The code a test user's authenticator app shows now (``tests.factories.TEST_TOTP_SECRET``)."""
    # A code is accepted once (allauth remembers it in the cache, shared with the live server's thread):
    # a test that signs the same person in twice within 30 seconds must not be refused as a replay.
    cache.clear()
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(authenticator_code())
    page.get_by_role("button", name="Sign in").click()


def confirm_it_is_you(page, password: str) -> None:
    """An export asks for the password again ("Confirm it is you"), then carries on to the export."""
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Continue").click()
