import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import BREAKING_KEY, BreakingNews
from articles.search import excerpt_html
from newsroom.cachekeys import PURGES_KEPT_SECONDS, cache_key, remembered, shows
from newsroom.fragments import cached_fragment
from newsroom.links import absolute_url

register = template.Library()

# What a story's card may be told, besides the story (templates/includes/_card.html).
CARD_OPTIONS = (
    "variant", "show_photo", "show_standfirst", "level", "sizes", "loading", "hide_comments",
    "headline", "standfirst", "photo", "kicker", "thumbnail",
)  # fmt: skip

# The same escapes as Django's json_script, so no string can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def card(context, article, **options):
    """A story's card (includes/_card.html), kept rendered as the fragment "card" for
    the story and the options it is given: ``{% card article show_photo=True %}``. What
    ``{% include %}`` of the card with a ``{% fragment %}`` in it would do, without a
    template's render to tell a kept card's key: a list shows twenty of them."""
    unknown = options.keys() - CARD_OPTIONS
    if unknown:
        raise template.TemplateSyntaxError(f"card takes no {', '.join(sorted(unknown))}")
    # Its comment count too, where it shows one: a list rendered again shows the count
    # of the time.
    count = None if options.get("hide_comments") else article.comment_count
    vary = [article, count, *(options.get(name) for name in CARD_OPTIONS)]

    def render():
        card_template = context.template.engine.get_template("includes/_card.html")
        return card_template.render(context.new({"article": article, **options}))

    return cached_fragment(getattr(context, "request", None), "card", vary, render)


@register.simple_tag
def article_json_ld(article):
    """The article as schema.org NewsArticle, for search engines."""
    photo = article.social_photo
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.description,
        "mainEntityOfPage": absolute_url(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.modified_at.isoformat(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.topics],
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
            for author in article.byline_authors
        ]
        or [{"@type": "Organization", "name": article.agency or settings.SITE_NAME}],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
    }
    if photo is not None:
        data["image"] = json_ld_images(photo)
    return json_ld_script(data)


# Google asks for 16:9, 4:3 and 1:1 images at least 1200 pixels wide:
# https://developers.google.com/search/docs/appearance/structured-data/article
JSON_LD_RATIOS = ("16:9", "4:3", "1:1")


def json_ld_images(photo):
    """The photo's crops as schema.org ImageObjects (one each; a photo stored before
    its crops were made lists its whole picture once)."""
    images = {}
    for ratio in JSON_LD_RATIOS:
        image = photo.large_for(ratio)
        url = absolute_url(image["url"])
        width, height = image["width"], image["height"]
        images.setdefault(
            url, {"@type": "ImageObject", "url": url, "width": width, "height": height}
        )
    return list(images.values())


def json_ld_script(data):
    """`data` as a JSON-LD <script> element."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    # <, > and & are escaped inside the JSON, so it cannot close the script element.
    safe_payload = mark_safe(payload)  # noqa: S308  # nosec B308 B703
    return format_html('<script type="application/ld+json">{}</script>', safe_payload)


register.filter("absolute_url", absolute_url)


@register.simple_tag
def search_excerpt(article, query):
    return excerpt_html(article, query)


# Where static/css/site.css shows a card's photo as a square thumbnail 6.5rem wide
# (phones, in Must read, More articles and listings): there a card gets the 1:1 crop.
PHONE_THUMBNAIL_MEDIA = "(max-width: 39.99em)"
PHONE_THUMBNAIL_SIZES = "6.5rem"
PHONE_THUMBNAIL_RATIO = "1:1"


@register.inclusion_tag("includes/_picture.html", takes_context=True)
def picture(
    context, photo, sizes="100vw", loading="lazy", css_class="", ratio="", phone_thumbnail=False
):
    """A responsive <picture> of the crop `ratio` ("16:9"; "" the whole picture): WebP
    renditions, a JPEG fallback, fixed width and height. With `phone_thumbnail`, phones
    get the square crop instead (sources of their own, with its width and height, so
    nothing shifts). A photo whose licence has ended is a placeholder of the same size,
    decided when the page is built (no page is kept past a licence's end:
    articles.apps.next_public_change)."""
    if photo is None:
        return {"photo": None}
    if (request := getattr(context, "request", None)) is not None:
        shows(request, cache_key(photo))  # a licence extended brings the photo back
    phone = None
    if phone_thumbnail and (jpeg := photo.srcset("JPEG", PHONE_THUMBNAIL_RATIO)):
        phone = {
            "media": PHONE_THUMBNAIL_MEDIA,
            "sizes": PHONE_THUMBNAIL_SIZES,
            "webp": photo.srcset("WEBP", PHONE_THUMBNAIL_RATIO),
            "jpeg": jpeg,
            "fallback": photo.fallback_for(PHONE_THUMBNAIL_RATIO),
        }
    return {
        "photo": photo,
        "licensed": photo.is_licensed,
        "fallback": photo.fallback_for(ratio),
        "webp": photo.srcset("WEBP", ratio),
        "jpeg": photo.srcset("JPEG", ratio),
        "phone": phone,
        "sizes": sizes,
        "loading": loading,
        "css_class": css_class,
    }


@register.inclusion_tag("articles/_breaking.html", takes_context=True)
def breaking_news(context):
    """The breaking-news banner, on every page; purged the moment one goes up, is
    replaced or ends, and never kept past its end (articles.apps.next_public_change)."""
    request = context.get("request")
    if request is not None:
        shows(request, BREAKING_KEY)
    banner = remembered(
        "articles:breaking-news",
        compute=BreakingNews.objects.current,
        keys_of=lambda banner: {BREAKING_KEY},
        seconds=PURGES_KEPT_SECONDS,
    )
    return {"banner": banner if banner is not None and banner.is_showing else None}
