from django import template

from partners.presentation import VOCABULARIES, labels

register = template.Library()


@register.filter
def vocab(slugs, vocabulary):
    """Slugs as their labels: `offer.key_stages|vocab:"key_stages"`."""
    return labels(VOCABULARIES[vocabulary], slugs or [])
