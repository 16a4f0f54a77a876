"""URLs every host has: login, logout, changing one's own password, the language switch.
(/healthz: saas.middleware.)"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.login_views import LoginView
from accounts.password_views import password_change
from saas.csp import csp_report
from saas.views import floor

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", password_change, name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("csp-report/", csp_report, name="csp_report"),
    path("floor/", floor, name="floor"),  # the benchmarks' floor (one query)
]
