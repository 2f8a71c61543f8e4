from django.urls import path

from . import views

app_name = "fronts"

urlpatterns = [
    path("", views.home, name="home"),
    path("preview/front/<int:pk>/", views.preview, name="preview"),
    path("preview/front/share/<str:token>/", views.preview_share, name="preview-share"),
]
