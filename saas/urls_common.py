"""URLs every host has: login, logout, the language switch and the health check."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from saas.views import healthz

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]
