"""The company site as an installable app (扫码党课, issue 12): the web app manifest, named for
the company, and the service worker, served from the site's root so that its scope is the
whole site. The public site has neither: it is not an app a member installs."""

import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.views.decorators.http import require_GET

THEME = "#c62828"  # the favicon's red
ICON_SIZES = (48, 72, 96, 144, 192, 512)


def _company(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_public:
        raise Http404
    return tenant


@require_GET
def manifest(request):
    company = _company(request)
    icons = [{"src": static(f"img/icons/icon-{size}.png"), "sizes": f"{size}x{size}",
              "type": "image/png", "purpose": "any"} for size in ICON_SIZES]
    icons += [{"src": static(f"img/icons/maskable-{size}.png"), "sizes": f"{size}x{size}",
               "type": "image/png", "purpose": "maskable"} for size in (192, 512)]
    body = {
        "id": "/", "name": company.name, "short_name": company.name[:12],
        "description": "数字党建工具包", "lang": "zh-Hans", "dir": "ltr",
        "start_url": "/", "scope": "/", "display": "standalone", "orientation": "portrait",
        "background_color": "#ffffff", "theme_color": THEME, "icons": icons,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json; charset=utf-8"
    response["Cache-Control"] = "no-cache"  # a renamed company shows its new name
    return response


@lru_cache(maxsize=1)
def _worker_source() -> str:
    with open(finders.find("js/sw.js"), encoding="utf-8") as handle:
        return handle.read()


@require_GET
def service_worker(request):
    """static/js/sw.js, led by the company it serves (its caches are named for it). At the
    root: a worker's scope is at most its own folder, and the whole site is wanted."""
    company = _company(request)
    source = _worker_source() if not settings.DEBUG else _worker_source.__wrapped__()
    config = json.dumps({"schema": company.schema_name})
    response = HttpResponse(f"self.COMPANY = {config};\n{source}",
                            content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker at least daily; no-cache makes every check a real one.
    response["Cache-Control"] = "no-cache"
    return response
