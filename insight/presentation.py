"""The dashboard's charts, drawn on the server from its data (insight.selectors)."""

from artsmark.common import charts

# Award levels in the stacked columns: each 3:1 or more on white (WCAG 2.2, 1.4.11).
LEVEL_COLOURS = ["#6b6b6b", "#946c00", "#0b3d6e"]  # Silver, Gold, Platinum
# The local authority chart shows this many; its table lists every one.
MOST_LOCAL_AUTHORITIES = 20


def _bars(title, rows):
    return charts.labelled_bars(title=title, rows=rows)


def local_authorities_charted(by_local_authority):
    """The local authorities the chart draws: all, or the most journeys first if many."""
    if len(by_local_authority) <= MOST_LOCAL_AUTHORITIES:
        return by_local_authority, False
    ranked = sorted(by_local_authority, key=lambda row: (-row["total"], row["name"]))
    return ranked[:MOST_LOCAL_AUTHORITIES], True


def dashboard_charts(data):
    charted, is_top = local_authorities_charted(data["by_local_authority"])
    la_title = (
        f"Journeys by local authority: the {MOST_LOCAL_AUTHORITIES} with the most"
        if is_top
        else "Journeys by local authority"
    )
    awards = data["awards"]
    quarters = [row["quarter"] for row in awards["by_quarter"]]
    return {
        "stage": _bars(
            "Journeys by stage",
            [(row["label"], row["count"]) for row in data["by_stage"]["rows"]],
        ),
        "region": _bars(
            "Journeys by region", [(row["name"], row["total"]) for row in data["by_region"]]
        ),
        "local_authority": _bars(la_title, [(row["name"], row["total"]) for row in charted]),
        "local_authority_is_top": is_top,
        "local_authority_top": MOST_LOCAL_AUTHORITIES,
        "phase": _bars(
            "Journeys by phase of education",
            [(row["name"], row["total"]) for row in data["by_phase"]],
        ),
        "awards": charts.stacked_columns(
            title="Awards by level in each quarter of the last two years",
            periods=quarters,
            series=[
                (level, [row["levels"][index] for row in awards["by_quarter"]])
                for index, level in enumerate(awards["levels"])
            ],
            colours=LEVEL_COLOURS,
        ),
        "art_forms": _bars(
            "Published partner listings serving the area, by art form",
            [(row["name"], row["count"]) for row in data["partners"]["by_art_form"]],
        ),
        "offer_types": _bars(
            "Published partner listings serving the area, by type of offer",
            [(row["name"], row["count"]) for row in data["partners"]["by_offer_type"]],
        ),
    }
