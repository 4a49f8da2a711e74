"""The export holds every record type: for every model with a key to a child (whether a named source reads
it or the catch-all does), a child who has such a row finds it in their export.

A synthetic city supplies real rows of most types, made the way the service makes them; what the city does
not make (case notes with versions, documents, the two logs of a child opened in a test) is made here.
"""

import datetime

import pytest

from safeguard.sar.sources import SOURCES, all_paths, collect_items, item_key, uncovered_models
from tests.synthetic import synthetic_city

TODAY = datetime.date(2026, 6, 30)


CHILDREN = 4000  # enough for every looked-after record type (adoption, UASC, missing, annual outcomes)


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with synthetic_city(django_db_blocker, seed=11, children=CHILDREN, years=3, today=TODAY) as result:
        yield result


def test_every_named_source_is_registered():
    names = {source.name for source in SOURCES}
    assert {"people", "frontdoor", "casework", "lookedafter", "casenotes", "allocation", "oversight"} <= names
    assert {"access", "changes"} <= names


def _made_here(child, user) -> None:
    """What the city does not make: a note in three versions (draft, final, correction), a document, and one
    entry in each log."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome
    from safeguard.audit.services import audit_event_record
    from safeguard.casenotes.files import store
    from safeguard.casenotes.models import CaseNote, CaseNoteThread, Document

    now = timezone.now()
    thread = CaseNoteThread.objects.create(child=child, created_by=user)
    first = CaseNote.objects.create(
        thread=thread,
        child=child,
        subject="visit",
        occurred_on=TODAY,
        text="First",
        author=user,
        status="superseded",
        finalised_at=now,
        finalised_by=user,
    )
    CaseNote.objects.create(
        thread=thread,
        child=child,
        subject="visit",
        occurred_on=TODAY,
        text="Second",
        author=user,
        status="final",
        finalised_at=now,
        finalised_by=user,
        version_number=2,
        corrects=first,
        correction_reason="Wrong word",
    )
    draft_thread = CaseNoteThread.objects.create(child=child, created_by=user)
    CaseNote.objects.create(thread=draft_thread, child=child, subject="visit", occurred_on=TODAY, author=user)
    stored = store(SimpleUploadedFile("n.txt", b"School nurse notes\n"))
    Document.objects.create(
        child=child,
        title="Nurse",
        kind="letter",
        original_name="n.txt",
        content_type="text/plain",
        size=stored.size,
        sha256=stored.sha256,
        stored_name=stored.stored_name,
    )
    AccessEvent.objects.create(
        user=user, child=child, action=AccessAction.VIEW, outcome=AccessOutcome.ALLOWED, subject="record"
    )
    audit_event_record(actor=user, action="thread.made", entity=thread, child=child)


def test_every_record_type_about_a_child_is_in_that_childs_export(city, db, settings, tmp_path):
    from safeguard.organisation.models import Worker
    from safeguard.people.models import Child

    settings.VAR_DIR = tmp_path
    _made_here(Child.objects.order_by("pk").first(), Worker.objects.order_by("pk").first().user)
    catch_all = set(uncovered_models())
    without_rows = []
    checked = set()
    for model, path in all_paths():
        rows = (
            model._base_manager.all()
            if path == "pk"
            else model._base_manager.exclude(**{f"{path}__isnull": True})
        )
        row = rows.order_by("pk").first()
        if row is None:
            without_rows.append(model)
            continue
        child = Child.objects.get(
            pk=model._base_manager.filter(pk=row.pk).values_list(path, flat=True).first()
        )
        keys = {item.key for item in collect_items(child)}
        assert item_key(row) in keys, f"{model._meta.label} row {row.pk} is missing from its child's export"
        checked.add(model)
    # Every model a named source reads had a row and was found; models only the catch-all reads may be new
    # (other apps' records, made by none of the above), but the catch-all itself was proven on at least one.
    assert [m._meta.label for m in without_rows if m not in catch_all] == []
    assert checked & catch_all
    assert len(checked) >= 50
