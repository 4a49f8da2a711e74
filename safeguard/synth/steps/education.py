"""Synthetic education (issue 9): where each child of compulsory school age is educated, and a few children
withdrawn from school while known to children's social care, so that the demo shows the flag.

Rates, of children of compulsory school age (5 to 15 on ``today``), from the DfE's "Elective home education"
and "Children missing education" statistics, autumn term 2024/25 (explore-education-statistics.service.gov.uk;
official statistics in development, rates per 100 children aged 5 to 16):

- electively home educated: 111,700 children on census day, 1.4 per 100 (``EHE_RATE``);
- children missing education: 39,200, 0.5 per 100 (``CME_RATE``);
- the rest on a school roll, since the September after their fourth birthday (reception), at a synthetic
  school named after their area, primary before 11 and secondary after.

A home educated or missing child was on a school roll first and left it on a day drawn from the history
window. If on that day the child, or a child in their household, held an open case (``ctx.cases``, begun on
or before it) the withdrawal is flagged, as ``frontdoor.education`` would have flagged it; cases closed before
``today`` are not in ``ctx.cases``, so a withdrawal during one is not flagged here (a few missing flags, in
synthetic history only). On top of those, a few known children are withdrawn on purpose, recently, so the
demo's records and front door queue show the flag: one on the ``socialworker`` persona's caseload, and one
child with a contact awaiting decision at the front door (withdrawn on the day it arrived). Flags older
than 60 days have been considered by the ``teammanager`` persona; newer ones are open.

Rows are numbered here (``ctx.next_ids``) so that flags can name their status rows without reading them back.
"""

import datetime

from safeguard.frontdoor.models import Contact, ContactStatus, EducationWithdrawal
from safeguard.organisation.models import Worker
from safeguard.people.models import EducationSetting, EducationSource, EducationStatus
from safeguard.synth.context import SynthContext
from safeguard.synth.geography import AREAS

EHE_RATE = 0.014  # DfE, Elective home education, autumn term 2024/25: 1.4 per 100
CME_RATE = 0.005  # DfE, Children missing education, autumn term 2024/25: 0.5 per 100
COMPULSORY_SCHOOL_AGES = range(5, 16)  # Education Act 1996 s8: from 5 to the end of year 11
CONSIDERED_AFTER_DAYS = 60
PERSONA_WITHDRAWALS = 1  # on the socialworker persona's caseload
FRONT_DOOR_WITHDRAWALS = 1  # a child with a contact awaiting decision
OTHER_KNOWN_WITHDRAWALS_PER_10K = 2.0  # a few more open cases, so the queue and records show some


def _school_start(born: datetime.date) -> datetime.date:
    """The first September after the fourth birthday: reception."""
    year = born.year + 4 + (1 if (born.month, born.day) >= (9, 1) else 0)
    return datetime.date(year, 9, 1)


def _school(ctx: SynthContext, area: int, age: int) -> tuple[str, str]:
    """A synthetic school in one of the child's area's neighbourhoods, primary before 11 and secondary after,
    with a synthetic URN (a real URN is six digits; these start with 9, which GIAS has not issued)."""
    neighbourhoods = AREAS[area].neighbourhoods
    number = ctx.rng.randrange(len(neighbourhoods))
    secondary = age >= 11
    name = f"{neighbourhoods[number]} {'Academy' if secondary else 'Primary School'}"
    return name, f"9{area:02d}{number:02d}{int(secondary)}"


def run(ctx: SynthContext) -> None:
    population, today = ctx.population, ctx.today
    if not len(population):
        return
    slot_of = {child_id: slot for slot, child_id in enumerate(population.child_ids)}
    household_of = {}
    for index in range(len(population.household_start)):
        for slot in population.household_slots(index):
            household_of[slot] = index
    # Open cases by child, with the day each began: "known" on a day means a case begun by then.
    known_since = {case.child_id: case.start_date for case in ctx.cases}
    allocated = {case.child_id for case in ctx.cases if case.worker_id}

    def known_on(child_id: int, day: datetime.date) -> bool:
        started = known_since.get(child_id)
        return started is not None and started <= day

    def _known_because(child_id: int, day: datetime.date, from_front_door: bool) -> str:
        """In the words ``frontdoor.education.involvement_on`` uses."""
        reasons = []
        if known_on(child_id, day):
            reasons.append(
                "an allocated social worker" if child_id in allocated else "an open child in need episode"
            )
        if from_front_door:
            reasons.append("a contact at the front door")
        return ", ".join(reasons)

    def household_known(slot: int, day: datetime.date) -> list[int]:
        index = household_of.get(slot)
        if index is None:
            return []
        return [
            population.child_ids[other]
            for other in population.household_slots(index)
            if other != slot and known_on(population.child_ids[other], day)
        ]

    # The children chosen to be withdrawn while known, so the demo shows the flag.
    persona_id = ctx.org.personas.get("socialworker")
    school_age = {
        population.child_ids[slot]
        for slot in range(len(population))
        if not population.flags[slot] & (population.UNBORN | population.DECEASED)
        and population.age_on(slot, today) in COMPULSORY_SCHOOL_AGES
    }
    chosen: dict[int, tuple[datetime.date, str]] = {}
    persona_cases = sorted(
        (case for case in ctx.cases if case.worker_id == persona_id and case.child_id in school_age),
        key=lambda case: case.child_id,
    )
    for case in persona_cases[:PERSONA_WITHDRAWALS]:
        chosen[case.child_id] = (
            max(case.start_date, today - datetime.timedelta(days=10)),
            EducationSetting.ELECTIVE_HOME_EDUCATION,
        )
    awaiting = list(
        Contact.objects.filter(status=ContactStatus.AWAITING_DECISION, child_id__in=school_age)
        .order_by("received_at", "pk")
        .values_list("child_id", "received_at")[: FRONT_DOOR_WITHDRAWALS + 5]
    )
    front_door_children = set()
    for child_id, received_at in awaiting:
        if len(front_door_children) >= FRONT_DOOR_WITHDRAWALS:
            break
        if child_id not in chosen:
            chosen[child_id] = (received_at.date(), EducationSetting.ELECTIVE_HOME_EDUCATION)
            front_door_children.add(child_id)
    others = sorted(
        (
            case
            for case in ctx.cases
            if case.worker_id and case.child_id in school_age and case.child_id not in chosen
        ),
        key=lambda case: case.child_id,
    )
    wanted = max(1, round(OTHER_KNOWN_WITHDRAWALS_PER_10K * ctx.children / 10_000))
    for case in ctx.rng.sample(others, min(wanted, len(others))):
        day = ctx.random_date(max(case.start_date, today - datetime.timedelta(days=120)), today)
        chosen[case.child_id] = (
            day,
            ctx.rng.choice([EducationSetting.ELECTIVE_HOME_EDUCATION, EducationSetting.MISSING_EDUCATION]),
        )

    manager_user_id = None
    if ctx.org.personas.get("teammanager"):
        manager_user_id = (
            Worker.objects.filter(pk=ctx.org.personas["teammanager"])
            .values_list("user_id", flat=True)
            .first()
        )

    next_status = ctx.next_ids(EducationStatus)
    next_withdrawal = ctx.next_ids(EducationWithdrawal)
    siblings_through = EducationWithdrawal.known_siblings.through
    summary = {"on_roll": 0, "ehe": 0, "cme": 0, "withdrawals": 0, "withdrawals_open": 0}
    bar = ctx.progress(len(school_age), "education")
    with ctx.writer(EducationStatus, EducationWithdrawal, siblings_through) as out:
        for child_id in sorted(school_age):
            slot = slot_of[child_id]
            born = datetime.date.fromordinal(population.dob_ordinal[slot])
            age = population.age_on(slot, today)
            started = _school_start(born)
            school_name, urn = _school(ctx, population.area[slot], age)
            out.row(
                EducationStatus,
                id=next_status,
                child_id=child_id,
                setting=EducationSetting.ON_ROLL,
                changed_on=started,
                school_name=school_name,
                school_urn=urn,
                source=EducationSource.SCHOOL,
                notes="",
            )
            next_status += 1
            left = None
            if child_id in chosen:
                left = chosen[child_id]
            else:
                draw = ctx.rng.random()
                if draw < EHE_RATE + CME_RATE:
                    setting = (
                        EducationSetting.ELECTIVE_HOME_EDUCATION
                        if draw < EHE_RATE
                        else EducationSetting.MISSING_EDUCATION
                    )
                    left = (
                        ctx.random_date(max(started + datetime.timedelta(days=30), ctx.history_start), today),
                        setting,
                    )
            if left is None or left[0] <= started:
                summary["on_roll"] += 1
                bar.update(1)
                continue
            day, setting = left
            summary["ehe" if setting == EducationSetting.ELECTIVE_HOME_EDUCATION else "cme"] += 1
            from_front_door = child_id in front_door_children
            out.row(
                EducationStatus,
                id=next_status,
                child_id=child_id,
                setting=setting,
                changed_on=day,
                school_name="",
                school_urn="",
                source=EducationSource.FRONT_DOOR_CHECK
                if from_front_door
                else EducationSource.LOCAL_AUTHORITY_EDUCATION,
                notes="",
            )
            status_id, next_status = next_status, next_status + 1
            own = known_on(child_id, day) or from_front_door
            sibling_ids = household_known(slot, day)
            if own or sibling_ids:
                considered = (today - day).days > CONSIDERED_AFTER_DAYS and manager_user_id is not None
                when = datetime.datetime.combine(
                    day + datetime.timedelta(days=CONSIDERED_AFTER_DAYS // 2),
                    datetime.time(15),
                    tzinfo=datetime.UTC,
                )
                out.row(
                    EducationWithdrawal,
                    id=next_withdrawal,
                    child_id=child_id,
                    status_id=status_id,
                    withdrawn_on=day,
                    known_because=_known_because(child_id, day, from_front_door),
                    considered_at=when if considered else None,
                    considered_by_id=manager_user_id if considered else None,
                    consideration=(
                        "Discussed with the family and the council's EHE team; the plan now includes a visit "
                        "each fortnight and a check on the education offered."
                    )
                    if considered
                    else "",
                )
                for sibling_id in sibling_ids:
                    out.row(siblings_through, educationwithdrawal_id=next_withdrawal, child_id=sibling_id)
                summary["withdrawals"] += 1
                summary["withdrawals_open"] += 0 if considered else 1
                next_withdrawal += 1
            bar.update(1)
    bar.close()
    ctx.reset_sequences(EducationStatus, EducationWithdrawal)
    summary["school_age"] = len(school_age)
    ctx.extra["education"] = summary
