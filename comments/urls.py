from django.urls import path, register_converter

from . import views
from .converters import CommentIdConverter

register_converter(CommentIdConverter, "comment_id")

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("<comment_id:pk>/report/", views.report_comment, name="report"),
]
