import base64

from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from newsroom.cachekeys import shows
from newsroom.clients import client_hash

from . import services
from .models import ADS_TXT_KEY, AdsTxt, Creative
from .signing import (
    CLICK_MAX_AGE,
    CLICK_SALT,
    IMPRESSION_MAX_AGE,
    IMPRESSION_SALT,
    read_token,
)

# A transparent 1x1 GIF, for the no-JavaScript impression pixel.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@never_cache
@require_GET
def click(request, token):
    """Count the click, then send the reader to the creative's own address, and only there."""
    try:
        creative_id, placement_id = read_token(token, salt=CLICK_SALT, max_age=CLICK_MAX_AGE)
        expired = False
    except signing.SignatureExpired:
        # An old page: the reader still gets to the advertiser, the click is not counted.
        creative_id, placement_id = read_token(token, salt=CLICK_SALT)
        expired = True
    except signing.BadSignature:
        raise Http404("This advertisement link is not valid.") from None
    creative = get_object_or_404(Creative.objects.exclude(target_url=""), pk=creative_id)
    if not expired:
        services.click_record(
            creative_id=creative.pk,
            placement_id=placement_id,
            user_agent=request.headers.get("User-Agent", ""),
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
    from a cache count too.
    """
    try:
        creative_id, placement_id = read_token(
            token, salt=IMPRESSION_SALT, max_age=IMPRESSION_MAX_AGE
        )
    except signing.BadSignature:  # includes SignatureExpired
        return HttpResponse(status=400 if request.method == "POST" else 404)
    services.impression_record(
        creative_id=creative_id,
        placement_id=placement_id,
        viewer=client_hash(request) + request.headers.get("User-Agent", ""),
        user_agent=request.headers.get("User-Agent", ""),
    )
    if request.method == "POST":
        return HttpResponse(status=204)
    return HttpResponse(PIXEL, content_type="image/gif")


@require_GET
def ads_txt(request):
    shows(request, ADS_TXT_KEY)
    content = AdsTxt.objects.values_list("content", flat=True).first() or ""
    text = content.strip() + "\n" if content.strip() else ""
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
