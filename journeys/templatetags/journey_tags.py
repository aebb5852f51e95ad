"""Template filters for journey pages: what a person reads, not what is stored."""

import datetime

from django import template
from django.utils.dateformat import format as format_date

from journeys.templatetags.award_tags import vocab_labels

register = template.Library()
register.filter("vocab_labels", vocab_labels)


@register.filter
def long_date(value):
    """ "30 November 2026" from a date, or from an ISO date string kept in a frozen snapshot."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if not value:
        return ""
    return format_date(value, "j F Y")
