"""The company admin's member management (/members/): find, edit, reset a password,
deactivate and reactivate, and the account audit."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import selectors as accounts_selectors
from accounts import services as accounts_services
from accounts.passwords import PasswordRefused
from billing import limits as billing_limits
from core.decorators import company_admin_required
from core.errors import Refused, refusal_to_form
from toolkit.org import selectors, services
from toolkit.org.forms import MemberFilterForm, MemberForm, PasswordResetForm

admin_required = company_admin_required
PAGE_SIZE = 20


def _page(request, queryset):
    """The requested page, and the other query parameters for the pager's links."""
    rest = request.GET.copy()
    rest.pop("page", None)
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")), rest.urlencode()


@admin_required
def member_list(request):
    filters = MemberFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    page, query = _page(request, selectors.members_for_admin(
        q=criteria.get("q", "").strip(), unit=criteria.get("unit"),
        state=criteria.get("state", "")))
    return render(request, "members/list.html",
                  {"filters": filters, "page": page, "query": query})


@admin_required
def member_detail(request, member_id):
    member = get_object_or_404(selectors.members(), pk=member_id)
    form = MemberForm(request.POST or None, initial=MemberForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("已保存。"))
            return redirect("members:detail", member_id=member.pk)
    return _detail(request, member, form, PasswordResetForm())


def _detail(request, member, form, reset_form, status=200):
    return render(request, "members/detail.html", {
        "member": member, "form": form, "reset_form": reset_form,
        "is_self": member.user_id == request.user.pk,
        "recent": accounts_selectors.audit_entries(target=member.user)
        .select_related("target__member")[:5],
    }, status=status)


@admin_required
@require_POST
@never_cache
def member_password_reset(request, member_id):
    member = get_object_or_404(selectors.members(), pk=member_id)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            password = accounts_services.password_reset_by_admin(
                target=member.user, by=request.user, password=form.cleaned_data["password"])
        except PasswordRefused as refusal:
            refusal_to_form(form, refusal)
        except accounts_services.AccountActionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("members:detail", member_id=member.pk)
        else:
            # Shown once, on this response only: it is never stored in a message or the URL.
            return render(request, "members/password_shown.html",
                          {"member": member, "password": password})
    form_edit = MemberForm(initial=MemberForm.initial_for(member))
    return _detail(request, member, form_edit, form, status=400)


@admin_required
@require_POST
def member_deactivate(request, member_id):
    return _account_action(request, member_id, accounts_services.user_deactivate,
                           _("已停用“%(name)s”的账号，TA 将无法登录；积分和记录都保留。"))


@admin_required
@require_POST
def member_reactivate(request, member_id):
    return _account_action(request, member_id, billing_limits.member_reactivate,
                           _("已恢复“%(name)s”的账号。"))


def _account_action(request, member_id, action, done: str):
    member = get_object_or_404(selectors.members(), pk=member_id)
    # A refusal: core.middleware.RefusalMiddleware flashes it and goes back.
    action(target=member.user, by=request.user)
    messages.success(request, done % {"name": member.user.get_full_name()})
    return redirect("members:detail", member_id=member.pk)


@admin_required
def audit(request):
    member = None
    if request.GET.get("member", "").isdecimal():
        member = get_object_or_404(selectors.members(), pk=request.GET["member"])
    entries = (accounts_selectors.audit_entries(target=member.user if member else None)
               .select_related("target__member"))  # each name links to that member's entries
    page, query = _page(request, entries)
    return render(request, "members/audit.html",
                  {"page": page, "query": query, "member": member})
