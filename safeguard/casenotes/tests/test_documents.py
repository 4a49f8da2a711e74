"""Documents: what may be uploaded (by content, not name), how big, and how the file is kept and read back."""

import hashlib
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.casenotes.files import DocumentDamaged, describe_size, detect_type, open_verified, store
from safeguard.casenotes.models import Document, DocumentType, RecordKeptError
from safeguard.casenotes.services import document_upload
from safeguard.casenotes.tests.helpers import (
    DOCM,
    DOCX,
    EXE,
    HTML,
    JPEG,
    ODT,
    PDF,
    PNG,
    TEXT,
    final_note,
    upload,
)


def add(people, file, *, worker=None, child=None, title="School report", kind="assessment_report", note=None):
    worker = worker or people.social_worker
    return document_upload(
        child=child or people.alices_child,
        uploaded_by=worker.user,
        upload=file,
        title=title,
        kind=kind,
        note=note,
    )


def refusal(people, file) -> str:
    with pytest.raises(ValidationError) as error:
        add(people, file)
    return " ".join(error.value.message_dict["file"])


# -- what a file is -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", PDF, DocumentType.PDF),
        ("letter.docx", DOCX, DocumentType.DOCX),
        ("letter.odt", ODT, DocumentType.ODT),
        ("bruise.png", PNG, DocumentType.PNG),
        ("bruise.jpg", JPEG, DocumentType.JPEG),
        ("BRUISE.JPEG", JPEG, DocumentType.JPEG),
        ("notes.txt", TEXT, DocumentType.TEXT),
    ],
)
@pytest.mark.django_db
def test_each_allowed_type_is_accepted_and_recorded_by_what_it_is(people, name, content, expected):
    document = add(people, upload(name, content, content_type="application/x-whatever"))
    assert document.content_type == expected  # what the content is, not what the browser claimed
    assert document.original_name == name
    assert document.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", EXE, "not a real PDF"),  # a program renamed .pdf
        ("setup.exe", EXE, "must be a PDF, DOCX, ODT, PNG, JPEG or TXT"),
        ("page.html", HTML, "must be a PDF, DOCX, ODT, PNG, JPEG or TXT"),
        ("page.txt", HTML, "not a real TXT"),  # a web page renamed .txt
        ("photo.png", JPEG, "not a real PNG"),  # an allowed type, but not the one its name says
        ("letter.docx", DOCM, "not a real DOCX"),  # a macro-enabled document renamed .docx
        ("letter.docx", b"PK\x03\x04 not really a zip", "not a real DOCX"),
        ("notes.txt", b"\x00\x01\x02binary", "not a real TXT"),
        ("no-extension", PDF, "must be a PDF"),
    ],
)
@pytest.mark.django_db
def test_other_files_are_refused_whatever_they_are_called(people, name, content, message):
    assert message in refusal(people, upload(name, content))
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_an_empty_file_is_refused(people):
    assert refusal(people, upload("empty.pdf", b"")) == "The selected file is empty"


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(people, settings):
    settings.SAFEGUARD = {**settings.SAFEGUARD, "DOCUMENT_MAX_BYTES": 1024}
    assert (
        refusal(people, upload("big.pdf", PDF + b"0" * 1024)) == "The selected file must be smaller than 1KB"
    )
    assert add(people, upload("small.pdf", PDF)).size == len(PDF)


def test_the_limit_is_20mb_unless_set(settings):
    from safeguard.casenotes.files import max_bytes

    settings.SAFEGUARD = {
        key: value for key, value in settings.SAFEGUARD.items() if key != "DOCUMENT_MAX_BYTES"
    }
    assert max_bytes() == 20 * 1024 * 1024
    assert describe_size(max_bytes()) == "20MB"
    assert describe_size(5000) == "4.9KB"


def test_text_in_windows_encoding_is_text_but_markup_is_not():
    assert detect_type(upload("a.txt", "Lunch money £5\r\n".encode("cp1252"))) == DocumentType.TEXT
    assert detect_type(upload("a.txt", b"Hello <svg onload=alert(1)>")) is None
    assert detect_type(upload("a.txt", b"a < b and c > d")) == DocumentType.TEXT


@pytest.mark.django_db
def test_title_and_kind_are_needed_and_every_error_is_given_at_once(people):
    with pytest.raises(ValidationError) as error:
        add(people, upload("x.exe", EXE), title=" ", kind="gossip")
    assert set(error.value.message_dict) == {"title", "kind", "file"}


@pytest.mark.django_db
def test_a_worker_without_access_cannot_upload(people, document_store):
    with pytest.raises(PermissionDenied):
        add(people, upload("report.pdf", PDF), worker=people.other_worker)
    assert not document_store.exists() or not any(document_store.rglob("*"))


@pytest.mark.django_db
def test_a_document_may_belong_with_a_note_about_the_same_child(people):
    note = final_note(people)
    assert add(people, upload("report.pdf", PDF), note=note.thread).note == note.thread
    other = final_note(people, author=people.colleague, child=people.carls_child)
    with pytest.raises(ValidationError) as error:
        add(people, upload("report.pdf", PDF), note=other.thread)
    assert "note" in error.value.message_dict


# -- keeping the file ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_file_is_kept_under_its_checksum_with_no_personal_data_in_the_path(people, document_store):
    document = add(people, upload("Kid Testchild - police report.pdf", PDF))
    digest = hashlib.sha256(PDF).hexdigest()
    assert document.sha256 == digest
    assert document.stored_name == f"{digest[:2]}/{digest}"
    path = document_store / document.stored_name
    assert path.read_bytes() == PDF
    assert not path.stat().st_mode & 0o222  # read-only
    stored = [p.relative_to(document_store).as_posix() for p in document_store.rglob("*") if p.is_file()]
    assert stored == [document.stored_name]  # no temporary file left behind, no name from the upload
    event = AuditEvent.objects.get(action="document.uploaded")
    assert event.changes["sha256"] == [None, digest]


@pytest.mark.django_db
def test_the_same_file_twice_is_kept_once_and_never_overwritten(people, document_store):
    first = add(people, upload("a.pdf", PDF))
    path = document_store / first.stored_name
    inode = path.stat().st_ino
    second = add(people, upload("b.pdf", PDF), title="Same report again")
    assert second.stored_name == first.stored_name
    assert path.stat().st_ino == inode
    assert Document.objects.count() == 2


def test_a_damaged_file_already_in_the_store_is_not_replaced(document_store):
    digest = hashlib.sha256(PDF).hexdigest()
    (document_store / digest[:2]).mkdir(parents=True)
    (document_store / digest[:2] / digest).write_bytes(b"rotten")
    with pytest.raises(DocumentDamaged):
        store(upload("a.pdf", PDF))
    assert (document_store / digest[:2] / digest).read_bytes() == b"rotten"


@pytest.mark.django_db
def test_reading_a_file_back_checks_its_checksum(people, document_store):
    document = add(people, upload("a.pdf", PDF))
    arguments = {"stored_name": document.stored_name, "sha256": document.sha256, "size": document.size}
    with open_verified(**arguments) as file:
        assert file.read() == PDF
    path = document_store / document.stored_name
    os.chmod(path, 0o600)
    path.write_bytes(PDF.replace(b"Catalog", b"Catalug"))  # same size, different content
    with pytest.raises(DocumentDamaged, match="checksum"):
        open_verified(**arguments)
    path.unlink()
    with pytest.raises(DocumentDamaged, match="missing"):
        open_verified(**arguments)
    with pytest.raises(DocumentDamaged):
        open_verified(stored_name="../../etc/passwd", sha256=document.sha256, size=document.size)


@pytest.mark.django_db
def test_documents_are_never_deleted(people):
    document = add(people, upload("a.pdf", PDF))
    with pytest.raises(RecordKeptError):
        document.delete()
    with pytest.raises(RecordKeptError):
        Document.objects.all().delete()
