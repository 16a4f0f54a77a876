"""A company's own site (its schema)."""

from django.urls import include, path

from saas.urls_common import urlpatterns as common

urlpatterns = [
    path("", include("toolkit.home.urls")),
    path("", include("onboarding.company.urls")),
] + common
