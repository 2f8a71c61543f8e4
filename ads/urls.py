from django.urls import path

from . import views

app_name = "ads"

urlpatterns = [
    path("c/<str:token>/", views.click, name="click"),
    path("i/<str:token>/", views.impression, name="impression"),
]
