"""The incubator's own site (public schema)."""

from django.contrib import admin
from django.urls import include, path

from saas.urls_common import urlpatterns as common
from saas.views import landing
from training.sessions_urls import checkin_urlpatterns

urlpatterns = [
    path("", landing, name="home"),
    path("companies/", include("tenants.urls")),
    path("", include("onboarding.urls")),
    path("training/", include("training.urls")),
    path("billing/", include("billing.public_urls")),  # Stripe's webhook, staff's view
    path("admin/", admin.site.urls),
    path("api/v1/staff/", include("api.staff_urls")),  # staff's API (session only)
    # Shared training: offline sessions, their public check-in page, certificate verification.
    path("training/sessions/", include("training.sessions_urls")),
    path("", include(checkin_urlpatterns)),
    path("", include("training.certificates_urls")),
] + common

handler500 = "saas.errors.server_error"  # 404 and 403: templates/404.html, 403.html
