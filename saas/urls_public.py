"""The incubator's own site (public schema)."""

from django.contrib import admin
from django.urls import include, path

from saas.urls_common import urlpatterns as common
from saas.views import landing

urlpatterns = [
    path("", landing, name="home"),
    path("companies/", include("tenants.urls")),
    path("", include("onboarding.urls")),
    path("training/", include("training.urls")),
    path("admin/", admin.site.urls),
] + common

handler500 = "saas.errors.server_error"  # 404 and 403: templates/404.html, 403.html
