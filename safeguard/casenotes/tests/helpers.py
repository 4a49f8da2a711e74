"""Notes at each stage, and small files of each type (made here, never real documents)."""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safeguard.casenotes.services import case_note_correct, case_note_draft, case_note_finalise


def draft_note(people, *, author=None, child=None, text="Saw Kid at home; the kitchen was clean.", **kw):
    author = author or people.social_worker
    arguments = {"subject": "visit", "occurred_on": timezone.localdate() - datetime.timedelta(days=1)}
    arguments.update(kw)
    return case_note_draft(child=child or people.alices_child, written_by=author.user, text=text, **arguments)


def final_note(people, **kw):
    note = draft_note(people, **kw)
    return case_note_finalise(note=note, finalised_by=note.author, version=note.version)


def corrected_note(people, note=None, *, by=None, text="Saw Kid at home; the kitchen was tidy.", **kw):
    note = note or final_note(people)
    by = by or people.social_worker
    arguments = {"subject": note.subject, "occurred_on": note.occurred_on, "reason": "Wrong word recorded"}
    arguments.update(kw)
    return case_note_correct(note=note, corrected_by=by.user, text=text, **arguments)


# -- files ---------------------------------------------------------------------------------------------------


def _zip(members: list[tuple[str, bytes]], *, first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            kind = zipfile.ZIP_STORED if first_stored and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"
TEXT = "Notes from the school nurse.\nWeight is on the 50th centile. £5 lunch money.\n".encode()
DOCX = _zip(
    [
        ("[Content_Types].xml", b"<?xml version='1.0'?><Types/>"),
        ("word/document.xml", b"<?xml version='1.0'?><w:document/>"),
    ]
)
DOCM = _zip(
    [
        ("[Content_Types].xml", b"<?xml version='1.0'?><Types/>"),
        ("word/document.xml", b"<?xml version='1.0'?><w:document/>"),
        ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros"),
    ]
)
ODT = _zip(
    [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office:document/>")],
    first_stored=True,
)
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
