from django import template

from newsroom.links import reverse_kept

register = template.Library()


@register.simple_tag
def kept_url(viewname, *args, **kwargs):
    """``{% kept_url "articles:feed" %}``: {% url %}, remembered (links.reverse_kept),
    for the few addresses every page writes. Django's tag reverses on each render, about
    40 microseconds each, and a story page wrote a dozen. Not for a story's own
    addresses: there are a million, which would push the others out. Takes ``as name``,
    but unlike {% url %} raises NoReverseMatch then too."""
    return reverse_kept(viewname, args=args, kwargs=kwargs or None)
