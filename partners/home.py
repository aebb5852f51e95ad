"""Home page panel for partner staff (filled in by the directory work)."""


def partner_panels(user):
    return []
