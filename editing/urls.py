from django.urls import path

from . import views

app_name = "editing"

urlpatterns = [
    path("autosave/", views.autosave, name="autosave"),
    path("discard/", views.discard, name="discard"),
]
