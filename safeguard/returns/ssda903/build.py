"""The SSDA903 return of a collection year, straight from the records.

Who and what is in it (DfE SSDA903 guide; DOMAIN.md §4):

- **Episodes**: every episode of care open at any time in the year (started by 31 March, not ended before
  1 April), as the records hold them (``lookedafter.LacEpisode`` follows the SSDA903 episode);
- **Header**: one row for each child in Episodes or OC3: sex (1/2 before 2024-25, M/F/U from then), date of
  birth, ethnicity, UPN (or the reason it is unknown, UN1-UN5), and for a girl whether she is a mother and
  her child's date of birth (from the family's relationships);
- **Reviews**: the reviews held in the year, with the child's participation;
- **Missing**: the times missing or away from placement that were going on at any time in the year;
- **OC3**: care leavers whose 17th to 21st birthday falls in the year, in touch or not at the contact
  nearest the birthday, and their activity and accommodation on it; at 17 and 18 only those who had ceased to
  be looked after by the birthday (rules 1007, 1016);
- **SW_Episodes** (from 2023-24): the child's allocated social workers in the year, by Social Work England
  number, with the reason each episode began (SW_REASON, ``allocation.SocialWorkerChange``);
- **OC2**: the outcomes of each child looked after continuously for 12 months at 31 March, as recorded for
  the year and worked out from their health assessments (``lookedafter.selectors.ssda903_outcomes``);
- **UASC**: each child looked after in the year with a UASC status going on in it, and the date it ceased (or
  will: the 18th birthday);
- **PlacedAdoption**: each decision that a child in Episodes should be placed for adoption that stood at
  some time in the year, with the date and reason it was reversed if it was by 31 March
  (``lookedafter.Adoption``, ``selectors.adoptions_in_year``);
- **AD1**: for a child adopted in the year, the decision, the match and the adopters;
- **PrevPerm**: for a child who started to be looked after in the year, the previous permanence recorded
  when their period of care began (``lookedafter.PeriodOfCare``);
- **DoLo** (from 2026-27): for a child in Episodes, each deprivation of liberty order in force at some time in
  the year (``lookedafter.DeprivationOfLiberty``), its end blank if it had not ended by 31 March.

What happened after 31 March had not happened on the census date: an episode, review or time missing that
ended after the year's end is reported as not yet ended.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Q

from safeguard.core.calendar import add_calendar_months
from safeguard.core.years import CollectionYear
from safeguard.lookedafter.models import (
    CareLeaver,
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    DeprivationOfLiberty,
    LacEpisode,
    LacReview,
    MissingEpisode,
    PeriodOfCare,
)
from safeguard.lookedafter.selectors import (
    adoptions_in_year,
    previous_permanence_in_year,
    ssda903_outcomes,
    status_nearest,
)
from safeguard.organisation.models import Allocation, AllocationRole
from safeguard.people.models import Child, Relationship, RelationshipType, Sex
from safeguard.returns.rules import Source
from safeguard.returns.ssda903.model import (
    TABLE_FROM_YEAR,
    LookedAfterChild,
    Row,
    Ssda903Return,
    date_text,
)

# SEX was 1 (male) or 2 (female) before 2024-25, and M, F or U from then (DfE SSDA903 guide 2024-25).
SEX_FROM_YEAR = 2025
GENDER = {Sex.MALE: "1", Sex.FEMALE: "2"}
# OC3 is returned for care leavers in the year of their 17th to 21st birthday (DfE SSDA903 guide: OC3).
CARE_LEAVER_AGES = (17, 18, 19, 20, 21)
# At 17 and 18 OC3 is for a young person who had ceased to be looked after by the birthday: none for one still
# looked after on it (rule 1007) or who ceased after it (rule 1016).
STILL_IN_CARE_AGES = (17, 18)


def build(year: CollectionYear, *, with_previous: bool = True, child: int | None = None) -> Ssda903Return:
    """The year's SSDA903 from the records, with last year's (which some rules compare with) unless
    ``with_previous`` is False; only one child's part of them when ``child`` (a child's pk) is given, as the
    checks made when a record is saved need (``returns.record_checks``). The child's part is the same as in
    the whole return, in the same number of queries: every table after Episodes and OC3 reads only the
    children found there, and the OC2, UASC and PrevPerm reads (``lookedafter.selectors``) only that child."""
    mine = Q(child_id=child) if child is not None else Q()
    tables: dict[int, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    _episodes(year, tables, mine)
    _care_leavers(year, tables, mine)
    in_return = set(tables)
    children = _headers(year, in_return, tables)
    _reviews(year, in_return, tables, children)
    _missing(year, in_return, tables, children)
    _outcomes_and_uasc(year, in_return, tables, children, child)
    _adoption(year, tables, children, child)
    if year.end_year >= TABLE_FROM_YEAR["SW_Episodes"]:
        _social_workers(year, in_return, tables, children)
    if year.end_year >= TABLE_FROM_YEAR["DoLo"]:
        _deprivations_of_liberty(year, tables, children)
    return Ssda903Return(
        year=year,
        la_code=settings.SAFEGUARD["LA_CODE"],
        previous=build(CollectionYear(year.end_year - 1), with_previous=False, child=child)
        if with_previous
        else None,
        children=[
            LookedAfterChild(
                la_child_id=children[pk][0],
                tables={name: rows for name, rows in tables[pk].items()},
                source=Source("people.child", pk, pk),
            )
            for pk in sorted(in_return, key=lambda pk: children[pk][0])
        ],
    )


def _episodes(year: CollectionYear, tables, mine: Q) -> None:
    for row in (
        LacEpisode.objects.filter(year.open_in("start_date", "end_date"), mine)
        .order_by("child_id", "start_date")
        .values(
            "pk", "child_id", "child__la_child_id", "start_date", "reason_new_episode", "legal_status", "need_code",
            "placement_type", "placement_provider", "end_date", "end_reason", "reason_place_change",
            "home_postcode", "placement_postcode", "urn",
        )
    ):  # fmt: skip
        ended = year.as_at_end(row["end_date"])
        tables[row["child_id"]]["Episodes"].append(
            Row(
                {
                    "CHILD": row["child__la_child_id"],
                    "DECOM": date_text(row["start_date"]),
                    "RNE": row["reason_new_episode"],
                    "LS": row["legal_status"],
                    "CIN": row["need_code"],
                    "PLACE": row["placement_type"],
                    "PLACE_PROVIDER": row["placement_provider"],
                    "DEC": date_text(ended),
                    "REC": row["end_reason"] if ended else "",
                    "REASON_PLACE_CHANGE": row["reason_place_change"] if ended else "",
                    "HOME_POST": row["home_postcode"],
                    "PL_POST": row["placement_postcode"],
                    "URN": row["urn"],
                },
                source=Source("lookedafter.lacepisode", row["pk"], row["child_id"]),
            )
        )


def _care_leavers(year: CollectionYear, tables, mine: Q) -> None:
    """OC3: care leavers whose 17th-21st birthday is in the year, as they were around the birthday."""
    earliest_born = add_calendar_months(year.start, -12 * max(CARE_LEAVER_AGES)) - datetime.timedelta(days=1)
    latest_born = add_calendar_months(year.end, -12 * min(CARE_LEAVER_AGES))
    leavers = {
        child_pk: (la_child_id, born)
        for child_pk, la_child_id, born in CareLeaver.objects.filter(
            mine, child__person__date_of_birth__range=(earliest_born, latest_born), start_date__lte=year.end
        ).values_list("child_id", "child__la_child_id", "child__person__date_of_birth")
    }
    if not leavers:
        return
    cohort = CareLeaver.objects.filter(child_id__in=list(leavers))
    contacts, activities, accommodation = defaultdict(list), defaultdict(list), defaultdict(list)
    for child_pk, day, status in CareLeaverContact.objects.filter(care_leaver__in=cohort).values_list(
        "child_id", "contacted_on", "in_touch"
    ):
        contacts[child_pk].append((day, status))
    for child_pk, day, code in (
        CareLeaverActivity.objects.filter(care_leaver__in=cohort)
        .order_by("start_date")
        .values_list("child_id", "start_date", "code")
    ):
        activities[child_pk].append((day, code))
    for child_pk, day, code, suitable in (
        CareLeaverAccommodation.objects.filter(care_leaver__in=cohort)
        .order_by("start_date")
        .values_list("child_id", "start_date", "code", "suitable")
    ):
        accommodation[child_pk].append((day, f"{code}{1 if suitable else 2}"))
    in_care: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for child_pk, start, end in PeriodOfCare.objects.filter(child_id__in=list(leavers)).values_list(
        "child_id", "start_date", "end_date"
    ):
        in_care[child_pk].append((start, year.as_at_end(end)))
    for child_pk, (la_child_id, born) in leavers.items():
        birthday, age = next(
            (
                (day, age)
                for age in CARE_LEAVER_AGES
                if year.contains(day := add_calendar_months(born, 12 * age))
            ),
            (None, None),
        )
        if birthday is None:
            continue
        if age in STILL_IN_CARE_AGES and any(
            start <= birthday and (end is None or end > birthday) for start, end in in_care[child_pk]
        ):
            continue  # still looked after on the birthday (or after it): not yet a care leaver for OC3
        tables[child_pk]["OC3"].append(
            Row(
                {
                    "CHILD": la_child_id,
                    "DOB": date_text(born),
                    "IN_TOUCH": status_nearest(contacts[child_pk], birthday) or "",
                    "ACTIV": _as_at(activities[child_pk], birthday),
                    "ACCOM": _as_at(accommodation[child_pk], birthday),
                },
                source=Source("lookedafter.careleaver", None, child_pk),
            )
        )


def _as_at(changes: list[tuple[datetime.date, str]], day: datetime.date) -> str:
    """The code in force on ``day``, from changes in order of their start; blank if none had started."""
    current = ""
    for start, code in changes:
        if start > day:
            break
        current = code
    return current


def _headers(
    year: CollectionYear, in_return: set[int], tables
) -> dict[int, tuple[str, datetime.date | None]]:
    """Each child's header row; returns each child's (LA child ID, date of birth) for the other tables."""
    mothers: dict[int, datetime.date | None] = {}
    for parent_pk, born in (
        Relationship.objects.filter(
            from_person_id__in=in_return,
            relationship_type=RelationshipType.PARENT,
            from_person__sex=Sex.FEMALE,
            to_person__date_of_birth__lte=year.end,
        )
        .order_by("to_person__date_of_birth")
        .values_list("from_person_id", "to_person__date_of_birth")
    ):
        mothers.setdefault(parent_pk, born)  # MC_DOB: the first child's
    children = {}
    for pk, la_child_id, upn, unknown, born, sex, ethnicity in Child.objects.filter(
        pk__in=in_return
    ).values_list(
        "pk",
        "la_child_id",
        "upn",
        "upn_unknown_reason",
        "person__date_of_birth",
        "person__sex",
        "person__ethnicity",
    ):
        children[pk] = (la_child_id, born)
        # Motherhood is returned for girls looked after in the year, not for care leavers who were not (628).
        mother_items = sex == Sex.FEMALE and bool(tables[pk]["Episodes"])
        tables[pk]["Header"].append(
            Row(
                {
                    "CHILD": la_child_id,
                    "SEX": sex if year.end_year >= SEX_FROM_YEAR else GENDER.get(sex, ""),
                    "DOB": date_text(born),
                    "ETHNIC": ethnicity,
                    "UPN": upn or unknown,
                    "MOTHER": ("1" if pk in mothers else "0") if mother_items else "",
                    "MC_DOB": date_text(mothers.get(pk)) if mother_items else "",
                },
                source=Source("people.child", pk, pk),
            )
        )
    return children


def _reviews(year: CollectionYear, in_return: set[int], tables, children) -> None:
    for pk, child_pk, held_on, participation in (
        LacReview.objects.filter(child_id__in=in_return, held_on__range=(year.start, year.end))
        .order_by("held_on")
        .values_list("pk", "child_id", "held_on", "participation")
    ):
        la_child_id, born = children[child_pk]
        tables[child_pk]["Reviews"].append(
            Row(
                {
                    "CHILD": la_child_id,
                    "DOB": date_text(born),
                    "REVIEW": date_text(held_on),
                    "REVIEW_CODE": participation,
                },
                source=Source("lookedafter.lacreview", pk, child_pk),
            )
        )


def _missing(year: CollectionYear, in_return: set[int], tables, children) -> None:
    for pk, child_pk, kind, start, end in (
        MissingEpisode.objects.filter(year.open_in("start_date", "end_date"), child_id__in=in_return)
        .order_by("start_date")
        .values_list("pk", "child_id", "kind", "start_date", "end_date")
    ):
        if start > year.end:
            continue  # SQLite (3.40) can return such a row from this query's index: see ``_adoption``
        la_child_id, born = children[child_pk]
        tables[child_pk]["Missing"].append(
            Row(
                {
                    "CHILD": la_child_id,
                    "DOB": date_text(born),
                    "MISSING": kind,
                    "MIS_START": date_text(start),
                    "MIS_END": date_text(year.as_at_end(end)),
                },
                source=Source("lookedafter.missingepisode", pk, child_pk),
            )
        )


def _outcomes_and_uasc(
    year: CollectionYear, in_return: set[int], tables, children, child: int | None
) -> None:
    outcomes = ssda903_outcomes(year_end=year.end_year, child=child)
    for item in outcomes.oc2:
        if item.child_id in in_return:
            la_child_id, born = children[item.child_id]
            tables[item.child_id]["OC2"].append(
                Row(
                    {"CHILD": la_child_id, "DOB": date_text(born), **item.values()},
                    source=Source("lookedafter.annualoutcome", item.outcome_id, item.child_id),
                )
            )
    for item in outcomes.uasc:
        if item.child_id in in_return:
            la_child_id, born = children[item.child_id]
            tables[item.child_id]["UASC"].append(
                Row(
                    {
                        "CHILD": la_child_id,
                        "SEX": item.sex if year.end_year >= SEX_FROM_YEAR else GENDER.get(item.sex, ""),
                        "DOB": date_text(born),
                        "DUC": date_text(item.date_ceased),
                    },
                    source=Source("lookedafter.uascstatus", item.uasc_id, item.child_id),
                )
            )


def _social_workers(year: CollectionYear, in_return: set[int], tables, children) -> None:
    """The allocated social workers of the year, by Social Work England number, with the reason each episode
    began (SW_REASON: ``allocation.SocialWorkerChange``, blank where none was recorded)."""
    for pk, child_pk, number, start, end, reason in (
        Allocation.objects.filter(
            year.open_in("start_date", "end_date"),
            child_id__in=in_return,
            role=AllocationRole.SOCIAL_WORKER,
        )
        .order_by("start_date")
        .values_list(
            "pk", "child_id", "worker__swe_number", "start_date", "end_date", "social_worker_change__reason"
        )
    ):
        la_child_id, born = children[child_pk]
        tables[child_pk]["SW_Episodes"].append(
            Row(
                {
                    "CHILD": la_child_id,
                    "DOB": date_text(born),
                    "SW_ID": number,
                    "SW_DECOM": date_text(start),
                    "SW_DEC": date_text(year.as_at_end(end)),
                    "SW_REASON": reason or "",
                },
                source=Source("organisation.allocation", pk, child_pk),
            )
        )


def _adoption(year: CollectionYear, tables, children, child: int | None) -> None:
    """PlacedAdoption, AD1 and PrevPerm, for children with episodes in the year (rule 1012: not for a care
    leaver alone)."""
    looked_after = {pk for pk, child_tables in tables.items() if child_tables.get("Episodes")}
    for adoption in adoptions_in_year(year_end=year.end_year).filter(child_id__in=looked_after):
        # SQLite 3.40's planner, with an IN list on the first column of a (child, date) index and a range on
        # the second, has been seen to return rows outside the range (the demo city's 2024-25 return had a
        # decision of May 2025): the range is checked again here. PostgreSQL is not affected.
        if adoption.decided_on > year.end:
            continue
        la_child_id, born = children[adoption.child_id]
        source = Source("lookedafter.adoption", adoption.pk, adoption.child_id)
        reversed_on = year.as_at_end(adoption.reversed_on)
        tables[adoption.child_id]["PlacedAdoption"].append(
            Row(
                {
                    "CHILD": la_child_id,
                    "DOB": date_text(born),
                    "DATE_PLACED": date_text(adoption.decided_on),
                    "DATE_PLACED_CEASED": date_text(reversed_on),
                    "REASON_PLACED_CEASED": adoption.reversal_reason if reversed_on else "",
                },
                source=source,
            )
        )
        if adoption.order_on is not None and year.contains(adoption.order_on):
            foster_carers = adoption.adopted_by_foster_carers
            tables[adoption.child_id]["AD1"].append(
                Row(
                    {
                        "CHILD": la_child_id,
                        "DOB": date_text(born),
                        "DATE_INT": date_text(adoption.decided_on),
                        "DATE_MATCH": date_text(adoption.matched_on),
                        "FOSTER_CARE": "" if foster_carers is None else str(int(foster_carers)),
                        "NB_ADOPTR": str(adoption.number_of_adopters or ""),
                        "SEX_ADOPTR": adoption.adopters_sex,
                        "LS_ADOPTR": adoption.adopters_legal_status,
                    },
                    source=source,
                )
            )
    for child_pk, period in previous_permanence_in_year(year_end=year.end_year, child=child).items():
        if child_pk not in looked_after:
            continue
        la_child_id, born = children[child_pk]
        tables[child_pk]["PrevPerm"].append(
            Row(
                {
                    "CHILD": la_child_id,
                    "DOB": date_text(born),
                    "PREV_PERM": period.previous_permanence,
                    "LA_PERM": period.previous_permanence_la,
                    "DATE_PERM": date_text(period.previous_permanence_on),
                },
                source=Source("lookedafter.periodofcare", period.pk, child_pk),
            )
        )


def _deprivations_of_liberty(year: CollectionYear, tables, children) -> None:
    """DoLo (from 2026-27): each deprivation of liberty order in force at some time in the year, for children
    with episodes in it (as the other tables of care, rule 1012), the end blank if after 31 March."""
    looked_after = [pk for pk, child_tables in tables.items() if child_tables.get("Episodes")]
    for pk, child_pk, start, end in (
        DeprivationOfLiberty.objects.filter(year.open_in("start_date", "end_date"), child_id__in=looked_after)
        .order_by("child_id", "start_date")
        .values_list("pk", "child_id", "start_date", "end_date")
    ):
        if start > year.end:
            continue  # SQLite's planner with an IN list and a range: see ``_adoption``
        la_child_id, born = children[child_pk]
        tables[child_pk]["DoLo"].append(
            Row(
                {
                    "CHILD": la_child_id,
                    "DOB": date_text(born),
                    "DOLO_START": date_text(start),
                    "DOLO_END": date_text(year.as_at_end(end)),
                },
                source=Source("lookedafter.deprivationofliberty", pk, child_pk),
            )
        )
