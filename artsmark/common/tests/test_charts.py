from artsmark.common.charts import columns, horizontal_bars


def test_horizontal_bars_draws_a_bar_per_rated_value_and_escapes_text():
    svg = horizontal_bars(
        title="Profile <1>",
        categories=["Being authentic", "Excellence & innovation"],
        series=[("Baseline", [1, None]), ("Latest", [3, 2])],
        scale_max=3,
        scale_labels=["Area for development", "Secure", "Embedded"],
    )

    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title>Profile &lt;1&gt;</title>" in svg
    assert svg.count("<rect") == 3 + 2  # three bars and two legend keys
    assert "Baseline: not rated" in svg
    assert "Excellence &amp; innovation" in svg


def test_horizontal_bars_for_counts_uses_round_ticks():
    svg = horizontal_bars(
        title="Stages", categories=["A", "B"], series=[("Journeys", [37, 2])], scale_max=37
    )

    assert ">40</text>" in svg
    assert ">37</text>" not in svg


def test_columns_draws_each_period():
    svg = columns(
        title="Over time",
        periods=["Jan 26", "Feb 26", "Mar 26"],
        series=[("Registrations", [0, 4, 1]), ("Submissions", [0, 1, 0])],
    )

    assert svg.count("<rect") == 6 + 2
    assert "Feb 26, Registrations: 4" in svg
