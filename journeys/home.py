"""Home page panels for journeys (filled in by the journeys work)."""


def journey_panels(user):
    return []


def reviewer_panels(user):
    return []
