"""Step ``organisation``: areas, teams, staff (with their users), the management line and the establishment.

Shape: five devolved areas, each with an assessment, child in need, child protection, children in care,
care leavers (16+) and disabled children team; one city-wide front door (MASH) and a safeguarding and
reviewing unit (IROs and child protection chairs), both in Central's establishment. A director; a head of
service per area (Central's also leads the city-wide teams); a team manager per team, managing the team.

Sizes follow demand: each area team has enough qualified case-holding social workers for the cases it can
expect at the national rates (``rates``) at a caseload of about 16, at least one; family support workers and
personal advisers beside them; about 17.8% of qualified practitioners are agency workers. Posts: every worker
below head of service holds one (a ``PostFilling`` from a date: today's state of the establishment, whose
history ``steps/workforce.py`` writes), and about 4.8% more posts have nobody in them, so that the DfE vacancy
rate (which counts agency cover as vacant) is near England's 18.9%. One area (``geography.STRUGGLING_AREA``)
has only three quarters of the social workers its demand needs; the missing ones are empty posts in its teams,
most of them empty since the last nine months.
"""

import datetime
import math
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from safeguard.organisation.models import (
    Area,
    Employment,
    Grade,
    Post,
    PostFilling,
    Role,
    Team,
    TeamKind,
    Worker,
)
from safeguard.people.models import name_key
from safeguard.synth import rates
from safeguard.synth.context import SynthContext
from safeguard.synth.geography import AREAS, CITY, CITY_WIDE_AREA, STRUGGLING_AREA
from safeguard.synth.ids import swe_numbers
from safeguard.synth.names import staff_name
from safeguard.synth.personas import OTHER_WORKER_AREA, PERSONA_AREA, PERSONAS, demo_totp_secret

AREA_TEAM_KINDS = (
    TeamKind.ASSESSMENT,
    TeamKind.CHILD_IN_NEED,
    TeamKind.CHILD_PROTECTION,
    TeamKind.CHILDREN_IN_CARE,
    TeamKind.CARE_LEAVERS,
    TeamKind.DISABLED_CHILDREN,
)
TEAM_NAMES = {
    TeamKind.ASSESSMENT: "Assessment",
    TeamKind.CHILD_IN_NEED: "Child in Need",
    TeamKind.CHILD_PROTECTION: "Child Protection",
    TeamKind.CHILDREN_IN_CARE: "Children in Care",
    TeamKind.CARE_LEAVERS: "16+ and Care Leavers",
    TeamKind.DISABLED_CHILDREN: "Disabled Children",
}
# Open cases per 10,000 children that each kind of area team holds.
TEAM_DEMAND = {
    TeamKind.ASSESSMENT: rates.OPEN_ASSESSMENT,
    TeamKind.CHILD_IN_NEED: rates.CHILD_IN_NEED_PLAN,
    TeamKind.CHILD_PROTECTION: rates.CHILD_PROTECTION,
    TeamKind.CHILDREN_IN_CARE: rates.LOOKED_AFTER * (1 - rates.LOOKED_AFTER_16_PLUS),
    TeamKind.CARE_LEAVERS: rates.LOOKED_AFTER * rates.LOOKED_AFTER_16_PLUS,
    TeamKind.DISABLED_CHILDREN: rates.DISABLED_CHILDREN_TEAM,
}
# Unqualified workers per qualified social worker, and what they are called.
SUPPORT_RATIO = {
    TeamKind.ASSESSMENT: (0.0, ""),
    TeamKind.CHILD_IN_NEED: (0.25, "Family Support Worker"),
    TeamKind.CHILD_PROTECTION: (0.15, "Family Support Worker"),
    TeamKind.CHILDREN_IN_CARE: (0.15, "Family Support Worker"),
    TeamKind.CARE_LEAVERS: (0.6, "Personal Adviser"),
    TeamKind.DISABLED_CHILDREN: (0.3, "Family Support Worker"),
}
SOCIAL_WORKER_TITLES = (
    ("Social Worker", 50),
    ("Senior Social Worker", 25),
    ("Advanced Practitioner", 10),
    ("Social Worker (ASYE)", 15),
)
EMAIL_DOMAIN = "northbridge.example"
# Qualified social workers per team (and per manager in the city-wide teams) before a team is split.
TEAM_SIZE = 8
# The establishment (ADR 9). England, 30 September 2023: 18.9% of social work posts vacant, 74.4% of those
# covered by agency staff, so about a quarter of vacancies (4.8% of posts) with nobody in them (DfE CSWW).
UNCOVERED_SHARE = 0.048
# Turnover 15.9% a year (DOMAIN.md section 5), about one in ten endings being a move within the council: a
# permanent holder stays about 0.9 / 0.159 years. Agency assignments are shorter.
PERMANENT_TENURE_DAYS = round(365.25 * 0.9 / 0.159)
AGENCY_TENURE_DAYS = 270
OLD_POSTS_YEARS = 20  # most posts were established long before any history generated
NEW_POST_SHARE = 0.05  # posts added in the last two years


def grade_for(role: str, title: str, qualified: bool) -> str:
    """A post's grade from its holder's role and job title."""
    if role == Role.TEAM_MANAGER:
        return Grade.TEAM_MANAGER
    if role == Role.IRO:
        return Grade.REVIEWING_OFFICER
    if not qualified:
        if "Personal Adviser" in title:
            return Grade.PERSONAL_ADVISER
        return Grade.SUPPORT_OFFICER if role == Role.FRONT_DOOR_WORKER else Grade.FAMILY_SUPPORT_WORKER
    if "ASYE" in title:
        return Grade.ASYE
    if title.startswith("Senior"):
        return Grade.SENIOR_PRACTITIONER
    if title.startswith("Advanced"):
        return Grade.ADVANCED_PRACTITIONER
    return Grade.SOCIAL_WORKER


# Personas that took over a generated member of staff (issue 3 added the MASH team manager).
NAME_DRAWN_PERSONAS = frozenset({"frontdoormanager"})


def run(ctx: SynthContext) -> None:
    rng = ctx.rng
    org = ctx.org
    n = ctx.children
    bar = ctx.progress(6, "organisation")

    # How many qualified case holders each area team kind needs, and so how many teams of that kind.
    personas = {spec.username: spec for spec in PERSONAS}
    sizes: dict[tuple[str, str], list[int]] = {}
    missing: dict[tuple[str, str], int] = {}  # the struggling area's social workers it lacks, per team kind
    for spec in AREAS:
        for kind in AREA_TEAM_KINDS:
            expected_cases = TEAM_DEMAND[kind] * n / 10_000 * spec.population_share
            needed = max(1, round(expected_cases / rates.CASELOAD))
            qualified = needed
            if spec.code == STRUGGLING_AREA:
                qualified = max(1, round(needed * (1 - rates.STRUGGLING_STAFF_SHORTFALL)))
                missing[(spec.code, kind)] = needed - qualified
            teams_needed = math.ceil(qualified / TEAM_SIZE)
            sizes[(spec.code, kind)] = [
                qualified // teams_needed + (1 if i < qualified % teams_needed else 0)
                for i in range(teams_needed)
            ]
    # The personas' teams have colleagues, however small the city.
    persona_key = (PERSONA_AREA, TeamKind.CHILD_IN_NEED)
    other_key = (OTHER_WORKER_AREA, TeamKind.CHILD_IN_NEED)
    sizes[persona_key][0] = max(sizes[persona_key][0], 3)
    sizes[other_key][0] = max(sizes[other_key][0], 2)

    # Areas and teams.
    areas = Area.objects.bulk_create([Area(code=spec.code, name=spec.name) for spec in AREAS])
    org.area_ids = {area.code: area.pk for area in areas}
    team_rows = []
    for spec in AREAS:
        for kind in AREA_TEAM_KINDS:
            count = len(sizes[(spec.code, kind)])
            for i in range(count):
                name = f"{spec.name} {TEAM_NAMES[kind]}" + (f" {i + 1}" if count > 1 else "")
                team_rows.append(Team(area_id=org.area_ids[spec.code], name=name, kind=kind))
    central = org.area_ids[CITY_WIDE_AREA]
    team_rows.append(Team(area_id=central, name=f"{CITY} MASH (front door)", kind=TeamKind.FRONT_DOOR))
    team_rows.append(
        Team(area_id=central, name="Safeguarding and Reviewing Unit", kind=TeamKind.SAFEGUARDING_UNIT)
    )
    teams = Team.objects.bulk_create(team_rows)
    area_code_by_id = {pk: code for code, pk in org.area_ids.items()}
    for team in teams:
        org.team_area[team.pk] = area_code_by_id[team.area_id]
        if team.kind == TeamKind.FRONT_DOOR:
            org.front_door_team = team.pk
        elif team.kind == TeamKind.SAFEGUARDING_UNIT:
            org.safeguarding_unit = team.pk
        else:
            org.teams.setdefault((org.team_area[team.pk], team.kind), []).append(team.pk)
    ctx.counts["organisation.Area"] += len(areas)
    ctx.counts["organisation.Team"] += len(teams)
    persona_team = org.teams[persona_key][0]
    other_team = org.teams[other_key][0]
    org.persona_team = persona_team
    org.persona_area = PERSONA_AREA
    bar.update(1)

    # Who works where: a plan of workers (dicts), managers before the people they manage.
    def worker(role, title, *, team=None, area=None, manager=None, qualified=True, persona=None, level=3):
        return {
            "role": role,
            "job_title": title,
            "team": team,
            "area": area,
            "manager": manager,
            "qualified": qualified,
            "persona": persona,
            "level": level,
        }

    plan = [
        worker(Role.DIRECTOR, "Director of Children's Services", persona="director", qualified=False, level=0)
    ]
    director = 0
    head_of = {}
    for spec in AREAS:
        head_of[spec.code] = len(plan)
        title = f"Head of Service, {spec.name}" + (
            " and City-wide Services" if spec.code == CITY_WIDE_AREA else ""
        )
        plan.append(
            worker(
                Role.HEAD_OF_SERVICE,
                title,
                area=org.area_ids[spec.code],
                manager=director,
                persona="headofservice" if spec.code == PERSONA_AREA else None,
                level=1,
            )
        )

    def team_with_staff(team_id, manager_of, manager_title, practitioners, persona_manager=None):
        """Team managers and their practitioners (a list of (role, title, qualified, persona)): one manager for
        every ``TEAM_SIZE`` practitioners or part of it, each managing their share."""
        chunks = max(1, math.ceil(len(practitioners) / TEAM_SIZE)) if team_id in city_wide else 1
        per_chunk = math.ceil(len(practitioners) / chunks) if practitioners else 0
        for c in range(chunks):
            manager = len(plan)
            plan.append(
                worker(
                    Role.TEAM_MANAGER,
                    manager_title,
                    team=team_id,
                    manager=manager_of,
                    persona=persona_manager if c == 0 else None,
                    level=2,
                )
            )
            for role, title, qualified, persona in practitioners[c * per_chunk : (c + 1) * per_chunk]:
                plan.append(
                    worker(role, title, team=team_id, manager=manager, qualified=qualified, persona=persona)
                )

    def social_worker_titles(count):
        titles, weights = zip(*SOCIAL_WORKER_TITLES, strict=True)
        return rng.choices(titles, weights=weights, k=count)

    city_wide = {org.front_door_team, org.safeguarding_unit}
    for spec in AREAS:
        for kind in AREA_TEAM_KINDS:
            for team_id, qualified in zip(
                org.teams[(spec.code, kind)], sizes[(spec.code, kind)], strict=True
            ):
                personas_here = []
                if team_id == persona_team:
                    personas_here = ["socialworker"]
                elif team_id == other_team:
                    personas_here = ["otherworker"]
                ratio, support_title = SUPPORT_RATIO[kind]
                support = round(qualified * ratio)
                if kind in (TeamKind.CHILD_IN_NEED, TeamKind.CARE_LEAVERS):
                    support = max(1, support)
                titles = social_worker_titles(qualified - len(personas_here))
                staff = [(Role.SOCIAL_WORKER, "Social Worker", True, username) for username in personas_here]
                staff += [(Role.SOCIAL_WORKER, title, True, None) for title in titles]
                staff += [(Role.FAMILY_SUPPORT_WORKER, support_title, False, None) for _ in range(support)]
                team_with_staff(
                    team_id,
                    head_of[spec.code],
                    "Team Manager",
                    staff,
                    persona_manager="teammanager" if team_id == persona_team else None,
                )

    # The front door: enough workers for the contacts a city of this size makes (about one per 7,000 children).
    front_door = max(3, round(n / 7_000))
    staff = [(Role.FRONT_DOOR_WORKER, "Social Worker (MASH)", True, "frontdoor")]
    for _ in range(front_door - 1):
        if rng.random() < 0.75:
            staff.append((Role.FRONT_DOOR_WORKER, "Social Worker (MASH)", True, None))
        else:
            staff.append((Role.FRONT_DOOR_WORKER, "MASH Officer", False, None))
    team_with_staff(
        org.front_door_team,
        head_of[CITY_WIDE_AREA],
        "MASH Team Manager",
        staff,
        persona_manager="frontdoormanager",
    )

    # The safeguarding unit: IROs at about 60 children looked after each, and child protection chairs.
    iros = max(2, math.ceil(rates.per_10k(rates.LOOKED_AFTER, n) / 60))
    chairs = max(1, math.ceil(rates.per_10k(rates.CHILD_PROTECTION, n) / 80))
    staff = [(Role.IRO, "Independent Reviewing Officer", True, "iro")]
    staff += [(Role.IRO, "Independent Reviewing Officer", True, None) for _ in range(iros - 1)]
    staff += [(Role.IRO, "Child Protection Chair", True, None) for _ in range(chairs)]
    team_with_staff(org.safeguarding_unit, head_of[CITY_WIDE_AREA], "Safeguarding Unit Manager", staff)

    plan.append(
        worker(Role.INSPECTOR, "Ofsted Inspector (HMI)", persona="inspector", qualified=False, level=0)
    )
    plan.append(
        worker(Role.ADMINISTRATOR, "Systems Administrator", persona="admin", qualified=False, level=0)
    )
    plan.append(
        worker(Role.PERFORMANCE_ANALYST, "Performance Analyst", persona="analyst", qualified=False, level=0)
    )
    plan.append(
        worker(
            Role.INFORMATION_GOVERNANCE,
            "Information Governance Officer",
            persona="infogov",
            qualified=False,
            level=0,
        )
    )
    plan.append(
        worker(
            Role.PARTNER_AGENCY,
            "Detective Constable, Child Abuse Investigation",
            persona="partner",
            qualified=False,
            level=0,
        )
    )

    # Agency workers: about 17.8% of qualified practitioners, never a persona or a manager.
    practitioners = [
        i for i, row in enumerate(plan) if row["level"] == 3 and row["qualified"] and row["persona"] is None
    ]
    qualified_practitioners = sum(1 for row in plan if row["level"] == 3 and row["qualified"])
    agency = min(len(practitioners), round(rates.AGENCY_RATE * qualified_practitioners))
    for i in rng.sample(practitioners, agency):
        plan[i]["agency"] = True
    bar.update(1)

    # Users: personas with the demo password (hashed once), everyone else with an unusable password.
    user_model = get_user_model()
    taken = set(user_model.objects.values_list("username", flat=True))
    demo_hash = make_password(ctx.demo_password)
    users = []
    for row in plan:
        if row["persona"]:
            spec = personas[row["persona"]]
            first, last, username = spec.first_name, spec.last_name, spec.username
            password = demo_hash
            if spec.username in NAME_DRAWN_PERSONAS:
                # This persona was added after the city's staff had been named: draw (and discard) the name
                # it had before (and keep its username taken), so that everyone named after it keeps theirs.
                was_first, was_last, _sex = staff_name(rng)
                stem = f"{name_key(was_first)}.{name_key(was_last)}"
                was, suffix = stem, 1
                while was in taken:
                    suffix += 1
                    was = f"{stem}{suffix}"
                taken.add(was)
        else:
            first, last, _sex = staff_name(rng)
            stem = f"{name_key(first)}.{name_key(last)}"
            username, suffix = stem, 1
            while username in taken:
                suffix += 1
                username = f"{stem}{suffix}"
            password = make_password(None)
        taken.add(username)
        users.append(
            user_model(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{EMAIL_DOMAIN}",
                password=password,
                is_staff=row["persona"] == "admin",
                is_superuser=row["persona"] == "admin",
            )
        )
    users = user_model.objects.bulk_create(users, batch_size=ctx.batch_size)
    ctx.counts[user_model._meta.label] += len(users)
    # Every persona has an authenticator app already set up, so the demo asks for a code at sign-in as the
    # service does (`safeguard demo_code <username>` shows it); other staff cannot sign in at all.
    Authenticator.objects.bulk_create(
        Authenticator(
            user=user,
            type=Authenticator.Type.TOTP,
            data={"secret": encrypt(demo_totp_secret(user.username, ctx.demo_password))},
        )
        for user, row in zip(users, plan, strict=True)
        if row["persona"]
    )
    bar.update(1)

    # Workers, level by level so each manager has an id before their reports are written.
    qualified_count = sum(1 for row in plan if row["qualified"] and row["role"] not in (Role.DIRECTOR,))
    numbers = iter(
        swe_numbers(
            rng,
            qualified_count,
            set(Worker.objects.exclude(swe_number="").values_list("swe_number", flat=True)),
        )
    )
    worker_ids: list[int | None] = [None] * len(plan)
    ftes: list[Decimal] = [Decimal("1.00")] * len(plan)
    for level in range(4):
        batch, slots = [], []
        for i, row in enumerate(plan):
            if row["level"] != level:
                continue
            agency = row.get("agency", False)
            fte = Decimal("1.00")
            if level == 3 and not agency and row["persona"] is None and rng.random() < 0.18:
                fte = rng.choice((Decimal("0.60"), Decimal("0.70"), Decimal("0.80")))
            ftes[i] = fte
            counts_as_qualified = row["qualified"] and row["role"] not in (
                Role.DIRECTOR,
                Role.INSPECTOR,
                Role.ADMINISTRATOR,
                Role.PERFORMANCE_ANALYST,
                Role.INFORMATION_GOVERNANCE,
                Role.PARTNER_AGENCY,
            )
            qualified_on = None
            if counts_as_qualified:
                # A social worker in their ASYE qualified within the last year; others 2 to 25 years ago.
                back = rng.randint(20, 330) if "ASYE" in row["job_title"] else rng.randint(730, 9_000)
                qualified_on = ctx.today - datetime.timedelta(days=back)
            batch.append(
                Worker(
                    user_id=users[i].pk,
                    qualified_on=qualified_on,
                    role=row["role"],
                    team_id=row["team"],
                    area_id=row["area"],
                    manager_id=worker_ids[row["manager"]] if row["manager"] is not None else None,
                    job_title=row["job_title"],
                    is_qualified=counts_as_qualified,
                    swe_number=next(numbers) if counts_as_qualified else "",
                    fte=fte,
                    employment=Employment.AGENCY if agency else Employment.PERMANENT,
                )
            )
            slots.append(i)
        for i, created in zip(
            slots, Worker.objects.bulk_create(batch, batch_size=ctx.batch_size), strict=True
        ):
            worker_ids[i] = created.pk
        ctx.counts["organisation.Worker"] += len(batch)
    bar.update(1)

    for i, row in enumerate(plan):
        if row["persona"]:
            org.personas[row["persona"]] = worker_ids[i]
        if row["role"] == Role.SOCIAL_WORKER and row["team"] is not None:
            org.case_holders.setdefault(row["team"], []).append((worker_ids[i], float(ftes[i])))
        if row["role"] == Role.IRO and row["job_title"] == "Independent Reviewing Officer":
            org.iros.append(worker_ids[i])

    # Posts: one for every worker in a team, each with its holder since a date (``PostFilling``), plus posts
    # nobody is in today. England's vacancies on 30 September 2023 were 18.9% of social work posts, and 74.4%
    # of them were covered by agency workers (DfE CSWW 2023, vacancy_agency_cover_rate_fte): so about 4.8% of
    # posts had nobody in them at all. Here the agency workers above cover posts, and about that share of posts
    # elsewhere is empty; the struggling area's missing social workers are empty posts in its teams, most of
    # them since its last holders left in the last nine months (the history is ``steps/workforce.py``'s).
    qualified_on = dict(
        Worker.objects.filter(pk__in=[pk for pk in worker_ids if pk is not None]).values_list(
            "pk", "qualified_on"
        )
    )
    old = ctx.today - datetime.timedelta(days=round(365.25 * OLD_POSTS_YEARS))
    growth_start = max(ctx.history_start, ctx.today - datetime.timedelta(days=730))

    def established() -> datetime.date:
        """Most posts are older than any history generated; a few were added in the last two years."""
        if rng.random() < NEW_POST_SHARE:
            return ctx.random_date(growth_start, ctx.today - datetime.timedelta(days=60))
        return old

    posts, holders = [], []
    practitioner_teams = []
    for i, row in enumerate(plan):
        if row["team"] is None:
            continue
        agency = row.get("agency", False)
        since = established()
        mean_days = AGENCY_TENURE_DAYS if agency else PERMANENT_TENURE_DAYS
        start = ctx.today - datetime.timedelta(days=round(rng.expovariate(1 / mean_days)))
        earliest = qualified_on.get(worker_ids[i])
        if earliest is not None and start < earliest:
            start = earliest
        start = max(start, since)
        posts.append(
            Post(
                team_id=row["team"],
                title=row["job_title"],
                grade=grade_for(row["role"], row["job_title"], row["qualified"]),
                fte=ftes[i],
                is_social_work_post=row["qualified"],
                established_on=since,
            )
        )
        holders.append(
            (worker_ids[i], Employment.AGENCY if agency else Employment.PERMANENT, min(start, ctx.today))
        )
        if row["level"] == 3:
            practitioner_teams.append((row["team"], row["job_title"], row["qualified"], row["role"]))
    held = len(posts)
    vacancies = round(held * UNCOVERED_SHARE)
    recent_start = max(
        ctx.history_start, ctx.today - datetime.timedelta(days=round(rates.STRUGGLING_VACANCY_MONTHS * 30.4))
    )
    vacant_since: list[datetime.date] = []
    struggling_vacancies = 0
    for (area_code, kind), count in sorted(missing.items()):
        team_ids = org.teams[(area_code, kind)]
        for i in range(count):
            since = ctx.random_date(recent_start, ctx.today) if rng.random() < 0.8 else None
            posts.append(
                Post(
                    team_id=team_ids[i % len(team_ids)],
                    title="Social Worker",
                    grade=Grade.SOCIAL_WORKER,
                    fte=Decimal("1.00"),
                    is_social_work_post=True,
                    established_on=old,
                )
            )
            vacant_since.append(since or ctx.random_date(ctx.history_start, ctx.today))
            struggling_vacancies += 1
    # An empty post has been vacant since its last holder left: as long ago as a vacancy between two holders
    # lasts (``steps/workforce.py``'s GAP_DAYS, about 16 months), at most the history's start.
    gap_days = PERMANENT_TENURE_DAYS * 0.189 / (1 - 0.189)
    for _ in range(vacancies):
        team_id, title, qualified, role = rng.choice(practitioner_teams)
        if qualified and title not in ("Independent Reviewing Officer", "Child Protection Chair"):
            title = "Social Worker" if team_id != org.front_door_team else "Social Worker (MASH)"
        posts.append(
            Post(
                team_id=team_id,
                title=title,
                grade=grade_for(role, title, qualified),
                fte=Decimal("1.00"),
                is_social_work_post=qualified,
                established_on=old,
            )
        )
        vacant_since.append(
            max(ctx.history_start, ctx.today - datetime.timedelta(days=round(rng.expovariate(1 / gap_days))))
        )
    created = Post.objects.bulk_create(posts, batch_size=ctx.batch_size)
    ctx.counts["organisation.Post"] += len(created)
    fillings = [
        PostFilling(post_id=post.pk, worker_id=worker_id, employment=employment, start_date=start)
        for post, (worker_id, employment, start) in zip(created, holders, strict=False)
    ]
    PostFilling.objects.bulk_create(fillings, batch_size=ctx.batch_size)
    ctx.counts["organisation.PostFilling"] += len(fillings)
    ctx.extra["organisation"] = {
        "vacancies": vacancies + struggling_vacancies,
        "posts": len(created),
        "struggling_area": STRUGGLING_AREA,
        "struggling_area_vacancies": struggling_vacancies,
    }
    # For the workforce step, which takes it out of the summary: since when each empty post has been empty
    # (its last holder left the day before), as [post id, ISO date] pairs.
    ctx.extra["organisation"]["vacant_since"] = [
        [post.pk, day.isoformat()] for post, day in zip(created[held:], vacant_since, strict=True)
    ]
    bar.update(2)
    bar.close()
