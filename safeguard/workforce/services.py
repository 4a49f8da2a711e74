"""Changes to the establishment: add a post, cut a post, record a starter in a post, record a leaver (or a move).

Each service checks who is acting (``policies.change_refusal``: the director, or the head of service for the
team's area), validates, runs in one transaction with the post locked (so two people recording a starter in
the same post at once cannot both succeed), and writes its own ``AuditEvent``. Bad input raises
``ValidationError`` with a message for each field, which the page shows in the GOV.UK error summary; nothing
is changed.

The history is the record (ADR 9): nothing here edits or deletes a past filling. A filling ends with its last
day and a reason; a post is cut from a date with a reason.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.audit.policy import worker_for
from safeguard.audit.services import audit_event_record, changes_between
from safeguard.organisation.models import (
    QUALIFIED_GRADES,
    Grade,
    LeavingReason,
    Post,
    PostFilling,
    Team,
    Worker,
)
from safeguard.workforce import policies

POST_FIELDS = ["team", "title", "grade", "fte", "is_social_work_post", "established_on"]
FILLING_FIELDS = ["post", "worker", "employment", "start_date", "moved_within_council"]


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _authorise(user, team: Team) -> None:
    refusal = policies.change_refusal(worker_for(user), team)
    if refusal:
        raise PermissionDenied(refusal)


def _date(errors: dict, name: str, value: datetime.date | None, what: str) -> None:
    if value is None:
        errors[name] = f"Enter {what}"
    elif value > timezone.localdate():
        errors[name] = f"{what[0].upper()}{what[1:]} cannot be in the future"


def _locked(post: Post) -> Post:
    return Post.objects.select_for_update().select_related("team").get(pk=post.pk)


def post_establish(
    *,
    team: Team,
    title: str,
    grade: str,
    fte: Decimal | str,
    established_on: datetime.date | None,
    established_by,
) -> Post:
    """Add a post to ``team``'s establishment from ``established_on``. A qualified grade needs a qualified
    social worker (``organisation.QUALIFIED_GRADES``); the FTE is more than 0 and at most 1 (a job share is two
    posts). A post may be established ahead of time (a new team being built), up to a year ahead."""
    _authorise(established_by, team)
    errors: dict = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Enter the post's title"
    if grade not in Grade.values:
        errors["grade"] = "Choose the post's grade"
    try:
        fte = Decimal(str(fte).strip())
        if not (Decimal(0) < fte <= 1) or fte != round(fte, 2):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["fte"] = (
            "FTE must be a number more than 0 and at most 1, with up to 2 decimal places, like 0.6"
        )
    if established_on is None:
        errors["established_on"] = "Enter the date the post is established from"
    elif established_on > timezone.localdate() + datetime.timedelta(days=366):
        errors["established_on"] = "A post can be established at most a year ahead"
    _raise(errors)
    with transaction.atomic():
        post = Post.objects.create(
            team=team,
            title=title,
            grade=grade,
            fte=fte,
            is_social_work_post=grade in QUALIFIED_GRADES,
            established_on=established_on,
            created_by=established_by,
            modified_by=established_by,
        )
        audit_event_record(
            actor=established_by,
            action="post.established",
            entity=post,
            changes=changes_between(None, post, POST_FIELDS),
        )
    return post


def post_disestablish(*, post: Post, on: datetime.date | None, reason: str, cut_by) -> Post:
    """Cut ``post`` from ``on`` (the first day it no longer exists). Nobody may be in it from that day: end
    their time in it first (a leaver, or a move to another post)."""
    _authorise(cut_by, post.team)
    errors: dict = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Enter why the post is cut"
    if on is None:
        errors["on"] = "Enter the date the post is cut from"
    _raise(errors)
    with transaction.atomic():
        post = _locked(post)
        before = Post.objects.get(pk=post.pk)
        if post.disestablished_on is not None:
            errors["on"] = f"This post was already cut from {post.disestablished_on:%-d %B %Y}"
        elif on <= post.established_on:
            errors["on"] = (
                f"The post was established on {post.established_on:%-d %B %Y}: it can only be cut after that"
            )
        else:
            held = (
                post.fillings.filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
                .select_related("worker__user")
                .first()
            )
            if held is not None:
                errors["on"] = (
                    f"{held.worker.name} is in this post on that day: record that they left or moved first"
                )
        _raise(errors)
        post.disestablished_on = on
        post.disestablished_reason = reason
        post.modified_by = cut_by
        post.save(update_fields=["disestablished_on", "disestablished_reason", "modified_by", "modified_at"])
        audit_event_record(
            actor=cut_by,
            action="post.disestablished",
            entity=post,
            changes=changes_between(before, post, ["disestablished_on", "disestablished_reason"]),
            reason=reason,
        )
    return post


def post_fill(*, post: Post, worker: Worker, start_date: datetime.date | None, recorded_by) -> PostFilling:
    """Record that ``worker`` started in ``post`` on ``start_date``: a starter, or a move from another post in
    the council when their last post ended the day before or later with the reason "moved".

    Employment (permanent or agency) is the worker's (``Worker.employment``), kept on the filling. Refused:
    a worker in another team (their team is changed first); a worker who is not a qualified social worker in
    a post that needs one; a date outside the post's life, or in the future; a post someone is already in on
    or after that day; a worker who is still in another post on that day.
    """
    _authorise(recorded_by, post.team)
    errors: dict = {}
    _date(errors, "start_date", start_date, "the start date")
    if worker.team_id != post.team_id:
        errors["worker"] = f"{worker.name} is not in {post.team.name}: their team is changed first"
    elif post.is_social_work_post and not worker.is_qualified:
        errors["worker"] = f"This post needs a qualified social worker: {worker.name} is not recorded as one"
    _raise(errors)
    with transaction.atomic():
        post = _locked(post)
        if post.established_on > start_date:
            errors["start_date"] = (
                f"The post was established on {post.established_on:%-d %B %Y}: the start date cannot be before it"
            )
        elif post.disestablished_on is not None and start_date >= post.disestablished_on:
            errors["start_date"] = f"The post was cut from {post.disestablished_on:%-d %B %Y}"
        clash = (
            post.fillings.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
            .select_related("worker__user")
            .first()
        )
        if clash is not None and "start_date" not in errors:
            if clash.end_date is None:
                errors["start_date"] = (
                    f"{clash.worker.name} is in this post from {clash.start_date:%-d %B %Y}: record that they "
                    "left or moved first"
                )
            else:
                errors["start_date"] = (
                    f"{clash.worker.name} was in this post until {clash.end_date:%-d %B %Y}: the start date "
                    "must be after that"
                )
        other = (
            PostFilling.objects.filter(worker=worker)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
            .select_related("post__team")
            .first()
        )
        if other is not None and "worker" not in errors:
            errors["worker"] = (
                f"{worker.name} is in another post ({other.post}) on that day: record that they left or moved "
                "first"
            )
        _raise(errors)
        last = PostFilling.objects.filter(worker=worker).order_by("-end_date").first()
        moved = last is not None and last.leaving_reason == LeavingReason.MOVED
        filling = PostFilling.objects.create(
            post=post,
            worker=worker,
            employment=worker.employment,
            start_date=start_date,
            moved_within_council=moved,
            created_by=recorded_by,
            modified_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="post.filled",
            entity=filling,
            changes=changes_between(None, filling, FILLING_FIELDS),
        )
    return filling


def post_filling_end(
    *, filling: PostFilling, end_date: datetime.date | None, reason: str, recorded_by
) -> PostFilling:
    """Record the last day of ``filling`` and why it ended: a leaver from the council (any reason but
    "moved"), or a move to another post in it. The last day is on or after the start and not in the future."""
    _authorise(recorded_by, filling.post.team)
    errors: dict = {}
    _date(errors, "end_date", end_date, "their last day in the post")
    if reason not in LeavingReason.values:
        errors["reason"] = "Choose why they left the post"
    _raise(errors)
    with transaction.atomic():
        _locked(filling.post)
        filling = PostFilling.objects.select_related("worker__user", "post__team").get(pk=filling.pk)
        if filling.end_date is not None:
            errors["end_date"] = (
                f"{filling.worker.name} already left this post on {filling.end_date:%-d %B %Y}"
            )
        elif end_date < filling.start_date:
            errors["end_date"] = (
                f"{filling.worker.name} started in this post on {filling.start_date:%-d %B %Y}: their last day "
                "cannot be before it"
            )
        _raise(errors)
        before = PostFilling.objects.get(pk=filling.pk)
        filling.end_date = end_date
        filling.leaving_reason = reason
        filling.modified_by = recorded_by
        filling.save(update_fields=["end_date", "leaving_reason", "modified_by", "modified_at"])
        audit_event_record(
            actor=recorded_by,
            action="post.left" if reason != LeavingReason.MOVED else "post.moved_from",
            entity=filling,
            changes=changes_between(before, filling, ["end_date", "leaving_reason"]),
        )
    return filling
