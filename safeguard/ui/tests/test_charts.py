"""Server-drawn charts: bars in proportion to their figures, on round ticks, with every period present."""

import pytest

from safeguard.ui.charts import stacked_bars


def test_bars_stack_in_proportion_and_the_axis_ticks_are_round():
    chart = stacked_bars(
        [("Jan", (30, 10)), ("Feb", (0, 0)), ("Mar", (5, 15))], series=["Late", "Open"], summary="s"
    )
    assert [tick.label for tick in chart.ticks] == ["0", "10", "20", "30", "40"]
    jan_late, jan_open, mar_late, mar_open = chart.segments  # February draws nothing
    unit = jan_late.height / 30
    assert jan_open.height == pytest.approx(10 * unit)
    assert mar_late.height == pytest.approx(5 * unit) and mar_open.height == pytest.approx(15 * unit)
    # the second series sits on top of the first
    assert jan_open.y + jan_open.height == pytest.approx(jan_late.y)
    assert jan_late.y + jan_late.height == pytest.approx(chart.plot_bottom)
    assert (jan_open.title, mar_late.title) == ("Jan, open: 10", "Mar, late: 5")
    assert [label.label for label in chart.x_labels] == ["Jan", "Feb", "Mar"]


def test_labels_can_be_thinned_and_an_empty_chart_still_has_an_axis():
    months = [(f"M{n}", (n,)) for n in range(24)]
    assert [
        label.label for label in stacked_bars(months, series=["n"], summary="s", label_every=6).x_labels
    ] == [
        "M0",
        "M6",
        "M12",
        "M18",
    ]
    empty = stacked_bars([], series=["n"], summary="none")
    assert empty.segments == [] and [tick.label for tick in empty.ticks][0] == "0"


def test_a_label_at_the_right_edge_is_anchored_at_its_end_so_it_is_not_cut_off():
    chart = stacked_bars([(f"M{n}", (1,)) for n in range(30)], series=["n"], summary="s")
    first, last = chart.x_labels[0], chart.x_labels[-1]
    assert (first.anchor, last.anchor) == ("middle", "end")
    assert last.x <= chart.width
