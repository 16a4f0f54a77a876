"""The big screen (大屏) and its display tokens. The two display views are the only ones a
display token opens: they read it from their own URL and never sign anyone in."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.decorators import company_admin_required
from toolkit.screen import selectors, services
from toolkit.screen.forms import TokenForm
from toolkit.screen.models import DisplayToken
from toolkit.screen.panels import PANELS, screen_data


@company_admin_required
def token_list(request):
    form = TokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        token, raw = services.display_token_create(by=request.user, name=form.cleaned_data["name"])
        made = {"token": token, "url": request.build_absolute_uri(
            reverse("screen:display", args=[raw]))}
        form = TokenForm()
    return render(request, "screen/tokens.html", {
        "form": form, "made": made, "tokens": selectors.tokens()})


@company_admin_required
@require_POST
def token_revoke(request, token_id):
    services.display_token_revoke(by=request.user,
                                  token=get_object_or_404(DisplayToken, pk=token_id))
    messages.success(request, _("令牌已停用，使用它的屏幕将在下次刷新时停止显示。"))
    return redirect("screen:tokens")


def paused_message() -> str:  # read in the request's language
    return _("大屏是付费功能：请管理员在“套餐与账单”中续费或升级套餐。")


def refresh_ms(request) -> int:
    """The refresh interval: the setting, or `?every=` (milliseconds) within the bounds."""
    low, default, high = settings.SCREEN_REFRESH_MS
    try:
        asked = int(request.GET.get("every", ""))
    except ValueError:
        return default
    return asked if low <= asked <= high else default


def _no_referrer(response):
    # The token is in the address: it must not leave in a Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def display(request, token):
    found = selectors.token_for(raw=token)
    if found is None:
        raise Http404
    if not selectors.screen_allowed():
        return _no_referrer(HttpResponse(paused_message(), status=403,
                                         content_type="text/plain; charset=utf-8"))
    services.display_token_used(token=found)
    return _no_referrer(render(request, "screen/display.html", {
        "panels": PANELS,
        "config": {"data": reverse("screen:data", args=[token]), "every": refresh_ms(request),
                   "panels": {p.key: p.kind for p in PANELS},
                   "revoked": _("此大屏令牌已停用，请联系管理员。")},
    }))


@never_cache
@require_GET
def display_data(request, token):
    found = selectors.token_for(raw=token)
    if found is None:
        return _no_referrer(JsonResponse(
            {"code": "display_token_invalid", "message": _("此大屏令牌已停用，请联系管理员。")},
            status=403))
    if not selectors.screen_allowed():
        return _no_referrer(JsonResponse(
            {"code": "paid_feature_paused", "message": paused_message()}, status=403))
    services.display_token_used(token=found)
    # Several screens of one company share one read (the key carries the schema).
    key = f"screen:data:{get_language()}"
    data = cache.get(key)
    if data is None:
        data = screen_data()
        cache.set(key, data, settings.SCREEN_CACHE_SECONDS)
    return _no_referrer(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))
