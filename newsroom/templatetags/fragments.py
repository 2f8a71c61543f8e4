"""{% fragment "card" article.pk variant %}...{% endfragment %}: a part of a page kept
rendered in the shared cache, for as long as nothing it shows changes
(newsroom.fragments). Everything the part shows must be named inside it with
{% shows %}, and everything else it depends on given as the values it varies on."""

from django import template

from newsroom.fragments import (
    cached_fragment,
    fragment_cache_key,
    read_fragments_ahead,
    read_keys_ahead,
)

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context):
        return cached_fragment(
            getattr(context, "request", None),
            self.name,
            [value.resolve(context) for value in self.vary],
            lambda: self.nodelist.render(context),
        )


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes a quoted name, then the values the fragment varies on"
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])


@register.simple_tag(takes_context=True)
def read_ahead(context, name, values):
    """{% read_ahead "search-result" page_obj %}: the fragments `name` of a loop over
    `values` that follows, each varying on its value, read in one round trip."""
    read_fragments_ahead(getattr(context, "request", None), name, values)
    return ""


@register.simple_tag(takes_context=True)
def read_parts_ahead(context, value, *names):
    """{% read_parts_ahead article "story" "story-end" %}: the fragments `names` that
    follow, each varying on `value` alone, read in one round trip (a page without a
    plan of its own would read them one by one)."""
    read_keys_ahead(
        getattr(context, "request", None), [fragment_cache_key(name, [value]) for name in names]
    )
    return ""
