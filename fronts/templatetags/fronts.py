"""{% section_front front %}: a section's front, above its list of stories on the section
page (the articles app's template calls this; the articles app never imports fronts)."""

from django import template

register = template.Library()


@register.inclusion_tag("fronts/_section_front.html")
def section_front(front):
    """`front` as the section page found it (FrontsConfig.above_section_list), or a
    preview's draft."""
    return {"front": front}
