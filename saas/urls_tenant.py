"""A company's own site (its schema)."""

from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts import lockouts
from saas import pwa
from saas.urls_common import urlpatterns as common

urlpatterns = [
    # The API first: its calls are the most frequent (every quiz answer, every poll), and
    # Django tries the patterns in order.
    path("api/v1/", include("api.urls")),
    path("", include("toolkit.home.urls")),
    # The installable app (扫码党课): both at the root, the worker's scope is the whole site.
    path("manifest.webmanifest", pwa.manifest, name="pwa_manifest"),
    path("sw.js", pwa.service_worker, name="pwa_worker"),
    path("org/", include("toolkit.org.urls")),
    path("members/", include("toolkit.org.member_urls")),
    path("life/", include("toolkit.life.urls")),
    path("arena/", include("toolkit.arena.urls")),
    # The arena lived at /tasks/ until its package, URLs and templates were given one name:
    # links already shared (chat messages, bookmarks) still arrive.
    re_path(r"^tasks/(?P<rest>.*)$", RedirectView.as_view(url="/arena/%(rest)s", permanent=True,
                                                          query_string=True)),
    path("points/", include("toolkit.points.urls")),
    path("indices/", include("toolkit.indices.urls")),
    path("mall/", include("toolkit.mall.urls")),
    path("blocks/", include("toolkit.blocks.urls")),  # 5S 区块链
    path("acting/", include("toolkit.acting.urls")),  # 今天我来当书记
    path("groups/", include("toolkit.groups.urls")),
    path("projects/", include("toolkit.projects.urls")),
    path("screen/", include("toolkit.screen.urls")),
    path("documents/", include("toolkit.documents.urls")),
    path("learning/", include("toolkit.learning.urls")),  # shared training, the company's side
    path("quiz/", include("toolkit.quiz.urls")),  # 党建知识问答
    path("billing/", include("billing.urls")),  # the admin's plan and billing
    # Shared training: an offline session's check-in, the member's certificates.
    path("offline/", include("toolkit.learning.offline_urls")),
    path("certificates/", include("toolkit.learning.certificates_urls")),
    path("", include("onboarding.company.urls")),
    path("security/lockouts/", lockouts.lockout_list, name="lockouts"),
    path("security/lockouts/unlock/", lockouts.lockout_unlock, name="lockout_unlock"),
    path("", include("accounts.entry.urls")),
] + common

handler500 = "saas.errors.server_error"  # 404 and 403: templates/404.html, 403.html
