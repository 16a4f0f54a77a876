"""A company's own site (its schema)."""

from django.urls import include, path

from accounts import lockouts
from saas.urls_common import urlpatterns as common

urlpatterns = [
    path("", include("toolkit.home.urls")),
    path("org/", include("toolkit.org.urls")),
    path("life/", include("toolkit.life.urls")),
    path("tasks/", include("toolkit.tasks.urls")),
    path("points/", include("toolkit.points.urls")),
    path("mall/", include("toolkit.mall.urls")),
    path("", include("onboarding.company.urls")),
    path("security/lockouts/", lockouts.lockout_list, name="lockouts"),
    path("security/lockouts/unlock/", lockouts.lockout_unlock, name="lockout_unlock"),
] + common
