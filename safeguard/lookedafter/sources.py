"""What looked-after children and care leavers contribute to pages this app does not own: two sections of
the case file (``casework.casefile``) and two kinds of chronology entry (``casework.chronology``).
Registered from ``LookedafterConfig.ready``. Each makes a fixed number of queries, whatever the length of
the child's history."""

import datetime

from django.urls import reverse

from safeguard.casework.casefile import Section
from safeguard.casework.chronology import Entry, by_name
from safeguard.core.reference import label
from safeguard.lookedafter.models import (
    CareLeaver,
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    HealthAssessment,
    LacEpisode,
    LacPlan,
    LacReview,
    MissingEpisode,
    NeedsAssessment,
    PathwayPlan,
    PathwayPlanReview,
    PeriodOfCare,
    PersonalEducationPlan,
    placements_of,
)
from safeguard.lookedafter.selectors import care_leaver_summary, looked_after_summary
from safeguard.people.models import Child

# -- the case file --------------------------------------------------------------------------------------------


LEAVING_CARE_AGE = 16  # an eligible child is looked after at 16 or 17 (CPPCR 2010 reg 40)


def looked_after_section(child: Child, today: datetime.date, user) -> dict | None:
    summary = looked_after_summary(child=child, today=today)
    if summary is None:
        return None
    return {
        "child": child,
        "summary": summary,
        "today": today,
        "link": reverse("lookedafter:looked_after", kwargs={"child_id": child.pk}),
    }


def care_leaver_section(child: Child, today: datetime.date, user) -> dict | None:
    summary = care_leaver_summary(child=child)
    if summary is None:
        return None
    return {
        "child": child,
        "summary": summary,
        "today": today,
        "link": reverse("lookedafter:leaving_care", kwargs={"child_id": child.pk}),
    }


def case_file_actions(child: Child, today: datetime.date, user) -> list[tuple[str, str]]:
    """From the case file: a child who is not looked after can become so; a young person of 16 or over who
    has been looked after can begin leaving care support (Children Act 1989 s23C; CPPCR 2010 reg 40)."""
    actions = []
    looked_after = PeriodOfCare.objects.open().filter(child=child).exists()
    if not looked_after:
        actions.append(
            (
                "Record that the child became looked after",
                reverse("lookedafter:period_start", kwargs={"child_id": child.pk}),
            )
        )
    age = child.person.age_on(today)
    if (
        age is not None
        and age >= LEAVING_CARE_AGE
        and not CareLeaver.objects.open().filter(child=child).exists()
        and PeriodOfCare.objects.filter(child=child).exists()
    ):
        actions.append(
            (
                "Start leaving care support",
                reverse("lookedafter:care_leaver_start", kwargs={"child_id": child.pk}),
            )
        )
    return actions


def case_status(child: Child, today: datetime.date) -> str | None:
    """Looked after outranks every other case status (Ofsted Annex A list 6); then leaving care support."""
    if PeriodOfCare.objects.open().filter(child=child).exists():
        return "Looked after"
    if CareLeaver.objects.open().filter(child=child).exists():
        return "Care leaver"
    return None


LOOKED_AFTER_SECTION = Section(
    key="looked_after",
    title="Looked after",
    template="lookedafter/_section_looked_after.html",
    context=looked_after_section,
    order=40,
)
CARE_LEAVER_SECTION = Section(
    key="care_leaver",
    title="Leaving care",
    template="lookedafter/_section_care_leaver.html",
    context=care_leaver_section,
    order=45,
)


# -- the chronology -------------------------------------------------------------------------------------------


def _episode_title(episode: LacEpisode, previous: LacEpisode | None, new_placement: bool) -> str:
    if previous is not None and episode.legal_status != previous.legal_status and not new_placement:
        return f"Legal status changed: {episode.legal_status_label}"
    if episode.is_temporary:
        return f"Temporary placement: {episode.placement_type_label}"
    if previous is not None and previous.is_temporary:
        return f"Returned to their placement: {episode.placement_type_label}"
    title = f"Placement changed: {episode.placement_type_label}"
    if previous is not None and episode.legal_status != previous.legal_status:
        title += f"; legal status {episode.legal_status_label}"
    return title


def looked_after_entries(child: Child):
    """Periods of care, placements and legal status changes, plans, reviews, health checks, PEPs and missing
    episodes. Seven queries."""
    link = reverse("lookedafter:looked_after", kwargs={"child_id": child.pk})
    kind = "looked_after"
    periods = PeriodOfCare.objects.filter(child=child).select_related("created_by", "modified_by")
    for period in periods:
        if period.end_date is not None:
            yield Entry(
                on=period.end_date,
                kind=kind,
                title=f"Ceased to be looked after: {period.end_reason_label}",
                by=by_name(period.modified_by),
                url=link,
                order=9,
            )
    episodes = (
        LacEpisode.objects.filter(child=child)
        .select_related("created_by")
        .order_by("period_id", "start_date")
    )
    previous = None
    by_period: dict[int, list[LacEpisode]] = {}
    for episode in episodes:
        by_period.setdefault(episode.period_id, []).append(episode)
    for run in by_period.values():
        previous = None
        for placement in placements_of(run):
            episode = placement.episode
            where = episode.provider_name or episode.placement_provider_label
            if previous is None:
                yield Entry(
                    on=episode.start_date,
                    kind=kind,
                    title=f"Started to be looked after: {episode.legal_status_label}",
                    detail=f"Placed: {episode.placement_type_label}" + (f" ({where})" if where else ""),
                    by=by_name(episode.created_by),
                    url=link,
                    order=3,
                )
            else:
                new_placement = placement.started_on == episode.start_date
                reason = previous.reason_place_change_label
                yield Entry(
                    on=episode.start_date,
                    kind=kind,
                    title=_episode_title(episode, previous, new_placement),
                    detail="; ".join(part for part in (where, f"Reason: {reason}" if reason else "") if part),
                    by=by_name(episode.created_by),
                    url=link,
                    order=4,
                )
            previous = episode
    for plan in LacPlan.objects.filter(child=child).select_related("created_by"):
        yield Entry(
            on=plan.completed_on,
            kind=kind,
            title=f"{plan.get_kind_display()} completed",
            detail=plan.summary,
            by=by_name(plan.created_by),
            url=link,
            order=5,
        )
    for review in LacReview.objects.filter(child=child).select_related("created_by"):
        yield Entry(
            on=review.held_on,
            kind=kind,
            title="Looked-after review",
            detail="; ".join(part for part in (review.participation_label, review.summary) if part),
            by=by_name(review.created_by),
            url=link,
            order=5,
        )
    for check in HealthAssessment.objects.filter(child=child).select_related("created_by"):
        yield Entry(
            on=check.done_on,
            kind=kind,
            title=check.get_kind_display(),
            detail=check.notes,
            by=by_name(check.created_by),
            url=link,
            order=5,
        )
    for pep in PersonalEducationPlan.objects.filter(child=child).select_related("created_by"):
        yield Entry(
            on=pep.completed_on,
            kind=kind,
            title="Personal education plan",
            detail=pep.summary,
            by=by_name(pep.created_by),
            url=link,
            order=5,
        )
    for missing in MissingEpisode.objects.filter(child=child).select_related("created_by", "modified_by"):
        what = "Missing" if missing.kind == "M" else "Away from placement without authorisation"
        yield Entry(
            on=missing.start_date, kind=kind, title=what, by=by_name(missing.created_by), url=link, order=6
        )
        if missing.end_date is not None:
            yield Entry(
                on=missing.end_date,
                kind=kind,
                title=f"Returned after being {what.lower()}",
                by=by_name(missing.modified_by),
                url=link,
                order=7,
            )
        if missing.interview_offered_on is not None:
            accepted = (
                f"accepted {missing.interview_accepted_on:%-d %B %Y}" if missing.interview_accepted_on else ""
            )
            yield Entry(
                on=missing.interview_offered_on,
                kind=kind,
                title="Return interview offered",
                detail=accepted,
                url=link,
                order=8,
            )


def care_leaver_entries(child: Child):
    """Leaving care records, needs assessments, pathway plans and reviews, contacts, accommodation and
    activity. Seven queries."""
    link = reverse("lookedafter:leaving_care", kwargs={"child_id": child.pk})
    kind = "care_leaver"
    records = CareLeaver.objects.filter(child=child).select_related(
        "created_by", "modified_by", "personal_adviser__user"
    )
    for record in records:
        adviser = f"Personal adviser: {record.personal_adviser.name}" if record.personal_adviser else ""
        yield Entry(
            on=record.start_date,
            kind=kind,
            title=f"Leaving care: {record.get_status_display()}",
            detail=adviser,
            by=by_name(record.created_by),
            url=link,
            order=3,
        )
        if record.status_since != record.start_date:
            yield Entry(
                on=record.status_since,
                kind=kind,
                title=f"Now {record.get_status_display()}",
                url=link,
                order=4,
            )
        if record.end_date is not None:
            yield Entry(
                on=record.end_date,
                kind=kind,
                title=f"Leaving care support ended: {record.get_end_reason_display()}",
                by=by_name(record.modified_by),
                url=link,
                order=9,
            )
    for assessment in NeedsAssessment.objects.filter(child=child).select_related("created_by"):
        yield Entry(
            on=assessment.completed_on,
            kind=kind,
            title="Needs assessment completed",
            detail=assessment.summary,
            by=by_name(assessment.created_by),
            url=link,
            order=5,
        )
    for plan in PathwayPlan.objects.filter(child=child).select_related("created_by"):
        yield Entry(
            on=plan.started_on,
            kind=kind,
            title="Pathway plan",
            detail=plan.summary,
            by=by_name(plan.created_by),
            url=link,
            order=5,
        )
    for review in PathwayPlanReview.objects.filter(child=child).select_related("created_by"):
        yield Entry(
            on=review.reviewed_on,
            kind=kind,
            title="Pathway plan reviewed",
            detail=review.summary,
            by=by_name(review.created_by),
            url=link,
            order=5,
        )
    for contact in CareLeaverContact.objects.filter(child=child).select_related("created_by"):
        yield Entry(
            on=contact.contacted_on,
            kind=kind,
            title=f"In touch: {contact.in_touch_label}",
            detail=contact.notes,
            by=by_name(contact.created_by),
            url=link,
            order=6,
        )
    for place in CareLeaverAccommodation.objects.filter(child=child).select_related("created_by"):
        suitable = "suitable" if place.suitable else "not suitable"
        provided = "; provided by the local authority" if place.provided_by_la else ""
        yield Entry(
            on=place.start_date,
            kind=kind,
            title=f"Accommodation: {place.code_label}",
            detail=f"{suitable.capitalize()}{provided}",
            by=by_name(place.created_by),
            url=link,
            order=6,
        )
    for activity in CareLeaverActivity.objects.filter(child=child).select_related("created_by"):
        yield Entry(
            on=activity.start_date,
            kind=kind,
            title=f"Activity: {label('care_leaver_activity', activity.code)}",
            by=by_name(activity.created_by),
            url=link,
            order=6,
        )
