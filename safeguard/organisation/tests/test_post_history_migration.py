"""Migration 0003: each post's holder becomes the first filling of its history, a vacant post keeps the day it
fell vacant as the day its history starts, and the grade is read from its title (ADR 9).

PostgreSQL only: its schema changes roll back with the test's transaction, where SQLite cannot change a
schema inside one. CI runs it.
"""

import datetime

import pytest
from django.db import connection

from tests.migrations import latest, migrate

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="schema changes inside the test's transaction; CI runs it"
)

BEFORE = [("organisation", "0002_remove_worker_worker_role_valid_worker_qualified_on_and_more")]


def test_holders_become_fillings_and_vacancies_keep_their_date(people):
    latest_migrations = latest()
    # Roles added after 0002 (the performance analyst) fail its check on a worker's role: none may exist there.
    people.analyst.delete()
    old = migrate(BEFORE)
    OldPost = old.get_model("organisation", "Post")
    OldWorker = old.get_model("organisation", "Worker")
    OldWorker.objects.filter(pk=people.colleague.pk).update(employment="agency")
    held = OldPost.objects.create(
        team_id=people.north_team.pk, title="Senior Social Worker", holder_id=people.social_worker.pk
    )
    covered = OldPost.objects.create(
        team_id=people.north_team.pk, title="Social Worker", holder_id=people.colleague.pk
    )
    vacant = OldPost.objects.create(
        team_id=people.north_team.pk, title="Social Worker", vacant_since=datetime.date(2024, 5, 1)
    )

    new = migrate(latest_migrations)
    Post = new.get_model("organisation", "Post")
    PostFilling = new.get_model("organisation", "PostFilling")
    recorded = Post.objects.get(pk=held.pk).created_at.date()
    fillings = {filling.post_id: filling for filling in PostFilling.objects.all()}
    assert set(fillings) == {held.pk, covered.pk}
    assert (fillings[held.pk].worker_id, fillings[held.pk].employment) == (
        people.social_worker.pk,
        "permanent",
    )
    assert fillings[held.pk].start_date == recorded and fillings[held.pk].end_date is None
    assert fillings[covered.pk].employment == "agency"
    assert Post.objects.get(pk=vacant.pk).established_on == datetime.date(2024, 5, 1)
    assert Post.objects.get(pk=held.pk).grade == "senior_practitioner"
