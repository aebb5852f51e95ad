from django import template

from partners.presentation import VOCABULARIES, labels

register = template.Library()


@register.filter
def vocab(slugs, vocabulary):
    """Slugs as their labels: `offer.key_stages|vocab:"key_stages"`."""
    return labels(VOCABULARIES[vocabulary], slugs or [])


def possessive_of(name):
    """ "Rosewood Primary School's", but "Thames Digital Makers'" for a name ending in s."""
    name = str(name)
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


@register.filter
def possessive(name):
    return possessive_of(name)
