from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from newsroom.beacons import PIXEL
from newsroom.cachekeys import shows
from newsroom.clients import client_hash, from_other_site

from . import services
from .models import ADS_TXT_KEY, AdsTxt, Creative
from .signing import (
    CLICK_MAX_AGE,
    CLICK_SALT,
    IMPRESSION_MAX_AGE,
    IMPRESSION_SALT,
    read_token_or_expired,
)


@never_cache
@require_GET
def click(request, token):
    """Count the click, then send the reader to the creative's own address, and only there.

    A click from another site's page (a copied link, or a site sending its visitors
    through our counter: our links are only on our pages) or from an old page still
    takes the reader to the advertiser, but is not counted.
    """
    try:
        creative_id, placement_id, expired = read_token_or_expired(
            token, salt=CLICK_SALT, max_age=CLICK_MAX_AGE
        )
    except signing.BadSignature:
        raise Http404("This advertisement link is not valid.") from None
    creative = get_object_or_404(Creative.objects.exclude(target_url=""), pk=creative_id)
    services.stat_record(
        field="clicks",
        creative_id=creative.pk,
        placement_id=placement_id,
        client=client_hash(request),
        user_agent=request.headers.get("User-Agent", ""),
        cross_site=from_other_site(request),
        expired=expired,
    )
    response = HttpResponseRedirect(creative.target_url)
    response["Referrer-Policy"] = "origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def impression(request, token):
    """An ad was seen: a beacon (POST) from the page's script, or the no-script pixel (GET).

    Counted here rather than when the page is rendered, so impressions of pages served
    from a cache count too. Only our own pages send them: one from another site is
    refused (403), and counted as such.
    """
    refused = HttpResponse(status=400 if request.method == "POST" else 404)
    try:
        creative_id, placement_id, expired = read_token_or_expired(
            token, salt=IMPRESSION_SALT, max_age=IMPRESSION_MAX_AGE
        )
    except signing.BadSignature:
        return refused
    cross_site = from_other_site(request)
    services.stat_record(
        field="impressions",
        creative_id=creative_id,
        placement_id=placement_id,
        client=client_hash(request),
        user_agent=request.headers.get("User-Agent", ""),
        cross_site=cross_site,
        expired=expired,
    )
    if cross_site:
        return HttpResponseForbidden()
    if expired:
        return refused
    if request.method == "POST":
        return HttpResponse(status=204)
    return HttpResponse(PIXEL, content_type="image/gif")


@require_GET
def ads_txt(request):
    shows(request, ADS_TXT_KEY)
    content = AdsTxt.objects.values_list("content", flat=True).first() or ""
    text = content.strip() + "\n" if content.strip() else ""
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
