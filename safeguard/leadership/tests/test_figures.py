"""Areas' populations and deprivation: the CSV import (a good file, bad rows named by row and column with
nothing saved, a stored figure replaced only once the old and new values have been shown and confirmed, a
stale confirmation refused), the form, every change audited, and who may read and change them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome, AuditEvent
from safeguard.organisation import services
from safeguard.organisation.models import AreaDeprivation, AreaPopulation

pytestmark = pytest.mark.django_db

GOOD = (
    "area_code,year,children_0_17,source_note\n"
    "N,2024,52400,ONS mid-2024 estimates (Jun 2025)\n"
    'S,2024,"48,100",ONS mid-2024 estimates (Jun 2025)\n'
)
DEPRIVATION = (
    "area_code,year,children_in_relative_poverty_percent,fsm_eligible_percent,source_note\n"
    "N,2024,38.5,31.2,DWP CiLIF 2024 and DfE SPC Jan 2025\n"
    "S,2024,,22.0,DfE SPC Jan 2025\n"
)


def apply(text, *, kind="population", by=None, overwrite=False):
    rows = services.area_figures_parse(kind=kind, text=text)
    plan = services.area_figures_plan(rows)
    return services.area_figures_apply(
        rows=rows, fingerprint=plan.fingerprint, by=by, overwrite_confirmed=overwrite
    )


def test_a_good_file_is_planned_then_saved_and_audited(people):
    rows = services.area_figures_parse(kind="population", text=GOOD)
    plan = services.area_figures_plan(rows)
    assert [c.status for c in plan.changes] == ["new", "new"]
    assert not AreaPopulation.objects.exists()  # checking saves nothing
    services.area_figures_apply(
        rows=rows, fingerprint=plan.fingerprint, by=people.analyst.user, overwrite_confirmed=False
    )
    saved = {p.area.code: (p.year, p.children_0_17) for p in AreaPopulation.objects.select_related("area")}
    assert saved == {"N": (2024, 52_400), "S": (2024, 48_100)}
    events = AuditEvent.objects.filter(action="area_population.recorded")
    assert events.count() == 2
    assert events.first().changes["children_0_17"][0] is None
    assert events.first().actor == people.analyst.user


def test_deprivation_with_one_figure_missing(people):
    apply(DEPRIVATION, kind="deprivation", by=people.director.user)
    north = AreaDeprivation.objects.get(area=people.north, year=2024)
    south = AreaDeprivation.objects.get(area=people.south, year=2024)
    assert (north.children_in_relative_poverty_percent, north.fsm_eligible_percent) == (
        Decimal("38.5"),
        Decimal("31.2"),
    )
    assert (south.children_in_relative_poverty_percent, south.fsm_eligible_percent) == (None, Decimal("22.0"))


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_saved(people):
    text = (
        "area_code,year,children_0_17,source_note\n"
        "N,2024,52400,ONS\n"  # line 2: good
        "X,2024,100,ONS\n"  # line 3: no such area
        "S,24,100,ONS\n"  # line 4: a year out of range
        "S,2024,-5,ONS\n"  # line 5: not a whole number
        "S,2023,0,\n"  # line 6: nought children, and no source
        "N,2024,52000,ONS\n"  # line 7: North 2024 again
    )
    with pytest.raises(services.FiguresRejected) as rejected:
        services.area_figures_parse(kind="population", text=text)
    found = [(p.row, p.column) for p in rejected.value.problems]
    assert found == [
        (3, "area_code"),
        (4, "year"),
        (5, "children_0_17"),
        (6, "children_0_17"),
        (6, "source_note"),
        (7, "year"),
    ]
    assert rejected.value.problems[0].message == "There is no area with the code X"
    assert rejected.value.problems[-1].message == "North 2024 is also on row 2"
    assert not AreaPopulation.objects.exists()


def test_a_file_without_the_columns_is_refused_whole(people):
    with pytest.raises(services.FiguresRejected) as rejected:
        services.area_figures_parse(kind="deprivation", text=GOOD)
    assert {p.column for p in rejected.value.problems} == {
        "children_in_relative_poverty_percent",
        "fsm_eligible_percent",
    }
    assert all(p.row is None for p in rejected.value.problems)


def test_percentages_are_checked(people):
    text = (
        "area_code,year,children_in_relative_poverty_percent,fsm_eligible_percent,source_note\n"
        "N,2024,101,12.25,x\n"
        "S,2024,,,x\n"
    )
    with pytest.raises(services.FiguresRejected) as rejected:
        services.area_figures_parse(kind="deprivation", text=text)
    assert [(p.row, p.column, p.message) for p in rejected.value.problems] == [
        (
            2,
            "children_in_relative_poverty_percent",
            "Children in relative poverty must be a percentage from 0 to 100",
        ),
        (2, "fsm_eligible_percent", "Free school meals must have at most one decimal place"),
        (3, "children_in_relative_poverty_percent", "Give at least one of the two percentages"),
    ]


def test_a_stored_figure_is_replaced_only_when_confirmed(people):
    apply(GOOD, by=people.analyst.user)
    changed = GOOD.replace("52400", "53000")
    rows = services.area_figures_parse(kind="population", text=changed)
    plan = services.area_figures_plan(rows)
    assert [c.status for c in plan.changes] == ["changed", "unchanged"]
    assert plan.overwrites[0].differences == [("children_0_17", 52_400, 53_000)]
    with pytest.raises(ValidationError):
        services.area_figures_apply(
            rows=rows, fingerprint=plan.fingerprint, by=people.analyst.user, overwrite_confirmed=False
        )
    assert AreaPopulation.objects.get(area=people.north).children_0_17 == 52_400
    services.area_figures_apply(
        rows=rows, fingerprint=plan.fingerprint, by=people.analyst.user, overwrite_confirmed=True
    )
    assert AreaPopulation.objects.get(area=people.north).children_0_17 == 53_000
    event = AuditEvent.objects.get(action="area_population.changed")
    assert event.changes == {"children_0_17": [52_400, 53_000]}


def test_a_confirmation_of_a_plan_gone_stale_changes_nothing(people):
    rows = services.area_figures_parse(kind="population", text=GOOD)
    plan = services.area_figures_plan(rows)  # shown: two new figures
    apply(GOOD.replace("52400", "50000"), by=people.director.user)  # meanwhile, someone records North
    with pytest.raises(services.FiguresStale):
        services.area_figures_apply(
            rows=rows, fingerprint=plan.fingerprint, by=people.analyst.user, overwrite_confirmed=True
        )
    assert AreaPopulation.objects.get(area=people.north).children_0_17 == 50_000


# -- the pages ---------------------------------------------------------------------------------------------------


def test_who_reads_and_who_changes_the_figures(people, client_for):
    for persona in (people.director, people.analyst):
        client = client_for(persona)
        assert client.get(reverse("leadership:figures")).status_code == 200
        assert client.get(reverse("leadership:figures_enter")).status_code == 200
        assert client.get(reverse("leadership:figures_import")).status_code == 200
        # An empty form is the form again, with its errors; nothing saved.
        assert client.post(reverse("leadership:figures_enter")).status_code == 400
        assert client.post(reverse("leadership:figures_import")).status_code == 400
    for persona in (people.hos, people.team_manager, people.inspector):
        client = client_for(persona)
        assert client.get(reverse("leadership:figures")).status_code == 200
        assert client.get(reverse("leadership:figures_enter")).status_code == 403
        assert client.post(reverse("leadership:figures_import")).status_code == 403
    for persona in (people.social_worker, people.front_door, people.iro, people.administrator):
        assert client_for(persona).get(reverse("leadership:figures")).status_code == 403
    assert AccessEvent.objects.filter(outcome=AccessOutcome.REFUSED).count() == 10


def test_importing_a_file_shows_the_plan_then_saves_it(people, client_for):
    client = client_for(people.analyst)
    upload = SimpleUploadedFile("populations.csv", GOOD.encode(), content_type="text/csv")
    page = client.post(
        reverse("leadership:figures_import"), {"step": "check", "kind": "population", "file": upload}
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "2 to add, 0 to change" in content
    assert not AreaPopulation.objects.exists()
    fingerprint = content.split('name="fingerprint" value="')[1].split('"')[0]
    done = client.post(
        reverse("leadership:figures_import"),
        {"step": "apply", "kind": "population", "text": GOOD, "fingerprint": fingerprint},
    )
    assert done.status_code == 302
    assert AreaPopulation.objects.count() == 2
    listing = client.get(reverse("leadership:figures")).content.decode()
    assert "52,400" in listing and "ONS mid-2024 estimates (Jun 2025)" in listing


def test_a_bad_file_lists_its_problems_and_saves_nothing(people, client_for):
    client = client_for(people.director)
    bad = GOOD.replace("52400", "lots")
    upload = SimpleUploadedFile("populations.csv", bad.encode(), content_type="text/csv")
    page = client.post(
        reverse("leadership:figures_import"), {"step": "check", "kind": "population", "file": upload}
    )
    assert page.status_code == 400
    assert b"Nothing was saved" in page.content
    assert b"Row 2, children_0_17: The number of children must be a whole number" in page.content
    assert not AreaPopulation.objects.exists()


def test_an_overwrite_by_the_form_shows_old_and_new_and_needs_the_box_ticked(people, client_for):
    apply(GOOD, by=people.analyst.user)
    client = client_for(people.director)
    entry = {
        "step": "check",
        "area": "N",
        "year": "2024",
        "children_0_17": "53000",
        "children_in_relative_poverty_percent": "",
        "fsm_eligible_percent": "",
        "source_note": "Council estimate, Jan 2026",
    }
    page = client.post(reverse("leadership:figures_enter"), entry)
    content = page.content.decode()
    assert page.status_code == 200 and "Figures already recorded that would be replaced" in content
    assert "52,400" in content and "53,000" in content
    fingerprint = content.split('name="fingerprint" value="')[1].split('"')[0]
    confirm = {**entry, "step": "apply", "fingerprint": fingerprint}
    refused = client.post(reverse("leadership:figures_enter"), confirm)
    assert refused.status_code == 400 and b"There is a problem" in refused.content
    assert AreaPopulation.objects.get(area=people.north).children_0_17 == 52_400
    saved = client.post(reverse("leadership:figures_enter"), {**confirm, "overwrite": "yes"})
    assert saved.status_code == 302
    north = AreaPopulation.objects.get(area=people.north)
    assert (north.children_0_17, north.source_note) == (53_000, "Council estimate, Jan 2026")


def test_a_new_figure_by_the_form_is_saved_at_once_and_bad_input_kept(people, client_for):
    client = client_for(people.analyst)
    bad = {"step": "check", "area": "S", "year": "2024", "children_0_17": "many", "source_note": "ONS"}
    page = client.post(reverse("leadership:figures_enter"), bad)
    assert page.status_code == 400
    assert b"There is a problem" in page.content and b'value="many"' in page.content
    nothing = client.post(reverse("leadership:figures_enter"), {**bad, "children_0_17": ""})
    assert b"Give the population, a deprivation figure, or both" in nothing.content
    good = {**bad, "children_0_17": "48100", "fsm_eligible_percent": "22.5"}
    assert client.post(reverse("leadership:figures_enter"), good).status_code == 302
    assert AreaPopulation.objects.get(area=people.south, year=2024).children_0_17 == 48_100
    assert AreaDeprivation.objects.get(area=people.south, year=2024).fsm_eligible_percent == Decimal("22.5")


def test_the_measures_page_shows_counts_rates_and_missing_populations(people, client_for):
    apply("area_code,year,children_0_17,source_note\nN,2024,50000,ONS mid-2024\n", by=people.analyst.user)
    page = client_for(people.director).get(reverse("leadership:measures")).content.decode()
    assert 'id="rates-table"' in page
    assert "No population recorded for South 2024" in page
    assert "50,000" in page and "ONS mid-2024" in page
    assert "Children aged 0 to 17 (2024)" in page
