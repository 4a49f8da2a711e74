"""The generated city at 5,000 children: identifiers, families, organisation, allocations and the access policy."""

import collections
import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from safeguard.audit.models import AuditEvent
from safeguard.audit.policy import access_basis, findable_children, visible_children
from safeguard.organisation.models import (
    Allocation,
    AllocationRole,
    Employment,
    Post,
    PostFilling,
    Role,
    Team,
    TeamKind,
    Worker,
)
from safeguard.people.identifiers import is_valid_nhs_number, is_valid_upn
from safeguard.people.models import (
    Address,
    Child,
    ChildDisability,
    Household,
    HouseholdMembership,
    Person,
    PersonAddress,
    PersonKind,
    Relationship,
    RelationshipType,
    name_key,
)
from safeguard.restrictions.models import RecordRestriction
from safeguard.synth import rates
from safeguard.synth.geography import AREAS, STRUGGLING_AREA, district_area
from safeguard.synth.models import SyntheticDataset
from safeguard.synth.personas import DEFAULT_DEMO_PASSWORD, PERSONA_USERNAMES, persona_summary
from safeguard.synth.steps.population import school_start_year
from safeguard.synth.tests.conftest import CHILDREN, SEED, TODAY

pytestmark = pytest.mark.usefixtures("city", "db")

POSTCODE = re.compile(r"^NB(?:[1-9]|1[0-9]|20) [1-9][ABDEFGHJLNPQRSTUWXYZ]{2}$")


def user(username):
    return get_user_model().objects.get(username=username)


def worker(username) -> Worker:
    return Worker.objects.select_related("team__area", "area", "manager__user").get(user__username=username)


def current():
    return Allocation.objects.current(TODAY)


def child_area(child_id: int) -> str:
    address = (
        PersonAddress.objects.current_on(TODAY).filter(person_id=child_id).select_related("address").first()
    )
    return district_area(int(address.address.postcode.split()[0][2:]))


# -- people ---------------------------------------------------------------------------------------------


def test_children_count_and_unborn():
    born = Child.objects.filter(person__date_of_birth__isnull=False).count()
    unborn = Child.objects.filter(
        expected_date_of_birth__isnull=False, person__date_of_birth__isnull=True
    ).count()
    assert born == CHILDREN
    assert 5 <= unborn <= 30  # about 0.3%
    ages = collections.Counter(
        person.age_on(TODAY)
        for person in Person.objects.filter(kind=PersonKind.CHILD, date_of_birth__isnull=False)
    )
    assert set(ages) == set(range(18))
    assert max(ages.values()) < 2 * min(ages.values())  # spread evenly


def test_upns_are_valid_with_the_la_code():
    upns = list(Child.objects.exclude(upn="").values_list("upn", flat=True))
    assert len(upns) > CHILDREN * 0.6
    assert all(is_valid_upn(upn) for upn in upns)
    assert {upn[1:4] for upn in upns} == {settings.SAFEGUARD["LA_CODE"]}
    assert len(set(upns)) == len(upns)


def test_children_not_yet_at_school_have_no_upn_and_reason_un1():
    """A UPN comes with a school place: from the September after the fourth birthday (reception)."""
    in_reception = 0
    for child in Child.objects.select_related("person"):
        born = child.person.date_of_birth
        at_school = born is not None and datetime.date(school_start_year(born), 9, 1) <= TODAY
        if not at_school:
            assert (child.upn, child.upn_unknown_reason) == ("", "UN1")
        elif child.upn == "":
            assert child.upn_unknown_reason
        in_reception += at_school and child.person.age_on(TODAY) < 5
    assert in_reception > 0


def test_nhs_numbers_are_valid_test_numbers():
    numbers = list(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    assert all(is_valid_nhs_number(number) and number.startswith("999") for number in numbers)
    assert len(set(numbers)) == len(numbers)
    with_number = (
        Child.objects.exclude(person__nhs_number="").filter(person__date_of_birth__isnull=False).count()
    )
    assert 0.95 <= with_number / CHILDREN <= 0.99


def test_local_child_ids_are_unique_upper_alphanumeric():
    ids = list(Child.objects.values_list("la_child_id", flat=True))
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[A-Z0-9]{1,20}", value) for value in ids)


def test_name_keys_are_set_as_save_would():
    for person in Person.objects.order_by("?")[:500]:
        assert person.first_name_key == name_key(person.first_name)
        assert person.last_name_key == name_key(person.last_name)


def test_characteristics():
    sexes = collections.Counter(Person.objects.filter(kind=PersonKind.CHILD).values_list("sex", flat=True))
    assert sexes["M"] > 0.45 * CHILDREN and sexes["F"] > 0.45 * CHILDREN
    ethnicities = collections.Counter(
        Person.objects.filter(kind=PersonKind.CHILD).values_list("ethnicity", flat=True)
    )
    assert len(ethnicities) >= 15
    assert 0.3 < ethnicities["WBRI"] / CHILDREN < 0.46
    disabled = ChildDisability.objects.exclude(code="NONE").values("child").distinct().count()
    assert 0.035 * CHILDREN < disabled < 0.065 * CHILDREN
    # Everyone else has "no disability" recorded, never both (CIN census 8540, 8790).
    assert ChildDisability.objects.values("child").distinct().count() == Child.objects.count()
    others = ChildDisability.objects.exclude(code="NONE").values("child")
    assert not ChildDisability.objects.filter(code="NONE", child__in=others).exists()
    assert Person.objects.filter(kind=PersonKind.CHILD, date_of_death__isnull=False).exists()


def test_postcodes_are_fictional_and_well_formed():
    postcodes = list(Address.objects.values_list("postcode", flat=True))
    assert postcodes and all(POSTCODE.match(code) for code in postcodes)


def test_households_have_adults_and_children():
    households = Household.objects.annotate(
        adults=Count("memberships", filter=Q(memberships__person__kind=PersonKind.ADULT)),
        children=Count("memberships", filter=Q(memberships__person__kind=PersonKind.CHILD)),
    )
    assert households.filter(adults=0).count() == 0
    assert households.filter(adults__gt=2).count() == 0
    assert households.filter(children__gt=5).count() == 0
    assert households.filter(adults=1).count() > 0.15 * households.count()  # lone parents


def test_every_born_child_has_a_parent_with_parental_responsibility():
    without = Child.objects.filter(person__date_of_birth__isnull=False).exclude(
        person__relationships_to__relationship_type=RelationshipType.PARENT,
        person__relationships_to__has_parental_responsibility=True,
    )
    assert without.count() == 0


def test_siblings_half_siblings_and_step_parents():
    kinds = collections.Counter(Relationship.objects.values_list("relationship_type", flat=True))
    assert kinds[RelationshipType.SIBLING] > 0
    assert kinds[RelationshipType.HALF_SIBLING] > 0
    assert kinds[RelationshipType.STEP_PARENT] > 0
    assert kinds[RelationshipType.PARTNER] > 0
    # Each pair once: no row has its mirror image.
    pairs = set(Relationship.objects.values_list("from_person_id", "to_person_id"))
    assert not any((b, a) in pairs for a, b in pairs)
    # About 15% of sibling groups (households with two or more children) have half-siblings.
    groups = Household.objects.annotate(
        children=Count("memberships", filter=Q(memberships__person__kind=PersonKind.CHILD))
    ).filter(children__gte=2)
    half = (
        Relationship.objects.filter(relationship_type=RelationshipType.HALF_SIBLING)
        .values("from_person__household_memberships__household")
        .distinct()
        .count()
    )
    assert 0.08 < half / groups.count() < 0.25


def test_some_families_moved_and_addresses_join_up():
    ended = PersonAddress.objects.filter(end_date__isnull=False, end_date__lt=TODAY)
    assert ended.exists()
    mover = ended.first()
    now = PersonAddress.objects.current_on(TODAY).get(person=mover.person_id)
    assert now.start_date > mover.end_date
    assert HouseholdMembership.objects.filter(start_date__isnull=True).count() == 0
    unborn = Child.objects.filter(expected_date_of_birth__isnull=False).values_list("pk", flat=True)
    assert set(unborn) == set(
        PersonAddress.objects.current_on(TODAY).filter(person__in=unborn).values_list("person_id", flat=True)
    )
    household = Household.objects.filter(memberships__person=mover.person_id).get()
    assert household.address_id == now.address_id


# -- organisation ---------------------------------------------------------------------------------------


def test_areas_and_teams():
    kinds = collections.Counter(Team.objects.values_list("kind", flat=True))
    assert kinds[TeamKind.FRONT_DOOR] == 1
    assert kinds[TeamKind.SAFEGUARDING_UNIT] == 1
    for kind in (
        TeamKind.ASSESSMENT,
        TeamKind.CHILD_IN_NEED,
        TeamKind.CHILD_PROTECTION,
        TeamKind.CHILDREN_IN_CARE,
        TeamKind.CARE_LEAVERS,
        TeamKind.DISABLED_CHILDREN,
    ):
        assert kinds[kind] >= 5
    for team in Team.objects.all():
        assert team.workers.filter(role=Role.TEAM_MANAGER).exists(), team


def test_management_line():
    director = worker("director")
    for head in Worker.objects.filter(role=Role.HEAD_OF_SERVICE):
        assert head.manager_id == director.pk and head.area_id
    for manager in Worker.objects.filter(role=Role.TEAM_MANAGER, user__is_active=True).select_related(
        "team", "manager"
    ):
        assert manager.manager.role == Role.HEAD_OF_SERVICE
    # Staff who have left (the workforce step's past post holders) are in no team and have no manager.
    practitioners = Worker.objects.filter(
        role__in=[Role.SOCIAL_WORKER, Role.FAMILY_SUPPORT_WORKER, Role.IRO, Role.FRONT_DOOR_WORKER],
        user__is_active=True,
    ).select_related("manager")
    for practitioner in practitioners:
        assert practitioner.manager.role == Role.TEAM_MANAGER
        assert practitioner.manager.team_id == practitioner.team_id


def test_workforce_rates():
    """Today's establishment: every post held (by one worker) or empty, as ``steps/organisation.py`` makes it;
    the census's rates over its history are ``test_workforce.py``'s."""
    posts = Post.objects.established_on(TODAY)
    held = PostFilling.objects.current_on(TODAY).filter(post__in=posts)
    assert held.count() == held.values("worker_id").distinct().count()
    empty = posts.count() - held.count()
    assert 0 < empty / posts.count() < 0.15
    qualified = Worker.objects.filter(
        role__in=[Role.SOCIAL_WORKER, Role.IRO, Role.FRONT_DOOR_WORKER],
        is_qualified=True,
        user__is_active=True,
    )
    agency = qualified.filter(employment=Employment.AGENCY).count()
    assert abs(agency / qualified.count() - rates.AGENCY_RATE) < 0.05
    assert all(re.fullmatch(r"SW\d{6}", w.swe_number) for w in Worker.objects.filter(is_qualified=True))
    assert not Worker.objects.filter(role=Role.FAMILY_SUPPORT_WORKER, is_qualified=True).exists()
    ftes = collections.Counter(Worker.objects.values_list("fte", flat=True))
    assert ftes[1] > 0.7 * sum(ftes.values())
    assert any(fte < 1 for fte in ftes)


def test_every_worker_has_a_user_and_only_personas_can_sign_in():
    users = get_user_model().objects.all()
    assert users.count() == Worker.objects.count()
    for account in users:
        assert account.has_usable_password() == (account.username in PERSONA_USERNAMES)
        assert account.first_name and account.last_name


# -- personas -------------------------------------------------------------------------------------------


def test_personas_exist_with_the_right_roles():
    social = worker("socialworker")
    manager = worker("teammanager")
    head = worker("headofservice")
    assert social.role == Role.SOCIAL_WORKER and social.is_qualified
    assert social.team.kind == TeamKind.CHILD_IN_NEED
    assert manager.role == Role.TEAM_MANAGER and manager.team_id == social.team_id
    assert social.manager_id == manager.pk
    assert head.role == Role.HEAD_OF_SERVICE and head.area_id == social.team.area_id
    assert manager.manager_id == head.pk
    assert head.manager_id == worker("director").pk
    assert worker("director").role == Role.DIRECTOR
    assert worker("frontdoor").role == Role.FRONT_DOOR_WORKER
    assert worker("frontdoor").team.kind == TeamKind.FRONT_DOOR
    assert worker("iro").role == Role.IRO and worker("iro").team.kind == TeamKind.SAFEGUARDING_UNIT
    assert worker("inspector").role == Role.INSPECTOR
    admin = worker("admin")
    assert admin.role == Role.ADMINISTRATOR and admin.user.is_staff and admin.user.is_superuser
    other = worker("otherworker")
    assert other.team.kind == TeamKind.CHILD_IN_NEED and other.team.area_id != social.team.area_id


def test_persona_password():
    assert user("socialworker").check_password(DEFAULT_DEMO_PASSWORD)
    hashes = {account.password for account in get_user_model().objects.filter(username__in=PERSONA_USERNAMES)}
    assert len(hashes) == 1  # hashed once


def test_socialworker_has_a_caseload_and_iro_has_children():
    caseload = current().filter(worker=worker("socialworker"), role=AllocationRole.SOCIAL_WORKER).count()
    assert 12 <= caseload <= 18
    assert current().filter(worker=worker("iro"), role=AllocationRole.IRO).count() > 0
    rows = {row["username"]: row for row in persona_summary(TODAY)}
    assert set(rows) == set(PERSONA_USERNAMES)
    assert rows["socialworker"]["caseload"] == caseload


# -- allocations ----------------------------------------------------------------------------------------


def test_allocation_rates_near_national(city):
    open_cases = len(city.context.cases)
    assert abs(open_cases - rates.CHILDREN_IN_NEED * CHILDREN / 10_000) / open_cases < 0.15
    # Not counting the allocations the later ``socialworkers`` step added to cover days of care.
    allocated = (
        current().filter(role=AllocationRole.SOCIAL_WORKER).exclude(pk__in=city.context.care_cover).count()
    )
    unallocated = sum(1 for case in city.context.cases if case.worker_id is None)
    assert allocated + unallocated == open_cases
    # The national share everywhere but the struggling area (about a fifth of the city), which has its own.
    struggling = next(spec.population_share for spec in AREAS if spec.code == STRUGGLING_AREA)
    expected = (1 - struggling) * rates.UNALLOCATED_SHARE + struggling * rates.STRUGGLING_UNALLOCATED_SHARE
    assert abs(unallocated / open_cases - expected) < 0.04


def test_the_struggling_area_has_a_backlog(city):
    """One area is short of social workers: its open cases wait unallocated several times as often as the
    other areas'. (Its empty posts show only at a city's scale: test_determinism checks them.)"""
    waiting: dict[bool, list[int]] = {True: [0, 0], False: [0, 0]}
    for case in city.context.cases:
        tally = waiting[case.area == STRUGGLING_AREA]
        tally[0] += case.worker_id is None
        tally[1] += 1
    struggling_share = waiting[True][0] / waiting[True][1]
    other_share = waiting[False][0] / waiting[False][1]
    assert struggling_share > 0.1
    assert 0.02 <= other_share <= 0.07
    assert struggling_share > 2 * other_share


def test_allocations_are_to_qualified_workers_in_the_childs_area():
    allocations = current().filter(role=AllocationRole.SOCIAL_WORKER).select_related("worker", "team__area")
    assert allocations.count()
    for allocation in allocations:
        assert allocation.worker.is_qualified and allocation.worker.role == Role.SOCIAL_WORKER
        assert allocation.worker.team_id == allocation.team_id
        assert allocation.team.area.code == child_area(allocation.child_id)
    assert Allocation.objects.filter(end_date__lt=TODAY).exists()  # history
    assert not current().filter(child__person__date_of_death__isnull=False).exists()


def test_caseloads_are_balanced():
    """At 5,000 children every team still has a social worker, so caseloads are light on average, though a
    one-worker team can be swamped by a few large sibling groups (as in life).
    ``test_determinism.test_staffing_scales_to_demand`` checks the caseload of 16 at city scale."""
    loads = [
        w.cases
        for w in Worker.objects.filter(role=Role.SOCIAL_WORKER).annotate(
            cases=Count("allocations", filter=Q(allocations__end_date__isnull=True))
        )
    ]
    assert sum(loads) / len(loads) <= rates.CASELOAD
    assert max(loads) <= 40


# -- the access policy on this data ---------------------------------------------------------------------


def test_access_policy_makes_sense():
    social = user("socialworker")
    visible = set(visible_children(social).values_list("pk", flat=True))
    mine = set(current().filter(worker__user=social).values_list("child_id", flat=True))
    assert mine and mine <= visible
    elsewhere = (
        current()
        .filter(role=AllocationRole.SOCIAL_WORKER)
        .exclude(team__area=worker("socialworker").team.area)
    )
    elsewhere_ids = set(elsewhere.values_list("child_id", flat=True))
    assert elsewhere_ids and not visible & elsewhere_ids
    stranger = Child.objects.get(pk=next(iter(elsewhere_ids)))
    assert not access_basis(social, stranger)
    assert access_basis(social, Child.objects.get(pk=next(iter(mine))))

    # A few records are restricted (safeguard/synth/steps/restrictions.py): closed to all but their access
    # lists, the director's and the front door's reach included (ADR 0013).
    restricted = set(RecordRestriction.objects.in_force().values_list("child_id", flat=True))
    assert restricted
    assert mine - restricted <= set(visible_children(user("teammanager")).values_list("pk", flat=True))
    head_sees = set(visible_children(user("headofservice")).values_list("pk", flat=True))
    assert mine - restricted <= head_sees and not head_sees & elsewhere_ids
    assert not mine & set(visible_children(user("otherworker")).values_list("pk", flat=True))

    iro_children = set(current().filter(worker__user__username="iro").values_list("child_id", flat=True))
    assert iro_children == set(visible_children(user("iro")).values_list("pk", flat=True))

    everyone = Child.objects.exclude(pk__in=restricted).count()
    for username in ("director", "inspector"):
        assert visible_children(user(username)).count() == everyone
    # The front door finds any child, and opens the records of children whose contacts are before it.
    assert findable_children(user("frontdoor")).count() == everyone
    assert visible_children(user("admin")).count() == 0


# -- the record of the run ------------------------------------------------------------------------------


def test_one_dataset_row_and_one_audit_event(city):
    dataset = SyntheticDataset.objects.get()
    assert (dataset.seed, dataset.children, dataset.today) == (SEED, CHILDREN, TODAY)
    assert dataset.counts["rows"]["people.Child"] == Child.objects.count()
    events = AuditEvent.objects.filter(action="synth.generated")
    assert events.count() == 1 == AuditEvent.objects.count()
    event = events.get()
    assert event.entity_id == str(dataset.pk) and event.entity_type == "synth.syntheticdataset"
    assert event.changes["seed"] == [None, SEED]
    assert event.changes["children"] == [None, CHILDREN]
