"""Ad slots in templates: {% ad_slot "sidebar-top" page="article" section=article.section %},
the in-article slots inside a body, and slots between the items of a list."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ads.insertion import insert_slots, slot_positions, split_top_level
from ads.models import ADS_KEY
from ads.placements import IN_ARTICLE, LIST_INLINE
from ads.selection import choose, live_ads
from ads.signing import CLICK_SALT, IMPRESSION_SALT, make_token, token_hour
from newsroom.cachekeys import shows
from newsroom.fragments import hole, hole_renderer

register = template.Library()


def render_slot(key, *, page=None, section=None, ordinal=1):
    """The slot's HTML, from an autoescaped template (a SafeString), or "" for nothing.

    `ordinal` numbers the repeats of one placement on a page (in-article, in a list), so
    each landmark has a name of its own for screen readers. The HTML is kept with the
    live ads it was rendered from, for the hour its tokens name.
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
    rendered_as = (key, getattr(creative, "pk", None), ordinal, token_hour())
    html = ads.rendered.get(rendered_as)
    if html is None:
        tokens = {}
        if creative is not None:
            tokens = {
                "click_token": make_token(creative.pk, placement.pk, salt=CLICK_SALT),
                "impression_token": make_token(creative.pk, placement.pk, salt=IMPRESSION_SALT),
            }
        html = render_to_string(
            "ads/_slot.html",
            {"placement": placement, "creative": creative, "ordinal": ordinal, **tokens},
        )
        ads.rendered[rendered_as] = html
    return html


@hole_renderer("ad-slot")
def _slot_hole(request, key, page, section_id, ordinal):
    return render_slot(key, page=page, section=section_id, ordinal=ordinal)


def slot(context, key, *, page=None, section=None, ordinal=1):
    """A slot whose ad is chosen for each request, even inside a fragment kept rendered
    (a hole: newsroom.fragments)."""
    section_id = getattr(section, "pk", section)
    request = getattr(context, "request", None)
    if request is None:
        return render_slot(key, page=page, section=section_id, ordinal=ordinal)
    return hole(request, "ad-slot", key, page, section_id, ordinal)


def ads_off(context, article=None):
    """A page that carries no advertising at all (a sensitive story's, whose context
    says `no_ads`: articles.pages.article_page_context), or a slot inside the story
    `article` that must carry none (`Article.shows_ads`, read from the story itself, so
    a template included with a context of its own needs to pass nothing on): no slot,
    so no beacon."""
    return bool(context.get("no_ads")) or (article is not None and not article.shows_ads)


def _shows_ads(context):
    """A page with a slot shows the live ads: any change to them purges it."""
    if (request := getattr(context, "request", None)) is not None:
        shows(request, ADS_KEY)


@register.simple_tag(takes_context=True)
def ad_slot(context, key, page=None, section=None):
    """One placement: the chosen ad in its reserved space, or the empty space."""
    if ads_off(context):
        return ""
    _shows_ads(context)
    return slot(context, key, page=page, section=section)


def _in_article_rules():
    """Where the in-article placement goes in a body (no rules: nowhere)."""
    placement = live_ads().placements.get(IN_ARTICLE)
    if placement is None:
        return {}
    return {
        "after": placement.after_paragraph,
        "repeat_every": placement.repeat_every,
        "clear_of_end": placement.clear_of_end,
        "min_paragraphs": placement.min_paragraphs,
    }


@register.simple_tag(takes_context=True)
def article_body_with_ads(context, article, html=None):
    """The article body (or `html`, the body as the page shows it) with in-article slots
    between its paragraphs."""
    body = article.body if html is None else html
    if ads_off(context, article):
        # Sanitised on every save, as below.
        return mark_safe(body)  # noqa: S308  # nosec B308 B703
    _shows_ads(context)
    rules = _in_article_rules()
    # The body is sanitised to an allow-list on every save, and its blocks (articles.blocks)
    # and the slots are rendered templates; without rules the body comes back as it is.
    return mark_safe(  # noqa: S308  # nosec B308 B703
        insert_slots(
            body,
            lambda index: slot(
                context, IN_ARTICLE, page="article", section=article.section_id, ordinal=index + 1
            ),
            **rules,
        )
    )


@register.simple_tag(takes_context=True)
def list_ad_slot(context, position, total, page=None, section=None):
    """After every Nth item of a list (never after the last one)."""
    if ads_off(context):
        return ""
    _shows_ads(context)
    placement = live_ads().placements.get(LIST_INLINE)
    every = placement.every_n_items if placement else None
    if not every or position % every or position >= total:
        return ""
    return slot(context, LIST_INLINE, page=page, section=section, ordinal=position // every)


@register.simple_tag(takes_context=True)
def entry_ad_slot(context, position, total, every, article):
    """After every `every`th entry of a live article's page (never after the last one):
    the in-article placement, as the entries are the story told in pieces. Its slots
    are numbered on from the body's, so every slot on the page has a name of its own."""
    if ads_off(context, article):
        return ""
    _shows_ads(context)
    if not every or position % every or position >= total:
        return ""
    body_slots = context.render_context.get(("in-article slots", article.pk))
    if body_slots is None:
        rules = _in_article_rules()
        paragraphs = sum(is_paragraph for _, is_paragraph in split_top_level(article.body))
        body_slots = len(slot_positions(paragraphs, **rules)) if rules else 0
        context.render_context[("in-article slots", article.pk)] = body_slots
    return slot(
        context,
        IN_ARTICLE,
        page="article",
        section=article.section_id,
        ordinal=body_slots + position // every,
    )
