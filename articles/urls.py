from django.urls import path, register_converter

from . import feeds, views
from .converters import TwoDigitConverter

register_converter(TwoDigitConverter, "dd")

app_name = "articles"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("latest/", views.LatestView.as_view(), name="latest"),
    path("latest/sidebar/", views.latest_fragment, name="latest-fragment"),
    path("feeds/", feeds.LatestArticlesFeed(), name="feed"),
    path("feeds/sections/<slug:slug>/", feeds.SectionFeed(), name="section-feed"),
    path("feeds/authors/<slug:slug>/", feeds.AuthorFeed(), name="author-feed"),
    path("feeds/tags/<slug:slug>/", feeds.TagFeed(), name="tag-feed"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("beacons/viewed/<int:pk>/", views.article_viewed, name="viewed"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("preview/share/<str:token>/", views.preview_share, name="preview-share"),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path(
        "<slug:section>/<int:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.article_detail,
        name="detail",
    ),
]
