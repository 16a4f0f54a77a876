"""Login lockouts on a company's site: the page a locked-out phone sees, and the admin's list
with an unlock button. (The lockouts themselves: django-axes, configured in settings.)"""

from axes.helpers import get_cool_off
from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from core.decorators import company_admin_required


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: every failure while locked out restarts the cool-off, so the
    pair may try again one cool-off from now."""
    cool_off = get_cool_off(request)
    if request.path_info.startswith("/api/"):  # the API's login: its error body, not a page
        response = JsonResponse({"code": "locked_out", "message": _(
            "登录失败次数过多，请稍后再试。"), "fields": {}}, status=429)
        response["Retry-After"] = str(int(cool_off.total_seconds()))
        return response
    response = render(request, "registration/locked_out.html",
                      {"until": timezone.localtime(timezone.now() + cool_off)}, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


@company_admin_required
def lockout_list(request):
    return render(request, "accounts/lockouts.html", {"lockouts": selectors.lockouts_current()})


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=150)
    ip_address = forms.GenericIPAddressField()


@company_admin_required
@require_POST
def lockout_unlock(request):
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要解锁的记录。"))
    elif services.lockout_clear(**form.cleaned_data):
        messages.success(request, _("已解除 %(username)s 的登录锁定。") % {
            "username": form.cleaned_data["username"]})
    else:
        messages.error(request, _("该锁定已经解除。"))
    return redirect("lockouts")
