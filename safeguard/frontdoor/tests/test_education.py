"""A child's education status over time, and a withdrawal from school while the child or a sibling was known
(issue 9): the history, the rule, the flags on the record and at the front door, the pages and who may use them."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safeguard.audit.models import AuditEvent
from safeguard.frontdoor.education import (
    education_check_respond,
    education_status_change,
    involvement_on,
    record_notices,
    withdrawal_consider,
)
from safeguard.frontdoor.models import Agency, EducationWithdrawal, MashCheck
from safeguard.frontdoor.selectors import front_door_queue, known_to_service
from safeguard.frontdoor.services import contact_record, mash_check_request
from safeguard.organisation.models import Role
from safeguard.people.models import (
    EducationSetting,
    EducationSource,
    EducationStatus,
    Relationship,
    RelationshipType,
)
from safeguard.people.selectors import education_history, education_status_on
from tests.factories import AllocationFactory, ChildFactory, WorkerFactory

# A Monday in term; nothing here depends on bank holidays, only on which day things were true.
TODAY = datetime.datetime(2026, 11, 16, 11, 0, tzinfo=datetime.UTC)
ON_ROLL_SINCE = datetime.date(2022, 9, 5)
WITHDRAWN_ON = datetime.date(2026, 11, 9)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def fd_manager(people):
    return WorkerFactory(role=Role.TEAM_MANAGER, team=people.front_door_team, user__username="mo")


def change(child, user, setting, on, **extra):
    extra.setdefault("source", EducationSource.SCHOOL)
    if setting == EducationSetting.ON_ROLL:
        extra.setdefault("school_name", "Northgate Primary")
    return education_status_change(child=child, recorded_by=user, setting=setting, changed_on=on, **extra)


def on_roll_then_withdrawn(child, user, setting=EducationSetting.ELECTIVE_HOME_EDUCATION, on=WITHDRAWN_ON):
    change(child, user, EducationSetting.ON_ROLL, ON_ROLL_SINCE, school_urn="100001")
    return change(child, user, setting, on, source=EducationSource.LOCAL_AUTHORITY_EDUCATION)


def siblings(a, b):
    Relationship.objects.create(
        from_person=a.person, to_person=b.person, relationship_type=RelationshipType.SIBLING
    )


# ----------------------------------------------------------------------------------------------------------
# The history


def test_each_change_is_a_new_row_and_a_correction_keeps_the_wrong_one(people):
    child, user = people.alices_child, people.social_worker.user
    first = change(child, user, EducationSetting.ON_ROLL, ON_ROLL_SINCE)
    wrong = change(child, user, EducationSetting.MISSING_EDUCATION, datetime.date(2026, 10, 1))
    right = change(
        child,
        user,
        EducationSetting.ON_ROLL,
        datetime.date(2026, 10, 1),
        school_name="Southgate Academy",
        corrects=wrong,
        notes="The school had the wrong child; she moved school, she did not leave it",
    )
    assert EducationStatus.objects.filter(child=child).count() == 3
    assert [row.pk for row in education_history(child=child)] == [right.pk, wrong.pk, first.pk]
    wrong.refresh_from_db()
    assert wrong.setting == EducationSetting.MISSING_EDUCATION  # nothing overwritten
    assert education_status_on(child=child, on=datetime.date(2026, 10, 2)) == right
    assert education_status_on(child=child, on=datetime.date(2026, 9, 30)) == first
    actions = list(
        AuditEvent.objects.filter(entity_type="people.educationstatus").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "education_status.corrected",
        "education_status.recorded",
        "education_status.recorded",
    ]


def test_a_row_cannot_be_corrected_twice_nor_without_a_reason(people):
    child, user = people.alices_child, people.social_worker.user
    wrong = change(child, user, EducationSetting.ELECTIVE_HOME_EDUCATION, ON_ROLL_SINCE)
    with pytest.raises(ValidationError) as error:
        change(child, user, EducationSetting.ON_ROLL, ON_ROLL_SINCE, corrects=wrong)
    assert "notes" in error.value.message_dict
    change(child, user, EducationSetting.ON_ROLL, ON_ROLL_SINCE, corrects=wrong, notes="Wrong child")
    with pytest.raises(ValidationError) as error:
        change(child, user, EducationSetting.ON_ROLL, ON_ROLL_SINCE, corrects=wrong, notes="Again")
    assert "already been corrected" in error.value.message_dict["corrects"][0]


@pytest.mark.parametrize(
    ("setting", "extra", "field"),
    [
        (EducationSetting.ON_ROLL, {"school_name": ""}, "school_name"),
        (EducationSetting.ON_ROLL, {"school_urn": "12345"}, "school_urn"),
        (EducationSetting.ELECTIVE_HOME_EDUCATION, {"school_name": "Northgate"}, "school_name"),
        (EducationSetting.NOT_IN_SCHOOL_OTHER, {}, "notes"),
        ("boarding", {}, "setting"),
        (EducationSetting.MISSING_EDUCATION, {"source": "rumour"}, "source"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(people, setting, extra, field):
    with pytest.raises(ValidationError) as error:
        change(people.alices_child, people.social_worker.user, setting, ON_ROLL_SINCE, **extra)
    assert field in error.value.message_dict
    assert not EducationStatus.objects.exists()


def test_a_change_cannot_be_dated_in_the_future(people):
    with pytest.raises(ValidationError) as error:
        change(
            people.alices_child,
            people.social_worker.user,
            EducationSetting.ON_ROLL,
            datetime.date(2026, 11, 17),
        )
    assert "future" in error.value.message_dict["changed_on"][0]


def test_only_those_who_may_change_the_record_record_education(people):
    for worker in (people.inspector, people.other_worker, people.analyst):
        with pytest.raises(PermissionDenied):
            change(people.alices_child, worker.user, EducationSetting.ON_ROLL, ON_ROLL_SINCE)
    assert not EducationStatus.objects.exists()


# ----------------------------------------------------------------------------------------------------------
# Withdrawal from school while known


def test_a_known_child_taken_off_roll_is_flagged(people):
    status = on_roll_then_withdrawn(people.alices_child, people.social_worker.user)
    withdrawal = EducationWithdrawal.objects.get()
    assert withdrawal.status == status and withdrawal.withdrawn_on == WITHDRAWN_ON
    assert withdrawal.known_because == "an allocated social worker"
    assert withdrawal.while_known == "while known to children's social care"
    assert AuditEvent.objects.filter(action="education_withdrawal.raised").count() == 1


def test_a_child_whose_sibling_is_known_is_flagged_and_the_sibling_named(people):
    child = ChildFactory()
    siblings(child, people.alices_child)
    on_roll_then_withdrawn(child, people.director.user)
    withdrawal = EducationWithdrawal.objects.get()
    assert withdrawal.known_because == ""
    assert list(withdrawal.known_siblings.all()) == [people.alices_child]
    assert withdrawal.while_known == "while a sibling was known to children's social care"


def test_a_child_nobody_knows_is_not_flagged(people):
    child = people.unallocated_child
    # Recorded by the director, who may change any record and whose doing so makes no one known.
    on_roll_then_withdrawn(child, people.director.user)
    assert not EducationWithdrawal.objects.exists()


def test_known_only_after_the_day_it_changed_is_not_flagged(people):
    # Alice's allocation began 30 days ago (17 October 2026); the child left school before it.
    on_roll_then_withdrawn(people.alices_child, people.social_worker.user, on=datetime.date(2026, 10, 1))
    assert not EducationWithdrawal.objects.exists()


def test_an_open_contact_at_the_front_door_on_the_day_makes_the_child_known(people):
    child = people.unallocated_child
    contact_record(
        recorded_by=people.front_door.user,
        child=child,
        team=people.front_door_team,
        area=people.north,
        source="6",
        reported="School worried",
        worry="Not seen",
        consent="given",
        received_at=datetime.datetime(2026, 11, 6, 9, 0, tzinfo=datetime.UTC),
    )
    assert involvement_on({child.pk}, WITHDRAWN_ON) == {child.pk: ["a contact at the front door"]}
    assert involvement_on({child.pk}, datetime.date(2026, 11, 5)) == {}
    on_roll_then_withdrawn(child, people.front_door.user, setting=EducationSetting.MISSING_EDUCATION)
    assert EducationWithdrawal.objects.get().known_because == "a contact at the front door"


def test_back_on_roll_is_not_a_withdrawal_and_leaving_again_is_a_second(people):
    child, user = people.alices_child, people.social_worker.user
    on_roll_then_withdrawn(child, user)
    change(
        child, user, EducationSetting.ON_ROLL, datetime.date(2026, 11, 12), school_name="Southgate Academy"
    )
    assert EducationWithdrawal.objects.count() == 1
    change(child, user, EducationSetting.NOT_IN_SCHOOL_OTHER, datetime.date(2026, 11, 13), notes="Moved away")
    assert EducationWithdrawal.objects.count() == 2


def test_neither_a_school_move_nor_a_first_status_off_roll_is_a_withdrawal(people):
    child, user = people.alices_child, people.social_worker.user
    change(child, user, EducationSetting.ON_ROLL, ON_ROLL_SINCE)
    change(child, user, EducationSetting.ON_ROLL, WITHDRAWN_ON, school_name="Southgate Academy")
    other = people.carls_child
    change(other, people.colleague.user, EducationSetting.ELECTIVE_HOME_EDUCATION, WITHDRAWN_ON)
    assert not EducationWithdrawal.objects.exists()


# ----------------------------------------------------------------------------------------------------------
# Where the flag shows, and clearing it


def test_the_flag_shows_on_the_record_of_the_child_and_of_the_known_sibling(people, client_for):
    child = ChildFactory()
    siblings(child, people.alices_child)
    AllocationFactory(child=child, worker=people.colleague)
    on_roll_then_withdrawn(child, people.colleague.user)
    notices = record_notices(child, people.colleague.user, TODAY.date())
    assert [n.text for n in notices] == [
        "Withdrawn from school on 9 November 2026 while known to children's social care"
    ]
    sibling_notice = record_notices(people.alices_child, people.social_worker.user, TODAY.date())[0]
    assert "was withdrawn from school on 9 November 2026 while this child was known" in sibling_notice.text
    page = client_for(people.social_worker).get(
        reverse("children:record", kwargs={"child_id": people.alices_child.pk})
    )
    assert 'data-notice="withdrawn_from_school"' in page.content.decode()


def test_the_flag_shows_in_the_queue_and_the_known_to_the_service_flags(people, client_for):
    child = people.alices_child
    on_roll_then_withdrawn(child, people.social_worker.user)
    contact = contact_record(
        recorded_by=people.front_door.user,
        child=child,
        team=people.front_door_team,
        area=people.north,
        source="6",
        reported="Reported",
        worry="Worry",
        consent="given",
    )
    other = contact_record(
        recorded_by=people.front_door.user,
        child=people.unallocated_child,
        team=people.front_door_team,
        area=people.north,
        source="6",
        reported="Reported",
        worry="Worry",
        consent="given",
    )
    tagged = {row.pk: row.withdrawn_from_school for row in front_door_queue(user=people.front_door.user)}
    assert tagged == {contact.pk: True, other.pk: False}
    assert "withdrawn_from_school" in [flag.kind for flag in known_to_service(child=child, excluding=contact)]
    html = client_for(people.front_door).get(reverse("frontdoor:queue")).content.decode()
    assert html.count('data-flag="withdrawn_from_school"') == 1


def test_a_manager_clears_the_flag_with_a_note_and_it_is_kept(people):
    child = people.alices_child
    on_roll_then_withdrawn(child, people.social_worker.user)
    withdrawal = EducationWithdrawal.objects.get()
    with pytest.raises(PermissionDenied):
        withdrawal_consider(withdrawal=withdrawal, considered_by=people.social_worker.user, note="Seen")
    with pytest.raises(ValidationError):
        withdrawal_consider(withdrawal=withdrawal, considered_by=people.team_manager.user, note="  ")
    withdrawal_consider(withdrawal=withdrawal, considered_by=people.team_manager.user, note="Visit booked")
    assert record_notices(child, people.social_worker.user, TODAY.date()) == []
    assert "withdrawn_from_school" not in [flag.kind for flag in known_to_service(child=child)]
    withdrawal.refresh_from_db()
    assert withdrawal.consideration == "Visit booked" and withdrawal.considered_by == people.team_manager.user
    with pytest.raises(ValidationError):
        withdrawal_consider(withdrawal=withdrawal, considered_by=people.hos.user, note="Again")


# ----------------------------------------------------------------------------------------------------------
# The front door's education check


@pytest.fixture
def education_check(people):
    child = people.alices_child
    EducationStatus.objects.create(
        child=child,
        setting=EducationSetting.ON_ROLL,
        changed_on=ON_ROLL_SINCE,
        school_name="Northgate",
        source="school",
    )
    contact = contact_record(
        recorded_by=people.front_door.user,
        child=child,
        team=people.front_door_team,
        area=people.north,
        source="6",
        reported="Reported",
        worry="Worry",
        consent="given",
    )
    return mash_check_request(contact=contact, agency=Agency.EDUCATION, requested_by=people.front_door.user)


def response_form(**overrides):
    data = {
        "responded_on_day": "16",
        "responded_on_month": "11",
        "responded_on_year": "2026",
        "response": "Deregistered by the parents to home educate",
        "setting": "ehe",
        "changed_on_day": "9",
        "changed_on_month": "11",
        "changed_on_year": "2026",
        "school_name": "",
        "school_urn": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_the_education_check_records_the_status_and_raises_the_flag(people, client_for, education_check):
    url = reverse("frontdoor:record_response", kwargs={"check_id": education_check.pk})
    page = client_for(people.front_door).get(url)
    assert "Where is the child educated" in page.content.decode()
    response = client_for(people.front_door).post(url, response_form())
    assert response.status_code == 302
    education_check.refresh_from_db()
    status = education_check.education_status
    assert status.setting == EducationSetting.ELECTIVE_HOME_EDUCATION
    assert status.source == EducationSource.FRONT_DOOR_CHECK and status.created_by == people.front_door.user
    assert EducationWithdrawal.objects.get().status == status


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"setting": ""}, 'href="#id_setting'),
        ({"setting": "on_roll"}, "Enter the name of the school"),
        (
            {"changed_on_day": "", "changed_on_month": "", "changed_on_year": ""},
            "Enter the date the child&#39;s",
        ),
        ({"response": ""}, 'href="#id_response'),
    ],
)
def test_the_education_check_with_bad_input_keeps_it_and_saves_nothing(
    people, client_for, education_check, overrides, message
):
    url = reverse("frontdoor:record_response", kwargs={"check_id": education_check.pk})
    response = client_for(people.front_door).post(url, response_form(**overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert "Deregistered by the parents" in html or overrides.get("response") == ""
    education_check.refresh_from_db()
    assert education_check.responded_on is None and education_check.education_status is None
    assert EducationStatus.objects.count() == 1  # the one from before


def test_education_could_not_say_records_the_answer_without_a_status(people, education_check):
    education_check_respond(
        check=education_check,
        recorded_by=people.front_door.user,
        responded_on=TODAY.date(),
        response="Not known to us",
        setting="not_known",
    )
    education_check.refresh_from_db()
    assert education_check.responded_on and education_check.education_status is None
    assert EducationStatus.objects.count() == 1


def test_only_the_education_check_records_education(people, education_check):
    police = mash_check_request(
        contact=education_check.contact, agency=Agency.POLICE, requested_by=people.front_door.user
    )
    with pytest.raises(ValidationError):
        education_check_respond(
            check=police,
            recorded_by=people.front_door.user,
            responded_on=TODAY.date(),
            response="x",
            setting="ehe",
        )
    assert MashCheck.objects.get(pk=police.pk).responded_on is None


# ----------------------------------------------------------------------------------------------------------
# The child's education page


def page_form(**overrides):
    data = {
        "setting": "cme",
        "changed_on_day": "9",
        "changed_on_month": "11",
        "changed_on_year": "2026",
        "school_name": "",
        "school_urn": "",
        "source": "school",
        "notes": "",
        "corrects": "",
    }
    data.update(overrides)
    return data


def test_the_page_records_a_change_and_shows_the_history(people, client_for):
    child = people.alices_child
    change(child, people.social_worker.user, EducationSetting.ON_ROLL, ON_ROLL_SINCE)
    url = reverse("frontdoor:education", kwargs={"child_id": child.pk})
    record = reverse("frontdoor:education_record", kwargs={"child_id": child.pk})
    response = client_for(people.social_worker).post(record, page_form())
    assert response.status_code == 302
    html = client_for(people.social_worker).get(url).content.decode()
    assert "Not in school: child missing education" in html and "Northgate Primary" in html
    assert "Record that it has been considered" not in html  # Alice is not a manager
    html = client_for(people.team_manager).get(url).content.decode()
    assert "Record that it has been considered" in html


def test_the_page_with_bad_input_shows_the_errors_and_keeps_what_was_typed(people, client_for):
    child = people.alices_child
    record = reverse("frontdoor:education_record", kwargs={"child_id": child.pk})
    response = client_for(people.social_worker).post(
        record, page_form(setting="on_roll", school_urn="12ab", school_name="Hill School")
    )
    html = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in html
    assert "A school&#39;s URN is 6 digits" in html
    assert 'value="Hill School"' in html
    assert not EducationStatus.objects.exists()


def test_who_may_see_record_and_consider_on_the_page(people, client_for):
    child = people.alices_child
    on_roll_then_withdrawn(child, people.social_worker.user)
    withdrawal = EducationWithdrawal.objects.get()
    url = reverse("frontdoor:education", kwargs={"child_id": child.pk})
    record = reverse("frontdoor:education_record", kwargs={"child_id": child.pk})
    consider = reverse(
        "frontdoor:withdrawal_considered", kwargs={"child_id": child.pk, "withdrawal_id": withdrawal.pk}
    )
    assert client_for(people.inspector).get(url).status_code == 200
    assert client_for(people.inspector).post(record, page_form()).status_code == 403
    assert client_for(people.other_worker).get(url).status_code == 403
    assert client_for(people.team_manager).post(url).status_code == 405
    assert client_for(people.social_worker).get(record).status_code == 405
    # Refused before the note is read, whether or not one was written.
    for note in ("x", ""):
        refused = client_for(people.social_worker).post(consider, {f"withdrawal-{withdrawal.pk}-note": note})
        assert refused.status_code == 403
    other = reverse(
        "frontdoor:withdrawal_considered",
        kwargs={"child_id": people.carls_child.pk, "withdrawal_id": withdrawal.pk},
    )
    assert (
        client_for(people.team_manager).post(other, {f"withdrawal-{withdrawal.pk}-note": "x"}).status_code
        == 404
    )
    assert (
        client_for(people.team_manager).post(consider, {f"withdrawal-{withdrawal.pk}-note": ""}).status_code
        == 400
    )
    response = client_for(people.team_manager).post(
        consider, {f"withdrawal-{withdrawal.pk}-note": "Visit booked"}
    )
    assert response.status_code == 302
    withdrawal.refresh_from_db()
    assert not withdrawal.is_open
