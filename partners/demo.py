"""Demo partner organisations (filled in by the directory work)."""


def seed(stdout=None):
    return None
