"""The returns pages: who sees what, downloads logged, queries explained."""

import re

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome, AuditEvent
from safeguard.returns.models import QueryExplanation
from tests.signing_in import identity_confirmed

pytestmark = pytest.mark.django_db

YEAR = 2026  # 2025-26: complete by the synthetic city's today (30 June 2026)


@pytest.fixture
def today(city):
    import time_machine

    from safeguard.returns.tests.conftest import TODAY

    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def figure(page, name: str) -> int:
    """A headline figure on the report (children, errors or queries)."""
    match = re.search(rf'id="{name}-count">([0-9,]+)<', page.content.decode())
    return int(match[1].replace(",", ""))


def client_for(client, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return identity_confirmed(client, user)  # as if they had just confirmed it was them: exports ask


def test_the_analyst_sees_the_whole_return_and_downloads_it(client, today):
    client_for(client, "analyst")
    page = client.get(reverse("returns:report", args=["cin-census", YEAR]))
    assert page.status_code == 200
    assert b"Download the XML" in page.content
    view = AccessEvent.objects.filter(subject__startswith="CIN census 2025-26 validation").latest("pk")
    assert (view.action, view.outcome) == (AccessAction.VIEW, AccessOutcome.ALLOWED)
    download = client.get(reverse("returns:download", args=["cin-census", YEAR]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="cin-census-2025-26.xml"'
    assert download.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Message>')
    export = AccessEvent.objects.get(
        action=AccessAction.EXPORT, subject="CIN census 2025-26 cin-census-2025-26.xml"
    )
    assert export.result_count == download.content.count(b"<Child>") > 0


def test_a_team_manager_sees_only_their_childrens_failures_and_downloads_nothing(client, today):
    whole = client_for(client, "analyst").get(reverse("returns:report", args=["cin-census", YEAR]))
    client.logout()
    client_for(client, "teammanager")
    page = client.get(reverse("returns:report", args=["cin-census", YEAR]))
    assert page.status_code == 200
    assert b"Only the children you may see are shown" in page.content
    assert 0 < figure(page, "children") < figure(whole, "children")
    assert b"Download the XML" not in page.content
    assert client.get(reverse("returns:download", args=["cin-census", YEAR])).status_code == 403


@pytest.mark.parametrize("username", ["socialworker", "frontdoor", "iro", "admin"])
def test_anyone_else_is_refused_and_the_refusal_logged(client, today, username):
    client_for(client, username)
    assert client.get(reverse("returns:index")).status_code == 403
    assert client.get(reverse("returns:report", args=["cin-census", YEAR])).status_code == 403
    assert AccessEvent.objects.filter(user__username=username, outcome=AccessOutcome.REFUSED).count() == 2


def test_a_year_without_rules_or_not_yet_begun_is_not_found(client, today):
    client_for(client, "analyst")
    assert client.get(reverse("returns:report", args=["cin-census", 2022])).status_code == 404
    assert client.get(reverse("returns:report", args=["cin-census", 2028])).status_code == 404


def test_the_index_offers_each_year_from_the_first_with_rules(client, today):
    page = client_for(client, "analyst").get(reverse("returns:index")).content.decode()
    offered = re.findall(r"CIN census (\d{4}-\d{2})</a>", page)
    assert re.findall(r"SSDA903 (\d{4}-\d{2})</a>", page) == offered
    assert offered == ["2026-27", "2025-26", "2024-25", "2023-24", "2022-23"]
    assert "CIN census 2025-26</a> (due this year)" in page


def test_the_analyst_explains_a_query_and_it_shows_on_the_report(client, today):
    client_for(client, "analyst")
    url = reverse("returns:explain", args=["cin-census", YEAR, "8670Q"]) + "?child=NB1"
    assert client.get(url).status_code == 200
    empty = client.post(url, {"child": "NB1", "explanation": "  "})
    assert empty.status_code == 400 and "Enter why the data is right" in empty.content.decode()
    assert not QueryExplanation.objects.exists()
    saved = client.post(url, {"child": "NB1", "explanation": "Assessment paused: the family were abroad."})
    assert saved.status_code == 302
    explanation = QueryExplanation.objects.get()
    assert (explanation.code, explanation.la_child_id, explanation.year) == ("8670Q", "NB1", YEAR)
    assert AuditEvent.objects.filter(
        action="query_explanation.recorded", entity_id=str(explanation.pk)
    ).exists()
    # An analyst who read the first version cannot overwrite a newer one unseen.
    client.post(url, {"child": "NB1", "explanation": "Second thoughts.", "version": "1"})
    stale = client.post(url, {"child": "NB1", "explanation": "Stale edit.", "version": "1"})
    assert stale.status_code == 400 and "Someone else changed the explanation" in stale.content.decode()
    assert QueryExplanation.objects.get().explanation == "Second thoughts."


def test_an_error_cannot_be_explained_away(client, today):
    client_for(client, "analyst")
    assert client.get(reverse("returns:explain", args=["cin-census", YEAR, "8805"])).status_code == 404


def test_only_analysts_explain(client, today):
    client_for(client, "director")
    url = reverse("returns:explain", args=["cin-census", YEAR, "8670Q"]) + "?child=NB1"
    assert client.post(url, {"child": "NB1", "explanation": "Fine."}).status_code == 403
    assert not QueryExplanation.objects.exists()
