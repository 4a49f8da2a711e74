"""Importing a council's CIN census (ADR 12): records made from the file, matched not duplicated, all or
nothing, and the same facts out again."""

import datetime

import pytest

from safeguard.casework.models import CinEpisode, CPPlan, S47Enquiry
from safeguard.people.models import Child as ChildRecord
from safeguard.returns.cin_census import files
from safeguard.returns.cin_census.build import build
from safeguard.returns.cin_census.model import Assessment, CinPlan, Section47
from safeguard.returns.cin_census.model import CPPlan as Plan
from safeguard.returns.imports.cin_census import import_cin_census
from safeguard.returns.models import ImportBatch, ImportedChild, ImportedRecord
from safeguard.returns.tests.cin import YEAR, a_child, a_return, an_episode, upn

pytestmark = pytest.mark.django_db
D = datetime.date


def protected_child():
    """A boy referred in May 2024, enquiry, conference, plan with two reviews, still open on 31 March."""
    episode = an_episode(
        referral_date=D(2024, 5, 1),
        referral_source="6",
        primary_need="N1",
        closure_date=None,
        closure_reason="",
        assessments=[Assessment(start=D(2024, 5, 2), authorised=D(2024, 6, 3), factors=["3A", "4B"])],
        cin_plans=[CinPlan(start=D(2024, 6, 3), end=D(2024, 7, 1))],
        s47s=[
            Section47(
                start=D(2024, 6, 10),
                icpc_target=D(2024, 7, 1),
                icpc_date=D(2024, 7, 1),
                icpc_not_required=False,
            )
        ],
        cp_plans=[
            Plan(
                start=D(2024, 7, 1),
                initial_category="NEG",
                latest_category="EMO",
                previous_plans=0,
                reviews=[D(2024, 9, 30), D(2025, 3, 3)],
            )
        ],
    )
    return a_child(
        la_child_id="C2002", upn=upn(serial=2), sex="M", birth_date=D(2016, 2, 29), episodes=[episode]
    )


def small_file() -> bytes:
    return files.to_xml(a_return(a_child(), protected_child()))


def children_of(the_return):
    return sorted(the_return.children, key=lambda child: child.la_child_id)


def test_round_trip_of_a_small_census(people):
    original = a_return(a_child(), protected_child())
    report = import_cin_census(
        data=files.to_xml(original), file_name="cin.xml", imported_by=people.analyst.user
    )
    assert not report.refused, report.lines()
    assert report.imported and report.count("created") == 2, report.lines()
    exported = build(YEAR)
    exported_ids = {child.la_child_id for child in exported.children}
    mine = [child for child in children_of(exported) if child.la_child_id in {"C1001", "C2002"}]
    assert mine == children_of(original)
    assert exported_ids >= {"C1001", "C2002"}
    batch = ImportBatch.objects.get()
    assert (batch.children_created, batch.created_by) == (2, people.analyst.user)
    assert ImportedRecord.objects.filter(batch=batch, model="casework.cinepisode").count() == 2
    assert set(ImportedChild.objects.values_list("la_child_id", flat=True)) == {"C1001", "C2002"}


def test_a_second_import_of_the_same_file_is_refused_and_of_the_same_facts_duplicates_nothing(people):
    first = import_cin_census(data=small_file(), file_name="cin.xml", imported_by=people.analyst.user)
    assert first.imported
    counts = (ChildRecord.objects.count(), CinEpisode.objects.count(), S47Enquiry.objects.count())
    again = import_cin_census(data=small_file(), file_name="cin-again.xml", imported_by=people.analyst.user)
    assert again.refused and not again.imported
    assert "already imported (batch" in again.problems[0]
    # The same facts in another file (another serial number): every child and record is matched.
    other = a_return(a_child(), protected_child())
    other.header.serial_no = "002"
    second = import_cin_census(
        data=files.to_xml(other), file_name="cin-2.xml", imported_by=people.director.user
    )
    assert second.imported, second.lines()
    assert (second.count("matched"), second.count("created"), sum(second.created.values())) == (2, 0, 0)
    assert second.matched["CIN episodes"] == 2 and second.matched["review conferences"] == 2
    assert (ChildRecord.objects.count(), CinEpisode.objects.count(), S47Enquiry.objects.count()) == counts
    assert all(child.how == "by the local child ID an earlier import recorded" for child in second.children)


def test_one_bad_row_imports_nothing_and_the_report_names_it(people):
    bad = a_child(la_child_id="C3003", upn=upn(serial=3), episodes=[an_episode(closure_reason="")])  # 8805
    data = files.to_xml(a_return(a_child(), bad))
    before = (ChildRecord.objects.count(), ImportBatch.objects.count())
    report = import_cin_census(data=data, file_name="cin.xml", imported_by=people.analyst.user)
    assert report.refused and not report.imported
    [rejected] = report.rejected
    assert rejected.la_child_id == "C3003" and rejected.line is not None
    assert any("8805" in reason for reason in rejected.reasons)
    text = "\n".join(report.lines())
    assert "REFUSED" in text and f"line {rejected.line} LAchildID C3003: DfE rule 8805" in text
    assert (ChildRecord.objects.count(), ImportBatch.objects.count()) == before


def test_a_child_whose_id_belongs_to_another_child_is_rejected(people):
    held = people.unallocated_child
    clash = a_child(la_child_id=held.la_child_id, birth_date=D(2013, 1, 1))
    report = import_cin_census(
        data=files.to_xml(a_return(clash)), file_name="cin.xml", imported_by=people.analyst.user
    )
    assert report.refused
    assert "is already another child's in Safeguard" in report.rejected[0].reasons[0]


def test_a_child_held_with_the_same_upn_is_matched_not_duplicated(people):
    held = people.unallocated_child
    held.upn = upn(serial=9)
    held.save()
    born = held.person.date_of_birth
    child = a_child(la_child_id="OLD77", upn=held.upn, birth_date=born, sex=held.person.sex)
    report = import_cin_census(
        data=files.to_xml(a_return(child)), file_name="cin.xml", imported_by=people.analyst.user
    )
    assert report.imported, report.lines()
    assert report.children[0].how == "by UPN and date of birth"
    assert CinEpisode.objects.get().child == held
    assert ImportedChild.objects.get(la_child_id="OLD77").child == held


def test_a_dry_run_reports_and_writes_nothing(people):
    report = import_cin_census(
        data=small_file(), file_name="cin.xml", imported_by=people.analyst.user, dry_run=True
    )
    assert not report.refused and not report.imported and report.count("created") == 2
    assert report.created["CIN episodes"] == 2
    assert not ImportBatch.objects.exists() and not CPPlan.objects.exists()
    assert "Dry run" in "\n".join(report.lines())


MESSY = """<?xml version="1.0" encoding="UTF-8"?>
<Message xmlns="http://www.dfe.gov.uk/CIN">
  <Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
    <ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>330</LEA></Source></Header>
  <Children>
    <Child>stray text
      <ChildIdentifiers><LAchildID>M5005</LAchildID><UPN>{upn}</UPN>
        <PersonBirthDate>01/05/14</PersonBirthDate><Sex>f</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities>
      </ChildCharacteristics>
      <CINdetails><CINreferralDate>03/06/2024</CINreferralDate><ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode><CINclosureDate>2024-08-15</CINclosureDate>
        <ReasonForClosure>RC8</ReasonForClosure>
        <Assessments><AssessmentActualStartDate>2024-06-04</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2024-07-30T10:00:00</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>3A</AssessmentFactors></FactorsIdentifiedAtAssessment>
        </Assessments>
        <ReferralNFA>false</ReferralNFA><Colour>blue</Colour></CINdetails>
    </Child>
  </Children>
</Message>
"""


def test_a_messy_file_is_imported_with_what_was_done_noted(people):
    data = MESSY.format(upn=upn()).encode()
    report = import_cin_census(data=data, file_name="messy.xml", imported_by=people.analyst.user)
    assert report.imported, report.lines()
    said = "\n".join(str(note) for note in report.notes)
    assert "namespace" in said and "stray text" in said and "'false' as 0" in said
    assert "'01/05/14' as 2014-05-01" in said and "time dropped" in said and "<Colour>" in said
    assert "'f' as 'F'" in said
    child = ChildRecord.objects.get(la_child_id="M5005")
    assert (child.person.date_of_birth, child.person.sex) == (D(2014, 5, 1), "F")
    assert child.person.first_name == "Unnamed" and "M5005" in child.person.last_name
    assert child.cin_episodes.get().assessments.get().factors == ["3A"]


def test_a_value_that_cannot_be_read_rejects_its_child(people):
    data = MESSY.format(upn=upn()).replace("03/06/2024", "31/06/2024").encode()
    report = import_cin_census(data=data, file_name="messy.xml", imported_by=people.analyst.user)
    assert report.refused
    assert any("'31/06/2024' is not a date" in reason for reason in report.rejected[0].reasons)
    assert not ChildRecord.objects.filter(la_child_id="M5005").exists()


def test_only_analysts_and_the_director_import(people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_cin_census(data=small_file(), file_name="cin.xml", imported_by=people.social_worker.user)


def test_an_id_an_earlier_import_recorded_for_another_birth_date_is_rejected(people):
    assert import_cin_census(data=small_file(), file_name="cin.xml", imported_by=people.analyst.user).imported
    other = a_child(birth_date=D(2014, 6, 1))  # C1001 again, born a month later
    report = import_cin_census(
        data=files.to_xml(a_return(other)), file_name="cin-2.xml", imported_by=people.analyst.user
    )
    assert report.refused
    assert "An earlier import recorded the local child ID C1001" in report.rejected[0].reasons[0]
