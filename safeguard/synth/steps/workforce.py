"""Step ``workforce``: the establishment's history over the generation's ``--years``, ending in today's state.

``steps/organisation.py`` made today's establishment: every post, who is in it and since when, and since when
each empty post has been empty. This step writes what came before, post by post, walking back from today's
state to ``ctx.history_start``:

- a permanent holder stays an exponentially distributed time with a mean of 0.9 / 0.159 years, and nine in ten
  of them leave the council (resigned, retired, contract ended, ...), one in ten move to another post in it:
  so permanent leavers run at about England's turnover, 15.9% a year (DOMAIN.md §5, DfE CSWW 2023);
- between two permanent holders the post is vacant for a while (a mean of ``GAP_DAYS``, so that posts are
  vacant about 19% of the time, England's vacancy rate), empty at first and then covered by agency workers one
  after another, about three quarters of vacancy time covered (England's agency cover of vacancies, 74.4%);
- an agency worker covering a post today came after a gap and a permanent holder who left;
- the struggling area's empty posts (``geography.STRUGGLING_AREA``) became empty when their holders left,
  most within the last nine months (``rates.STRUGGLING_VACANCY_MONTHS``): its period of high vacancies;
- about 1% of posts a year were cut during the history (their last holder made redundant or moved).

Today's fillings start no later than the earliest allocation their worker still holds (a worker holds no case
from before they came), which the step reads back first. Past holders are staff who have gone: each is a worker
with a user who cannot sign in, in no team (so no team list, caseload or supervision overview shows them), with
the role and qualification their post needs.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Min

from safeguard.organisation.models import (
    QUALIFIED_GRADES,
    Allocation,
    Employment,
    Grade,
    LeavingReason,
    Post,
    PostFilling,
    Role,
    Worker,
)
from safeguard.people.models import name_key
from safeguard.synth.context import SynthContext
from safeguard.synth.ids import swe_numbers
from safeguard.synth.names import staff_name
from safeguard.synth.steps.organisation import (
    AGENCY_TENURE_DAYS,
    EMAIL_DOMAIN,
    PERMANENT_TENURE_DAYS,
)

# Mean days a post stays vacant between two permanent holders: with holders staying PERMANENT_TENURE_DAYS, a post
# is then vacant about 19% of the time, England's vacancy rate.
GAP_DAYS = round(PERMANENT_TENURE_DAYS * 0.189 / (1 - 0.189))
# A vacancy is empty for a while, then covered by agency workers, one after another: about three quarters of
# vacancy time covered (England: 74.4% of vacancies covered, DfE CSWW 2023, vacancy_agency_cover_rate_fte).
UNCOVERED_DAYS = round(GAP_DAYS * 0.256)
AGENCY_DAYS = AGENCY_TENURE_DAYS
CUT_SHARE_A_YEAR = 0.01
# Why a permanent holder's time in a post ended: nine in ten leave the council.
ENDINGS = (
    (LeavingReason.RESIGNED, 62),
    (LeavingReason.MOVED, 10),
    (LeavingReason.RETIRED, 9),
    (LeavingReason.CONTRACT_ENDED, 8),
    (LeavingReason.DISMISSED, 2),
    (LeavingReason.OTHER, 9),
)
DAY = datetime.timedelta(days=1)


def _days(rng, mean: float) -> int:
    return max(1, round(rng.expovariate(1 / mean)))


def run(ctx: SynthContext) -> None:
    rng = ctx.rng
    start = ctx.history_start
    bar = ctx.progress(4, "workforce")
    summary = ctx.extra.get("organisation", {})
    vacant_since = {pk: datetime.date.fromisoformat(day) for pk, day in summary.pop("vacant_since", [])}

    # Today's fillings start no later than the earliest allocation their worker holds today.
    first_allocation = dict(
        Allocation.objects.filter(end_date__isnull=True)
        .order_by()
        .values("worker_id")
        .annotate(first=Min("start_date"))
        .values_list("worker_id", "first")
    )
    posts = {
        pk: (team_id, fte, grade, established, title)
        for pk, team_id, fte, grade, established, title in Post.objects.order_by("pk").values_list(
            "pk", "team_id", "fte", "grade", "established_on", "title"
        )
    }
    current = list(
        PostFilling.objects.filter(end_date__isnull=True)
        .order_by("pk")
        .values_list("pk", "post_id", "worker_id", "employment", "start_date")
    )
    moved_fillings, moved_posts = [], {}
    boundary: dict[int, tuple[datetime.date, str]] = {}  # post -> (first day of today's state, its kind)
    for pk, post_id, worker_id, employment, began in current:
        first = first_allocation.get(worker_id)
        if first is not None and first < began:
            began = first
            moved_fillings.append(PostFilling(pk=pk, start_date=began))
            team_id, fte, grade, established, title = posts[post_id]
            if established > began:
                moved_posts[post_id] = began
                posts[post_id] = (team_id, fte, grade, began, title)
        boundary[post_id] = (began, employment)
    PostFilling.objects.bulk_update(moved_fillings, ["start_date"], batch_size=ctx.batch_size)
    Post.objects.bulk_update(
        [Post(pk=pk, established_on=day) for pk, day in moved_posts.items()],
        ["established_on"],
        batch_size=ctx.batch_size,
    )
    bar.update(1)

    # Each post's history, walking back from today's state.
    past: list[dict] = []  # fillings to write, each with the post and the leaver it needs
    for post_id, (_team, _fte, _grade, established, _title) in posts.items():
        floor = max(start, established)
        if post_id in boundary:
            began, employment = boundary[post_id]
            edge = began
            if began > floor:
                # Before today's holder (permanent, or agency cover) the post was vacant for a while, covered by
                # agency workers, since a permanent holder left.
                edge = began - datetime.timedelta(days=_days(rng, GAP_DAYS))
                _covers(rng, past, post_id, edge, began - DAY)
        else:
            edge = vacant_since.get(post_id, ctx.random_date(start, ctx.today))
        _history_before(rng, past, post_id, edge, floor)
    # Posts cut during the history: held until they were cut, and vacant or covered before that as any other.
    team_posts = defaultdict(list)
    for team_id, _fte, grade, _established, title in posts.values():
        team_posts[team_id].append((grade, title))
    cut = round(len(posts) * CUT_SHARE_A_YEAR * ctx.years)
    team_ids = sorted(team_posts)
    cut_posts = []
    for _ in range(cut):
        team_id = rng.choice(team_ids)
        grade, title = rng.choice(team_posts[team_id])
        on = ctx.random_date(start + datetime.timedelta(days=90), ctx.today - DAY)
        cut_posts.append((team_id, grade, title, on))
    created = Post.objects.bulk_create(
        [
            Post(
                team_id=team_id,
                title=title,
                grade=grade,
                fte=Decimal("1.00"),
                is_social_work_post=grade in QUALIFIED_GRADES,
                established_on=start - datetime.timedelta(days=round(365.25 * 10)),
                disestablished_on=on,
                disestablished_reason="Restructure: the post was deleted from the establishment",
            )
            for team_id, grade, title, on in cut_posts
        ],
        batch_size=ctx.batch_size,
    )
    ctx.counts["organisation.Post"] += len(created)
    for post, (team_id, grade, title, on) in zip(created, cut_posts, strict=True):
        posts[post.pk] = (team_id, post.fte, grade, post.established_on, title)
        reason = LeavingReason.REDUNDANCY if rng.random() < 0.5 else LeavingReason.MOVED
        began = on - datetime.timedelta(days=_days(rng, PERMANENT_TENURE_DAYS))
        past.append(
            {
                "post": post.pk,
                "employment": Employment.PERMANENT,
                "start": began,
                "end": on - DAY,
                "reason": reason,
            }
        )
        _history_before(rng, past, post.pk, began, start)
    bar.update(1)

    # The people who held those posts and have gone: a user who cannot sign in and a worker in no team.
    user_model = get_user_model()
    taken = set(user_model.objects.values_list("username", flat=True))
    unusable = make_password(None)
    qualified_count = sum(1 for row in past if posts[row["post"]][2] in QUALIFIED_GRADES)
    numbers = iter(
        swe_numbers(
            rng,
            qualified_count,
            set(Worker.objects.exclude(swe_number="").values_list("swe_number", flat=True)),
        )
    )
    users, workers = [], []
    for row in past:
        first, last, _sex = staff_name(rng)
        stem = f"{name_key(first)}.{name_key(last)}"
        username, suffix = stem, 1
        while username in taken:
            suffix += 1
            username = f"{stem}{suffix}"
        taken.add(username)
        users.append(
            user_model(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{EMAIL_DOMAIN}",
                password=unusable,
                is_active=False,
            )
        )
        team_id, fte, grade, established, title = posts[row["post"]]
        qualified = grade in QUALIFIED_GRADES
        workers.append(
            {
                "role": _role(grade),
                "job_title": title,
                "qualified": qualified,
                "swe_number": next(numbers) if qualified else "",
                "qualified_on": row["start"] - datetime.timedelta(days=rng.randint(30, 6000))
                if qualified
                else None,
                "fte": fte,
                "employment": row["employment"],
            }
        )
    users = user_model.objects.bulk_create(users, batch_size=ctx.batch_size)
    ctx.counts[user_model._meta.label] += len(users)
    created_workers = Worker.objects.bulk_create(
        [
            Worker(
                user_id=user.pk,
                role=spec["role"],
                job_title=spec["job_title"],
                is_qualified=spec["qualified"],
                swe_number=spec["swe_number"],
                qualified_on=spec["qualified_on"],
                fte=spec["fte"],
                employment=spec["employment"],
            )
            for user, spec in zip(users, workers, strict=True)
        ],
        batch_size=ctx.batch_size,
    )
    ctx.counts["organisation.Worker"] += len(created_workers)
    bar.update(1)

    # A move within the council is followed, in the records, by a start in another post: the moved worker's
    # next post is not in this history (they are counted once, as a mover), so no start is marked as a move.
    with ctx.writer(PostFilling) as out:
        for row, worker in zip(past, created_workers, strict=True):
            out.add(
                PostFilling(
                    post_id=row["post"],
                    worker_id=worker.pk,
                    employment=row["employment"],
                    start_date=row["start"],
                    end_date=row["end"],
                    leaving_reason=row["reason"],
                )
            )
    ctx.extra["workforce"] = {
        "past_fillings": len(past),
        "permanent_leavers": sum(
            1
            for row in past
            if row["employment"] == Employment.PERMANENT and row["reason"] != LeavingReason.MOVED
        ),
        "agency_covers": sum(1 for row in past if row["employment"] == Employment.AGENCY),
        "posts_cut": len(created),
        "current_starts_moved_back": len(moved_fillings),
    }
    bar.update(1)
    bar.close()


def _role(grade: str) -> str:
    if grade == Grade.TEAM_MANAGER:
        return Role.TEAM_MANAGER
    if grade == Grade.REVIEWING_OFFICER:
        return Role.IRO
    if grade == Grade.SUPPORT_OFFICER:
        return Role.FRONT_DOOR_WORKER
    if grade in QUALIFIED_GRADES:
        return Role.SOCIAL_WORKER
    return Role.FAMILY_SUPPORT_WORKER


def _covers(rng, past: list[dict], post_id: int, gap_start: datetime.date, gap_end: datetime.date) -> None:
    """A vacancy from ``gap_start`` to ``gap_end``: empty for a while (a mean of ``UNCOVERED_DAYS``), then
    covered by agency workers one after another (each a mean of ``AGENCY_DAYS``) until it ends."""
    cover_start = gap_start + datetime.timedelta(days=_days(rng, UNCOVERED_DAYS))
    while cover_start <= gap_end:
        cover_end = min(gap_end, cover_start + datetime.timedelta(days=_days(rng, AGENCY_DAYS)))
        past.append(
            {
                "post": post_id,
                "employment": Employment.AGENCY,
                "start": cover_start,
                "end": cover_end,
                "reason": LeavingReason.AGENCY_ENDED,
            }
        )
        cover_start = cover_end + DAY


def _history_before(rng, past: list[dict], post_id: int, edge: datetime.date, floor: datetime.date) -> None:
    """Fillings of ``post_id`` before ``edge`` (the first day of the state after them), back to ``floor``:
    a permanent holder who left the day before ``edge``; before them a vacancy, mostly covered by agency; and so
    on. A filling that began before ``floor`` is the last one written (it straddles the history's start)."""
    while edge > floor:
        end = edge - DAY
        began = end - datetime.timedelta(days=_days(rng, PERMANENT_TENURE_DAYS))
        reason = rng.choices([reason for reason, _ in ENDINGS], weights=[weight for _, weight in ENDINGS])[0]
        past.append(
            {
                "post": post_id,
                "employment": Employment.PERMANENT,
                "start": began,
                "end": end,
                "reason": reason,
            }
        )
        if began <= floor:
            return
        gap_end = began - DAY
        gap_start = gap_end - datetime.timedelta(days=_days(rng, GAP_DAYS))
        _covers(rng, past, post_id, gap_start, gap_end)
        edge = gap_start
