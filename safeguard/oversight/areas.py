"""The area dashboards: each devolved area (locality) on one page, and the director's every area side by side.

Inspectors told the council in our story that it needed devolved areas, each led and answerable for its own
children. An area's dashboard brings together what its head of service must know, from the modules that own
each figure, as the records stand now:

- **front door** (``frontdoor.dashboard``): contacts and referrals in the last 12 months, the re-referral
  rate, and contacts waiting for a decision (and past their one working day);
- **casework** (``oversight.dashboard``): open cases, children waiting for a social worker, the weighted
  caseload against capacity, workers over their limit, supervision overdue;
- **breaches** (``compliance.register``): statutory duties breached and still open (and for how many
  children), and those that fell due in the last 28 days and were not met on time;
- **workforce** (``workforce.selectors``): vacancy, agency and turnover rates, and capacity against demand;
- **improvement** (``leadership.selectors``): the improvement plan's actions past their due date.

Scope is the organisation's (``organisation.selectors.areas_in_reach``): a head of service sees their area,
the director and inspectors every area and the council's total. Counts only, no child named.
"""

import datetime
from dataclasses import dataclass, field

from safeguard.allocation.caseload import weighted_caseloads
from safeguard.audit.policy import worker_for
from safeguard.compliance.register import AreaExposure, exposure_by_area
from safeguard.frontdoor.dashboard import Rate, front_door_by_area
from safeguard.leadership.selectors import late_actions_by_area
from safeguard.organisation.models import Area
from safeguard.organisation.selectors import areas_in_reach
from safeguard.oversight.dashboard import Figures, dashboard
from safeguard.workforce.selectors import AreaWorkforce, case_holders, workforce_by_area

BREACHES_LATELY_DAYS = 28


@dataclass
class FrontDoor:
    contacts: int = 0  # received in the last 12 months
    referrals: int = 0
    re_referrals: int = 0
    awaiting: int = 0
    overdue: int = 0

    @property
    def re_referral_percent(self) -> float | None:
        return Rate(self.re_referrals, self.referrals).percent


@dataclass
class AreaColumn:
    """One area's figures (or the council's, the sum of its areas')."""

    name: str
    area: Area | None
    front_door: FrontDoor = field(default_factory=FrontDoor)
    casework: Figures = field(default_factory=Figures)
    exposure: AreaExposure = field(default_factory=AreaExposure)
    actions_late: int = 0  # improvement plan actions past their due date
    workforce: AreaWorkforce | None = None

    def add(self, other: "AreaColumn") -> None:
        for part in ("front_door", "exposure"):
            mine, theirs = getattr(self, part), getattr(other, part)
            for name in mine.__dataclass_fields__:
                setattr(mine, name, getattr(mine, name) + getattr(theirs, name))
        self.casework.add(other.casework)
        self.actions_late += other.actions_late


@dataclass
class AreaBoard:
    today: datetime.date
    columns: list[AreaColumn]  # one per area, then the council's when there is more than one area
    lately: datetime.date  # breaches that fell due on or after this day


def _front_door(user, today: datetime.date, area_ids: set[int]) -> dict[int, FrontDoor]:
    figures = {pk: FrontDoor() for pk in area_ids}
    for item in front_door_by_area(user=user, today=today):
        if item.area_id in figures:
            figures[item.area_id] = FrontDoor(
                item.contacts, item.referrals, item.re_referrals, item.awaiting, item.overdue
            )
    return figures


def area_board(*, user, today: datetime.date, area_id: int | None = None) -> AreaBoard:
    """The areas ``user`` answers for (one, when ``area_id`` names one of them), each with its figures, and
    the council's total when there is more than one."""
    areas = list(areas_in_reach(worker=worker_for(user)).order_by("name"))
    if area_id not in {area.pk for area in areas}:
        area_id = None  # an area outside the user's reach (or none chosen): every area they answer for
    if area_id is not None:
        areas = [area for area in areas if area.pk == area_id]
    ids = {area.pk for area in areas}
    lately = today - datetime.timedelta(days=BREACHES_LATELY_DAYS - 1)
    front_door = _front_door(user, today, ids)
    # Every worker's caseload once, shared by the casework figures (social workers) and the workforce's
    # demand (every case-holding role): a worker's caseload is the same whichever page asks. The social
    # workers the casework counts (``allocation.selectors.caseload_workers``) are among the case holders.
    caseloads = weighted_caseloads(list(case_holders(list(ids))), today=today)
    casework = {pk: Figures() for pk in ids}
    # The audits and closures are the oversight dashboard's, not shown here.
    rows = dashboard(
        user=user, today=today, area_id=area_id, caseloads=caseloads, audits_and_closures=False
    ).rows
    for row in rows:  # areas or teams
        if row.area is not None and row.area.pk in ids:
            casework[row.area.pk].add(row.figures)
    exposure = exposure_by_area(user, today=today, lately=lately)
    late = late_actions_by_area(today)
    workforce = workforce_by_area(areas=list(ids), on=today, today=today, caseloads=caseloads)
    columns = [
        AreaColumn(
            name=area.name,
            area=area,
            front_door=front_door[area.pk],
            casework=casework[area.pk],
            exposure=exposure.get(area.pk, AreaExposure()),
            actions_late=late.get(area.pk, 0),
            workforce=workforce.get(area.pk),
        )
        for area in areas
    ]
    if len(columns) > 1:
        council = AreaColumn(name="Council", area=None, workforce=AreaWorkforce.total(workforce.values()))
        for column in columns:
            council.add(column)
        # Breaches recorded against no area, and council-wide actions, are the council's too.
        council.add(
            AreaColumn(
                name="",
                area=None,
                exposure=exposure.get(None, AreaExposure()),
                actions_late=late.get(None, 0),
            )
        )
        columns.append(council)
    return AreaBoard(today=today, columns=columns, lately=lately)
