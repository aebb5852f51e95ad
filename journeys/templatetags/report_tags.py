from django import template

from artsmark.common.reports.selectors import reports_about

register = template.Library()


@register.inclusion_tag("journeys/reports/partials/panel.html", takes_context=True)
def progress_report_panel(context, journey):
    """The journey page's report panel: the request form and the latest reports (one query)."""
    return {
        "journey": journey,
        "reports": reports_about(subject=journey, kind="progress", limit=5),
        "csrf_token": context.get("csrf_token"),
    }
