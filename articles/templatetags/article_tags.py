import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.search import excerpt_html
from newsroom.cachekeys import cache_key, shows
from newsroom.links import absolute_url

register = template.Library()

# The same escapes as Django's json_script, so no string can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def article_json_ld(article):
    """The article as schema.org NewsArticle, for search engines."""
    photo = article.card_photo
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.description,
        "mainEntityOfPage": absolute_url(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.modified_at.isoformat(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
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
        data["image"] = [absolute_url(photo.fallback["url"])]
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    # <, > and & are escaped inside the JSON, so it cannot close the script element.
    safe_payload = mark_safe(payload)  # noqa: S308  # nosec B308 B703
    return format_html('<script type="application/ld+json">{}</script>', safe_payload)


register.filter("absolute_url", absolute_url)


@register.simple_tag
def search_excerpt(article, query):
    return excerpt_html(article, query)


@register.inclusion_tag("includes/_picture.html", takes_context=True)
def picture(context, photo, sizes="100vw", loading="lazy", css_class=""):
    """A responsive <picture>: WebP renditions, a JPEG fallback, fixed width and height."""
    if photo is not None and (request := getattr(context, "request", None)) is not None:
        shows(request, cache_key(photo))
    return {"photo": photo, "sizes": sizes, "loading": loading, "css_class": css_class}
