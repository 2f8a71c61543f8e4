"""Password reset by e-mail, under the admin's address, with the URL names Django's
views and the admin's login page look for (no namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.PasswordResetView.as_view(), name="admin_password_reset"),
    path("sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
