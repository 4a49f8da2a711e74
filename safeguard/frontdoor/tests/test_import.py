"""Bulk arrival: a file of notifications becomes contacts, all or nothing."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AuditEvent
from safeguard.compliance.models import Deadline
from safeguard.frontdoor import imports
from safeguard.frontdoor.imports import ImportRejected, contacts_import
from safeguard.frontdoor.models import Contact, ContactImportBatch, ContactStatus, decision_deadlines
from safeguard.people.models import Child
from tests.factories import ChildFactory, PersonFactory, fake_nhs_number

# Thursday 26 November 2026, mid-morning in London.
NOW = datetime.datetime(2026, 11, 26, 10, 30, tzinfo=datetime.UTC)

HEADER = (
    "external_reference,received_at,child_first_name,child_last_name,child_date_of_birth,"
    "child_nhs_number,area,reported,worry,immediate_risk,consent"
)


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def row(
    reference="NB-1001",
    received="25/11/2026 23:40",
    first="Maya",
    last="Okafor",
    born="14/02/2016",
    nhs="",
    area="N",
    reported="Police called to a domestic incident at the home; the child was present",
    worry="Exposure to domestic abuse",
    risk="N",
    consent="not known",
) -> str:
    return ",".join(
        [reference, received, first, last, born, nhs, area, f'"{reported}"', worry, risk, consent]
    )


@pytest.fixture
def run(people):
    def go(data, *, source="6", user=None):
        return contacts_import(
            uploaded_by=(user or people.front_door).user,
            file_name="police-2026-11-26.csv",
            data=data,
            source=source,
            team=people.front_door_team,
        )

    return go


def counts():
    """What a rejected file must leave as it was, the contacts' deadlines included."""
    return (
        Contact.objects.count(),
        Child.objects.count(),
        ContactImportBatch.objects.count(),
        AuditEvent.objects.count(),
        Deadline.objects.count(),
    )


pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


# ----------------------------------------------------------------------------------------------------------
# A good file


def test_a_good_file_creates_contacts_and_children_and_matches_known_children(people, run):
    known = people.alices_child
    known_nhs = known.person.nhs_number
    by_name = ChildFactory(
        person=PersonFactory(first_name="Leo", last_name="O'Brien", date_of_birth=datetime.date(2012, 5, 3))
    )
    new_nhs = fake_nhs_number()
    data = csv_file(
        # matched by NHS number (the name in the file is spelt differently: the NHS number decides)
        row(
            reference="NB-1",
            first="Alicia",
            last=known.person.last_name,
            born=known.person.date_of_birth.strftime("%d/%m/%Y"),
            nhs=known_nhs,
        ),
        # matched by exact name key (punctuation and case ignored) and date of birth
        row(
            reference="NB-2",
            first="leo",
            last="OBrien",
            born="2012-05-03",
            area="South",
            risk="Y",
            consent="given",
        ),
        # new to the service: two rows about the same new child share one record
        row(
            reference="NB-3",
            first="Zainab",
            last="Quarshie",
            born="01/09/2019",
            nhs=new_nhs[:3] + " " + new_nhs[3:6] + " " + new_nhs[6:],
        ),
        row(
            reference="NB-4",
            first="Zainab",
            last="Quarshie",
            born="01/09/2019",
            nhs=new_nhs,
            received="2026-11-26 08:05",
        ),
    )
    children_before = Child.objects.count()

    result = run(data)

    assert len(result.contacts) == 4
    assert result.children_created == 1
    assert result.children_matched == 2
    assert Child.objects.count() == children_before + 1
    batch = result.batch
    assert (batch.file_name, batch.source, batch.rows) == ("police-2026-11-26.csv", "6", 4)
    contacts = {contact.external_reference: contact for contact in Contact.objects.filter(batch=batch)}
    assert contacts["NB-1"].child == known
    assert contacts["NB-2"].child == by_name
    assert contacts["NB-2"].area == people.south
    assert contacts["NB-2"].immediate_risk and contacts["NB-2"].rag == "red"
    assert contacts["NB-2"].consent == "given"
    assert contacts["NB-3"].child == contacts["NB-4"].child
    new_child = contacts["NB-3"].child
    assert new_child.person.nhs_number == new_nhs and new_child.person.first_name == "Zainab"
    for contact in contacts.values():
        assert contact.team == people.front_door_team
        assert contact.source == "6"
        assert contact.status == ContactStatus.AWAITING_DECISION
    # Received late on Wednesday 25 November (London time): due by the end of Thursday.
    assert contacts["NB-1"].received_at == datetime.datetime(2026, 11, 25, 23, 40, tzinfo=datetime.UTC)
    assert contacts["NB-1"].decision_due == datetime.date(2026, 11, 26)
    # Each imported contact has its clock running, as one recorded by hand has.
    deadlines = decision_deadlines().filter(scope_id__in=[contact.pk for contact in contacts.values()])
    assert deadlines.open().count() == 4
    assert deadlines.get(scope_id=contacts["NB-1"].pk).starts_on == datetime.date(2026, 11, 25)
    batch_events = AuditEvent.objects.filter(action="contact_import_batch.imported")
    assert batch_events.count() == 1
    assert batch_events.get().changes["contacts"] == [None, 4]
    assert AuditEvent.objects.filter(action="contact.recorded").count() == 4


def test_optional_columns_in_any_order_with_a_byte_order_mark(people, run):
    header = "consent,worry,reported,immediate_risk,area,child_date_of_birth,child_last_name,child_first_name,received_at,external_reference,referrer_name,referrer_organisation"
    data = (
        "\ufeff"
        + header
        + "\nrefused,Neglect,Found alone at night,n,north,2014-07-30,Ng,Sam,2026-11-26T07:30,OCC/77,PC 4411 Patel,Northbridge Police\n\n,,,,,,,,,,,\n"
    )
    result = run(data.encode("utf-8"))
    (contact,) = result.contacts
    assert contact.referrer_name == "PC 4411 Patel"
    assert contact.referrer_organisation == "Northbridge Police"
    assert contact.consent == "refused" and contact.area == people.north
    assert result.batch.rows == 1


# ----------------------------------------------------------------------------------------------------------
# Bad rows: nothing is imported, every problem reported


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported_with_its_row_number(people, run):
    data = csv_file(
        row(reference="NB-1"),
        row(reference="NB-2", first="Ava", born="31/02/2016", area="Nowhere"),  # row 3: two problems
        row(reference="NB-3", first="Ben"),
        row(reference="", first="Cal", risk="maybe", consent="perhaps", nhs="1234567890"),  # row 5
        row(reference="NB-5", first="Dee", received="27/11/2026 09:00", worry=""),  # row 6: future, no worry
    )
    before = counts()

    with pytest.raises(ImportRejected) as rejected:
        run(data)

    assert counts() == before
    problems = {(problem.row, problem.column) for problem in rejected.value.problems}
    assert problems == {
        (3, "child_date_of_birth"),
        (3, "area"),
        (5, "external_reference"),
        (5, "immediate_risk"),
        (5, "consent"),
        (5, "child_nhs_number"),
        (6, "received_at"),
        (6, "worry"),
    }
    assert list(rejected.value.rows) == [3, 5, 6]
    messages = " ".join(problem.message for problem in rejected.value.problems)
    assert "“31/02/2016” is not a date" in messages
    assert "“Nowhere” is not an area: use one of North, South" in messages


def test_a_row_that_fails_a_service_rule_rolls_back_the_rows_before_it(people, run, monkeypatch):
    """Belt and braces: if contact_record refuses a row the checks passed, what was written is undone."""
    from django.core.exceptions import ValidationError

    real = imports.contact_record

    def refuse_second(**kwargs):
        if kwargs["external_reference"] == "NB-2":
            raise ValidationError({"reported": "Enter what was reported"})
        return real(**kwargs)

    monkeypatch.setattr(imports, "contact_record", refuse_second)
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        run(csv_file(row(reference="NB-1", first="New", last="Childone"), row(reference="NB-2")))
    assert counts() == before
    assert [(p.row, p.column) for p in rejected.value.problems] == [(3, "reported")]


def test_an_nhs_number_on_a_child_with_another_date_of_birth_is_rejected(people, run):
    known = people.alices_child
    with pytest.raises(ImportRejected) as rejected:
        run(csv_file(row(nhs=known.person.nhs_number, born="01/01/2020")))
    (problem,) = rejected.value.problems
    assert problem.column == "child_nhs_number" and "different date of birth" in problem.message


def test_possible_duplicates_are_left_for_a_worker_to_record_by_hand(people, run):
    for first in ("Jon", "Jonn"):
        ChildFactory(
            person=PersonFactory(first_name=first, last_name="Smith", date_of_birth=datetime.date(2015, 3, 1))
        )
    for _ in range(2):
        ChildFactory(
            person=PersonFactory(first_name="Kim", last_name="Lee", date_of_birth=datetime.date(2013, 4, 4))
        )
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        run(
            csv_file(
                row(reference="A", first="John", last="Smith", born="01/03/2015"),  # similar to two records
                row(reference="B", first="Kim", last="Lee", born="04/04/2013"),  # exactly two records
            )
        )
    assert counts() == before
    by_row = rejected.value.rows
    assert "2 existing records may be this child" in by_row[2][0].message
    assert "2 children have this name and date of birth" in by_row[3][0].message


# ----------------------------------------------------------------------------------------------------------
# Re-uploading never duplicates


def test_uploading_the_same_file_again_is_rejected_and_nothing_is_duplicated(people, run):
    data = csv_file(row(reference="NB-1"), row(reference="NB-2", first="Ola", last="Ade", born="2011-01-01"))
    run(data)
    before = counts()

    with pytest.raises(ImportRejected) as rejected:
        run(data)

    assert counts() == before
    assert [(p.row, p.column) for p in rejected.value.problems] == [
        (2, "external_reference"),
        (3, "external_reference"),
    ]
    assert "already been imported" in rejected.value.problems[0].message
    # The same reference from another source is a different notification.
    assert len(run(data, source="2A").contacts) == 2


def test_the_same_reference_twice_in_a_file_for_one_child_is_rejected(people, run):
    with pytest.raises(ImportRejected) as rejected:
        run(csv_file(row(reference="NB-1"), row(reference="NB-1", received="26/11/2026 08:00")))
    assert [(p.row, p.column) for p in rejected.value.problems] == [(3, "external_reference")]
    assert "row 2" in rejected.value.problems[0].message


def test_one_reference_may_cover_siblings(people, run):
    result = run(csv_file(row(reference="NB-1"), row(reference="NB-1", first="Tobi", born="2018-03-03")))
    assert len(result.contacts) == 2 and result.children_created == 2


# ----------------------------------------------------------------------------------------------------------
# Bad files


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"   \n\n", "The file is empty"),
        (HEADER.encode() + b"\n", "no rows"),
        (HEADER.encode() + b"\n,,,,,,,,,,\n", "no rows"),
        (csv_file(row()).replace(b"Okafor", "Ökafor".encode("latin-1")), "not in UTF-8"),
        (csv_file(row(), header=HEADER.replace("worry", "concern")), "no column “worry”"),
        (csv_file(row(), header=HEADER.replace("worry", "worry,worry")), "more than one column “worry”"),
        (b"name,dob\nSam,2015-01-01\n", "no column “external_reference”"),
    ],
)
def test_a_bad_file_is_rejected_whole_with_a_clear_message(people, run, data, message):
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        run(data)
    assert counts() == before
    (problem,) = rejected.value.problems
    assert problem.row is None
    assert message in problem.message


def test_too_many_rows_or_bytes(people, run, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    with pytest.raises(ImportRejected, match="more than 3 rows"):
        run(csv_file(*(row(reference=f"R{n}") for n in range(4))))
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    with pytest.raises(ImportRejected, match="larger than"):
        run(csv_file(row()))
    assert Contact.objects.count() == 0


def test_only_front_door_staff_import(people, run):
    with pytest.raises(PermissionDenied):
        run(csv_file(row()), user=people.social_worker)
    assert Contact.objects.count() == 0


# ----------------------------------------------------------------------------------------------------------
# The page


def upload(client, data: bytes, name="batch.csv", source="6"):
    return client.post(
        reverse("frontdoor:import"), {"source": source, "file": SimpleUploadedFile(name, data, "text/csv")}
    )


def test_the_page_offers_todays_sources_with_police_first_choice(people, client_for):
    page = client_for(people.front_door).get(reverse("frontdoor:import"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="6" selected>Police</option>' in html
    assert 'enctype="multipart/form-data"' in html


def test_the_page_imports_a_file_and_links_to_the_queue(people, client_for):
    client = client_for(people.front_door)
    response = upload(
        client, csv_file(row(reference="NB-1"), row(reference="NB-2", first="Ola", born="2011-01-01"))
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "2 contacts imported" in html
    assert "2 children are new" in html
    assert reverse("frontdoor:queue") in html
    assert Contact.objects.count() == 2


def test_the_page_lists_every_rejected_row_and_imports_nothing(people, client_for):
    response = upload(
        client_for(people.front_door),
        csv_file(
            row(reference="NB-1"), row(reference="NB-2", area="Nowhere"), row(reference="NB-3", consent="")
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported: 2 rows have problems" in html
    assert 'href="#row-3"' in html and 'id="row-4"' in html
    assert "“Nowhere” is not an area" in html
    assert "Enter whether the family consented" in html
    assert Contact.objects.count() == 0


def test_the_page_explains_a_bad_file(people, client_for):
    response = upload(client_for(people.front_door), "külön".encode("latin-1"))
    assert response.status_code == 400
    assert "CSV UTF-8" in response.content.decode()
    response = upload(client_for(people.front_door), b"a,b\n1,2\n", name="batch.xlsx")
    assert "must be a CSV file" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["social_worker", "team_manager", "director", "inspector", "administrator"]
)
def test_only_front_door_staff_see_the_page(people, client_for, persona):
    client = client_for(getattr(people, persona))
    assert client.get(reverse("frontdoor:import")).status_code == 403
    assert upload(client, csv_file(row())).status_code == 403
    assert Contact.objects.count() == 0
    assert AccessEvent.objects.filter(outcome="refused", subject="import contacts").count() == 2


def test_the_example_in_the_how_to_imports_as_it_says(people, run):
    """docs/how-to/front-door-import.md: its example file is a working file."""
    from pathlib import Path

    guide = Path(__file__).resolve().parents[3] / "docs" / "how-to" / "front-door-import.md"
    example = guide.read_text(encoding="utf-8").split("```csv\n", 1)[1].split("```", 1)[0]
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC), tick=False):
        result = run(example.encode("utf-8"))
    assert len(result.contacts) == 3 and result.children_created == 3
    siblings = [contact for contact in result.contacts if contact.external_reference == "NBP-26-118812"]
    assert len(siblings) == 2
    assert result.contacts[2].immediate_risk and result.contacts[2].consent == "not_sought_risk"
    assert result.contacts[2].area == people.south
