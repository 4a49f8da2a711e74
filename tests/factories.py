"""factory_boy factories for tests. Names and identifiers are made up here, never taken from real people."""

import datetime
import itertools

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.utils import timezone

from safeguard.organisation.models import Allocation, AllocationRole, Area, Role, Team, TeamKind, Worker
from safeguard.people.identifiers import nhs_check_digit
from safeguard.people.models import Child, Person, PersonKind, Sex

_nhs_serials = itertools.count(100000)


def fake_nhs_number() -> str:
    """A valid NHS number in the 999 range, which the NHS keeps for testing."""
    while True:
        first_nine = f"999{next(_nhs_serials):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


# A TOTP secret (base32) for every test user's authenticator app.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Test{n}")
    last_name = "Worker"
    # Unusable unless a test sets one: hashing a real password costs ~0.3 s, and most tests force_login.
    password = factory.django.Password(None)

    @factory.post_generation
    def second_factor(user, create, extracted, **kwargs):
        """Every member of staff signs in with a second factor (safeguard.audit.middleware
        .MultiFactorRequiredMiddleware); ``UserFactory(second_factor=False)`` makes one who has not set it up.
        The secret is ``TEST_TOTP_SECRET``, so a test can make the codes."""
        wanted = create and extracted is not False
        if wanted and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, TEST_TOTP_SECRET)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Area {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = TeamKind.CHILD_IN_NEED


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    user = factory.SubFactory(UserFactory)
    role = Role.SOCIAL_WORKER
    team = factory.SubFactory(TeamFactory)
    is_qualified = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Kid{n}")
    last_name = "Testchild"
    kind = PersonKind.CHILD
    sex = Sex.FEMALE
    date_of_birth = datetime.date(2015, 6, 1)
    nhs_number = factory.LazyFunction(fake_nhs_number)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    person = factory.SubFactory(PersonFactory)
    la_child_id = factory.Sequence(lambda n: f"T{n:06d}")


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    child = factory.SubFactory(ChildFactory)
    worker = factory.SubFactory(WorkerFactory)
    team = factory.LazyAttribute(lambda allocation: allocation.worker.team)
    role = AllocationRole.SOCIAL_WORKER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
