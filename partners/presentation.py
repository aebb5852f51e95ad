"""Turning stored slugs and counts into what pages show (labels, facet groups)."""

from artsmark.common.vocab import ART_FORMS, KEY_STAGES, QUALITY_PRINCIPLES, label
from partners.enums import Cost, OfferType
from partners.selectors import ARRAY_FACETS

VOCABULARIES = {
    "offer_types": OfferType.choices,
    "art_forms": ART_FORMS,
    "key_stages": KEY_STAGES,
    "quality_principles": QUALITY_PRINCIPLES,
    "costs": Cost.choices,
}


def labels(vocabulary, slugs):
    return [label(vocabulary, slug) for slug in slugs]


def facet_groups(form, counts):
    """Each checkbox facet with its options, whether each is ticked and how many matching
    listings each has. Plain values, so the page draws some fifty checkboxes without
    rendering a widget template for each."""
    columns = {name: column for name, column, _ in ARRAY_FACETS}
    columns["region"] = "serves_regions"
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
            for index, (value, text) in enumerate(field.field.choices)
        ]
        groups.append({"name": name, "field": field, "options": options})
    return groups


def local_authority_options(form):
    """The local authority choices with the chosen one marked, worked out once, not once
    per option in the template."""
    chosen = str(form["local_authority"].value() or "")
    return [
        {"value": value, "label": text, "selected": str(value) == chosen}
        for value, text in form.fields["local_authority"].choices
    ]


def listing_badges(listing):
    return {
        "offer_types": labels(OfferType.choices, listing.offer_types),
        "art_forms": labels(ART_FORMS, listing.art_forms),
        "key_stages": labels(KEY_STAGES, listing.key_stages),
        "quality_principles": labels(QUALITY_PRINCIPLES, listing.quality_principles),
        "costs": labels(Cost.choices, listing.costs),
    }
