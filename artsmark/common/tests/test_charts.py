from artsmark.common.charts import columns, horizontal_bars


def test_horizontal_bars_draws_a_bar_per_rated_value_and_escapes_text():
    chart = horizontal_bars(
        title="Profile <1>",
        categories=["Being authentic", "Excellence & innovation"],
        series=[("Baseline", [1, None]), ("Latest", [3, 2])],
        scale_max=3,
        scale_labels=["Area for development", "Secure", "Embedded"],
    )

    assert chart.startswith('<div class="chart" role="group" aria-label="Profile &lt;1&gt;">')
    assert chart.count("<rect") == 3 + 2  # three bars and two legend keys
    # Names are HTML text; each category's SVG says what its bars show.
    assert '<p class="chart-label">Excellence &amp; innovation (Baseline: not rated)</p>' in chart
    assert "<title>Being authentic: Baseline Area for development, Latest Embedded</title>" in chart
    assert "<title>Excellence &amp; innovation: Latest Secure</title>" in chart
    assert chart.count("<text") == 2 + 3  # the legend's names and the scale's three labels


def test_horizontal_bars_for_counts_uses_round_ticks():
    chart = horizontal_bars(
        title="Stages", categories=["A", "B"], series=[("Journeys", [37, 2])], scale_max=37
    )

    assert ">40</text>" in chart
    assert ">37</text>" not in chart
    assert "<title>A: Journeys 37</title>" in chart


def test_columns_draws_each_period():
    svg = columns(
        title="Over time",
        periods=["Jan 26", "Feb 26", "Mar 26"],
        series=[("Registrations", [0, 4, 1]), ("Submissions", [0, 1, 0])],
    )

    assert svg.count("<rect") == 6 + 2
    assert "Feb 26, Registrations: 4" in svg
