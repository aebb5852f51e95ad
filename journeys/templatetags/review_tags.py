"""`{% review_feedback journey part %}`: the reviewer's feedback beside the school's draft.

Shown while a returned Statement of Commitment is being redrafted. `part` is a section slug,
"goals", "self-assessment", or "all" (the task list: the feedback and every comment). At
most two queries a page (the review, its comments), however often the tag is used.
"""

from django import template

from journeys.review_selectors import PART_TITLES, returned_feedback

register = template.Library()


@register.inclusion_tag("journeys/review/partials/school_feedback.html", takes_context=True)
def review_feedback(context, journey, part="all", title=""):
    feedback = returned_feedback(journey=journey)
    if feedback is None:
        return {"feedback": None}
    _remember_section_titles(journey, context)
    comments = feedback["comments"]
    if part == "all":
        shown = list(comments.values())
    else:
        shown = [c for c in (comments.get(part), comments.get("general")) if c is not None]
    return {
        "feedback": feedback,
        "part": part,
        "comments": [
            {"title": _part_title(journey, c.part, part, title), "text": c.text} for c in shown
        ],
    }


def _remember_section_titles(journey, context):
    """The task list has its sections in its context already: no need to ask for them."""
    if getattr(journey, "_review_section_titles", None) is not None:
        return
    rows = context.get("sections")
    try:
        titles = {row["section"].slug: row["section"].title for row in rows}
    except (TypeError, KeyError, AttributeError):
        return
    journey._review_section_titles = titles


def _part_title(journey, comment_part, shown_part, title):
    if comment_part in PART_TITLES:
        return PART_TITLES[comment_part]
    if comment_part == shown_part and title:
        return title
    titles = getattr(journey, "_review_section_titles", None)
    if titles is None:
        titles = dict(journey.framework.sections.values_list("slug", "title"))
        journey._review_section_titles = titles
    return titles.get(comment_part, comment_part)
