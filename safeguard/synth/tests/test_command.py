"""``safeguard synth``: refuses a populated database, ``--if-empty``, output."""

import io

import pytest
from django.core.management import CommandError, call_command

from safeguard.people.models import Child
from safeguard.synth.personas import demo_personas
from safeguard.synth.runner import SynthRefused, generate
from safeguard.synth.tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("city", "db")


def test_generate_refuses_a_database_with_children():
    before = Child.objects.count()
    with pytest.raises(SynthRefused, match="already has"):
        generate(seed=1, children=100, today=TODAY)
    assert Child.objects.count() == before


def test_command_refuses_with_a_clear_error():
    with pytest.raises(CommandError, match=r"already has \d+ children"):
        call_command("synth", "--children", "100", "--quiet", stdout=io.StringIO())


def test_if_empty_succeeds_quietly_and_prints_the_personas():
    out = io.StringIO()
    call_command("synth", "--if-empty", "--quiet", stdout=out)
    text = out.getvalue()
    for username in (
        "frontdoor",
        "socialworker",
        "teammanager",
        "headofservice",
        "director",
        "iro",
        "inspector",
        "analyst",
        "admin",
    ):
        assert username in text
    assert "safeguard-demo-2026" in text


def test_bad_options():
    with pytest.raises(CommandError):
        call_command("synth", "--children", "0", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("synth", "--today", "31/03/2026", stdout=io.StringIO())


def test_demo_personas_for_make_demo():
    rows = {row["username"]: row for row in demo_personas()}
    assert rows["socialworker"]["password"] == "safeguard-demo-2026"
    assert rows["teammanager"]["role"] == "Team manager"
    assert all(row["password"] is None for row in demo_personas("not-the-password"))
