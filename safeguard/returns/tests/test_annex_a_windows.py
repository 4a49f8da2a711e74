"""Who is in each Annex A list as at a date: for each list, a record just inside its window and one just
outside it ("the six months before" 30 June 2026 begin on 30 December 2025; "the 12 months" on 30 June
2025), and what happened after the date left out.

``World`` makes a small council's records directly (no services), so that each test says exactly what is
there; the golden-file test (``test_annex_a_workbook``) uses the same records.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from safeguard.casework.models import (
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    ChildProtectionConference,
    CinEpisode,
    CinPlan,
    ConferenceDecision,
    ConferenceKind,
    CPPlan,
    S47Enquiry,
    S47Outcome,
    StrategyDiscussion,
    StrategyOutcome,
    Visit,
    VisitLocation,
)
from safeguard.core.reference import label
from safeguard.frontdoor.models import (
    Consent,
    Contact,
    ContactStatus,
    LevelOfNeed,
    Outcome,
    Rag,
    ThresholdDecision,
)
from safeguard.lookedafter.models import (
    Adoption,
    CareLeaver,
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    CareLeaverEndReason,
    CareLeaverStatus,
    HealthAssessment,
    LacEpisode,
    LacReview,
    MissingEpisode,
    PathwayPlan,
    PeriodOfCare,
    UascStatus,
)
from safeguard.organisation.models import Allocation, AllocationRole, Area, Role, Team, TeamKind, Worker
from safeguard.people.models import Child, ChildDisability, Person, PersonKind, Sex
from safeguard.returns.annex_a import build, lists

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 30)
FIRST_IN = datetime.date(2025, 12, 30)  # the first day of the six months before AS_OF
LAST_OUT = datetime.date(2025, 12, 29)
YEAR_IN = datetime.date(2025, 6, 30)  # the first day of the 12 months before AS_OF
LATER = datetime.date(2026, 7, 1)  # after the date: had not happened on it
D = datetime.date
BORN = D(2015, 6, 1)
ALLOCATED = D(2025, 1, 1)


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2026, 7, 6, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


class World:
    """A council with one area, a team and a worker, and children made to order."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        self.area = Area.objects.create(code="N", name="North")
        self.team = Team.objects.create(
            area=self.area, name="North Child in Need", kind=TeamKind.CHILD_IN_NEED
        )
        user = get_user_model().objects.create(username="sam", first_name="Sam", last_name="Okafor")
        self.user = user
        self.worker = Worker.objects.create(
            user=user, role=Role.SOCIAL_WORKER, team=self.team, is_qualified=True
        )
        self.count = 0

    def child(self, la_child_id: str, *, born=BORN, sex=Sex.FEMALE, ethnicity="WBRI", disability="NONE"):
        person = Person.objects.create(
            first_name="Kid",
            last_name=la_child_id,
            kind=PersonKind.CHILD,
            date_of_birth=born,
            sex=sex,
            ethnicity=ethnicity,
        )
        child = Child.objects.create(person=person, la_child_id=la_child_id)
        ChildDisability.objects.create(child=child, code=disability)
        return child

    def allocate(self, child, start=ALLOCATED, end=None):
        return Allocation.objects.create(
            child=child,
            worker=self.worker,
            team=self.team,
            role=AllocationRole.SOCIAL_WORKER,
            start_date=start,
            end_date=end,
        )

    def contact(self, child, when: datetime.datetime, *, source="6", status=ContactStatus.DECIDED):
        return Contact.objects.create(
            child=child,
            received_at=timezone.make_aware(when),
            source=source,
            reported="reported",
            worry="worry",
            consent=Consent.GIVEN,
            status=status,
            team=self.team,
            area=self.area,
        )

    def decide(self, contact, when: datetime.datetime, outcome=Outcome.EARLY_HELP):
        return ThresholdDecision.objects.create(
            contact=contact,
            decided_at=timezone.make_aware(when),
            decided_by=self.user,
            level_of_need=LevelOfNeed.EARLY_HELP,
            rag=Rag.GREEN,
            rationale="why",
            outcome=outcome,
        )

    def episode(self, child, referral, *, closed=None, reason="", need="N1", source="2A", nfa=False):
        return CinEpisode.objects.create(
            child=child,
            referral_date=referral,
            referral_source=source,
            primary_need=need,
            team=self.team,
            area=self.area,
            closure_date=closed,
            closure_reason=reason if closed else "",
            referral_nfa=nfa,
        )

    def assessment(
        self, episode, start, *, authorised=None, outcome=AssessmentOutcome.CIN_PLAN, seen=None, status=None
    ):
        return Assessment.objects.create(
            episode=episode,
            child=episode.child,
            start_date=start,
            child_seen_on=seen,
            outcome=outcome if authorised else "",
            status=status or (AssessmentStatus.AUTHORISED if authorised else AssessmentStatus.IN_PROGRESS),
            submitted_on=authorised,
            authorised_on=authorised,
        )

    def s47(self, episode, start, *, concluded=None, outcome=S47Outcome.CONFERENCE):
        discussion = StrategyDiscussion.objects.create(
            episode=episode,
            child=episode.child,
            held_on=start,
            participants="p",
            concerns="c",
            outcome=StrategyOutcome.SECTION_47,
        )
        return S47Enquiry.objects.create(
            episode=episode,
            child=episode.child,
            strategy_discussion=discussion,
            start_date=start,
            outcome=outcome if concluded else "",
            concluded_on=concluded,
        )

    def plan(self, episode, start, *, end=None, category="NEG", s47=None):
        s47 = s47 or self.s47(episode, start - datetime.timedelta(days=10), concluded=start)
        icpc = ChildProtectionConference.objects.create(
            episode=episode,
            child=episode.child,
            kind=ConferenceKind.INITIAL,
            s47=s47,
            held_on=start,
            decision=ConferenceDecision.PLAN,
            category=category,
        )
        return CPPlan.objects.create(
            episode=episode,
            child=episode.child,
            initial_conference=icpc,
            start_date=start,
            end_date=end,
            initial_category=category,
            latest_category=category,
        )

    def review(self, plan, held_on, category=""):
        return ChildProtectionConference.objects.create(
            episode=plan.episode,
            child=plan.child,
            kind=ConferenceKind.REVIEW,
            plan=plan,
            held_on=held_on,
            decision=ConferenceDecision.CONTINUE,
            category=category,
        )

    def visit(self, child, day, *, alone=False, seen=True):
        return Visit.objects.create(
            child=child,
            visited_on=day,
            visited_by=self.worker,
            location=VisitLocation.HOME,
            child_seen=seen,
            seen_alone=alone,
            summary="s",
        )

    def period(self, child, start, episodes, *, end=None, reason=""):
        """A period of care of ``episodes`` (start, legal status, placement), each ending the day the next
        begins; the last ends with the period."""
        period = PeriodOfCare.objects.create(
            child=child, start_date=start, end_date=end, end_reason=reason if end else ""
        )
        for index, (began, status, place) in enumerate(episodes):
            last = index == len(episodes) - 1
            LacEpisode.objects.create(
                period=period,
                child=child,
                start_date=began,
                reason_new_episode="S" if index == 0 else "P",
                legal_status=status,
                need_code="N1",
                placement_type=place,
                placement_provider="PR1",
                placement_postcode="NB1 1AA",
                urn="SC123456",
                end_date=end if last else episodes[index + 1][0],
                end_reason=(reason if end else "") if last else "X1",
            )
        return period

    def care_leaver(self, child, start, *, end=None, status=CareLeaverStatus.RELEVANT):
        return CareLeaver.objects.create(
            child=child,
            status=status,
            status_since=start,
            start_date=start,
            end_date=end,
            end_reason=CareLeaverEndReason.OTHER if end else "",
            personal_adviser=self.worker,
        )


def rows(number: int) -> list[tuple]:
    return build.build(AS_OF).rows[number]


def ids(number: int) -> list[str]:
    return [row[0] for row in rows(number)]


def value(number: int, row: tuple, header: str):
    return row[lists.BY_NUMBER[number].headers().index(header)]


@pytest.fixture
def world(today):
    return World()


def test_list_1_contacts_in_the_six_months(world):
    inside, outside, later, error = (world.child(name) for name in ("IN", "OUT", "LATER", "ERROR"))
    world.contact(inside, datetime.datetime(2025, 12, 30, 0, 5), source="3E")
    world.contact(outside, datetime.datetime(2025, 12, 29, 23, 55))
    world.contact(later, datetime.datetime(2026, 7, 1, 9, 0))
    world.contact(error, datetime.datetime(2026, 3, 1, 9, 0), status=ContactStatus.RECORDED_IN_ERROR)
    (row,) = rows(1)
    assert row == ("IN", "b) Female", "a) WBRI", D(2015, 6, 1), 11, FIRST_IN, "k) 3E: Health services")


def test_the_six_months_are_calendar_months_whatever_the_bank_holidays(world):
    """25 December 2025 is Christmas Day: the six months before 25 June 2026 still begin on it."""
    child = world.child("XMAS")
    world.contact(child, datetime.datetime(2025, 12, 25, 10, 0))
    assert build.build(D(2026, 6, 25)).rows[1][0][0] == "XMAS"
    assert build.build(D(2026, 6, 26)).rows[1] == []
    # 31 August 2026 (a bank holiday) looks back to 28 February, the end of the shorter month.
    assert lists.six_months_before(D(2026, 8, 31)) == D(2026, 2, 28)


def test_list_2_contacts_routed_to_early_help_in_the_six_months(world):
    inside, outside = world.child("IN"), world.child("OUT")
    world.decide(
        world.contact(inside, datetime.datetime(2025, 12, 29, 9)), datetime.datetime(2025, 12, 30, 9)
    )
    world.decide(
        world.contact(outside, datetime.datetime(2025, 12, 28, 9)), datetime.datetime(2025, 12, 29, 9)
    )
    other = world.child("NFA")
    world.decide(
        world.contact(other, datetime.datetime(2026, 2, 1, 9)),
        datetime.datetime(2026, 2, 1, 9),
        Outcome.NO_FURTHER_ACTION,
    )
    assert rows(2) == [("IN", "b) Female", "a) WBRI", D(2015, 6, 1), 11, FIRST_IN, None, "")]


def test_list_3_referrals_in_the_six_months_with_those_of_the_year_before(world):
    inside, outside = world.child("IN"), world.child("OUT")
    world.allocate(inside)
    world.episode(inside, D(2025, 2, 1), closed=D(2025, 3, 1), reason="RC8")
    world.episode(inside, FIRST_IN, nfa=True, closed=FIRST_IN, reason="RC8")
    world.episode(outside, LAST_OUT)
    (row,) = rows(3)
    assert row[0] == "IN" and row[5:] == (
        FIRST_IN,
        "e) 2A: Schools",
        "a) Yes",
        1,
        "North Child in Need",
        "Sam Okafor",
    )


def test_list_4_assessments_under_way_in_the_six_months(world):
    names = ("AUTHORISEDIN", "AUTHORISEDOUT", "OPEN", "LATERAUTHORISED", "STARTSLATER", "WITHDRAWN")
    children = {name: world.child(name) for name in names}
    episodes = {name: world.episode(child, D(2025, 6, 1)) for name, child in children.items()}
    world.assessment(
        episodes["AUTHORISEDIN"],
        D(2025, 6, 2),
        authorised=FIRST_IN,
        seen=D(2025, 6, 3),
        outcome=AssessmentOutcome.EARLY_HELP,
    )
    world.assessment(episodes["AUTHORISEDOUT"], D(2025, 6, 2), authorised=LAST_OUT)
    world.assessment(episodes["OPEN"], D(2026, 6, 1))
    world.assessment(episodes["LATERAUTHORISED"], D(2026, 6, 1), authorised=LATER, seen=LATER)
    world.assessment(episodes["STARTSLATER"], LATER)
    world.assessment(episodes["WITHDRAWN"], D(2026, 6, 1), status=AssessmentStatus.WITHDRAWN)
    found = {row[0]: row[5:10] for row in rows(4)}
    assert found == {
        "AUTHORISEDIN": ("b) No", D(2025, 6, 2), "a) Yes", FIRST_IN, "b) No"),
        "OPEN": ("b) No", D(2026, 6, 1), "b) No", None, ""),
        "LATERAUTHORISED": ("b) No", D(2026, 6, 1), "b) No", None, ""),
    }


def test_list_5_enquiries_going_on_in_the_six_months(world):
    inside, outside, still = world.child("IN"), world.child("OUT"), world.child("OPEN")
    earlier = world.episode(inside, D(2025, 1, 1), closed=D(2025, 3, 1), reason="RC7")
    world.s47(earlier, D(2025, 2, 1), concluded=D(2025, 2, 10), outcome=S47Outcome.NO_CONFERENCE)
    world.s47(
        world.episode(inside, D(2025, 12, 1)),
        D(2025, 12, 1),
        concluded=FIRST_IN,
        outcome=S47Outcome.NO_CONFERENCE,
    )
    world.s47(world.episode(outside, D(2025, 12, 1)), D(2025, 12, 1), concluded=LAST_OUT)
    world.s47(world.episode(still, D(2026, 6, 1)), D(2026, 6, 1), concluded=LATER)
    found = {row[0]: row[6:12] for row in rows(5)}
    assert found == {
        "IN": (D(2025, 12, 1), "a) Yes", None, "", 1, 0),
        "OPEN": (D(2026, 6, 1), "", None, "", 0, 0),
    }


def test_list_6_children_in_need_on_the_date_or_in_the_six_months(world):
    names = ("CLOSEDIN", "CLOSEDOUT", "NFA", "CLOSESLATER", "ASSESSING")
    children = {name: world.child(name) for name in names}
    world.episode(children["CLOSEDIN"], D(2025, 6, 1), closed=FIRST_IN, reason="RC4")
    world.episode(children["CLOSEDOUT"], D(2025, 6, 1), closed=LAST_OUT, reason="RC4")
    world.episode(children["NFA"], D(2026, 6, 1), closed=D(2026, 6, 1), reason="RC8", nfa=True)
    later = world.episode(children["CLOSESLATER"], D(2025, 6, 1), closed=LATER, reason="RC7")
    CinPlan.objects.create(episode=later, child=later.child, start_date=D(2025, 8, 1))
    world.visit(later.child, D(2026, 6, 29), alone=True)
    world.visit(later.child, D(2026, 6, 30), seen=False)
    world.visit(later.child, LATER)
    assessing = world.episode(children["ASSESSING"], D(2026, 6, 1))
    world.assessment(assessing, D(2026, 6, 2))
    found = {row[0]: row[6:12] for row in rows(6)}
    assert found == {
        "CLOSEDIN": (
            D(2025, 6, 1),
            "N1: Abuse or neglect",
            None,
            FIRST_IN,
            "RC4: " + label("closure_reason", "RC4"),
            "e) Closed episode",
        ),
        "CLOSESLATER": (
            D(2025, 6, 1),
            "N1: Abuse or neglect",
            D(2026, 6, 29),
            None,
            "",
            "c) Child in need plan",
        ),
        "ASSESSING": (D(2026, 6, 1), "N1: Abuse or neglect", None, None, "", "d) Open assessment"),
    }


def test_list_7_plans_on_the_date_or_ended_in_the_six_months(world):
    inside, outside, current = world.child("ENDEDIN"), world.child("ENDEDOUT"), world.child("ONPLAN")
    world.plan(world.episode(inside, D(2025, 1, 1)), D(2025, 2, 1), end=FIRST_IN)
    world.plan(world.episode(outside, D(2025, 1, 1)), D(2025, 2, 1), end=LAST_OUT)
    episode = world.episode(current, D(2024, 1, 1))
    world.plan(episode, D(2024, 2, 1), end=D(2024, 8, 1))
    plan = world.plan(episode, D(2025, 10, 1), category="EMO")
    world.review(plan, D(2026, 1, 5), category="NEG")
    world.review(plan, LATER, category="PHY")  # after the date: its category had not been set
    world.visit(current, D(2026, 6, 20), alone=True)
    world.period(current, D(2026, 1, 10), [(D(2026, 1, 10), "L2", "U4")], end=D(2026, 1, 12), reason="E4A")
    found = {row[0]: row for row in rows(7)}
    assert set(found) == {"ENDEDIN", "ONPLAN"}
    assert found["ONPLAN"][5:15] == (
        "b) No",
        D(2025, 10, 1),
        "d) Emotional abuse",
        "a) Neglect",
        D(2026, 6, 20),
        "a) Yes",
        D(2026, 1, 5),
        None,
        "a) Yes",
        1,
    )
    assert value(7, found["ENDEDIN"], "Child Protection Plan End Date") == FIRST_IN


def test_list_8_in_care_on_the_date_or_ceased_in_the_six_months(world):
    names = ("CEASEDIN", "CEASEDOUT", "SHORTBREAKS", "INCARE")
    children = {name: world.child(name) for name in names}
    world.period(
        children["CEASEDIN"], D(2025, 1, 1), [(D(2025, 1, 1), "V2", "U6")], end=FIRST_IN, reason="E4A"
    )
    world.period(
        children["CEASEDOUT"], D(2025, 1, 1), [(D(2025, 1, 1), "V2", "U6")], end=LAST_OUT, reason="E4A"
    )
    world.period(children["SHORTBREAKS"], D(2026, 1, 1), [(D(2026, 1, 1), "V3", "U6")])
    child = children["INCARE"]
    world.period(child, D(2025, 3, 1), [(D(2025, 3, 1), "V2", "U6")], end=D(2025, 4, 1), reason="E4A")
    period = world.period(
        child, D(2025, 9, 1), [(D(2025, 9, 1), "C1", "U6"), (D(2025, 11, 1), "C2", "U4"), (LATER, "C2", "K2")]
    )
    UascStatus.objects.create(child=child, start_date=D(2025, 9, 1))
    LacReview.objects.create(period=period, child=child, held_on=D(2026, 3, 1), participation="PN1")
    HealthAssessment.objects.create(period=period, child=child, kind="initial", done_on=D(2025, 9, 20))
    HealthAssessment.objects.create(period=period, child=child, kind="dental", done_on=D(2026, 2, 1))
    MissingEpisode.objects.create(
        period=period,
        child=child,
        kind="M",
        start_date=D(2026, 5, 1),
        end_date=D(2026, 5, 2),
        interview_offered_on=D(2026, 5, 3),
    )
    MissingEpisode.objects.create(
        period=period, child=child, kind="A", start_date=D(2026, 5, 10), end_date=D(2026, 5, 10)
    )
    world.visit(child, D(2026, 6, 1))
    found = {row[0]: row for row in rows(8)}
    assert set(found) == {"CEASEDIN", "INCARE"}
    row = dict(zip(lists.List8.headers(), found["INCARE"], strict=True))
    assert row["UASC"] == "a) Yes"
    assert row["Date Started to be Looked After"] == D(2025, 9, 1)
    assert (
        row[
            "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)"
        ]
        == "a) Yes"
    )
    assert (row["Start date of current legal status"], row["Child's Legal Status"]) == (
        D(2025, 11, 1),
        "C2: Full care order",
    )
    assert row["Date of Latest Statutory Review"] == D(2026, 3, 1)
    assert row["Date of Last Social Work Visit"] == D(2026, 6, 1)
    assert (row["Date of Last Health Assessment"], row["Date of Last Dental Check"]) == (
        D(2025, 9, 20),
        D(2026, 2, 1),
    )
    assert row["Number of Placements in the Last 12 months"] == 2
    assert row["Start Date of Most Recent Placement"] == D(2025, 11, 1)
    assert row["Placement Type"].startswith("U4: ")
    assert (
        row["Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months"] == 1
    )
    assert (
        row["Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months"] == 1
    )
    assert row["Was the child offered a Return Interview after their last missing episode (Y/N)?"] == "a) Yes"
    assert row["Did the child accept a Return Interview after their last missing episode (Y/N)?"] == "b) No"
    assert row["What is the permanence plan for this child?"] == "" and row["LA of Placement"] == ""
    assert value(8, found["CEASEDIN"], "Date Ceased to be Looked After") == FIRST_IN


def test_list_9_care_leavers_owed_duties_on_the_date(world):
    current, ended, later = (
        world.child("CURRENT", born=D(2008, 1, 1)),
        world.child("ENDED"),
        world.child("LATER"),
    )
    record = world.care_leaver(current, D(2026, 1, 1), status=CareLeaverStatus.FORMER_RELEVANT)
    world.care_leaver(ended, D(2026, 1, 1), end=D(2026, 6, 29))
    world.care_leaver(later, LATER)
    PathwayPlan.objects.create(care_leaver=record, child=current, started_on=D(2026, 2, 1))
    CareLeaverContact.objects.create(
        care_leaver=record, child=current, contacted_on=D(2026, 6, 1), in_touch="YES"
    )
    CareLeaverContact.objects.create(care_leaver=record, child=current, contacted_on=LATER, in_touch="NO")
    CareLeaverAccommodation.objects.create(
        care_leaver=record, child=current, start_date=D(2026, 1, 1), code="D", suitable=True
    )
    CareLeaverActivity.objects.create(care_leaver=record, child=current, start_date=D(2026, 1, 1), code="F2")
    (row,) = rows(9)
    assert row[0] == "CURRENT" and row[4] == 18
    assert row[9:15] == (
        "Sam Okafor",
        "b) Former relevant child",
        D(2026, 2, 1),
        "a) Yes",
        D(2026, 6, 1),
        row[14],
    )
    assert row[14].startswith("D: ") and row[15] == "a) Suitable" and row[16].startswith("F2: ")


def test_list_10_adoption_in_the_12_months(world):
    adopted_in, adopted_out, placed = (
        world.child("ADOPTEDIN"),
        world.child("ADOPTEDOUT"),
        world.child("PLACED"),
    )
    world.period(
        adopted_in,
        D(2023, 1, 1),
        [(D(2023, 1, 1), "C2", "U5"), (D(2024, 1, 1), "E1", "A6")],
        end=YEAR_IN,
        reason="E11",
    )
    world.period(
        adopted_out,
        D(2023, 1, 1),
        [(D(2023, 1, 1), "C2", "U4"), (D(2024, 1, 1), "E1", "A6")],
        end=D(2025, 6, 29),
        reason="E11",
    )
    period = world.period(placed, D(2025, 1, 1), [(D(2025, 1, 1), "C2", "U4"), (D(2026, 3, 1), "E1", "U4")])
    Adoption.objects.create(child=placed, period=period, decided_on=D(2026, 1, 10), matched_on=LATER)
    found = {row[0]: row for row in rows(10)}
    assert set(found) == {"ADOPTEDIN", "PLACED"}
    assert found["ADOPTEDIN"][7:] == (
        D(2023, 1, 1),
        None,
        D(2024, 1, 1),
        None,
        D(2024, 1, 1),
        YEAR_IN,
        None,
        "",
        D(2023, 1, 1),
    )
    assert found["PLACED"][7:] == (
        D(2025, 1, 1),
        D(2026, 1, 10),
        D(2026, 3, 1),
        None,
        None,
        None,
        None,
        "",
        None,
    )


def test_list_11_adopters_are_not_held(world):
    assert rows(11) == []


def populate(world: World) -> None:
    """A small council with someone in each list Safeguard holds (the golden file's records)."""
    contacted = world.child("NB1", born=D(2012, 2, 29), sex=Sex.MALE, ethnicity="MWBC")
    world.allocate(contacted)
    contact = world.contact(contacted, datetime.datetime(2026, 3, 2, 9, 30), source="2A")
    world.decide(contact, datetime.datetime(2026, 3, 3, 11, 0))
    referred = world.child("NB2", ethnicity="AIND", disability="LD")
    world.allocate(referred)
    world.episode(referred, D(2025, 8, 1), closed=D(2025, 9, 1), reason="RC8", source="6")
    episode = world.episode(referred, D(2026, 1, 12), source="5D")
    world.assessment(episode, D(2026, 1, 13), authorised=D(2026, 2, 20), seen=D(2026, 1, 14))
    CinPlan.objects.create(episode=episode, child=referred, start_date=D(2026, 2, 20))
    world.visit(referred, D(2026, 6, 15), alone=True)
    protected = world.child("NB3", born=D(2019, 11, 30), sex=Sex.UNKNOWN, ethnicity="")
    world.allocate(protected)
    protection = world.episode(protected, D(2026, 1, 5), need="N1", source="3A")
    enquiry = world.s47(protection, D(2026, 1, 6), concluded=D(2026, 1, 20))
    plan = world.plan(protection, D(2026, 1, 23), category="EMO", s47=enquiry)
    world.review(plan, D(2026, 4, 20), category="MUL")
    world.visit(protected, D(2026, 6, 20), alone=False)
    cared_for = world.child("NB4", born=D(2011, 7, 7))
    world.allocate(cared_for)
    period = world.period(
        cared_for, D(2025, 5, 1), [(D(2025, 5, 1), "V2", "U6"), (D(2025, 10, 1), "C2", "K2")]
    )
    LacReview.objects.create(period=period, child=cared_for, held_on=D(2026, 4, 1), participation="PN1")
    leaver = world.child("NB5", born=D(2007, 9, 9), sex=Sex.MALE, ethnicity="BAFR")
    UascStatus.objects.create(
        child=leaver, start_date=D(2023, 9, 9), end_date=D(2025, 9, 9), end_reason="aged_18"
    )
    record = world.care_leaver(leaver, D(2025, 9, 9), status=CareLeaverStatus.FORMER_RELEVANT)
    CareLeaverContact.objects.create(
        care_leaver=record, child=leaver, contacted_on=D(2026, 6, 2), in_touch="YES"
    )
    CareLeaverAccommodation.objects.create(
        care_leaver=record, child=leaver, start_date=D(2025, 9, 9), code="T", suitable=False
    )
    CareLeaverActivity.objects.create(care_leaver=record, child=leaver, start_date=D(2025, 9, 9), code="G5")
    adopted = world.child("NB6", born=D(2022, 1, 15))
    adoption = world.period(
        adopted,
        D(2023, 3, 1),
        [(D(2023, 3, 1), "C2", "U5"), (D(2024, 9, 1), "E1", "A5")],
        end=D(2026, 2, 2),
        reason="E11",
    )
    Adoption.objects.create(
        child=adopted,
        period=adoption,
        decided_on=D(2024, 6, 1),
        matched_on=D(2024, 8, 20),
        order_on=D(2026, 2, 2),
    )


def test_a_small_council_takes_as_many_queries_as_the_city(world, django_assert_num_queries):
    """The same reads for six children as for the synthetic city's thousands (``test_annex_a_city``)."""
    populate(world)
    with django_assert_num_queries(build.QUERIES):
        annex = build.build(AS_OF)
    assert all(annex.rows[number] for number in range(1, 11))
