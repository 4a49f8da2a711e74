"""A security key (WebAuthn) in a real browser: Chromium's virtual authenticator stands in for the key."""

import pytest

from tests.browser.signing_in import confirm_it_is_you, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


def test_add_a_security_key_then_sign_in_with_it(people, page, settings, screenshot):
    # The live server speaks plain HTTP; browsers allow WebAuthn on http://localhost, and so must allauth.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    worker = people.social_worker
    worker.user.set_password(PASSWORD)
    worker.user.save()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    sign_in(page, worker.user.username, PASSWORD)
    page.get_by_role("heading", name="Children allocated to you").wait_for()
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Manage security keys").click()
    page.get_by_role("button", name="Add a security key").click()
    confirm_it_is_you(page, PASSWORD)  # adding a second factor asks who you are first
    page.get_by_role("heading", name="Add a security key").wait_for()
    page.get_by_label("Name of the key").fill("Blue key")
    page.get_by_role("button", name="Add").click()
    # The browser asked the (virtual) key, which answered; the first key comes with recovery codes.
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    screenshot("security-key-added")

    page.context.clear_cookies()
    page.goto("/")
    page.get_by_label("Username").fill(worker.user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Use a security key").click()
    page.get_by_role("heading", name="Children allocated to you").wait_for()
