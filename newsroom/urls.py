from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter

from ads import views as ads_views
from articles.sitemaps import index as sitemap_index
from articles.sitemaps import month_sitemap, news_sitemap, sitemap
from comments import views as comments_views
from comments.converters import CountsBlockConverter

from . import views

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = settings.SITE_NAME

register_converter(CountsBlockConverter, "counts_block")

handler400 = "newsroom.views.bad_request"
handler500 = "newsroom.views.server_error"

urlpatterns = [
    # Staff's second factor, under the admin's address (never cached, see deploy/).
    path(f"{settings.ADMIN_URL}security/", include("accounts.urls")),
    path(
        f"{settings.ADMIN_URL}security/webauthn/",
        include("django_otp_webauthn.urls", namespace="otp_webauthn"),
    ),
    # The owner's way past a sign-in lockout: a reset link by e-mail.
    path(f"{settings.ADMIN_URL}password-reset/", include("accounts.password_urls")),
    # The editing desk's autosave, under the admin's address (never cached).
    path(f"{settings.ADMIN_URL}editing/", include("editing.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap_index, name="sitemap-index"),
    re_path(
        r"^sitemap-articles-(?P<year>[12][0-9]{3})-(?P<month>0[1-9]|1[0-2])\.xml$",
        month_sitemap,
        name="sitemap-articles-month",
    ),
    path("sitemap-<section>.xml", sitemap, name="sitemap-section"),
    path("news-sitemap.xml", news_sitemap, name="sitemap-news"),
    path("comments/", include("comments.urls")),
    # Not under comments/, which no cache keeps (posts, reports): these are kept.
    path(
        "comment-counts/<counts_block:block>/",
        comments_views.comment_counts,
        name="comment-counts",
    ),
    path("ads/", include("ads.urls")),
    path("live/", include("liveblog.urls")),
    path("ads.txt", ads_views.ads_txt, name="ads-txt"),
    path("", include("fronts.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
