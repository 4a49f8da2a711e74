"""Signing in: django-allauth's accounts and multi-factor authentication, fitted to Safeguard.

Every member of staff signs in with their username, password and a second factor: an authenticator app
(TOTP), a security key (WebAuthn), or one of ten single-use recovery codes (ASVS 5.0 V6.3.3 requires
multi-factor authentication at level 2 and above). Somebody who has not yet set up a second factor can do
nothing but set one up (``safeguard.audit.middleware.MultiFactorRequiredMiddleware``). There is no sign-up: the
council's administrators create accounts. django-axes locks an account after repeated failures
(``config/settings.py``: ``AXES_*``).
"""

import base64
import hashlib
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from functools import wraps

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records

# allauth's own check (pinned to 65.x in pyproject.toml; ui/tests/test_sign_in.py proves it still works).
from allauth.account.internal.flows.reauthentication import raise_if_reauthentication_required
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from safeguard.audit.middleware import has_second_factor

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are created by the council's administrators for their own staff, never by sign-up."""
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Changing one's second factors asks for the password again (somebody at an unlocked computer must
        not add their own authenticator to another's account), except for the first one, set up straight
        after signing in with the password: until then the account can do nothing else."""
        if app == "allauth.mfa" and _first_factor_being_set_up():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def add_message(
        self, request, level, message_template=None, message_context=None, extra_tags="", message=None
    ):
        """No "Successfully signed in/out" banner: the home page or the sign-in page says it already."""
        if message_template in {"account/messages/logged_in.txt", "account/messages/logged_out.txt"}:
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Safeguard sends no email (a council's mail relay is not configured); notices appear in the service."""

    def send_notification_mail(self, *args, **kwargs) -> None:
        """As ``send_mail``: allauth's "your second factor changed" emails are not sent."""


def _first_factor_being_set_up() -> bool:
    """The signed-in user has no second factor yet and signed in with their password in the last
    ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds."""
    request = allauth_context.request
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or has_second_factor(user):
        return False
    records = get_authentication_records(request, user)
    return bool(records) and time.time() - records[-1]["at"] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def _fernet() -> Fernet:
    """The key that encrypts second-factor secrets at rest: ``MFA_ENCRYPTION_KEY`` (a Fernet key) when set,
    else one derived from ``SECRET_KEY``. A database copy alone then cannot be used to make TOTP codes."""
    key = getattr(settings, "MFA_ENCRYPTION_KEY", "") or base64.urlsafe_b64encode(
        hashlib.sha256(f"safeguard.mfa:{settings.SECRET_KEY}".encode()).digest()
    )
    return Fernet(key)


class MultiFactorAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _fernet().decrypt(encrypted_text.encode()).decode()
        except InvalidToken:
            # A key that has changed makes every authenticator unusable; say so rather than fail obscurely.
            logger.error("A second-factor secret could not be decrypted: has MFA_ENCRYPTION_KEY changed?")
            raise

    def get_totp_label(self, user) -> str:
        return user.get_username()


def breached_count(password: str, *, api: str, timeout: float = 3.0) -> int | None:
    """How many times ``password`` appears in Have I Been Pwned's corpus of breached passwords, by the range
    API's k-anonymity model: only the first five hex characters of the SHA-1 hash are sent. None when the
    service cannot be reached."""
    digest = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()
    prefix, suffix = digest[:5], digest[5:]
    if not api.startswith("https://"):
        raise ValueError("BREACHED_PASSWORDS_API must be an https:// address")
    request = urllib.request.Request(  # noqa: S310 (https only, checked above)
        api + prefix, headers={"Add-Padding": "true", "User-Agent": "Safeguard"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read().decode()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        logger.warning("Breached-password check unavailable: %s", error)
        return None
    for line in body.splitlines():
        candidate, _, count = line.partition(":")
        if candidate.strip() == suffix:
            return int(count.strip() or 0)
    return 0


class BreachedPasswordValidator:
    """Refuses a password that has appeared in a data breach (ASVS 5.0 V6.2.12, NCSC password guidance: "deny
    the most common passwords"). When the breach service cannot be reached the password is not refused for
    that reason alone: Django's list of common passwords has already been checked."""

    def validate(self, password: str, user=None) -> None:
        api = getattr(settings, "BREACHED_PASSWORDS_API", "")
        if not api:
            return
        count = breached_count(password, api=api)
        if count:
            raise ValidationError(
                "This password has appeared in a data breach, so criminals may try it: choose another",
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return "Your password must not be one that has appeared in a data breach."


def declared(view: Callable, description: str) -> Callable:
    """A view from django-allauth, declared for Safeguard's URL-policy test as ``@policy`` declares its own.
    A wrapper, so allauth's own function is left as it is (``wraps`` keeps ``login_required = False``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapper.access_policy = description
    return wrapper


def step_up(request: HttpRequest) -> None:
    """A bulk export of case data asks the user to confirm who they are (password, authenticator code or
    security key) unless they did so in the last ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds (issue 8:
    "step-up authentication for bulk exports"; ASVS 5.0 V6.8.4). A session left open on a shared computer
    can then show a page, but not carry a whole return or register away.

    The export view calls it once it has decided the user may export at all, so that somebody refused is
    told so rather than asked for their password, and before it writes anything. allauth's middleware turns
    the exception into "Confirm it is you", which returns to the export's address afterwards."""
    raise_if_reauthentication_required(request, app="")
