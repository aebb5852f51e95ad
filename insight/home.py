"""The home page panel for insight (settings.HOME_PANELS): links to the dashboards the user
may read (one query)."""

from artsmark.schools.models import BridgeOrganisation


def insight_panels(user):
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        organisations = BridgeOrganisation.objects.filter(is_active=True)
    else:
        organisations = BridgeOrganisation.objects.filter(memberships__user=user)
    organisations = list(organisations.order_by("name").only("pk", "name"))
    if not organisations and not user.is_superuser:
        return []
    return [
        {
            "template": "insight/partials/home_insight.html",
            "organisations": organisations,
            "england": user.is_superuser,
        }
    ]
