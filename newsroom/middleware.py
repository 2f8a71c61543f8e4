from django.conf import settings
from django.utils.cache import patch_cache_control


class PublicCacheMiddleware:
    """Mark anonymous, cookie-free GET responses as cacheable by a shared cache.

    Anything personal (a logged-in editor, a response that sets a cookie, a form
    with a CSRF token) is marked private instead, so a CDN never stores it.
    Views that must never be cached (previews) set their own Cache-Control,
    which is left alone.
    """

    cacheable_statuses = {200, 301, 404, 410}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if (
            request.method in ("GET", "HEAD")
            and response.status_code in self.cacheable_statuses
            and not response.cookies
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
