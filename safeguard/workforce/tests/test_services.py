"""The services that change the establishment: who may, what they refuse (with a clear message, changing
nothing), and the audit row each writes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.organisation.models import Grade, LeavingReason, Post, PostFilling
from safeguard.workforce import services
from tests.factories import UserFactory, WorkerFactory

D = datetime.date


def messages(error: ValidationError) -> dict:
    return {key: " ".join(value) for key, value in error.message_dict.items()}


@pytest.mark.django_db
class TestPosts:
    def test_head_of_service_adds_a_post_in_their_area(self, people):
        post = services.post_establish(
            team=people.north_team,
            title="Advanced Practitioner",
            grade=Grade.ADVANCED_PRACTITIONER,
            fte="0.8",
            established_on=D(2026, 4, 1),
            established_by=people.hos.user,
        )
        assert post.is_social_work_post and post.fte == Decimal("0.8")
        event = AuditEvent.objects.get(action="post.established")
        assert event.entity_id == str(post.pk) and event.changes["grade"] == [None, "advanced_practitioner"]

    @pytest.mark.parametrize("who", ["team_manager", "inspector", "social_worker"])
    def test_readers_cannot_add_posts(self, people, who):
        with pytest.raises(PermissionDenied):
            services.post_establish(
                team=people.north_team,
                title="Social Worker",
                grade=Grade.SOCIAL_WORKER,
                fte="1",
                established_on=D(2026, 1, 1),
                established_by=getattr(people, who).user,
            )
        assert not Post.objects.exists()

    def test_head_of_service_cannot_change_another_area(self, people):
        with pytest.raises(PermissionDenied, match="not in your area"):
            services.post_establish(
                team=people.south_team,
                title="Social Worker",
                grade=Grade.SOCIAL_WORKER,
                fte="1",
                established_on=D(2026, 1, 1),
                established_by=people.hos.user,
            )

    @pytest.mark.parametrize("fte", ["0", "1.5", "abc", "0.333"])
    def test_bad_fte_is_refused(self, people, fte):
        with pytest.raises(ValidationError) as error:
            services.post_establish(
                team=people.north_team,
                title="Social Worker",
                grade=Grade.SOCIAL_WORKER,
                fte=fte,
                established_on=D(2026, 1, 1),
                established_by=people.director.user,
            )
        assert "FTE must be a number more than 0 and at most 1" in messages(error.value)["fte"]
        assert not Post.objects.exists() and not AuditEvent.objects.exists()

    def test_a_post_with_someone_in_it_is_not_cut(self, people, establishment):
        with pytest.raises(ValidationError) as error:
            services.post_disestablish(
                post=establishment["alices"], on=D(2026, 4, 1), reason="Restructure", cut_by=people.hos.user
            )
        assert (
            "Alice Worker" in messages(error.value)["on"]
            and "left or moved first" in messages(error.value)["on"]
        )
        post = services.post_disestablish(
            post=establishment["empty"], on=D(2026, 4, 1), reason="Restructure", cut_by=people.hos.user
        )
        assert post.disestablished_on == D(2026, 4, 1)
        assert AuditEvent.objects.filter(action="post.disestablished", reason="Restructure").exists()


@pytest.mark.django_db
class TestStartersAndLeavers:
    def test_a_leaver_then_a_starter(self, people, establishment):
        alices = establishment["alices"].fillings.get()
        services.post_filling_end(
            filling=alices,
            end_date=D(2026, 2, 27),
            reason=LeavingReason.RESIGNED,
            recorded_by=people.hos.user,
        )
        newcomer = WorkerFactory(user=UserFactory(username="nia", first_name="Nia"), team=people.north_team)
        filling = services.post_fill(
            post=establishment["alices"],
            worker=newcomer,
            start_date=D(2026, 3, 2),
            recorded_by=people.director.user,
        )
        assert filling.employment == "permanent" and not filling.moved_within_council
        assert AuditEvent.objects.filter(action="post.left").count() == 1
        assert AuditEvent.objects.filter(action="post.filled", entity_id=str(filling.pk)).exists()

    def test_overlapping_fillings_are_refused(self, people, establishment):
        newcomer = WorkerFactory(user=UserFactory(username="nia", first_name="Nia"), team=people.north_team)
        with pytest.raises(ValidationError) as error:
            services.post_fill(
                post=establishment["alices"],
                worker=newcomer,
                start_date=D(2026, 3, 2),
                recorded_by=people.hos.user,
            )
        assert (
            "Alice Worker is in this post from 3 May 2022: record that they left or moved first"
            in messages(error.value)["start_date"]
        )
        alices = establishment["alices"].fillings.get()
        services.post_filling_end(
            filling=alices, end_date=D(2026, 3, 5), reason=LeavingReason.RESIGNED, recorded_by=people.hos.user
        )
        with pytest.raises(ValidationError) as error:
            services.post_fill(
                post=establishment["alices"],
                worker=newcomer,
                start_date=D(2026, 3, 5),
                recorded_by=people.hos.user,
            )
        assert (
            "was in this post until 5 March 2026: the start date must be after that"
            in messages(error.value)["start_date"]
        )
        assert PostFilling.objects.filter(worker=newcomer).count() == 0

    def test_a_worker_in_two_posts_at_once_is_refused(self, people, establishment):
        with pytest.raises(ValidationError) as error:
            services.post_fill(
                post=establishment["empty"],
                worker=people.social_worker,
                start_date=D(2026, 3, 2),
                recorded_by=people.hos.user,
            )
        assert "is in another post" in messages(error.value)["worker"]

    def test_a_move_is_not_a_starter(self, people, establishment):
        alices = establishment["alices"].fillings.get()
        services.post_filling_end(
            filling=alices, end_date=D(2026, 3, 1), reason=LeavingReason.MOVED, recorded_by=people.hos.user
        )
        moved = services.post_fill(
            post=establishment["empty"],
            worker=people.social_worker,
            start_date=D(2026, 3, 2),
            recorded_by=people.hos.user,
        )
        assert moved.moved_within_council
        assert AuditEvent.objects.filter(action="post.moved_from").exists()

    def test_dates_are_sane(self, people, establishment):
        alices = establishment["alices"].fillings.get()
        with pytest.raises(ValidationError) as error:
            services.post_filling_end(
                filling=alices,
                end_date=D(2021, 1, 1),
                reason=LeavingReason.RESIGNED,
                recorded_by=people.hos.user,
            )
        assert "started in this post on 3 May 2022" in messages(error.value)["end_date"]
        with pytest.raises(ValidationError) as error:
            services.post_filling_end(
                filling=alices, end_date=D(2026, 12, 1), reason="sacked", recorded_by=people.hos.user
            )
        assert set(messages(error.value)) == {"end_date", "reason"}
        newcomer = WorkerFactory(user=UserFactory(username="nia"), team=people.north_team)
        with pytest.raises(ValidationError) as error:
            services.post_fill(
                post=establishment["empty"],
                worker=newcomer,
                start_date=D(2019, 1, 1),
                recorded_by=people.hos.user,
            )
        assert "established on 1 January 2020" in messages(error.value)["start_date"]
        alices.refresh_from_db()
        assert alices.end_date is None and not AuditEvent.objects.exists()

    def test_qualified_posts_need_a_qualified_worker_of_the_team(self, people, establishment):
        unqualified = WorkerFactory(
            user=UserFactory(username="fay"), team=people.north_team, is_qualified=False
        )
        with pytest.raises(ValidationError, match="needs a qualified social worker"):
            services.post_fill(
                post=establishment["empty"],
                worker=unqualified,
                start_date=D(2026, 3, 2),
                recorded_by=people.hos.user,
            )
        with pytest.raises(ValidationError, match="is not in Child in Need North"):
            services.post_fill(
                post=establishment["empty"],
                worker=people.other_worker,
                start_date=D(2026, 3, 2),
                recorded_by=people.director.user,
            )
