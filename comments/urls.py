from django.urls import path, register_converter

from . import views
from .converters import CommentIdConverter

register_converter(CommentIdConverter, "comment_id")

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("<comment_id:pk>/", views.comment_permalink, name="permalink"),
    path("<comment_id:pk>/report/", views.report_comment, name="report"),
    path("notices/confirm/<str:token>/", views.notices_confirm, name="notices-confirm"),
    path("notices/unsubscribe/<str:token>/", views.notices_unsubscribe, name="notices-unsubscribe"),
    path("your-data/", views.data_request, name="data-request"),
    path("your-data/<str:token>/", views.data_page, name="data"),
    path("your-data/<str:token>/export.json", views.data_export, name="data-export"),
]
