"""Importing a council's Ofsted Annex A workbook (ADR 12): lists 1 and 2 become contacts and early help
decisions, lists 3 to 10 are compared with the records held, list 11 is reported; all or nothing."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from safeguard.audit.models import AuditEvent
from safeguard.frontdoor.models import Contact, ContactStatus, Outcome, ThresholdDecision
from safeguard.people.models import Child
from safeguard.returns.annex_a import build, lists, workbook
from safeguard.returns.annex_a.build import AnnexA
from safeguard.returns.imports.annex_a import import_annex_a
from safeguard.returns.models import ImportBatch, ImportedChild, ImportedRecord, StagedImport
from safeguard.returns.tests.test_annex_a_windows import AS_OF, D, World
from safeguard.returns.tests.test_import_command import run

pytestmark = pytest.mark.django_db
T = datetime.datetime


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(T(2026, 7, 6, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


class _World(World):
    """``World``'s records, in the personas' organisation."""

    def __init__(self, people):
        self.area, self.team = people.north, people.north_team
        self.worker, self.user = people.social_worker, people.social_worker.user
        self.count = 0


@pytest.fixture
def world(people):
    return _World(people)


def empty() -> AnnexA:
    return AnnexA(as_of=AS_OF, rows={annex_list.number: [] for annex_list in lists.LISTS})


def row(number: int, **values) -> tuple:
    """A row of list ``number`` from its headers' values (the rest empty)."""
    annex_list = lists.BY_NUMBER[number]
    by_header = {c.header: (None if c.kind != lists.TEXT else "") for c in annex_list.columns}
    for key, value in values.items():
        header = {
            "id": "Child Unique ID",
            "born": "Date of Birth",
            "gender": "Gender",
            "ethnicity": "Ethnicity",
        }.get(key, key)
        assert header in by_header, header
        by_header[header] = value
    return tuple(by_header.values())


def test_lists_1_and_2_come_out_as_they_went_in(people, world):
    held, new = world.child("AH1"), world.child("AN2", born=D(2012, 3, 4), ethnicity="BAFR")
    decided = world.contact(held, T(2026, 1, 5, 9, 30), source="6")
    world.decide(decided, T(2026, 1, 6, 10, 0))
    world.contact(held, T(2026, 3, 1, 14, 0), source="3E")
    world.contact(new, T(2026, 2, 1, 8, 0), source="1A")
    before = build.build(AS_OF)
    data = workbook.write(before)
    ThresholdDecision.objects.all().delete()
    Contact.objects.all().delete()
    new.la_child_id = "OLD2"  # the council's ID is not held: the child is new
    new.save()

    report = import_annex_a(data=data, file_name="annex-a.xlsx", imported_by=people.analyst.user)
    assert report.imported, report.lines()
    assert report.count("created") == 1 and report.count("matched") == 1
    assert report.created["contacts"] == 3 and report.created["early help decisions"] == 1
    after = build.build(AS_OF)
    assert after.rows[1] == before.rows[1] and after.rows[2] == before.rows[2]
    created = Child.objects.get(la_child_id="AN2")
    assert (
        created.person.first_name == "Unnamed"
        and ImportedChild.objects.get(la_child_id="AN2").child == created
    )
    # The early help decision is on the contact of the day before; the other contacts decided, no decision.
    assert ThresholdDecision.objects.get().contact.received_at.date() == D(2026, 1, 5)
    assert set(Contact.objects.values_list("status", flat=True)) == {ContactStatus.DECIDED}
    batch = ImportBatch.objects.get()
    assert (batch.collection, batch.year, batch.children_created) == ("annex_a", 2027, 1)
    assert ImportedRecord.objects.filter(batch=batch, model="frontdoor.contact").count() == 3
    assert AuditEvent.objects.filter(action="import_batch.imported", entity_id=str(batch.pk)).exists()
    # The same facts in another workbook: matched, nothing duplicated.
    after.rows[11] = [("ADP1", "FAM1", *[""] * 3, *[None] * 11, None, None, "")]
    again = import_annex_a(data=workbook.write(after), file_name="b.xlsx", imported_by=people.analyst.user)
    assert again.imported and not again.created, again.lines()
    assert again.matched["contacts"] == 3 and again.matched["early help decisions"] == 1
    assert Contact.objects.count() == 3 and ThresholdDecision.objects.count() == 1
    text = "\n".join(report.lines())
    assert "List 1 (Contacts): 3 created" in text and "Allocated" not in text.split("What Annex A")[0]
    assert "allocated team and worker columns are not imported" in text


def test_lists_3_to_10_are_matched_with_the_records_held_or_reported(people, world):
    child = world.child("M1")
    episode = world.episode(child, D(2026, 1, 10), need="N1", source="2A")
    world.assessment(episode, D(2026, 1, 11), authorised=D(2026, 2, 20))
    world.period(child, D(2026, 3, 1), [(D(2026, 3, 1), "C2", "U4")])
    annex = build.build(AS_OF)
    assert [len(annex.rows[n]) for n in (3, 4, 6, 8)] == [1, 1, 1, 1]
    annex.rows[3].append(row(3, id="M1", born=D(2015, 6, 1), **{"Date of referral": D(2026, 4, 1)}))
    annex.rows[6][0] = annex.rows[6][0][:9] + (D(2026, 5, 1), "RC1: Adopted") + annex.rows[6][0][11:]
    annex.rows[7].append(
        row(7, id="GONE", born=D(2014, 1, 1), **{"Child Protection Plan Start Date": D(2026, 2, 2)})
    )
    annex.rows[11].append(("ADP1", "FAM1", *[""] * 3, *[None] * 11, None, None, ""))
    contacts = Contact.objects.count()

    report = import_annex_a(data=workbook.write(annex), file_name="a.xlsx", imported_by=people.analyst.user)
    assert report.imported, report.lines()
    outcomes = {(r.number, r.what): (r.outcome, r.reason) for r in report.rows}
    assert outcomes[(3, "referral 10/01/2026")] == ("matched", "")
    assert outcomes[(4, "assessment 11/01/2026")][0] == "matched"
    assert outcomes[(8, "period of care 01/03/2026")][0] == "matched"
    assert outcomes[(3, "referral 01/04/2026")] == (
        "not imported",
        "no referral 01/04/2026 is held for the child; not imported: import the CIN census for the year first",
    )
    assert outcomes[(7, "child protection plan 02/02/2026")][1].startswith("the child is not held")
    assert outcomes[(11, "adopter ADP1")] == ("not imported", "Safeguard holds no adopter records")
    text = "\n".join(report.lines())
    assert "the workbook has the closure date 01/05/2026, the record (none): left as recorded" in text
    assert "List 11 row 2 adopter ADP1: Safeguard holds no adopter records" in text
    # Nothing is invented for them: no record is created, and the child GONE is not created.
    assert Contact.objects.count() == contacts and not Child.objects.filter(la_child_id="GONE").exists()
    assert ImportBatch.objects.get().records_created == 0


def test_a_date_of_birth_that_disagrees_imports_nothing(people, world):
    world.child("H1", born=D(2015, 6, 1))
    annex = empty()
    annex.rows[1] = [
        row(1, id="N1", born=D(2016, 1, 1), **{"Date of Contact": D(2026, 2, 1), "Contact Source": "6"}),
        row(1, id="H1", born=D(2015, 6, 2), **{"Date of Contact": D(2026, 2, 1), "Contact Source": "6"}),
    ]
    report = import_annex_a(data=workbook.write(annex), file_name="a.xlsx", imported_by=people.analyst.user)
    assert report.refused and not report.imported
    (rejected,) = report.rejected
    assert rejected.la_child_id == "H1" and "born 01/06/2015" in rejected.reasons[0]
    assert not Contact.objects.exists() and not ImportBatch.objects.exists()
    assert not Child.objects.filter(la_child_id="N1").exists()
    assert "REFUSED" in "\n".join(report.lines())


def messy() -> bytes:
    book = Workbook()
    book.active.title = "Read me"
    sheet = book.create_sheet("list 1 - contacts")
    sheet.append(["Contacts for the inspection"])
    sheet.append(
        ["CHILD UNIQUE ID", "gender", "ethnicity", "date of birth", "Date of contact", "Contact source"]
    )
    sheet.append(["mx1", "Female", "WBRI", "01/06/15", "05/01/26", "Police"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["MX2", "b) Female", "a) WBRI", "2014-02-03", "2026-02-03", "q) 6: Police"])
    early = book.create_sheet("List 2")
    early.append(["Child Unique ID", "Date of Birth", "Assessment start date"])
    early.append(["MX1", "01/06/2015", "06/01/2026"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_messy_workbook_is_imported_with_what_was_done_noted(people):
    data = messy()
    report = import_annex_a(data=data, file_name="ours.xlsx", imported_by=people.analyst.user, as_of=AS_OF)
    assert report.imported, report.lines()
    assert report.count("created") == 2 and report.created["contacts"] == 2
    mx1 = Child.objects.get(la_child_id="MX1")
    assert (mx1.person.date_of_birth, mx1.person.sex) == (D(2015, 6, 1), "F")
    contact = Contact.objects.get(child=mx1)
    assert contact.source == "6" and timezone.localtime(contact.received_at).date() == D(2026, 1, 5)
    assert contact.decision.outcome == Outcome.EARLY_HELP
    text = "\n".join(report.lines())
    assert "read the text '05/01/26' as 2026-01-05" in text and "ignored the sheet 'Read me'" in text
    assert "read the header 'CHILD UNIQUE ID' as 'Child Unique ID'" in text
    # Re-importing the same file is refused: its records are held.
    again = import_annex_a(data=data, file_name="ours.xlsx", imported_by=people.analyst.user, as_of=AS_OF)
    assert again.refused and "already imported" in again.problems[0]


def test_early_help_with_no_contact_before_it_gets_one_and_says_so(people):
    annex = empty()
    annex.rows[1] = [
        row(1, id="E1", born=D(2015, 1, 1), **{"Date of Contact": D(2026, 1, 1), "Contact Source": "6"})
    ]
    annex.rows[2] = [row(2, id="E1", born=D(2015, 1, 1), **{"Assessment start date": D(2026, 3, 1)})]
    report = import_annex_a(data=workbook.write(annex), file_name="a.xlsx", imported_by=people.analyst.user)
    assert report.imported, report.lines()
    early = Contact.objects.get(decision__isnull=False)
    assert early.source == "" and timezone.localtime(early.received_at).date() == D(2026, 3, 1)
    assert "List 2 row 2: no contact of the child in list 1 in the week before" in "\n".join(report.lines())
    assert build.build(AS_OF).rows[2][0][5] == D(2026, 3, 1)


def test_an_unreadable_date_rejects_the_workbook(people):
    annex = empty()
    annex.rows[1] = [
        row(1, id="U1", born=D(2015, 1, 1), **{"Date of Contact": "31/06/2026", "Contact Source": "6"})
    ]
    report = import_annex_a(data=workbook.write(annex), file_name="a.xlsx", imported_by=people.analyst.user)
    assert (
        report.refused
        and "List 1 row 2, Date of Contact: '31/06/2026' is not a date" in report.rejected[0].reasons[0]
    )
    assert not Contact.objects.exists()


def test_the_command(people, tmp_path):
    annex = empty()
    annex.rows[1] = [
        row(1, id="C1", born=D(2015, 1, 1), **{"Date of Contact": D(2026, 2, 1), "Contact Source": "6"})
    ]
    path = tmp_path / "annex-a.xlsx"
    path.write_bytes(workbook.write(annex))
    status, out, err = run("annex-a", str(path), "--as", "pia", "--dry-run")
    assert status == 0 and "Dry run: checked, nothing written." in out and not Contact.objects.exists()
    status, out, err = run("annex-a", str(path), "--as", "pia", "--as-of", "2026-06-30")
    assert status == 0 and "IMPORTED as batch" in out and Contact.objects.count() == 1
    assert run("annex-a", str(path), "--as", "pia")[0] == 1
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    status, _, message = run("annex-a", str(junk), "--as", "pia")
    assert status == 2 and "not a readable Excel workbook" in message
    status, _, message = run("annex-a", str(path), "--as", "pia", "--as-of", "30 June")
    assert status == 2 and "YYYY-MM-DD" in message


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("annex-a.xlsx", data, content_type="application/octet-stream")


def test_the_page_checks_then_imports_for_an_analyst_only(people, client_for):
    annex = empty()
    annex.rows[1] = [
        row(1, id="P1", born=D(2015, 1, 1), **{"Date of Contact": D(2026, 2, 1), "Contact Source": "6"})
    ]
    annex.rows[11] = [("ADP1", "FAM1", *[""] * 3, *[None] * 11, None, None, "")]
    data = workbook.write(annex)
    refused = client_for(people.social_worker).post(
        reverse("returns:import"), {"kind": "annex_a", "workbook": upload(data)}
    )
    assert refused.status_code == 403
    client = client_for(people.analyst)
    assert b"Ofsted Annex A" in client.get(reverse("returns:import")).content
    page = client.post(reverse("returns:import"), {"kind": "annex_a", "workbook": upload(data)})
    text = page.content.decode()
    assert page.status_code == 200, text
    assert "Import these records" in text and not Contact.objects.exists()
    assert "Rows not imported" in text and "Safeguard holds no adopter records" in text
    assert StagedImport.objects.get().collection == "annex_a"
    digest = re.search(r'name="sha256" value="([0-9a-f]{64})"', text)[1]
    done = client.post(reverse("returns:import_confirm"), {"sha256": digest})
    assert done.status_code == 200, done.content.decode()
    assert b"Ofsted Annex A imported" in done.content
    contact = Contact.objects.get()
    assert contact.child.la_child_id == "P1"
    # The front door's page says what is not held, rather than leaving it awaiting a decision.
    shown = client_for(people.front_door).get(reverse("frontdoor:contact", args=[contact.pk]))
    assert (
        'id="decision-not-held"' in shown.content.decode() and "Not held (imported)" in shown.content.decode()
    )
    client = client_for(people.analyst)
    bad = client.post(reverse("returns:import"), {"kind": "annex_a", "workbook": upload(b"junk")})
    assert bad.status_code == 400 and b"not a readable Excel workbook" in bad.content
    # A workbook with rows not held and a row rejected: each listed, nothing offered to import.
    annex.rows[1].append(row(1, id="P1", born=D(2015, 1, 2), **{"Date of Contact": D(2026, 3, 1)}))
    annex.rows[11] = []
    annex.rows[3] = [row(3, id="Q9", born=D(2011, 1, 1), **{"Date of referral": D(2026, 3, 1)})]
    page = client.post(
        reverse("returns:import"), {"kind": "annex_a", "workbook": upload(workbook.write(annex))}
    )
    text = page.content.decode()
    assert page.status_code == 400 and "Nothing was imported" in text and "Import these records" not in text
    assert "Child Unique ID P1" in text and "another row 01/01/2015" in text
