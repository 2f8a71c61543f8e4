import json

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from articles.models import BREAKING_KEY, SECTIONS_KEY, BreakingNews
from articles.search import excerpt_html
from comments.counts import counts_url
from newsroom.cachekeys import PURGES_KEPT_SECONDS, cache_key, remembered, shows
from newsroom.fragments import cached_fragment, fragment_cache_key, read_keys_ahead
from newsroom.links import absolute_url
from newsroom.markup import NEWLINE, NOTHING, day_label, format_markup

register = template.Library()

# What a story's card may be told, besides the story (card_html).
CARD_OPTIONS = (
    "variant", "show_photo", "show_standfirst", "level", "sizes", "loading", "hide_comments",
    "headline", "standfirst", "photo", "kicker", "thumbnail",
)  # fmt: skip

# The same escapes as Django's json_script, so no string can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# A story's card, its photo and its byline are written here, not by templates
# (newsroom.markup): a list shows twenty cards, a front twenty-five, and a card rendered
# by the template engine cost about half a millisecond, most of a cold list page. A
# front may show its own headline, standfirst, photo and kicker instead of the story's
# (fronts.pages.ShownCard). `thumbnail`: where the card is one of those site.css shows
# with a square thumbnail on phones. The comment count is as of the card's render: the
# reader's browser brings it up to date (comments.counts), so an approved comment does
# not change the lists.
CARD_HTML = (
    '\n<article class="card{variant}">'
    "\n  "
    "\n  {photo}"
    '\n  <p class="card__section"><a href="{section_url}">{section}</a></p>'
    '\n  <h{level} class="card__headline">{kicker}<a href="{url}">{headline}</a></h{level}>'
    "\n  {standfirst}"
    "\n  "
    '\n  <div class="card__meta">{byline}<time datetime="{datetime}">{date}</time>{comments}</div>'
    "\n</article>\n"
)
CARD_PHOTO_HTML = """
    <a class="card__photo" href="{url}" tabindex="-1" aria-hidden="true">{picture}</a>
  """
CARD_KICKER_HTML = '<span class="card__kicker card__kicker--{lower}">{kicker}</span> '
CARD_STANDFIRST_HTML = '<p class="card__standfirst">{standfirst}</p>'
CARD_COMMENTS_HTML = (
    ' <a class="card__comments" href="{url}#comments" data-comment-counts="{counts_url}"'
    ' data-story="{id}"{hidden}>{count}</a>'
)
CARD_SIZES = "(min-width: 60em) 20em, 100vw"


@register.simple_tag(takes_context=True)
def card(context, article, **options):
    """A story's card, kept rendered as the fragment "card" for the story and the options
    it is given: ``{% card article show_photo=True %}`` (CARD_OPTIONS)."""
    request = getattr(context, "request", None)
    vary = card_vary(article, options)
    return cached_fragment(request, "card", vary, lambda: card_html(request, article, **options))


@register.simple_tag(takes_context=True)
def read_cards_ahead(context, articles, **options):
    """``{% read_cards_ahead articles show_photo=True %}`` before a loop of ``{% card
    article show_photo=True %}`` over `articles`: their kept cards read in one round
    trip, not one each, on a page without a plan of its own."""
    read_keys_ahead(
        getattr(context, "request", None),
        [fragment_cache_key("card", card_vary(article, options)) for article in articles],
    )
    return ""


def card_vary(article, options):
    unknown = options.keys() - CARD_OPTIONS
    if unknown:
        raise template.TemplateSyntaxError(f"card takes no {', '.join(sorted(unknown))}")
    # Its comment count too, where it shows one: a list rendered again shows the count
    # of the time.
    count = None if options.get("hide_comments") else article.comment_count
    return [article, count, *(options.get(name) for name in CARD_OPTIONS)]


def card_html(
    request,
    article,
    *,
    variant="",
    show_photo=False,
    show_standfirst=False,
    level=None,
    sizes=None,
    loading=None,
    hide_comments=False,
    headline="",
    standfirst="",
    photo=None,
    kicker="",
    thumbnail=False,
):
    if request is not None:
        shows(request, cache_key(article), SECTIONS_KEY)
    url = article.get_absolute_url()
    card_photo = photo or article.hero_photo
    card_standfirst = standfirst or article.standfirst
    published_at = template_localtime(article.published_at)
    count = article.comment_count
    return format_markup(
        CARD_HTML,
        variant=format_markup(" card--{variant}", variant=variant) if variant else NOTHING,
        photo=format_markup(
            CARD_PHOTO_HTML,
            url=url,
            picture=picture_html(
                request,
                card_photo,
                sizes=sizes or CARD_SIZES,
                loading=loading or "lazy",
                ratio="16:9",
                phone_thumbnail=thumbnail,
            ),
        )
        if show_photo and card_photo
        else NOTHING,
        section_url=article.section.get_absolute_url(),
        section=article.section.name,
        level=level or 3,
        kicker=format_markup(CARD_KICKER_HTML, lower=str(kicker).lower(), kicker=kicker)
        if kicker
        else NOTHING,
        url=url,
        headline=headline or article.headline,
        standfirst=format_markup(CARD_STANDFIRST_HTML, standfirst=card_standfirst)
        if show_standfirst and card_standfirst
        else NOTHING,
        byline=byline_html(request, article),
        # As {{ published_at|date:"c" }} and {{ published_at|date:"M j, H:i" }}.
        datetime=published_at.isoformat() if published_at else "",
        date=f"{day_label(published_at.date(), 'M j')}, {published_at:%H:%M}"
        if published_at
        else "",
        comments=NOTHING
        if hide_comments
        else format_markup(
            CARD_COMMENTS_HTML,
            url=url,
            counts_url=counts_url(article.pk),
            id=article.pk,
            hidden="" if count else format_markup(" hidden"),
            count=f"{count} comment{'' if count == 1 else 's'}" if count else "",
        ),
    )


BYLINE_AUTHOR_HTML = '<a href="{url}">{name}</a>'
BYLINE_AGENCY_HTML = '<span class="agency">{agency}</span>'


@register.simple_tag(takes_context=True)
def byline(context, article):
    """“By Ada, Bo and Cy with AFP”: the story's authors, linked, and its agency."""
    return byline_html(getattr(context, "request", None), article)


def byline_html(request, article):
    authors = article.byline_authors
    if not (authors or article.agency):
        return NEWLINE
    parts = ['<p class="byline">']
    if authors:
        parts.append("By ")
        for position, author in enumerate(authors, start=1):
            if request is not None:
                shows(request, cache_key(author))
            url = author.get_absolute_url()
            parts.append(format_markup(BYLINE_AUTHOR_HTML, url=url, name=author.name))
            if position < len(authors):
                parts.append(" and " if position == len(authors) - 1 else ", ")
    if article.agency:
        parts.append(" with " if authors else "")
        parts.append(format_markup(BYLINE_AGENCY_HTML, agency=article.agency))
    parts.append("</p>\n")
    # format_markup's output and constants only.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


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


PICTURE_HTML = (
    "<picture>\n  {phone}{webp}"
    '\n  <img src="{src}"{srcset} width="{width}" height="{height}" alt="{alt}"'
    ' loading="{loading}" decoding="async"{css_class}>'
    "\n</picture>\n"
)
PHONE_WEBP_HTML = (
    '<source media="{media}" type="image/webp" srcset="{srcset}" sizes="{sizes}"'
    ' width="{width}" height="{height}">\n  '
)
PHONE_JPEG_HTML = (
    '<source media="{media}" srcset="{srcset}" sizes="{sizes}"'
    ' width="{width}" height="{height}">\n  '
)
WEBP_HTML = '<source type="image/webp" srcset="{srcset}" sizes="{sizes}">'
UNAVAILABLE_HTML = (
    '<img src="{src}" width="{width}" height="{height}" alt="Photo no longer available"'
    ' class="photo-unavailable{css_class}">\n'
)


@register.simple_tag(takes_context=True)
def picture(
    context, photo, sizes="100vw", loading="lazy", css_class="", ratio="", phone_thumbnail=False
):
    """``{% picture photo sizes="8rem" %}``: picture_html's <picture>."""
    return picture_html(
        getattr(context, "request", None),
        photo,
        sizes=sizes,
        loading=loading,
        css_class=css_class,
        ratio=ratio,
        phone_thumbnail=phone_thumbnail,
    )


def picture_html(
    request, photo, *, sizes="100vw", loading="lazy", css_class="", ratio="", phone_thumbnail=False
):
    """A responsive <picture> of the crop `ratio` ("16:9"; "" the whole picture): WebP
    renditions, a JPEG fallback, fixed width and height. With `phone_thumbnail`, phones
    get the square crop instead (sources of their own, with its width and height, so
    nothing shifts). A photo whose licence has ended is a placeholder of the same size,
    decided when the page is built (no page is kept past a licence's end:
    articles.apps.next_public_change)."""
    if photo is None:
        return NEWLINE
    if request is not None:
        shows(request, cache_key(photo))  # a licence extended brings the photo back
    fallback = photo.fallback_for(ratio)
    if not photo.is_licensed:
        return format_markup(
            UNAVAILABLE_HTML,
            src=static("img/photo-unavailable.svg"),
            width=fallback["width"],
            height=fallback["height"],
            css_class=f" {css_class}" if css_class else "",
        )
    phone = NOTHING
    if phone_thumbnail and (jpeg := photo.srcset("JPEG", PHONE_THUMBNAIL_RATIO)):
        square = photo.fallback_for(PHONE_THUMBNAIL_RATIO)
        source = {
            "media": PHONE_THUMBNAIL_MEDIA,
            "sizes": PHONE_THUMBNAIL_SIZES,
            "width": square["width"],
            "height": square["height"],
        }
        webp = photo.srcset("WEBP", PHONE_THUMBNAIL_RATIO)
        phone = format_markup(
            "{webp}{jpeg}",
            webp=format_markup(PHONE_WEBP_HTML, srcset=webp, **source) if webp else NOTHING,
            jpeg=format_markup(PHONE_JPEG_HTML, srcset=jpeg, **source),
        )
    webp = photo.srcset("WEBP", ratio)
    jpeg = photo.srcset("JPEG", ratio)
    return format_markup(
        PICTURE_HTML,
        phone=phone,
        webp=format_markup(WEBP_HTML, srcset=webp, sizes=sizes) if webp else NOTHING,
        src=fallback["url"],
        srcset=format_markup(' srcset="{jpeg}" sizes="{sizes}"', jpeg=jpeg, sizes=sizes)
        if jpeg
        else NOTHING,
        width=fallback["width"],
        height=fallback["height"],
        alt=photo.alt,
        loading=loading,
        css_class=format_markup(' class="{css_class}"', css_class=css_class)
        if css_class
        else NOTHING,
    )


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
