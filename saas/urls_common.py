"""URLs every host has: login, logout, the language switch. (/healthz: saas.middleware.)"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from saas.csp import csp_report

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("csp-report/", csp_report, name="csp_report"),
]
