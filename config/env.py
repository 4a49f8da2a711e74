"""Small typed readers for settings that come from the environment.

Every setting Safeguard reads from outside lives in ``config/settings.py`` and goes through one of these,
so that a missing or malformed value fails at start-up with a message that names the variable.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(TRUE_WORDS | FALSE_WORDS)}, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, fallback_file: Path | None = None) -> str | None:
    """Read a secret from ``NAME``, or from the file named by ``NAME_FILE`` (as Docker and systemd provide).

    Where neither is set and ``fallback_file`` is given (development only), a random secret is created there
    once and reused, so sessions survive a restart without anyone having to invent a key.
    """
    value = os.environ.get(name)
    if value:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE names {file_name!r}, which cannot be read: {exc}"
            ) from exc
    if fallback_file is None:
        return None
    if not fallback_file.exists():
        from django.core.management.utils import get_random_secret_key

        fallback_file.parent.mkdir(parents=True, exist_ok=True)
        fallback_file.write_text(get_random_secret_key())
        fallback_file.chmod(0o600)
    return fallback_file.read_text().strip()


def env_mapping(name: str) -> dict[str, str]:
    """``key=value;key=value`` as a dict (empty when unset). Values are checked by the app that reads them."""
    raw = os.environ.get(name, "")
    mapping = {}
    for item in raw.split(";"):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name} must be key=value pairs separated by ';', not {item!r}")
        mapping[key.strip()] = value.strip()
    return mapping


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc
