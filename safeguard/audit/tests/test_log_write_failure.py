"""If the access log cannot be written, the user gets an error and no data (issue 8, item 4).

The log row is written in the request's transaction (``ATOMIC_REQUESTS``), before the page is built
(``@child_record``) or before the response is returned (the access-log pages and the export), so a failed
write ends the request in the 500 page. The failure is made where it would really happen: the database
refuses the ``INSERT`` into the access log (``connection.execute_wrapper``), not a stub of our own code.
"""

import contextlib

import pytest
from django.conf import settings
from django.db import DatabaseError, connection
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.organisation.models import Role
from tests.factories import UserFactory, WorkerFactory
from tests.signing_in import identity_confirmed

ACCESS_LOG_TABLE = AccessEvent._meta.db_table


def refuse_access_log_inserts(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith("INSERT") and ACCESS_LOG_TABLE in sql:
        raise DatabaseError("could not extend file: No space left on device")
    return execute(sql, params, many, context)


@contextlib.contextmanager
def access_log_unwritable():
    with connection.execute_wrapper(refuse_access_log_inserts):
        yield


@pytest.fixture
def erroring_client(client):
    """The test client as a browser sees the service: an exception becomes the 500 page (``handler500``)."""
    client.raise_request_exception = False
    return client


def test_requests_are_atomic():
    assert settings.DATABASES["default"]["ATOMIC_REQUESTS"] is True


def test_a_record_is_not_shown_when_its_view_cannot_be_logged(people, erroring_client):
    child = people.alices_child
    erroring_client.force_login(people.social_worker.user)
    with access_log_unwritable():
        response = erroring_client.get(reverse("children:record", args=[child.pk]))
    assert response.status_code == 500
    html = response.content.decode()
    assert child.person.full_name not in html
    assert child.person.last_name not in html
    assert child.person.nhs_number not in html
    assert not AccessEvent.objects.exists()


def test_the_same_record_is_shown_when_the_log_can_be_written(people, erroring_client):
    """The control: without the failure the page shows the child, so the test above can fail."""
    child = people.alices_child
    erroring_client.force_login(people.social_worker.user)
    response = erroring_client.get(reverse("children:record", args=[child.pk]))
    assert response.status_code == 200
    assert child.person.full_name in response.content.decode()


def test_who_has_looked_is_not_shown_when_the_read_cannot_be_logged(people, erroring_client):
    child = people.alices_child
    AccessEvent.objects.create(
        user=people.colleague.user, child=child, action="view", outcome="allowed", subject="record"
    )
    erroring_client.force_login(people.team_manager.user)
    with access_log_unwritable():
        response = erroring_client.get(reverse("audit:child", args=[child.pk]))
    assert response.status_code == 500
    assert "Carl" not in response.content.decode()


def test_a_subject_access_export_is_not_sent_when_it_cannot_be_logged(people, erroring_client):
    child = people.alices_child
    AccessEvent.objects.create(
        user=people.social_worker.user, child=child, action="view", outcome="allowed", subject="record"
    )
    officer = WorkerFactory(user=UserFactory(username="iggy"), role=Role.INFORMATION_GOVERNANCE, team=None)
    erroring_client.force_login(officer.user)
    identity_confirmed(erroring_client, officer.user)
    with access_log_unwritable():
        response = erroring_client.get(reverse("audit:child_csv", args=[child.pk]))
    assert response.status_code == 500
    assert "attachment" not in response.get("Content-Disposition", "")
    assert child.la_child_id not in response.content.decode()
    assert AccessEvent.objects.count() == 1  # only the row made above


def test_a_users_activity_is_not_shown_when_the_read_cannot_be_logged(people, erroring_client):
    AccessEvent.objects.create(
        user=people.social_worker.user, action="search", outcome="allowed", subject="name Snoopedupon"
    )
    erroring_client.force_login(people.director.user)
    with access_log_unwritable():
        response = erroring_client.get(reverse("audit:user", args=[people.social_worker.user.pk]))
    assert response.status_code == 500
    assert "Snoopedupon" not in response.content.decode()
