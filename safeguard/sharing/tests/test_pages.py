"""The pages: a manager shares and revokes through the child's record; a partner sees only the shared fields,
only while the share is in force, and every view (and refusal) is in the access log."""

import datetime
import zoneinfo

import time_machine
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome, AuditEvent
from safeguard.sharing.models import LawfulBasis, Share
from safeguard.sharing.services import share_revoke
from safeguard.sharing.tests.conftest import SECRET_ADDRESS
from safeguard.sharing.views import partner_panel

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _record(share):
    return reverse("sharing:record", kwargs={"share_id": share.pk})


def _last_event():
    return AccessEvent.objects.order_by("-pk").first()


def test_a_partner_sees_only_the_shared_fields_and_the_view_is_logged(client_for, make_share, sharing):
    share = make_share(fields=["identity", "plan"])
    response = client_for(sharing.pat.worker).get(_record(share))
    html = response.content.decode()
    assert response.status_code == 200
    assert sharing.alices_child.person.full_name in html
    assert "Not open to children&#39;s social care" in html or "Not open to children's social care" in html
    assert SECRET_ADDRESS not in html  # the address was not shared
    assert sharing.social_worker.name not in html  # nor the allocated worker
    assert sharing.alices_child.person.nhs_number not in html
    event = _last_event()
    assert event.outcome == AccessOutcome.ALLOWED and event.child == sharing.alices_child
    assert event.user == sharing.pat.worker.user
    assert event.basis == f"share {share.pk} with Northshire Police"


def test_a_shared_address_and_contact_appear_when_shared(client_for, make_share, sharing):
    share = make_share(fields=["address", "contact"])
    html = client_for(sharing.paul.worker).get(_record(share)).content.decode()
    assert SECRET_ADDRESS in html and sharing.social_worker.name in html
    assert sharing.alices_child.person.full_name not in html  # identity was not shared


def test_a_share_ends_at_midnight_after_its_last_day(client_for, sharing, make_share):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, tzinfo=LONDON), tick=False):
        share = make_share(last_day=datetime.date(2027, 3, 10))
    assert share.expires_at == datetime.datetime(2027, 3, 11, 0, 0, tzinfo=LONDON)
    # Signed in within each moment: sessions themselves expire, and that is not what is tested here.
    with time_machine.travel(datetime.datetime(2027, 3, 10, 23, 59, 59, tzinfo=LONDON), tick=False):
        assert client_for(sharing.pat.worker).get(_record(share)).status_code == 200
        assert partner_panel(sharing.pat.worker.user, None)["shares"] == [share]
    with time_machine.travel(datetime.datetime(2027, 3, 11, 0, 0, tzinfo=LONDON), tick=False):
        response = client_for(sharing.pat.worker).get(_record(share))
        assert response.status_code == 403
        assert "expired" in response.content.decode()
        assert partner_panel(sharing.pat.worker.user, None)["shares"] == []
    event = _last_event()
    assert event.outcome == AccessOutcome.REFUSED and event.child == sharing.alices_child
    assert event.basis == "this share has expired"


def test_a_revoked_share_is_refused_on_the_very_next_request(client_for, sharing, make_share):
    share = make_share()
    client = client_for(sharing.pat.worker)
    assert client.get(_record(share)).status_code == 200
    share_revoke(share=share, reason="Enquiry closed", revoked_by=sharing.team_manager.user)
    response = client.get(_record(share))
    assert response.status_code == 403 and "revoked" in response.content.decode()
    assert _last_event().outcome == AccessOutcome.REFUSED


def test_a_share_is_refused_to_anyone_it_was_not_given_to(client_for, sharing, make_share):
    share = make_share(partner_user=sharing.pat)
    for worker in [sharing.paul.worker, sharing.hugh.worker, sharing.social_worker, sharing.director]:
        assert client_for(worker).get(_record(share)).status_code == 403
        assert _last_event().outcome == AccessOutcome.REFUSED
    assert client_for(sharing.pat.worker).get(_record(share)).status_code == 200


def test_a_partner_is_refused_the_ordinary_record_and_finds_nothing(client_for, sharing, make_share):
    make_share()  # even with a share in force, the ordinary pages stay closed
    client = client_for(sharing.pat.worker)
    response = client.get(reverse("children:record", kwargs={"child_id": sharing.alices_child.pk}))
    assert response.status_code == 403
    assert _last_event().outcome == AccessOutcome.REFUSED
    child_page = client.get(reverse("sharing:child", kwargs={"child_id": sharing.alices_child.pk}))
    assert child_page.status_code == 403
    found = client.post(
        reverse("children:search"), {"name": sharing.alices_child.person.first_name}, follow=True
    )
    assert sharing.alices_child.la_child_id not in found.content.decode()
    assert AccessEvent.objects.filter(action="search", result_count=0).exists()


def test_the_partner_list_shows_shares_in_force_and_staff_are_refused_it(client_for, sharing, make_share):
    share = make_share()
    revoked = make_share(fields=["address"])
    share_revoke(share=revoked, reason="Wrong agency", revoked_by=sharing.team_manager.user)
    html = client_for(sharing.pat.worker).get(reverse("sharing:index")).content.decode()
    assert _record(share) in html and _record(revoked) not in html
    assert client_for(sharing.social_worker).get(reverse("sharing:index")).status_code == 403


def _form(**overrides):
    data = {
        "agency": "",
        "partner_user": "",
        "fields": ["identity", "address"],
        "lawful_basis": LawfulBasis.S47_ENQUIRY,
        "purpose": "Police need the address for a joint visit",
        "last_day_day": "",
        "last_day_month": "",
        "last_day_year": "",
    }
    data.update(overrides)
    return data


def _last_day(days: int) -> dict:
    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=days)
    return {"last_day_day": day.day, "last_day_month": day.month, "last_day_year": day.year}


def test_a_manager_shares_through_the_childs_page(client_for, sharing):
    url = reverse("sharing:child", kwargs={"child_id": sharing.alices_child.pk})
    client = client_for(sharing.team_manager)
    assert client.get(url).status_code == 200
    response = client.post(url, _form(agency=sharing.police.pk, **_last_day(14)))
    assert response.status_code == 302
    share = Share.objects.get()
    assert share.fields == ["identity", "address"] and share.agency == sharing.police
    page = client.get(url).content.decode()
    assert "Northshire Police" in page and "In force" in page


def test_bad_input_on_the_page_gives_errors_and_stores_nothing(client_for, sharing):
    url = reverse("sharing:child", kwargs={"child_id": sharing.alices_child.pk})
    client = client_for(sharing.team_manager)
    response = client.post(url, _form(agency=sharing.police.pk, fields=[], purpose="", **_last_day(120)))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one thing to share" in html
    assert "Enter why the agency needs this information" in html
    response = client.post(url, _form(agency=sharing.police.pk, **_last_day(120)))
    html = response.content.decode()
    assert response.status_code == 400 and "within 90 days" in html
    assert "Police need the address for a joint visit" in html  # what was typed is kept
    assert not Share.objects.exists() and not AuditEvent.objects.exists()


def test_a_social_worker_sees_the_shares_but_may_not_share_or_revoke(client_for, sharing, make_share):
    share = make_share()
    url = reverse("sharing:child", kwargs={"child_id": sharing.alices_child.pk})
    client = client_for(sharing.social_worker)
    page = client.get(url)
    assert page.status_code == 200 and "Northshire Police" in page.content.decode()
    assert client.post(url, _form(agency=sharing.police.pk, **_last_day(14))).status_code == 403
    revoke = reverse("sharing:revoke", kwargs={"child_id": sharing.alices_child.pk, "share_id": share.pk})
    assert client.post(revoke, {"reason": "no"}).status_code == 403
    assert Share.objects.count() == 1 and Share.objects.get().revoked_at is None


def test_a_manager_revokes_through_the_page(client_for, sharing, make_share):
    share = make_share()
    revoke = reverse("sharing:revoke", kwargs={"child_id": sharing.alices_child.pk, "share_id": share.pk})
    client = client_for(sharing.team_manager)
    assert client.get(revoke).status_code == 200
    assert client.post(revoke, {"reason": ""}).status_code == 400
    assert client.post(revoke, {"reason": "Enquiry closed"}).status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None and share.revoked_reason == "Enquiry closed"
    assert client_for(sharing.pat.worker).get(_record(share)).status_code == 403


def test_a_share_of_a_record_later_restricted_is_refused(client_for, sharing, make_share):
    """A restriction (here a sealed adoption) closes the record to everyone not on its access list: a share
    made before it gives the partner nothing from the next request."""
    from safeguard.organisation.models import Role
    from safeguard.restrictions.models import RestrictionKind
    from safeguard.restrictions.services import restriction_set
    from tests.factories import UserFactory, WorkerFactory

    share = make_share()
    client = client_for(sharing.pat.worker)
    assert client.get(_record(share)).status_code == 200
    officer = WorkerFactory(user=UserFactory(username="gita"), role=Role.INFORMATION_GOVERNANCE, team=None)
    restriction_set(
        child=sharing.alices_child,
        kind=RestrictionKind.SEALED_ADOPTION,
        reason="Adopted",
        set_by=officer.user,
    )
    response = client.get(_record(share))
    assert response.status_code == 403
    assert sharing.alices_child.person.full_name not in response.content.decode()
    assert _last_event().outcome == AccessOutcome.REFUSED


def test_the_partner_home_page_lists_the_shares_in_force(client_for, sharing, make_share, monkeypatch):
    """With the entry the home page needs for the partner role (safeguard/ui/views.py HOME_TEMPLATES)."""
    from safeguard.organisation.models import Role
    from safeguard.ui.views import HOME_TEMPLATES

    monkeypatch.setitem(HOME_TEMPLATES, Role.PARTNER_AGENCY, "sharing/partner_home.html")
    share = make_share()
    response = client_for(sharing.pat.worker).get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Northshire Police" in html and _record(share) in html
    assert sharing.alices_child.person.full_name not in html  # the list names no child: the share does
