from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.decorators import company_admin_required
from toolkit.org.access import company_user_required, member_required
from toolkit.org.selectors import units
from toolkit.points import selectors
from toolkit.points.forms import BoardFilterForm, CorrectionForm, RuleFormSet
from toolkit.points.ledger import chain_check
from toolkit.points.models import PointRule
from toolkit.points.services import point_rules_save, points_correct

admin_required = company_admin_required
PERIODS = BoardFilterForm.PERIODS


@company_user_required
def leaderboard(request):
    filters = BoardFilterForm(request.GET)
    filters.is_valid()
    if "unit" in filters.errors:
        raise Http404  # not a unit of this company
    period = filters.cleaned_data.get("period") or "month"
    unit = filters.cleaned_data.get("unit")
    last_close = selectors.last_close()
    # The admin sees whom the last close could not enrol: no remedial course was set then.
    unenrolled = (selectors.remedial_unenrolled_names(month=last_close.month)
                  if last_close and request.user.is_company_admin else "")
    return render(request, "points/leaderboard.html", {
        "standings": selectors.leaderboard(period=period, day=timezone.localdate(), unit=unit),
        "period": period, "periods": PERIODS, "unit": unit,
        "units": units().order_by("order", "id"),
        "me": request.member,
        "last_close": last_close,
        "remedial_unenrolled": unenrolled,
    })


@member_required
def my_points(request):
    return render(request, "points/mine.html", {
        "balance": selectors.balance_of(member=request.member),
        "rank": selectors.member_rank(member=request.member),
        "entries": selectors.history(member=request.member),
        "remedials": selectors.remedial_for(member=request.member),
    })


@admin_required
def rules(request):
    formset = RuleFormSet(request.POST or None, queryset=PointRule.objects.all())
    if request.method == "POST" and formset.is_valid():
        point_rules_save(rules=[(form.instance, form.cleaned_data)
                                for form in formset.initial_forms  # the formset refuses new rows
                                if form.has_changed()])
        messages.success(request, _("积分规则已保存。"))
        return redirect("points:rules")
    return render(request, "points/rules.html", {"formset": formset,
                                                 "correction": CorrectionForm()})


@admin_required
def correct(request):
    form = CorrectionForm(request.POST)
    if form.is_valid():
        # A refusal: core.middleware.RefusalMiddleware flashes it and goes back.
        points_correct(by=request.user, **form.cleaned_data)
        messages.success(request, _("已记一笔更正。"))
    else:
        messages.error(request, _("请填写党员、积分和原因。"))
    return redirect("points:rules")


@admin_required
def verify(request):
    return render(request, "points/verify.html", {"check": chain_check()})
