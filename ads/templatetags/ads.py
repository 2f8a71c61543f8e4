"""Ad slots in templates: {% ad_slot "sidebar-top" page="article" section=article.section %},
the in-article slots inside a body, and slots between the items of a list."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ads.insertion import insert_slots
from ads.models import ADS_KEY
from ads.placements import IN_ARTICLE, LIST_INLINE
from ads.selection import choose, live_ads
from ads.signing import CLICK_SALT, IMPRESSION_SALT, make_token
from newsroom.cachekeys import shows

register = template.Library()


def render_slot(key, *, page=None, section=None, ordinal=1):
    """The slot's HTML, from an autoescaped template (a SafeString), or "" for nothing.

    `ordinal` numbers the repeats of one placement on a page (in-article, in a list), so
    each landmark has a name of its own for screen readers.
    """
    ads = live_ads()
    placement = ads.placements.get(key)
    if placement is None:
        return ""
    creative = choose(
        ads.candidates,
        placement=key,
        page_type=page,
        section_id=getattr(section, "pk", section),
    )
    if creative is None and placement.collapse_when_empty:
        return ""
    tokens = {}
    if creative is not None:
        tokens = {
            "click_token": make_token(creative.pk, placement.pk, salt=CLICK_SALT),
            "impression_token": make_token(creative.pk, placement.pk, salt=IMPRESSION_SALT),
        }
    return render_to_string(
        "ads/_slot.html",
        {"placement": placement, "creative": creative, "ordinal": ordinal, **tokens},
    )


def _shows_ads(context):
    """A page with a slot shows the live ads: any change to them purges it."""
    if (request := getattr(context, "request", None)) is not None:
        shows(request, ADS_KEY)


@register.simple_tag(takes_context=True)
def ad_slot(context, key, page=None, section=None):
    """One placement: the chosen ad in its reserved space, or the empty space."""
    _shows_ads(context)
    return render_slot(key, page=page, section=section)


@register.simple_tag(takes_context=True)
def article_body_with_ads(context, article):
    """The article body with in-article slots between its paragraphs."""
    _shows_ads(context)
    placement = live_ads().placements.get(IN_ARTICLE)
    rules = {}
    if placement is not None:
        rules = {
            "after": placement.after_paragraph,
            "repeat_every": placement.repeat_every,
            "clear_of_end": placement.clear_of_end,
            "min_paragraphs": placement.min_paragraphs,
        }
    # The body is sanitised to an allow-list on every save and the slots are rendered
    # templates; without rules the body comes back as it is.
    return mark_safe(  # noqa: S308  # nosec B308 B703
        insert_slots(
            article.body,
            lambda index: render_slot(
                IN_ARTICLE, page="article", section=article.section_id, ordinal=index + 1
            ),
            **rules,
        )
    )


@register.simple_tag(takes_context=True)
def list_ad_slot(context, position, total, page=None, section=None):
    """After every Nth item of a list (never after the last one)."""
    _shows_ads(context)
    placement = live_ads().placements.get(LIST_INLINE)
    every = placement.every_n_items if placement else None
    if not every or position % every or position >= total:
        return ""
    return render_slot(LIST_INLINE, page=page, section=section, ordinal=position // every)
