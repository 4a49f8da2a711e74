"""The Annex A page, its download and its command: who may, what they get, and the access log."""

import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome
from safeguard.returns.annex_a import lists, workbook
from safeguard.returns.tests.conftest import TODAY
from tests.signing_in import identity_confirmed

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def today(city):
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def client_for(client, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return identity_confirmed(client, user)  # as if they had just confirmed it was them: exports ask


def test_the_analyst_sees_each_lists_rows_and_window_as_at_today(client, today):
    page = client_for(client, "analyst").get(reverse("returns:annex-a"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2026-06-30"' in html and "The lists as at" in html
    for annex_list in lists.LISTS:
        assert f'id="list-{annex_list.number}-count"' in html
        assert annex_list.window.replace("'", "&#39;") in html
    assert "holds no adopter records" in html
    assert 'href="/returns/annex-a/download/?as_of=2026-06-30"' in html
    view = AccessEvent.objects.filter(subject__startswith="Ofsted Annex A at 2026-06-30").latest("pk")
    assert (view.action, view.outcome) == (AccessAction.VIEW, AccessOutcome.ALLOWED)
    assert view.result_count > 0


def test_the_index_links_to_it(client, today):
    page = client_for(client, "analyst").get(reverse("returns:index")).content.decode()
    assert f'href="{reverse("returns:annex-a")}"' in page


def test_an_earlier_date_is_chosen_and_a_bad_one_refused_with_a_message(client, today):
    client_for(client, "director")
    earlier = client.get(reverse("returns:annex-a"), {"as_of": "31/03/2026"})
    assert earlier.status_code == 200 and 'href="/returns/annex-a/download/?as_of=2026-03-31"' in (
        earlier.content.decode()
    )
    for typed, message in [
        ("31/02/2026", "Enter the date as a real date"),
        ("2026-07-01", "today or in the past"),
    ]:
        bad = client.get(reverse("returns:annex-a"), {"as_of": typed})
        assert bad.status_code == 400
        assert message in bad.content.decode() and f'value="{typed}"' in bad.content.decode()


def test_the_download_is_the_workbook_logged_as_an_export(client, today):
    client_for(client, "analyst")
    download = client.get(reverse("returns:annex-a-download"), {"as_of": "2026-06-30"})
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert download["Content-Disposition"] == 'attachment; filename="annex-a-2026-06-30.xlsx"'
    annex, notes = workbook.read(download.content)
    assert notes == [] and annex.as_of == TODAY
    export = AccessEvent.objects.get(
        action=AccessAction.EXPORT, subject__startswith="Ofsted Annex A at 2026-06-30"
    )
    assert export.subject.endswith("annex-a-2026-06-30.xlsx")
    assert export.result_count == annex.children > 0


@pytest.mark.parametrize("username", ["socialworker", "teammanager", "frontdoor", "iro"])
def test_anyone_else_is_refused_and_the_refusal_logged(client, today, username):
    client_for(client, username)
    assert client.get(reverse("returns:annex-a")).status_code == 403
    assert client.get(reverse("returns:annex-a-download")).status_code == 403
    assert AccessEvent.objects.filter(user__username=username, outcome=AccessOutcome.REFUSED).count() == 2


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("returns", *args, stdout=out, stderr=err)
    return 0, out.getvalue(), err.getvalue()


def test_the_command_writes_the_workbook(today, tmp_path):
    output = tmp_path / "annex.xlsx"
    _status, out, err = run("annex-a", "--as-of", "2026-06-30", "--output", str(output))
    annex, notes = workbook.read(output.read_bytes())
    assert notes == [] and annex.as_of == TODAY
    assert f"  List 1 (Contacts): {len(annex.rows[1]):,} rows" in out
    assert "  List 11 (Adopters): 0 rows" in out
    assert f"Wrote Ofsted Annex A as at 30/06/2026 ({annex.children:,} children) to {output}." in out
    assert "Reading the records as at 30/06/2026" in err and "Done" in err


@pytest.mark.parametrize(
    ("as_of", "message"),
    [("30/06/2026", "is not a date: give it as YYYY-MM-DD"), ("2026-07-01", "01/07/2026 is still to come")],
)
def test_the_command_refuses_a_bad_date(today, tmp_path, as_of, message):
    with pytest.raises(CommandError, match=message) as refused:
        run("annex-a", "--as-of", as_of, "--output", str(tmp_path / "x.xlsx"))
    assert refused.value.returncode == 2
    assert not (tmp_path / "x.xlsx").exists()
