"""The named demo personas: who they are, and how to list them with their password for the demo.

Every persona signs in with the demo password (``--demo-password``, default ``DEFAULT_DEMO_PASSWORD``);
every other generated member of staff has an unusable password. ``persona_summary()`` reads them back from
the database, so ``make demo`` (or a test) can print them without regenerating anything::

    from safeguard.synth.personas import demo_personas, format_personas, persona_summary
    demo_personas()                          # [{"username": "socialworker", "password": ..., "role": ...}, ...]
    print(format_personas(persona_summary(), "safeguard-demo-2026"))

``safeguard synth --if-empty`` prints the same table.
"""

import base64
import hashlib
import time
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.db.models import Count, Q
from django.utils import timezone

from safeguard.organisation.models import AllocationRole, Role, Worker

DEFAULT_DEMO_PASSWORD = "safeguard-demo-2026"  # noqa: S105 (public on purpose: demo data only)


@dataclass(frozen=True)
class PersonaSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    description: str


PERSONAS: tuple[PersonaSpec, ...] = (
    PersonaSpec(
        "frontdoor",
        "Farah",
        "Siddiqui",
        Role.FRONT_DOOR_WORKER,
        "Front door (MASH) social worker: may see every child, to check what is already known",
    ),
    PersonaSpec(
        "frontdoormanager",
        "Morwenna",
        "Price",
        Role.TEAM_MANAGER,
        "MASH team manager: makes threshold decisions on contacts (frontdoor's manager)",
    ),
    PersonaSpec(
        "socialworker",
        "Sam",
        "Okafor",
        Role.SOCIAL_WORKER,
        "Qualified social worker in North's child in need team, with a caseload",
    ),
    PersonaSpec(
        "teammanager",
        "Tessa",
        "Morgan",
        Role.TEAM_MANAGER,
        "Manages North's child in need team (socialworker's manager)",
    ),
    PersonaSpec(
        "headofservice",
        "Harjit",
        "Sandhu",
        Role.HEAD_OF_SERVICE,
        "Head of service for the North area",
    ),
    PersonaSpec(
        "director", "Diane", "Fletcher", Role.DIRECTOR, "Director of Children's Services: sees every child"
    ),
    PersonaSpec(
        "iro",
        "Ifeoma",
        "Adeyemi",
        Role.IRO,
        "Independent reviewing officer for some children looked after",
    ),
    PersonaSpec(
        "inspector", "Ian", "Prescott", Role.INSPECTOR, "Ofsted inspector: reads every child, changes nothing"
    ),
    PersonaSpec(
        "analyst",
        "Priya",
        "Lindqvist",
        Role.PERFORMANCE_ANALYST,
        "Performance analyst: prepares the statutory returns; opens no child's record",
    ),
    PersonaSpec(
        "infogov",
        "Imogen",
        "Gallagher",
        Role.INFORMATION_GOVERNANCE,
        "Information governance officer: subject access requests, retention reviews, access logs, "
        "restricted records",
    ),
    PersonaSpec(
        "partner",
        "Pat",
        "Okafor",
        Role.PARTNER_AGENCY,
        "Police officer (partner agency): sees only what is shared with the police, until it ends",
    ),
    PersonaSpec(
        "admin",
        "Alex",
        "Chen",
        Role.ADMINISTRATOR,
        "System administrator (Django admin); sees no child's record",
    ),
    PersonaSpec(
        "otherworker",
        "Olu",
        "Mensah",
        Role.SOCIAL_WORKER,
        "Social worker in South's child in need team: a worker in another team and area",
    ),
)
PERSONA_USERNAMES = tuple(spec.username for spec in PERSONAS)
# The area and team kind of the personas that work in an area team.
PERSONA_AREA = "N"
OTHER_WORKER_AREA = "S"


def persona_summary(today=None) -> list[dict]:
    """The personas present in the database: username, name, role, team, area, manager and caseload."""
    today = today or timezone.localdate()
    current = Q(allocations__start_date__lte=today) & (
        Q(allocations__end_date__isnull=True) | Q(allocations__end_date__gte=today)
    )
    workers = {
        worker.user.username: worker
        for worker in Worker.objects.filter(user__username__in=PERSONA_USERNAMES)
        .select_related("user", "team__area", "area", "manager__user")
        .annotate(
            caseload=Count("allocations", filter=current & Q(allocations__role=AllocationRole.SOCIAL_WORKER)),
            iro_children=Count("allocations", filter=current & Q(allocations__role=AllocationRole.IRO)),
        )
    }
    rows = []
    for spec in PERSONAS:
        worker = workers.get(spec.username)
        if worker is None:
            continue
        area = worker.area or (worker.team.area if worker.team else None)
        rows.append(
            {
                "username": spec.username,
                "name": worker.name,
                "role": worker.get_role_display(),
                "team": worker.team.name if worker.team else "",
                "area": area.name if area else "",
                "manager": worker.manager.user.username if worker.manager else "",
                "caseload": worker.caseload,
                "iro_children": worker.iro_children,
                "description": spec.description,
            }
        )
    return rows


def demo_personas(password: str = DEFAULT_DEMO_PASSWORD) -> list[dict]:
    """``persona_summary()`` with each row's ``password``: ``password`` if it is the personas' password,
    else None (they were generated with another ``--demo-password``)."""
    known = known_demo_password(password)
    return [{**row, "password": known} for row in persona_summary()]


def demo_totp_secret(username: str, demo_password: str) -> str:
    """The secret of a persona's authenticator app (base32, 160 bits): made from the demo password and the
    username, so that whoever knows the demo password can make the codes (``safeguard demo_code``) and
    nobody else can. Demo data only: real staff set up their own authenticator at first sign-in."""
    digest = hashlib.sha256(f"safeguard-demo-totp:{demo_password}:{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def demo_code(username: str, demo_password: str = DEFAULT_DEMO_PASSWORD) -> str | None:
    """The code a persona's authenticator app shows now, or None when ``username`` is not a persona whose
    authenticator was made from ``demo_password``."""
    user = get_user_model().objects.filter(username=username, username__in=PERSONA_USERNAMES).first()
    if user is None:
        return None
    secret = demo_totp_secret(username, demo_password)
    stored = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if stored is None or decrypt(stored.data["secret"]) != secret:
        return None
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def known_demo_password(candidate: str = DEFAULT_DEMO_PASSWORD) -> str | None:
    """``candidate`` if it is the personas' password (checked against one persona's hash), else None."""
    user = get_user_model().objects.filter(username="socialworker").first()
    if user is None or not check_password(candidate, user.password):
        return None
    return candidate


def format_personas(rows: list[dict], password: str | None = None) -> str:
    """The personas as a short table for a terminal."""
    lines = ["Demo personas (sign in at /sign-in/):"]
    width = max((len(row["username"]) for row in rows), default=8)
    for row in rows:
        where = ", ".join(part for part in (row["team"] or row["area"],) if part)
        extra = []
        if row["caseload"]:
            extra.append(f"{row['caseload']} children allocated")
        if row["iro_children"]:
            extra.append(f"IRO for {row['iro_children']}")
        detail = "; ".join(part for part in (row["role"], where, *extra) if part)
        lines.append(f"  {row['username']:<{width}}  {row['name']}: {detail}")
    if password:
        lines.append(f"Password for every persona: {password}")
    else:
        lines.append("Password for every persona: the --demo-password given when the data was generated.")
    lines.append(
        "Then the code from the persona's authenticator app: in another terminal, run"
        " `make demo-code PERSONA=<username>` (a new code every 30 seconds)."
    )
    return "\n".join(lines)
