"""Template tags for awards: the school page's list of awards (the schools app must not
import journeys, so its template loads this), and vocabulary labels for stored slugs."""

from django import template

from artsmark.common import vocab

register = template.Library()

VOCABULARIES = {
    "quality_principles": vocab.QUALITY_PRINCIPLES,
    "strands": vocab.STRANDS,
    "art_forms": vocab.ART_FORMS,
}


@register.inclusion_tag("journeys/impact/partials/school_awards.html")
def school_awards(school):
    """The school's Artsmark awards with level, date and expiry (one query)."""
    from journeys.impact_selectors import awards_of_school

    return {"school": school, "awards": awards_of_school(school=school)}


@register.filter
def vocab_labels(slugs, vocabulary):
    """Labels of a list of slugs of a shared vocabulary, joined with commas."""
    choices = VOCABULARIES.get(vocabulary, [])
    return ", ".join(vocab.label(choices, slug) for slug in slugs or [])
