"""Checking an uploaded file, and keeping it.

**What a file is** is decided by its content, not its name: a PDF starts ``%PDF-``, a PNG and a JPEG with
their signatures, a DOCX and an ODT are ZIP archives holding the parts those formats require, and plain text
is text that decodes, has no control bytes and is not HTML or another markup a browser would run. The name's
extension must also say the same type, so that a program renamed ``.pdf`` or a web page renamed ``.txt`` is
refused, and a file that opens in one program does not pretend to be another (ASVS 5.0 V5.2, file upload).

**Where a file is kept**: under ``settings.VAR_DIR / "documents"``, named by its SHA-256 checksum
(``ab/ab12…``), so no name, date or other personal data is in a path. A file is written to a temporary name
and then hard-linked into place, which fails if the name exists: a stored file is never overwritten, and
two uploads of the same file share one copy. Stored files are read-only. When a file is read back its
checksum is computed again and compared with the one recorded at upload (``open_verified``).

A file stored for an upload whose transaction then fails stays in the store unreferenced; it is harmless
(nothing links to it, and the same upload later reuses it).
"""

import hashlib
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError

from safeguard.casenotes.models import DocumentType

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024

# The extensions each type may be uploaded with.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    DocumentType.PDF: (".pdf",),
    DocumentType.DOCX: (".docx",),
    DocumentType.ODT: (".odt",),
    DocumentType.PNG: (".png",),
    DocumentType.JPEG: (".jpg", ".jpeg"),
    DocumentType.TEXT: (".txt",),
}
SHORT_NAMES = {
    DocumentType.PDF: "PDF",
    DocumentType.DOCX: "DOCX",
    DocumentType.ODT: "ODT",
    DocumentType.PNG: "PNG",
    DocumentType.JPEG: "JPEG",
    DocumentType.TEXT: "TXT",
}
TYPE_OF_EXTENSION = {ext: kind for kind, exts in EXTENSIONS.items() for ext in exts}
ALLOWED_TEXT = "a PDF, DOCX, ODT, PNG, JPEG or TXT"
ACCEPT = ",".join(ext for exts in EXTENSIONS.values() for ext in exts)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"
ZIP_SIGNATURE = b"PK\x03\x04"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Markup a browser would render or run, anywhere in a "text" file: such a file is refused as text.
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|frame|svg|object|embed|meta|link|style|form|img|\?xml)\b",
    re.IGNORECASE,
)
# Control characters other than tab, line feed, form feed and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class DocumentDamaged(Exception):
    """A stored file is missing, or its content no longer matches the checksum recorded when it was uploaded."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    stored_name: str


def max_bytes() -> int:
    return int(settings.SAFEGUARD.get("DOCUMENT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def document_root() -> Path:
    """The document store: read from settings each time, so tests (and an operator) can move it."""
    return Path(settings.VAR_DIR) / "documents"


def describe_size(size: int) -> str:
    """A size as GOV.UK writes one: 20MB, 4.9KB, 300 bytes."""
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), "MB"
    elif size >= 1024:
        value, unit = size / 1024, "KB"
    else:
        return f"{size} bytes"
    return f"{value:.0f}{unit}" if value == int(value) else f"{value:.1f}{unit}"


# ----------------------------------------------------------------------------------------------------------
# What a file is


def _zip_type(file: BinaryIO) -> str | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                with archive.open("mimetype") as member:
                    if member.read(100).strip() == ODT_MIMETYPE:
                        return DocumentType.ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                # A macro-enabled document (.docm) renamed .docx carries its macros here: not a DOCX.
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    return None
                return DocumentType.DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        return None
    return None


def _is_plain_text(file: BinaryIO) -> bool:
    file.seek(0)
    data = file.read()
    if not data or b"\x00" in data or MARKUP.search(data):
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not CONTROL.search(text)
    return False


def detect_type(file: BinaryIO) -> str | None:
    """The allowed type ``file``'s content is, or None if it is none of them."""
    file.seek(0)
    head = file.read(16)
    if head.startswith(PDF_SIGNATURE):
        found = DocumentType.PDF
    elif head.startswith(PNG_SIGNATURE):
        found = DocumentType.PNG
    elif head.startswith(JPEG_SIGNATURE):
        found = DocumentType.JPEG
    elif head.startswith(ZIP_SIGNATURE):
        found = _zip_type(file)
    else:
        found = DocumentType.TEXT if _is_plain_text(file) else None
    file.seek(0)
    return found


def check_upload(upload) -> str:
    """The type of an uploaded file (a Django ``UploadedFile``), or a ``ValidationError`` saying, the GOV.UK
    way, why it cannot be kept."""
    if upload is None:
        raise ValidationError("Select a file")
    if not upload.size:
        raise ValidationError("The selected file is empty")
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(f"The selected file must be smaller than {describe_size(limit)}")
    extension = Path(upload.name or "").suffix.lower()
    named = TYPE_OF_EXTENSION.get(extension)
    if named is None:
        raise ValidationError(f"The selected file must be {ALLOWED_TEXT}")
    found = detect_type(upload)
    if found != named:
        raise ValidationError(
            f"The selected file is not a real {SHORT_NAMES[named]}: its name ends {extension} but its "
            f"contents are not. Upload {ALLOWED_TEXT} file"
        )
    return found


# ----------------------------------------------------------------------------------------------------------
# Keeping a file, and reading it back


def _digest_of(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def _stored_path(stored_name: str) -> Path:
    root = document_root().resolve()
    path = (root / stored_name).resolve()
    if root not in path.parents:  # a name from the database, but never let one leave the store
        raise DocumentDamaged("The stored file's name is not in the document store")
    return path


def store(upload) -> StoredFile:
    """Keep an uploaded file in the store under its checksum; never overwrite a file already there."""
    root = document_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    hasher = hashlib.sha256()
    size = 0
    handle, temporary = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            upload.seek(0)
            for chunk in upload.chunks(CHUNK):
                hasher.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o400)
        digest = hasher.hexdigest()
        stored_name = f"{digest[:2]}/{digest}"
        final = root / stored_name
        final.parent.mkdir(exist_ok=True, mode=0o700)
        try:
            os.link(temporary, final)  # fails if the name exists: nothing is ever overwritten
        except FileExistsError:
            if _digest_of(final) != digest:
                raise DocumentDamaged(
                    f"A damaged file is in the document store at {stored_name}: it was not replaced"
                ) from None
    finally:
        os.unlink(temporary)
    return StoredFile(sha256=digest, size=size, stored_name=stored_name)


def open_verified(*, stored_name: str, sha256: str, size: int) -> BinaryIO:
    """The stored file, open for reading, once its checksum has been checked against the one recorded."""
    path = _stored_path(stored_name)
    try:
        file = path.open("rb")
    except FileNotFoundError as error:
        raise DocumentDamaged("The stored file is missing") from error
    hasher = hashlib.sha256()
    read = 0
    while chunk := file.read(CHUNK):
        hasher.update(chunk)
        read += len(chunk)
    if read != size or hasher.hexdigest() != sha256:
        file.close()
        raise DocumentDamaged("The stored file does not match the checksum recorded when it was uploaded")
    file.seek(0)
    return file
