"""The export, the redaction workspace and the disclosure: every version of a note is there, redactions are
applied to the package and never to the records, and each disclosure is logged twice (its own row, and an
export in the access log)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguard.audit.models import AccessAction, AccessEvent, AuditEvent
from safeguard.casenotes.models import CaseNote, Document
from safeguard.casenotes.services import document_upload
from safeguard.casenotes.tests.helpers import TEXT, corrected_note, draft_note, upload
from safeguard.sar import selectors, services
from safeguard.sar.models import Disclosure, Redaction, RedactionReason, SarStatus
from safeguard.sar.package import apply_redactions
from safeguard.sar.policies import SUBJECT_ACCESS
from safeguard.sar.sources import item_key
from tests.signing_in import identity_confirmed


@pytest.fixture
def record(people):
    """Alice's child with a note corrected once (two versions), a draft, and a document."""
    corrected = corrected_note(people, text="Saw Kid with her uncle Tom Baker at home; tidy.")
    draft = draft_note(people, text="Still a draft")
    document = document_upload(
        child=people.alices_child,
        uploaded_by=people.social_worker.user,
        upload=upload("notes.txt", TEXT),
        title="School nurse's notes",
        kind="letter",
    )
    return {"corrected": corrected, "original": corrected.corrects, "draft": draft, "document": document}


def _items(gina, sar):
    return selectors.export_items(gina.user, sar)


def _item(items, row):
    return next(item for item in items if item.key == item_key(row))


def test_the_export_holds_every_version_of_a_note_and_the_documents(people, gina, sar, record):
    items = _items(gina, sar)
    keys = {item.key for item in items}
    for row in (record["original"], record["corrected"], record["draft"], record["document"]):
        assert item_key(row) in keys
    original = _item(items, record["original"])
    assert original.field("text").value == "Saw Kid at home; the kitchen was clean."
    assert original.field("status").value == "Superseded by a correction"
    assert _item(items, record["corrected"]).field("correction_reason").value == "Wrong word recorded"
    assert _item(items, record["document"]).document == record["document"]
    sources = {item.source for item in items}
    assert {
        "Identity and household",
        "Case notes and documents",
        "Allocations",
        "Changes to the record",
    } <= sources


def test_the_export_is_empty_to_anyone_but_the_assigned_officer(people, gina, otto, sar, record):
    assert selectors.export_items(otto.user, sar) == []
    assert selectors.export_items(people.director.user, sar) == []
    assert "assigned" in selectors.export_refusal(otto.user, sar)


def _redact(gina, sar, items, row, **kw):
    return services.redaction_add(
        request=sar,
        by=gina.user,
        item=_item(items, row),
        reason=kw.pop("reason", RedactionReason.THIRD_PARTY),
        explanation=kw.pop("explanation", "Names the child's uncle, who has not consented"),
        **kw,
    )


def test_redactions_are_applied_to_the_package_and_never_to_the_records(people, gina, sar, record):
    items = _items(gina, sar)
    _redact(gina, sar, items, record["corrected"], field="text", text="with her uncle Tom Baker ")
    _redact(
        gina, sar, items, record["draft"], reason=RedactionReason.SERIOUS_HARM, explanation="Risk to a carer"
    )
    shown = {entry.item.key: entry for entry in apply_redactions(items, sar.redactions.all())}
    text = next(f for f in shown[item_key(record["corrected"])].fields if f.name == "text").value
    assert text == (
        "Saw Kid [REDACTED: Third-party information (DPA 2018 Sch. 2 Pt. 3 para. 16)]at home; tidy."
    )
    assert shown[item_key(record["draft"])].withheld is not None
    assert (
        CaseNote.objects.get(pk=record["corrected"].pk).text
        == "Saw Kid with her uncle Tom Baker at home; tidy."
    )
    assert CaseNote.objects.get(pk=record["draft"].pk).text == "Still a draft"
    assert AuditEvent.objects.filter(action="redaction.added").count() == 2


def test_a_second_look_shows_the_redactions(people, gina, sar, record, client_for):
    items = _items(gina, sar)
    _redact(gina, sar, items, record["corrected"], field="text", text="Tom Baker")
    page = client_for(gina).get(reverse("sar:workspace", kwargs={"request_id": sar.pk})).content.decode()
    assert "[REDACTED: Third-party information" in page
    assert "Names the child&#39;s uncle" in page
    assert "Tom Baker" in page  # in the redactions table, for the officer; never in the package


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"field": "nonsense"}, "field", "Choose a field of this record"),
        ({"field": "text", "text": "not in the note"}, "text", "copied exactly"),
        ({"reason": "felt like it"}, "reason", "Choose the exemption"),
        ({"explanation": "  "}, "explanation", "Explain why"),
    ],
)
def test_a_bad_redaction_says_why_and_stores_nothing(people, gina, sar, record, kw, field, message):
    with pytest.raises(ValidationError) as error:
        _redact(gina, sar, _items(gina, sar), record["corrected"], **kw)
    assert message in " ".join(error.value.message_dict[field])
    assert not Redaction.objects.exists()


def test_a_redaction_of_a_record_not_in_the_export_is_refused(people, gina, sar):
    with pytest.raises(ValidationError) as error:
        services.redaction_add(request=sar, by=gina.user, item=None, reason="third_party", explanation="x")
    assert "not in this person's export" in str(error.value)


def test_the_redaction_page_refuses_bad_input_and_keeps_it(people, gina, sar, record, client_for):
    url = reverse("sar:redact", kwargs={"request_id": sar.pk})
    key = item_key(record["corrected"])
    response = client_for(gina).post(url, {"item": key, "field": "text", "text": "Tom Baker", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Choose the exemption you are relying on" in page and "Explain why the exemption applies here" in page
    )
    assert not Redaction.objects.exists()
    made = client_for(gina).post(
        url,
        {"item": key, "field": "text", "text": "Tom Baker", "reason": "third_party", "explanation": "Uncle"},
    )
    assert made.status_code == 302
    assert Redaction.objects.get().text == "Tom Baker"


def test_a_span_redacted_in_one_record_only_stays_elsewhere_until_redacted_everywhere(
    people, gina, sar, record
):
    items = _items(gina, sar)
    _redact(gina, sar, items, record["corrected"], field="text", text="Tom Baker")
    shown = apply_redactions(items, sar.redactions.all())
    elsewhere = [
        e
        for e in shown
        if e.item.key != item_key(record["corrected"]) and any("Tom Baker" in f.value for f in e.fields)
    ]
    assert elsewhere  # the change log holds the note's text too
    _redact(gina, sar, items, record["corrected"], field="text", text="Tom Baker", everywhere=True)
    shown = apply_redactions(items, sar.redactions.all())
    assert not any("Tom Baker" in f.value for e in shown for f in e.fields)


def test_a_withdrawn_redaction_is_kept_but_no_longer_applied(people, gina, sar, record):
    items = _items(gina, sar)
    redaction = _redact(gina, sar, items, record["draft"])
    services.redaction_withdraw(redaction=redaction, by=gina.user, reason="The uncle consented")
    shown = apply_redactions(items, sar.redactions.all())
    assert all(entry.withheld is None for entry in shown)
    assert Redaction.objects.get().withdrawn_reason == "The uncle consented"


def _ready(gina, sar):
    services.sar_move(request=sar, by=gina.user, to=SarStatus.IN_PROGRESS)
    return services.sar_move(request=sar, by=gina.user, to=SarStatus.READY_FOR_REVIEW)


def test_disclosure_gives_a_zip_with_redactions_applied_and_logs_it(people, gina, sar, record, client_for):
    items = _items(gina, sar)
    # The uncle's name is in the note and in the change log's copy of it: withheld everywhere it appears.
    _redact(gina, sar, items, record["corrected"], field="text", text="Tom Baker", everywhere=True)
    _ready(gina, sar)
    response = identity_confirmed(client_for(gina), gina.user).post(
        reverse("sar:disclose", kwargs={"request_id": sar.pk}),
        {"sent_to": "The person, at the address on file", "method": "Recorded post"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert {"index.html", "records.csv", "README.txt"} <= set(names)
    assert "75th birthday" in archive.read("README.txt").decode()  # art. 15(1) supplementary information
    page = archive.read("index.html").decode()
    csv_text = archive.read("records.csv").decode()
    for content in (page, csv_text):
        assert "Tom Baker" not in content
        assert "has not consented" not in content  # the redaction's explanation is the council's, not sent
        assert "[REDACTED: Third-party information (DPA 2018 Sch. 2 Pt. 3 para. 16)]" in content
        assert "Saw Kid at home; the kitchen was clean." in content  # the first version is disclosed too
    documents = [name for name in names if name.startswith("documents/")]
    assert len(documents) == 1 and archive.read(documents[0]) == TEXT

    disclosure = Disclosure.objects.get()
    assert disclosure.disclosed_by == gina.user and disclosure.sent_to == "The person, at the address on file"
    assert disclosure.method == "Recorded post"
    assert {entry["key"] for entry in disclosure.items} >= {
        item_key(record["corrected"]),
        item_key(record["draft"]),
    }
    assert all(len(entry["fingerprint"]) == 64 for entry in disclosure.items)
    assert [r["item_key"] for r in disclosure.redactions] == ["*"]
    assert disclosure.documents == [
        {
            "document": record["document"].pk,
            "sha256": record["document"].sha256,
            "title": "School nurse's notes",
        }
    ]
    export = AccessEvent.objects.get(action=AccessAction.EXPORT)
    assert export.child == people.alices_child and export.user == gina.user and export.basis == SUBJECT_ACCESS
    assert export.subject == disclosure.file_name
    sar.refresh_from_db()
    assert sar.status == SarStatus.DISCLOSED
    assert CaseNote.objects.get(pk=record["corrected"].pk).text.count("Tom Baker") == 1


def test_a_document_withheld_whole_is_left_out_of_the_package(people, gina, sar, record):
    items = _items(gina, sar)
    _redact(gina, sar, items, record["document"], reason=RedactionReason.SERIOUS_HARM, explanation="Harm")
    _ready(gina, sar)
    sar.refresh_from_db()
    _disclosure, package = services.disclosure_make(
        request=sar,
        by=gina.user,
        items=items,
        sent_to="The person",
        method="Secure email",
        http_request=_fake_request(gina),
    )
    names = zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    assert not any(name.startswith("documents/") for name in names)
    assert Document.objects.filter(pk=record["document"].pk).exists()


def test_a_damaged_document_stops_the_disclosure_with_a_clear_message(
    people, gina, sar, record, document_store
):
    for path in document_store.rglob("*"):
        if path.is_file():
            path.chmod(0o600)
            path.write_bytes(b"tampered")
    _ready(gina, sar)
    sar.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.disclosure_make(
            request=sar,
            by=gina.user,
            items=_items(gina, sar),
            sent_to="The person",
            method="Post",
            http_request=_fake_request(gina),
        )
    assert "cannot be included" in str(error.value)
    assert not Disclosure.objects.exists()


def test_disclosure_before_review_or_without_a_recipient_is_refused(people, gina, sar, record, client_for):
    url = reverse("sar:disclose", kwargs={"request_id": sar.pk})
    identity_confirmed(client_for(gina), gina.user)
    early = client_for(gina).post(url, {"sent_to": "The person", "method": "Post"})
    assert (
        early.status_code == 400 and "Send the request for review before disclosing" in early.content.decode()
    )
    _ready(gina, sar)
    blank = client_for(gina).post(url, {"sent_to": "", "method": "Post"})
    assert blank.status_code == 400 and "Enter who the package is being sent to" in blank.content.decode()
    assert not Disclosure.objects.exists()
    assert not AccessEvent.objects.filter(action=AccessAction.EXPORT).exists()


def _fake_request(worker):
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.user = worker.user
    return request
