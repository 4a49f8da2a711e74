"""Personas for sharing, on top of the shared ones (``people`` in the root conftest): Pat, a police officer
with a partner sign-in; Hugh, at the health trust; and Alice's child, who lives at 1 Secret Lane."""

import datetime

import pytest

from safeguard.organisation.models import Role
from safeguard.people.models import Address, PersonAddress
from safeguard.sharing.models import AgencyKind, LawfulBasis, PartnerAgency, PartnerUser
from safeguard.sharing.services import share_create
from tests.factories import UserFactory, WorkerFactory

SECRET_ADDRESS = "1 Secret Lane"


@pytest.fixture
def sharing(people):
    p = people
    p.police = PartnerAgency.objects.create(name="Northshire Police", kind=AgencyKind.POLICE)
    p.health = PartnerAgency.objects.create(name="Northshire Health Trust", kind=AgencyKind.HEALTH)

    def partner(username, agency):
        worker = WorkerFactory(user=UserFactory(username=username), role=Role.PARTNER_AGENCY, team=None)
        return PartnerUser.objects.create(worker=worker, agency=agency)

    p.pat = partner("pat", p.police)
    p.paul = partner("paul", p.police)
    p.hugh = partner("hugh", p.health)
    address = Address.objects.create(line_1=SECRET_ADDRESS, town="Northtown", postcode="NT1 1AA")
    PersonAddress.objects.create(
        person=p.alices_child.person, address=address, start_date=datetime.date(2020, 1, 1)
    )
    return p


@pytest.fixture
def make_share(sharing):
    """``make_share(**overrides)``: Tess shares Alice's child's identity and plan with the police for a week."""

    def make(**overrides):
        from django.utils import timezone

        arguments = {
            "child": sharing.alices_child,
            "agency": sharing.police,
            "partner_user": None,
            "fields": ["identity", "plan"],
            "purpose": "Joint s47 enquiry after the strategy discussion",
            "lawful_basis": LawfulBasis.S47_ENQUIRY,
            "last_day": timezone.localdate() + datetime.timedelta(days=7),
            "created_by": sharing.team_manager.user,
        }
        arguments.update(overrides)
        return share_create(**arguments)

    return make
