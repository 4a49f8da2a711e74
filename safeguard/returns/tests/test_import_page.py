"""The import page: analysts check a file, see the report, confirm; everyone else is refused."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AuditEvent
from safeguard.people.models import Child as ChildRecord
from safeguard.returns.cin_census import files
from safeguard.returns.models import ImportBatch, StagedImport
from safeguard.returns.tests.cin import a_child, a_return, an_episode

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "cin.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/xml")


def test_a_social_worker_is_refused(people, client_for):
    client = client_for(people.social_worker)
    assert client.get(reverse("returns:import")).status_code == 403
    page = client.post(reverse("returns:import"), {"file": upload(files.to_xml(a_return(a_child())))})
    assert page.status_code == 403
    assert not ImportBatch.objects.exists()


def test_the_analyst_checks_the_file_then_confirms(people, client_for):
    client = client_for(people.analyst)
    index = client.get(reverse("returns:index"))
    assert b'id="import-link"' in index.content
    page = client.get(reverse("returns:import"))
    assert (
        page.status_code == 200
        and b"Import a council's returns" in page.content
        and b"SSDA903" in page.content
    )
    data = files.to_xml(a_return(a_child()))
    page = client.post(reverse("returns:import"), {"file": upload(data), "team": people.south_team.pk})
    text = page.content.decode()
    assert page.status_code == 200, text
    assert 'id="created-count">1<' in text and "Import these records" in text
    assert AccessEvent.objects.filter(
        subject__startswith="CIN census 2024-25 import check", result_count=1
    ).exists()
    assert not ChildRecord.objects.filter(la_child_id="C1001").exists()
    assert not ImportBatch.objects.exists()
    digest = re.search(r'name="sha256" value="([0-9a-f]{64})"', text)[1]
    # The checked file waits in a table of its own (not the session), for its uploader only.
    assert StagedImport.objects.get().sha256 == digest
    director = client_for(people.director).post(reverse("returns:import_confirm"), {"sha256": digest})
    assert director.status_code == 400 and not ChildRecord.objects.filter(la_child_id="C1001").exists()
    client = client_for(people.analyst)
    done = client.post(reverse("returns:import_confirm"), {"sha256": digest})
    assert done.status_code == 200, done.content.decode()
    assert not StagedImport.objects.exists()
    assert b"CIN census imported" in done.content
    child = ChildRecord.objects.get(la_child_id="C1001")
    assert child.cin_episodes.get().team == people.south_team
    batch = ImportBatch.objects.get()
    assert batch.created_by == people.analyst.user
    assert AuditEvent.objects.filter(action="import_batch.imported", entity_id=str(batch.pk)).exists()
    # Confirming again: nothing is waiting.
    again = client.post(reverse("returns:import_confirm"), {"sha256": digest})
    assert again.status_code == 400 and b"nothing is waiting to be imported" in again.content


def test_a_file_that_is_not_a_census_gets_a_clear_message(people, client_for):
    client = client_for(people.analyst)
    page = client.post(reverse("returns:import"), {"file": upload(b"name,date\nx,y\n", "list.csv")})
    assert page.status_code == 400
    assert b"This is not a readable XML file" in page.content
    page = client.post(reverse("returns:import"), {})
    assert page.status_code == 400 and b"Select the CIN census XML file" in page.content
    assert not ImportBatch.objects.exists()


def test_a_file_with_a_bad_row_lists_it_and_offers_no_import(people, client_for):
    client = client_for(people.director)
    bad = a_child(episodes=[an_episode(closure_reason="")])
    page = client.post(reverse("returns:import"), {"file": upload(files.to_xml(a_return(bad)))})
    text = page.content.decode()
    assert page.status_code == 400
    assert "Nothing was imported" in text and "DfE rule 8805" in text and "Import these records" not in text
    assert not ChildRecord.objects.filter(la_child_id="C1001").exists()


HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nL77,M,01/02/2010,WBRI,UN2,,\r\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n"
    "L77,01/06/2024,S,V2,N4,U4,PR1,,,,LS1 1AA,LS1 2BB,\r\n"
)
PREVIOUS = "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM\r\nL77,01/02/2010,Z1,,\r\n"
WORKERS = "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\r\nL77,01/02/2010,SW12345,01/06/2024,,\r\n"


def test_the_analyst_imports_ssda903_files(people, client_for):
    client = client_for(people.analyst)
    files = [
        SimpleUploadedFile("h.csv", HEADER.encode(), content_type="text/csv"),
        SimpleUploadedFile("e.csv", EPISODES.encode(), content_type="text/csv"),
        SimpleUploadedFile("p.csv", PREVIOUS.encode(), content_type="text/csv"),
        SimpleUploadedFile("w.csv", WORKERS.encode(), content_type="text/csv"),
    ]
    page = client.post(reverse("returns:import"), {"kind": "ssda903", "files": files, "year": "2025"})
    text = page.content.decode()
    assert "SSDA903" in text and "e.csv, h.csv, p.csv, w.csv" in text
    assert page.status_code == 200, text
    assert "in the SW_Episodes table, which is not imported" in text  # errors there do not refuse
    digest = re.search(r'name="sha256" value="([0-9a-f]{64})"', text)[1]
    done = client.post(reverse("returns:import_confirm"), {"sha256": digest})
    assert b"SSDA903 imported" in done.content
    child = ChildRecord.objects.get(la_child_id="L77")
    assert child.lac_episodes.get().period.previous_permanence == "Z1"
    assert child.upn_unknown_reason == "UN2" and child.person.sex == "M"
    page = client.post(reverse("returns:import"), {"kind": "ssda903", "year": "2025"})
    assert page.status_code == 400 and b"Select the SSDA903 CSV files" in page.content
