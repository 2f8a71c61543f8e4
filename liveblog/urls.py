from django.urls import path

from . import feeds, views

app_name = "liveblog"

urlpatterns = [
    path("entries/<int:pk>/", views.entry_permalink, name="entry"),
    path("<int:article_id>/older/<int:entry_id>/", views.older_entries, name="older"),
    path("<int:article_id>/updates/<int:since>/", views.updates, name="updates"),
    path("<int:article_id>/feed/", feeds.LiveEntriesFeed(), name="feed"),
]
