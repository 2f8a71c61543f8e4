"""The articles' addresses under /moved/ (tests/newsroom/test_links.py)."""

from django.urls import include, path

urlpatterns = [path("moved/", include("articles.urls"))]
