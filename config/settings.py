"""Safeguard's one settings module. Everything that differs between machines comes from the environment.

Variables (see README "Running in production"):
  DEBUG              development mode; off unless set.
  SECRET_KEY         or SECRET_KEY_FILE; required when DEBUG is off.
  DATABASE_URL       e.g. postgres://user@host:5432/safeguard; SQLite at var/safeguard.sqlite3 when unset.
  ALLOWED_HOSTS      comma-separated; 127.0.0.1,localhost when unset.
  CSRF_TRUSTED_ORIGINS, SECURE_SSL_REDIRECT, WORKING_DAY_COUNTING, SESSION_IDLE_TIMEOUT,
  BREACHED_PASSWORDS_API, AXES_FAILURE_LIMIT, MFA_ENCRYPTION_KEY: see below.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_mapping, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAFEGUARD_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_secret("SECRET_KEY", fallback_file=VAR_DIR / "secret_key" if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY or SECRET_KEY_FILE (or DEBUG=1 for a development key).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Signing in (issue 8, docs/how-to/signing-in.md): django-allauth's accounts, multi-factor authentication
    # (TOTP, WebAuthn security keys, recovery codes) and the list of one's own sessions; django-axes locks an
    # account after repeated failed sign-ins. Before Safeguard's apps, whose admin adjusts theirs.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "safeguard.core",
    "safeguard.people",
    "safeguard.organisation",
    "safeguard.audit",
    "safeguard.frontdoor",
    "safeguard.compliance",
    "safeguard.casework",
    "safeguard.lookedafter",
    "safeguard.casenotes",
    "safeguard.allocation",
    "safeguard.oversight",
    "safeguard.workforce",
    "safeguard.leadership",
    "safeguard.returns",
    "safeguard.restrictions",
    "safeguard.retention",
    "safeguard.sar",
    "safeguard.sharing",
    "safeguard.incidents",
    "safeguard.learning",
    "safeguard.ui",
    "safeguard.synth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "safeguard.audit.middleware.SessionTimeoutMiddleware",
    "safeguard.audit.middleware.MultiFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "safeguard.audit.middleware.NoStoreMiddleware",
    "safeguard.audit.middleware.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout raised while signing in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        # Service pages: Jinja2 with the GOV.UK Frontend macros (safeguard/ui/jinja.py builds the environment).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "safeguard.ui.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.messages.context_processors.messages",
                "safeguard.ui.context_processors.service",
            ],
        },
    },
    {
        # Django's admin keeps its own templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "safeguard.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
# A page that shows a child's record writes its AccessEvent in the same transaction as the page is built:
# if building the page fails, neither the view nor its log survives half-done.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Passwords found in data breaches, through Have I Been Pwned's range API (only the first five
    # characters of the password's SHA-1 hash leave the server). ASVS 5.0 V6.2.12.
    {"NAME": "safeguard.ui.accounts.BreachedPasswordValidator"},
]
# The range API; empty turns the breached-password check off (a council without internet access from its
# servers relies on Django's list of common passwords alone).
BREACHED_PASSWORDS_API = env_str("BREACHED_PASSWORDS_API", "https://api.pwnedpasswords.com/range/")

# Signing in: docs/how-to/signing-in.md and docs/security.md (ASVS 5.0 V6).
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "safeguard.ui.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
# Step-up: a bulk export or a change to one's own sign-in asks for the password (or a second factor) again
# unless the user has proved who they are in the last 5 minutes (ASVS 5.0 V6.8.4, V7.5.3).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
MFA_ADAPTER = "safeguard.ui.accounts.MultiFactorAdapter"
# The Fernet key that encrypts second-factor secrets in the database; derived from SECRET_KEY when unset.
MFA_ENCRYPTION_KEY = env_secret("MFA_ENCRYPTION_KEY") or ""
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Safeguard"
# A code from the 30 seconds before or after is accepted too, for a phone's clock a little out and a code typed
# as it changed (RFC 6238 s5.2 recommends allowing one step); each code still works only once.
MFA_TOTP_TOLERANCE = 1
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_RECOVERY_CODE_COUNT = 10
# Security keys need a secure origin; http://127.0.0.1 is one only for the demo and tests.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Five failed sign-ins in a row lock the account for 30 minutes, whatever computer they come from (ASVS 5.0
# V6.3.1); a successful sign-in clears the count. Every attempt is kept (axes' access log and failure log).
# allauth's own limits stay (password change, re-authentication), except on failed sign-ins, which django-axes
# counts and logs; and a whole office signing in at nine behind one address must not be turned away.
ACCOUNT_RATE_LIMITS = {"login_failed": None, "login": "300/m/ip"}
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Not by address as well: a council's staff reach the service through one or two office gateways, and five
# mistyped passwords would lock out a whole office (axes.W006 warns of rotating browsers, which a lock on the
# account itself does not care about).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# allauth passes the username to authenticate() as "username" (its form field is "login").
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "ui/locked_out.html"
# Attempts are kept in axes' tables (and shown in the admin); its console messages only repeat them.
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = DEBUG

# Security. Case data is the most sensitive there is: nothing is framed, cached, or sent over plain HTTP in
# production; every script and style comes from this server.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
# Django's default, stated: no other site's window keeps a handle on Safeguard's (ASVS 5.0 V3.4.8).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Lax, not Strict: a link to a child's record in a council email or chat must open it for a signed-in
# worker. Every change is a POST with Django's CSRF token, which is what stops a forged request.
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
# Signed out after 30 minutes without a request, and 8 hours after signing in however busy
# (safeguard.audit.middleware.SessionTimeoutMiddleware; ASVS 5.0 V7.3).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = SESSION_COOKIE_AGE
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# How long a child's record is kept when no statutory period applies (never looked after, not adopted): to
# this birthday. Not a statutory period; ADR 0014 and docs/how-to/retention.md say why 25.
RETENTION_CHILDRENS_SOCIAL_CARE_BIRTHDAY = env_int("RETENTION_CHILDRENS_SOCIAL_CARE_BIRTHDAY", 25)

# Safeguard's own settings.
SAFEGUARD = {
    # How working days between two dates are counted; see safeguard/core/calendar.py. "exclusive" counts the
    # working days after the start up to and including the end (Working Together's "within N working days");
    # "inclusive" counts the start day too, as the DfE CIN validator does (CustomBusinessDay(n - 1)).
    "WORKING_DAY_COUNTING": env_str("WORKING_DAY_COUNTING", "exclusive"),
    # The local authority this instance serves: its three-digit DfE LA number (CIN census Source/LEA, and
    # characters 2-4 of the UPNs its schools issue). The default, 001, is for the synthetic city: the DfE's
    # rule 1530 accepts it, and it is no English council's number.
    "LA_CODE": env_str("LA_CODE", "001"),
    "LA_NAME": env_str("LA_NAME", "Northbridge City Council"),
    # Periods a council sets itself where no national limit exists (duties marked local in
    # safeguard/compliance/data/duties.csv), e.g. LOCAL_DUTY_PERIODS="cp_visit=20 working_days;cin_plan_review=3 months".
    "LOCAL_DUTY_PERIODS": env_mapping("LOCAL_DUTY_PERIODS"),
    # The largest document a worker may upload, in bytes (safeguard/casenotes/files.py); 20 MB unless set.
    "DOCUMENT_MAX_BYTES": env_int("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024),
    # Caseloads (safeguard/allocation/caseload.py). The limit is in weighted cases per full-time worker; a
    # part-time worker's limit is in proportion. Weights are "name=number" pairs overriding the defaults
    # there, e.g. CASELOAD_WEIGHTS="cp_plan=1.5;looked_after=1.5;care_proceedings=2;sibling=0.5".
    "CASELOAD_LIMIT": env_str("CASELOAD_LIMIT", "18"),
    "CASELOAD_WEIGHTS": env_mapping("CASELOAD_WEIGHTS"),
    # Closing many cases quickly raises an alert to the head of service and the director
    # (safeguard/casework/closure.py): a team approving closures of more than this share of its open cases
    # within this many days.
    "BULK_CLOSURE_SHARE": env_str("BULK_CLOSURE_SHARE", "0.10"),
    "BULK_CLOSURE_DAYS": env_int("BULK_CLOSURE_DAYS", 7),
    # How often each worker is supervised (safeguard/oversight/supervision.py), as periods like the duty
    # periods: "default" for everyone, "newly_qualified" for workers in their first year after qualifying.
    "SUPERVISION_FREQUENCY": env_mapping("SUPERVISION_FREQUENCY")
    or {"default": "1 months", "newly_qualified": "2 weeks"},
}
