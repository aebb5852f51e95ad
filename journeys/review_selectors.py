"""Reads for the review pages."""


def journey_page_extra(*, journey, user):
    """What the journey page shows of the review part (a fixed number of queries)."""
    return {}
