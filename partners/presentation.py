"""Turning stored slugs and counts into what pages show (labels, facet groups)."""

from html import escape

from django.urls import reverse
from django.utils.safestring import mark_safe

from artsmark.common.vocab import ART_FORMS, KEY_STAGES, QUALITY_PRINCIPLES, label
from partners.enums import Cost, OfferType
from partners.selectors import ARRAY_FACETS, REGION_FACET

# Each listing column's vocabulary: offer_types, art_forms, key_stages, ...
VOCABULARIES = {column: choices for _, column, choices in ARRAY_FACETS}


def labels(vocabulary, slugs):
    return [label(vocabulary, slug) for slug in slugs]


def facet_groups(form, counts):
    """Each checkbox facet with its options, whether each is ticked and how many matching
    listings each has. Plain values, so the page draws some fifty checkboxes without
    rendering a widget template for each."""
    columns = {name: column for name, column, _ in ARRAY_FACETS}
    columns["region"] = REGION_FACET
    groups = []
    for name, column in columns.items():
        field = form[name]
        ticked = {str(value) for value in (field.value() or [])}
        column_counts = counts.get(column, {})
        options = [
            {
                "value": value,
                "label": text,
                "checked": str(value) in ticked,
                "id": f"id_{name}_{index}",
                "count": column_counts.get(str(value), 0),
                "dom_id": f"count-{name}-{value}",
            }
            for index, (value, text) in enumerate(field.field.options)
        ]
        group = {"name": name, "field": field, "options": options}
        group["checkboxes"] = facet_checkboxes(group)
        groups.append(group)
    return groups


def local_authority_options(form):
    """The <option>s of the local authority select, the chosen one selected: some 150
    options, each value escaped (html.escape, what Django's escape uses) and the whole
    built in one join rather than a template loop or a format_html call per option."""
    chosen = str(form["local_authority"].value() or "")
    options = [("", "Any local authority"), *form.fields["local_authority"].options]
    return mark_safe(  # noqa: S308 (every value and name went through escape)
        "".join(
            f'<option value="{escape(str(value))}"'
            f"{' selected' if str(value) == chosen else ''}>{escape(str(text))}</option>"
            for value, text in options
        )
    )


def facet_checkboxes(group):
    """A facet's checkboxes, each with its label and count, built (escaped) in one join.
    An option no listing among the results has is greyed (partners.css), not hidden: still
    a checkbox with its label, reached by keyboard like the others."""
    name = escape(str(group["name"]))
    return mark_safe(  # noqa: S308 (every value, id and label went through escape)
        "".join(
            f'<div class="form-check"><input class="form-check-input" type="checkbox" '
            f'name="{name}" '
            f'value="{escape(str(option["value"]))}" id="{escape(option["id"])}"'
            f"{' checked' if option['checked'] else ''}>"
            f'<label class="form-check-label" for="{escape(option["id"])}">'
            f"{escape(str(option['label']))} "
            f'<span class="facet-count{"" if option["count"] else " facet-count-none"}" '
            f'id="{escape(option["dom_id"])}">'
            f"({int(option['count'])})</span></label></div>"
            for option in group["options"]
        )
    )


SUMMARY_WORDS = 40


def result_cards(results):
    """What each search result shows, with its link and a summary of its description: one
    URL reversed for the page, not one per result."""
    before, after = reverse("partners:listing", args=["0"]).rsplit("0", 1)
    cards = []
    for listing in results:
        words = listing.description.split()
        summary = " ".join(words[:SUMMARY_WORDS]) + (" …" if len(words) > SUMMARY_WORDS else "")
        cards.append(
            {
                "url": f"{before}{listing.organisation_id}{after}",
                "name": listing.name,
                "place": listing.place,
                "is_artsmark_partner": listing.is_artsmark_partner,
                "offer_count": listing.offer_count,
                "summary": summary,
            }
        )
    return cards


def listing_badges(listing):
    return {
        "offer_types": labels(OfferType.choices, listing.offer_types),
        "art_forms": labels(ART_FORMS, listing.art_forms),
        "key_stages": labels(KEY_STAGES, listing.key_stages),
        "quality_principles": labels(QUALITY_PRINCIPLES, listing.quality_principles),
        "costs": labels(Cost.choices, listing.costs),
    }
