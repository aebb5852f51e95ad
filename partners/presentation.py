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
    """Each checkbox facet with its options and how many matching listings each has."""
    columns = {name: column for name, column, _ in ARRAY_FACETS}
    columns["region"] = "serves_regions"
    groups = []
    for name, column in columns.items():
        field = form[name]
        options = [
            {
                "widget": widget,
                "count": counts.get(column, {}).get(str(widget.data["value"]), 0),
                "dom_id": f"count-{name}-{widget.data['value']}",
            }
            for widget in field
        ]
        groups.append({"name": name, "field": field, "options": options})
    return groups


def listing_badges(listing):
    return {
        "offer_types": labels(OfferType.choices, listing.offer_types),
        "art_forms": labels(ART_FORMS, listing.art_forms),
        "key_stages": labels(KEY_STAGES, listing.key_stages),
        "quality_principles": labels(QUALITY_PRINCIPLES, listing.quality_principles),
        "costs": labels(Cost.choices, listing.costs),
    }
