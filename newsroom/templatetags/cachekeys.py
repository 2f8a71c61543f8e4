"""{% shows article %}, {% shows "latest" %}: what a response shows, as surrogate keys
(newsroom.cachekeys), said where it is shown."""

from django import template

from newsroom import cachekeys

register = template.Library()


@register.simple_tag(takes_context=True)
def shows(context, *things):
    """Note the keys of `things`: model rows (by their key) or key names; None is skipped."""
    request = getattr(context, "request", None)
    if request is not None:
        cachekeys.shows(
            request,
            *(
                thing if isinstance(thing, str) else cachekeys.cache_key(thing)
                for thing in things
                if thing
            ),
        )
    return ""
