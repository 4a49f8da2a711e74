"""Applying redactions to the export, and writing the disclosure package.

Redactions are applied to copies of the items as the package is built; the records themselves are never
touched. What is withheld is replaced by ``[REDACTED: reason]``, so the requester can see that something was
withheld and on what ground (ICO, Right of access: tell the requester if you are relying on an exemption,
unless that would itself reveal what is exempt).

The package is a ZIP: ``index.html`` (one page, readable offline, no scripts), ``records.csv`` (one row per
field), ``documents/`` (each document not withheld, read through the document store's checked reader
``casenotes.files.open_verified``, so a damaged file is refused rather than sent) and ``README.txt``.
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from safeguard.casenotes.files import DocumentDamaged, open_verified
from safeguard.core.spreadsheets import csv_cell
from safeguard.sar.models import EVERYWHERE, Redaction, SubjectAccessRequest
from safeguard.sar.sources import Item

# What UK GDPR art. 15(1)(a)-(h) and 15(2) entitle the person to besides the copy, in plain words. The periods
# are DOMAIN.md section 7's (Care Planning, Placement and Case Review (England) Regulations 2010 reg. 50;
# Disclosure of Adoption Information (Post-Commencement Adoptions) Regulations 2005 reg. 6).
SUPPLEMENTARY = (
    "Why we hold it: to carry out the council's duties to children in need, children in care and care\n"
    "leavers (Children Act 1989 and 2004).\n"
    "Who sees it: council staff who work with you or manage that work, inspectors (Ofsted), and partners\n"
    "we share with to keep children safe (police, health, schools), as the records show.\n"
    "Where it came from: each record says who recorded it; contacts and referrals say who told us.\n"
    "How long we keep it: records of children in care and care leavers until their 75th birthday;\n"
    "adoption records for at least 100 years from the adoption order; others as our retention schedule says.\n"
    "Your rights: to have wrong information corrected, and in some cases to ask us to erase or restrict it or\n"
    "to object to how we use it. Ask us, or complain to the Information Commissioner's Office.\n"
    "No decision about you is made by a computer alone.\n"
)


def redacted_marker(redaction: Redaction) -> str:
    return f"[REDACTED: {redaction.get_reason_display()}]"


@dataclass
class ShownField:
    name: str
    label: str
    value: str
    redactions: list[Redaction] = field(default_factory=list)


@dataclass
class ShownItem:
    """An item as it will be disclosed: ``withheld`` when the whole item is redacted."""

    item: Item
    fields: list[ShownField]
    withheld: Redaction | None = None
    redactions: list[Redaction] = field(default_factory=list)

    @property
    def includes_document(self) -> bool:
        return self.item.document is not None and self.withheld is None


def apply_redactions(items: Iterable[Item], redactions: Iterable[Redaction]) -> list[ShownItem]:
    """The items with every redaction in force applied: whole item, whole field, or each occurrence of an
    exact run of text in a field. Withdrawn redactions are not applied."""
    by_item: dict[str, list[Redaction]] = {}
    for redaction in redactions:
        if redaction.withdrawn_at is None:
            by_item.setdefault(redaction.item_key, []).append(redaction)
    everywhere = by_item.pop(EVERYWHERE, [])
    shown = []
    for item in items:
        mine = by_item.get(item.key, [])
        whole = next((r for r in mine if not r.field), None)
        if whole is not None:
            shown.append(ShownItem(item=item, fields=[], withheld=whole, redactions=mine))
            continue
        fields = []
        for item_field in item.fields:
            value = item_field.value
            applied = [r for r in mine if r.field == item_field.name]
            applied += [r for r in everywhere if r.text in value]
            whole_field = next((r for r in applied if not r.text), None)
            if whole_field is not None:
                value = redacted_marker(whole_field)
            else:
                # Longest first, so a span inside a longer one does not break the longer one's match.
                for redaction in sorted(applied, key=lambda r: -len(r.text)):
                    value = value.replace(redaction.text, redacted_marker(redaction))
            fields.append(ShownField(item_field.name, item_field.label, value, applied))
        found_everywhere = [r for r in everywhere if any(r in f.redactions for f in fields)]
        shown.append(ShownItem(item=item, fields=fields, redactions=mine + found_everywhere))
    return shown


def _records_csv(shown: list[ShownItem]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Source", "Record type", "Record", "Date", "Field", "Value"])
    for entry in shown:
        item = entry.item
        head = [item.source, item.record_type, item.key, item.date]
        if entry.withheld is not None:
            writer.writerow([csv_cell(v) for v in [*head, "", redacted_marker(entry.withheld)]])
            continue
        for shown_field in entry.fields:
            writer.writerow([csv_cell(v) for v in [*head, shown_field.label, shown_field.value]])
    return out.getvalue()


def document_file_name(item: Item) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", item.document.original_name).strip("._") or "document"
    return f"documents/{item.document.pk}-{safe[:100]}"


class PackageError(Exception):
    """The package cannot be made (a document failed its checksum); the message says which."""


@dataclass
class Package:
    content: bytes
    file_name: str
    documents: list[dict]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def build_package(
    *, request: SubjectAccessRequest, shown: list[ShownItem], made_on: datetime.date
) -> Package:
    person = request.child.person
    buffer = io.BytesIO()
    documents = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "index.html",
            render_to_string(
                "sar/package.html", {"sar": request, "person": person, "shown": shown, "made_on": made_on}
            ),
        )
        archive.writestr("records.csv", _records_csv(shown))
        for entry in shown:
            if not entry.includes_document:
                continue
            document = entry.item.document
            try:
                with open_verified(
                    stored_name=document.stored_name, sha256=document.sha256, size=document.size
                ) as file:
                    archive.writestr(document_file_name(entry.item), file.read())
            except DocumentDamaged as error:
                raise PackageError(
                    f"Document {document.pk} ({document.title}) cannot be included: {error}"
                ) from error
            documents.append({"document": document.pk, "sha256": document.sha256, "title": document.title})
        archive.writestr(
            "README.txt",
            "Your records from children's social care\n\n"
            "index.html: everything we hold about you, to read in a web browser.\n"
            "records.csv: the same, one line per piece of information, for a spreadsheet.\n"
            "documents/: copies of the documents on your record.\n\n"
            "Where you see [REDACTED: ...], we have withheld something and the reason says which exemption in\n"
            "the Data Protection Act 2018 we relied on. You can ask us about it, or complain to the\n"
            "Information Commissioner's Office (ico.org.uk).\n\n" + SUPPLEMENTARY,
        )
    file_name = f"subject-access-{request.pk}-{made_on:%Y-%m-%d}.zip"
    return Package(content=buffer.getvalue(), file_name=file_name, documents=documents)
