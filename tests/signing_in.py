"""Signing a test client in as allauth would, without typing a password (hashing one costs ~0.3 s)."""

import time

from django.test import Client


def identity_confirmed(client: Client, user) -> Client:
    """Record in the client's session that ``user`` has just confirmed who they are ("Confirm it is you"),
    as allauth does after the password is typed again, so an export's step-up lets them through.
    ``safeguard/ui/tests/test_sign_in.py`` tests the real page."""
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True, "username": user.get_username()}
    ]
    session.save()
    return client
