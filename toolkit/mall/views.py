from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import company_admin_required
from toolkit.mall import selectors, services
from toolkit.mall.forms import RewardEditForm, RewardForm
from toolkit.mall.models import Redemption, Reward
from toolkit.org.access import company_user_required, member_required
from toolkit.periods import month_start

admin_required = company_admin_required


@company_user_required
def mall(request):
    """Everyone may look; members redeem (the admin, who has no points, manages instead)."""
    member = request.member
    standing = (selectors.redeem_standing(member=member, month=month_start())
                if member is not None else None)
    # Each reward carries the redeem rule's answer: the template only shows it.
    context = {"member": member, "standing": standing,
               "offers": selectors.reward_offers(standing=standing)}
    if member is not None:
        context["mine"] = selectors.redemptions_of(member=member)[:10]
    return render(request, "mall/mall.html", context)


@member_required
@require_POST
def redeem(request, reward_id):
    reward = get_object_or_404(Reward, pk=reward_id)
    # A refusal (out of stock, not in the top ten…): RefusalMiddleware flashes it, goes back.
    services.reward_redeem(member=request.member, reward=reward, month=month_start())
    messages.success(request, _("兑换成功：%(name)s。") % {"name": reward.name})
    return redirect("mall:index")


@admin_required
def manage(request):
    form = RewardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reward_save(**form.cleaned_data)
        except ValidationError as error:  # the model's own limits, checked by the service
            form.add_error(None, error)
        else:
            messages.success(request, _("已上架。"))
            return redirect("mall:manage")
    return render(request, "mall/manage.html", {
        "form": form, "rewards": selectors.rewards_for_admin(),
        "redemptions": selectors.redemptions()[:100]})


@admin_required
def reward_edit(request, reward_id):
    reward = get_object_or_404(Reward, pk=reward_id)
    form = RewardEditForm(request.POST or None, initial={
        "name": reward.name, "description": reward.description, "cost": reward.cost,
        "stock": reward.stock, "active": reward.active})
    if request.method == "POST" and form.is_valid():
        try:
            services.reward_save(reward=reward, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("mall:manage")
    return render(request, "mall/edit.html", {"form": form, "reward": reward})


@admin_required
@require_POST
def fulfil(request, redemption_id):
    services.redemption_fulfil(redemption=get_object_or_404(Redemption, pk=redemption_id))
    return redirect("mall:manage")
