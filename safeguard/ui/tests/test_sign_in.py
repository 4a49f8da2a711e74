"""Signing in with a password and a second factor, lockout, breached passwords, and ending a disabled
account's sessions (issue 8, item 5; docs/how-to/signing-in.md)."""

import datetime
import io
import re
import time
import urllib.error
import zoneinfo

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from safeguard.audit.models import AccessAction, AccessEvent, AuditEvent
from safeguard.organisation.models import Role
from safeguard.organisation.services import account_disable
from safeguard.ui import accounts
from tests.factories import TEST_TOTP_SECRET, UserFactory, WorkerFactory

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (a test's own)
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def frozen_clock():
    """A code is valid for its 30 seconds: the clock stands still, so no test straddles two of them."""
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, 5, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth remembers used TOTP codes (no replay) and counts attempts in the cache; each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice(people):
    user = people.social_worker.user
    user.set_password(PASSWORD)
    user.save()
    return user


def code_now(secret: str = TEST_TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def test_a_password_alone_does_not_sign_in_and_the_code_from_the_app_does(alice, client):
    response = sign_in(client, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: a page of the service sends the user back to sign in.
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": code_now()})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_is_explained_and_does_not_reach_the_second_factor(alice, client):
    response = sign_in(client, "alice", "wrong-password-entirely")
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert client.get(reverse("mfa_authenticate")).status_code == 302


def test_a_code_cannot_be_used_twice(alice):
    code = code_now()
    first, second = Client(), Client()
    sign_in(first, "alice")
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    sign_in(second, "alice")
    replayed = second.post(reverse("mfa_authenticate"), {"code": code})
    assert replayed.status_code == 200 and "govuk-error-summary" in replayed.content.decode()


def test_a_recovery_code_signs_in_once(alice, client):
    codes = RecoveryCodes.activate(alice).get_unused_codes()
    sign_in(client, "alice")
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    client.post(reverse("account_logout"))
    sign_in(client, "alice")
    again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert again.status_code == 200 and "govuk-error-summary" in again.content.decode()


def test_somebody_without_a_second_factor_can_only_set_one_up(people, client):
    newcomer = UserFactory(username="newcomer", second_factor=False)
    newcomer.set_password(PASSWORD)
    newcomer.save()
    WorkerFactory(user=newcomer, role=Role.SOCIAL_WORKER, team=people.north_team)
    response = sign_in(client, "newcomer")
    assert response.status_code == 302  # signed in with the password: there is nothing else to ask yet

    for page in (reverse("home"), reverse("children:search")):
        refused = client.get(page)
        assert refused.status_code == 302 and refused["Location"] == reverse("mfa_activate_totp")

    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200 and 'id="totp-qr"' in setup.content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', setup.content.decode()).group(1)
    response = client.post(reverse("mfa_activate_totp"), {"code": code_now(secret)})
    # Recovery codes are made with the first factor and shown once, to be kept safe.
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(reverse("children:search")).status_code == 200


def test_the_secret_is_encrypted_in_the_database(alice):
    stored = Authenticator.objects.get(user=alice, type=Authenticator.Type.TOTP).data["secret"]
    assert TEST_TOTP_SECRET not in stored
    assert accounts.MultiFactorAdapter().decrypt(stored) == TEST_TOTP_SECRET


def test_five_wrong_passwords_lock_the_account_for_30_minutes(alice):
    start = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=LONDON)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            sign_in(Client(), "alice", "not-the-password")
        # Even the right password is refused now, from any computer.
        locked = sign_in(Client(REMOTE_ADDR="10.1.2.3"), "alice")
        assert locked.status_code == 429 and "Your account is locked" in locked.content.decode()
        assert AccessFailureLog.objects.filter(username="alice").count() >= 5
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        client = Client()
        assert sign_in(client, "alice")["Location"] == reverse("mfa_authenticate")
        assert client.post(reverse("mfa_authenticate"), {"code": code_now()}).status_code == 302
        assert not AccessAttempt.objects.filter(username="alice").exists()  # a success clears the count
        assert AccessLog.objects.filter(username="alice").exists()  # and the sign-in is logged


def test_the_admin_has_no_sign_in_of_its_own(db, client):
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


class FakeRangeApi:
    """Have I Been Pwned's range API: suffixes of SHA-1 hashes with the prefix asked for, and their counts."""

    def __init__(self, breached: set[str]):
        import hashlib

        self.hashes = {hashlib.sha1(p.encode(), usedforsecurity=False).hexdigest().upper() for p in breached}
        self.asked: list[str] = []

    def __call__(self, request, timeout):
        prefix = request.full_url.rsplit("/", 1)[1]
        self.asked.append(prefix)
        lines = [f"{h[5:]}:42" for h in self.hashes if h.startswith(prefix)] + ["0" * 35 + ":0"]
        return io.BytesIO("\r\n".join(lines).encode())


@override_settings(BREACHED_PASSWORDS_API="https://breach.example/range/")
def test_a_breached_password_is_refused_and_only_a_hash_prefix_leaves(monkeypatch):
    api = FakeRangeApi({"Summer2024!Summer2024!"})
    monkeypatch.setattr(accounts.urllib.request, "urlopen", api)
    with pytest.raises(ValidationError, match="appeared in a data breach"):
        validate_password("Summer2024!Summer2024!")
    validate_password("violet-anchor-teacup-orbit")
    assert all(len(prefix) == 5 for prefix in api.asked)


@override_settings(BREACHED_PASSWORDS_API="https://breach.example/range/")
def test_when_the_breach_service_is_down_the_other_rules_still_apply(monkeypatch):
    def unreachable(request, timeout):
        raise urllib.error.URLError("no route to host")

    monkeypatch.setattr(accounts.urllib.request, "urlopen", unreachable)
    validate_password("violet-anchor-teacup-orbit")
    with pytest.raises(ValidationError):
        validate_password("password1234")  # Django's list of common passwords


def test_disabling_an_account_ends_all_its_sessions_at_once(alice, people):
    laptop, desktop = Client(), Client()
    for client in (laptop, desktop):
        sign_in(client, "alice")
        client.post(reverse("mfa_authenticate"), {"code": code_now()})
        cache.clear()  # the same code, on a second computer within the same 30 seconds
        assert client.get(reverse("home")).status_code == 200
    sessions_before = Session.objects.count()

    ended = account_disable(alice, by=people.administrator.user, reason="Left the council")

    assert ended == 2 and Session.objects.count() == sessions_before - 2
    for client in (laptop, desktop):
        assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))
    event = AuditEvent.objects.get(action="user.disabled")
    assert event.reason == "Left the council" and event.changes["is_active"] == [True, False]


def test_disabling_needs_a_reason(alice, people):
    with pytest.raises(ValueError, match="Say why"):
        account_disable(alice, by=people.administrator.user, reason=" ")
    alice.refresh_from_db()
    assert alice.is_active


def test_an_administrator_removes_a_lost_authenticator_and_it_is_audited(alice, people, client):
    admin_user = people.administrator.user
    client.force_login(admin_user)
    totp = Authenticator.objects.get(user=alice, type=Authenticator.Type.TOTP)
    page = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk]))
    assert page.status_code == 200 and totp.data["secret"] not in page.content.decode()

    response = client.post(reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"})

    assert response.status_code == 302 and not Authenticator.objects.filter(pk=totp.pk).exists()
    event = AuditEvent.objects.get(action="user.second_factor_removed")
    assert event.actor == admin_user and event.entity_id == str(alice.pk)


def test_an_export_asks_who_you_are_again_then_downloads(people, client):
    director = people.director.user
    director.set_password(PASSWORD)
    director.save()
    sign_in(client, director.username)
    client.post(reverse("mfa_authenticate"), {"code": code_now()})
    export = reverse("compliance:register_csv")

    asked = client.get(export)
    assert asked.status_code == 302 and asked["Location"].startswith("/account/confirm/")
    assert not AccessEvent.objects.filter(user=director, action=AccessAction.EXPORT).exists()
    confirmed = client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": export})
    assert confirmed.status_code == 302 and confirmed["Location"] == export
    response = client.get(export)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert AccessEvent.objects.filter(user=director, action=AccessAction.EXPORT).exists()


def test_somebody_who_may_not_export_is_refused_not_asked_for_their_password(people, client_for):
    response = client_for(people.social_worker).get(reverse("compliance:register_csv"))
    assert response.status_code == 403


def test_unticking_active_in_the_admin_ends_the_accounts_sessions(alice, people, client):
    laptop = Client()
    sign_in(laptop, "alice")
    laptop.post(reverse("mfa_authenticate"), {"code": code_now()})
    assert laptop.get(reverse("home")).status_code == 200
    client.force_login(people.administrator.user)
    page = client.get(reverse("admin:auth_user_change", args=[alice.pk]))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "is_active"}
    data["groups"] = []
    data["user_permissions"] = []
    data["last_login_0"] = data["last_login_1"] = data["date_joined_0"] = data["date_joined_1"] = ""
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "09:00:00"

    response = client.post(reverse("admin:auth_user_change", args=[alice.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    alice.refresh_from_db()
    assert not alice.is_active
    assert laptop.get(reverse("home"))["Location"].startswith(reverse("account_login"))
    assert not UserSession.objects.filter(user=alice).exists()
