from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import company_admin_required
from toolkit.indices import fortress as fortress_services
from toolkit.indices import selectors, services
from toolkit.indices.forms import (
    ItemForm,
    ItemRecordForm,
    QuarterForm,
    ReviewForm,
    SelfAssessForm,
    SettingsForm,
)
from toolkit.indices.models import IndexItem, MemberIndex, Step
from toolkit.org.access import company_user_required, manager_required


@company_user_required
def mine(request):
    """The member's index this quarter (and the self-assessment it waits for), their history
    and their stars; the admin, who has no index, sees the stars."""
    quarter = selectors.latest_quarter()
    result = selectors.result_of(member=request.member, quarter=quarter) if request.member \
        else None
    form = SelfAssessForm(request.POST or None)
    if request.method == "POST" and result is not None and form.is_valid():
        services.index_self_assess(result=result, member=request.member,
                                   text=form.cleaned_data["text"])
        messages.success(request, _("自评已提交，等待支部审核。"))
        return redirect("indices:mine")
    return render(request, "indices/mine.html", {
        "quarter": quarter, "result": result, "form": form,
        "may_write": (result is not None and result.step == Step.SELF
                      and not selectors.self_overdue(quarter=quarter)),
        "history": selectors.history_of(member=request.member) if request.member else [],
        "star_quarters": (selectors.star_quarters_of(member=request.member)
                          if request.member else []),
        "may_confirm": selectors.may_confirm(user=request.user),
    })


@company_user_required
def stars(request):
    found = selectors.stars()
    return render(request, "indices/stars.html", {
        "stars": found, "quarter": found[0].quarter if found else None})


@manager_required
def review_list(request):
    quarter = selectors.latest_quarter()
    return render(request, "indices/review.html", {
        "quarter": quarter, "queue": selectors.review_queue(user=request.user, quarter=quarter),
        "form": ReviewForm(),
        "record": ItemRecordForm(unit_ids=request.managed, user=request.user),
    })


@manager_required
@require_POST
def review(request, result_id):
    result = get_object_or_404(MemberIndex.objects.select_related("member", "quarter"),
                               pk=result_id)
    if not selectors.may_review(user=request.user, result=result):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("调整分须在 −1000 到 1000 之间。"))
        return redirect("indices:review")
    services.index_review(result=result, by=request.user, **form.cleaned_data)
    messages.success(request, _("已审核，等待党委确认。"))
    return redirect("indices:review")


@manager_required
@require_POST
def item_record(request):
    form = ItemRecordForm(request.POST, unit_ids=request.managed, user=request.user)
    if not form.is_valid():
        messages.error(request, _("请选择党员和加减分项。"))
        return redirect("indices:review")
    services.index_item_record(by=request.user, **form.cleaned_data)
    messages.success(request, _("已记录加减分项。"))
    return redirect("indices:review")


def _committee(view):
    @company_user_required
    def wrapped(request, *args, **kwargs):
        if not selectors.may_confirm(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@_committee
def confirm_list(request):
    quarter = selectors.latest_quarter()
    return render(request, "indices/confirm.html", {
        "quarter": quarter,
        "queue": selectors.confirm_queue(user=request.user, quarter=quarter),
        "counts": selectors.step_counts(quarter=quarter) if quarter else {},
        "results": selectors.results(quarter=quarter)[:200] if quarter else [],
        "open_form": QuarterForm(),
    })


@_committee
@require_POST
def confirm_all(request):
    quarter = selectors.latest_quarter()
    if quarter is None:
        raise PermissionDenied
    ids = [int(pk) for pk in request.POST.getlist("result") if pk.isdigit()] or None
    done = services.index_confirm(quarter=quarter, by=request.user, result_ids=ids)
    messages.success(request, _("已确认 %(n)s 人的先锋指数。") % {"n": done})
    return redirect("indices:confirm")


@_committee
@require_POST
def stars_name(request):
    quarter = selectors.latest_quarter()
    if quarter is None:
        raise PermissionDenied
    named = services.stars_name(quarter=quarter, by=request.user)
    messages.success(request, _("已评出党员之星 %(n)s 名。") % {"n": named})
    return redirect("indices:stars")


@_committee
@require_POST
def quarter_open(request):
    form = QuarterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择已经结束的季度。"))
        return redirect("indices:confirm")
    quarter = services.quarter_open(start=form.cleaned_data["start"])
    messages.success(request, _("%(q)s 先锋指数已计算，请党员自评。") % {"q": quarter})
    return redirect("indices:confirm")


@company_admin_required
def settings_page(request):
    form = SettingsForm(request.POST or None, instance=selectors.settings_row())
    if request.method == "POST" and form.is_valid():
        services.index_settings_save(values=form.cleaned_data)
        messages.success(request, _("指数设置已保存。"))
        return redirect("indices:settings")
    return render(request, "indices/settings.html", {
        "form": form, "item_form": ItemForm(),
        "items": [(item, ItemForm(instance=item, prefix=f"item{item.pk}"))
                  for item in selectors.items()]})


@company_admin_required
@require_POST
def item_new(request):
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写名称、类型和分值（名称不能重复）。"))
        return redirect("indices:settings")
    services.index_item_save(**form.cleaned_data)
    messages.success(request, _("已添加加减分项。"))
    return redirect("indices:settings")


@company_admin_required
@require_POST
def item_edit(request, item_id):
    item = get_object_or_404(IndexItem, pk=item_id)
    form = ItemForm(request.POST, instance=IndexItem.objects.get(pk=item.pk),
                    prefix=f"item{item.pk}")
    if not form.is_valid():
        messages.error(request, _("请填写名称、类型和分值（名称不能重复）。"))
        return redirect("indices:settings")
    services.index_item_save(item=item, **form.cleaned_data)
    messages.success(request, _("加减分项已保存。"))
    return redirect("indices:settings")


@company_user_required
def fortress(request):
    quarters = selectors.fortress_quarters()
    chosen = request.GET.get("q")
    quarter = next((q for q in quarters if q.isoformat() == chosen), None) or (
        quarters[0] if quarters else None)
    return render(request, "indices/fortress.html", {
        "quarter": quarter, "label": _label(quarter) if quarter else "",
        "quarters": [(q, _label(q)) for q in quarters],
        "ranking": selectors.fortress_ranking(quarter=quarter) if quarter else [],
        "months": selectors.fortress_months(quarter=quarter) if quarter else [],
        "may_settle": selectors.may_confirm(user=request.user),
        "open_form": QuarterForm(),
    })


def _label(quarter) -> str:
    return f"{quarter.year}Q{(quarter.month - 1) // 3 + 1}"


@_committee
@require_POST
def fortress_settle(request):
    form = QuarterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择已经结束的季度。"))
        return redirect("indices:fortress")
    fortress_services.fortress_settle_quarter(start=form.cleaned_data["start"])
    messages.success(request, _("堡垒指数已结算。"))
    return redirect("indices:fortress")
