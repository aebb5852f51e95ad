"""Reads for the impact pages."""


def journey_page_extra(*, journey, user):
    """What the journey page shows of the impact part (a fixed number of queries)."""
    return {}
