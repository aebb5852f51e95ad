"""The dashboard's SVG charts: a text alternative, every figure, no inline styles."""

import datetime

from artsmark.common.charts import labelled_bars, stacked_columns
from insight.presentation import LEVEL_COLOURS
from insight.selectors import add_months


def test_labelled_bars_name_and_value_every_bar():
    svg = str(
        labelled_bars(title="Journeys by stage", rows=[("Registered", 3), ("Awarded <x>", 0)])
    )
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-label="Journeys by stage"' in svg
    assert "<title>Journeys by stage</title>" in svg
    assert "<title>Registered: 3</title>" in svg
    assert "Awarded &lt;x&gt;: 0" in svg  # escaped
    assert svg.count("<rect") == 1  # no bar for zero
    assert "style=" not in svg


def test_labelled_bars_shorten_long_names_but_keep_them_whole_in_titles():
    name = "A very long local authority name indeed, longer than any real one is"
    svg = str(labelled_bars(title="t", rows=[(name, 1)], width=300))
    assert f"<title>{name}: 1</title>" in svg
    assert "…" in svg


def test_stacked_columns_one_segment_per_non_zero_level():
    svg = str(
        stacked_columns(
            title="Awards by level",
            periods=["Q1 2026", "Q2 2026"],
            series=[("Silver", [1, 0]), ("Gold", [2, 0]), ("Platinum", [0, 0])],
            colours=LEVEL_COLOURS,
        )
    )
    assert 'aria-label="Awards by level"' in svg
    assert "<title>Q1 2026, Gold: 2</title>" in svg
    assert "Q2 2026" in svg
    assert svg.count('stroke="#ffffff"') == 2
    assert "style=" not in svg


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 1, 15), -3) == datetime.date(2025, 10, 15)
