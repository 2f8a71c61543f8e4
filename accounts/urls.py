from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.security, name="security"),
    path("verify/", views.verify, name="verify"),
    path("authenticator/", views.totp_add, name="totp-add"),
    path("recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("remove/", views.device_remove, name="device-remove"),
]
