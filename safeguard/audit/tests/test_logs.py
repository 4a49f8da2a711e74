"""The access and audit logs can be added to and never changed."""

import pytest
from django.db import DatabaseError, connection, transaction

from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome, AppendOnlyError, AuditEvent


@pytest.fixture
def access_event(people):
    return AccessEvent.objects.create(
        user=people.social_worker.user,
        child=people.alices_child,
        action=AccessAction.VIEW,
        outcome=AccessOutcome.ALLOWED,
        basis="allocated worker",
    )


def test_an_access_event_cannot_be_changed_or_deleted_through_the_application(access_event):
    access_event.basis = "director"
    with pytest.raises(AppendOnlyError):
        access_event.save()
    with pytest.raises(AppendOnlyError):
        access_event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=access_event.pk).update(basis="director")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.get(pk=access_event.pk).basis == "allocated worker"


def test_an_audit_event_cannot_be_deleted(people):
    event = AuditEvent.objects.create(action="child.created", entity_type="people.child", entity_id="1")
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL hardening; CI runs it"
)
def test_postgresql_refuses_raw_sql_that_would_rewrite_the_log(access_event):
    for statement in ("UPDATE audit_accessevent SET basis = 'x'", "DELETE FROM audit_accessevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(statement)
    assert AccessEvent.objects.get(pk=access_event.pk).basis == "allocated worker"
