"""On the incubator's site: Stripe's webhook endpoint, and staff's billing view."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing import fapiao, selectors, services
from billing.forms import PlanForm, SponsorForm
from billing.gateway import stripe_refusals
from billing.models import BillingAccount, Fapiao, Invoice, Plan, WebhookEvent
from billing.tasks import webhook_event_process_task
from billing.webhooks import WebhookRefused, event_receive
from core.decorators import staff_required
from core.errors import Refused, refusal_to_form


@csrf_exempt
@require_POST
def webhook(request):
    try:
        event_receive(payload=request.body,
                      signature=request.headers.get("Stripe-Signature", ""))
    except WebhookRefused:
        return HttpResponseBadRequest("invalid signature")
    return HttpResponse("ok")


@staff_required
def staff_overview(request):
    return render(request, "billing/staff_overview.html", selectors.staff_overview())


@staff_required
def staff_company(request, account_id: int):
    account = get_object_or_404(BillingAccount.objects.select_related("company", "plan"),
                                pk=account_id)
    return render(request, "billing/staff_company.html", {
        "standing": selectors.standing(company=account.company),
        "invoices": selectors.invoices_of(company=account.company),
        "sponsorships": account.company.sponsorships.all(), "sponsor_form": SponsorForm(),
        "fapiaos": Fapiao.objects.filter(invoice__account=account).select_related("invoice")})


@staff_required
@require_POST
def staff_grace(request, account_id: int):
    account = get_object_or_404(BillingAccount, pk=account_id)
    days = request.POST.get("days", "")
    services.grace_days_set(company=account.company,
                            days=int(days) if days.isdigit() and len(days) < 4 else -1)
    messages.success(request, _("宽限期已更新。"))
    return redirect("billing_staff:company", account_id=account.pk)


@staff_required
@require_POST
@stripe_refusals
def staff_transfer(request, invoice_id: int):
    invoice = get_object_or_404(Invoice, pk=invoice_id)
    services.bank_transfer_record(invoice=invoice, reference=request.POST.get("reference", ""))
    messages.success(request, _("已登记对公转账，订阅已续期。"))
    return redirect("billing_staff:company", account_id=invoice.account_id)


@staff_required
@require_POST
def staff_fapiao_issue(request, fapiao_id: int):
    requested = get_object_or_404(Fapiao.objects.select_related("invoice__account"),
                                  pk=fapiao_id)
    fapiao.fapiao_issue(fapiao=requested, number=request.POST.get("number", ""),
                        pdf=request.FILES.get("pdf"))
    messages.success(request, _("发票已开具。"))
    return redirect("billing_staff:company", account_id=requested.invoice.account_id)


@staff_required
@require_POST
def staff_event_retry(request, event_id: int):
    event = get_object_or_404(WebhookEvent, pk=event_id, processed_at__isnull=True)
    WebhookEvent.objects.filter(pk=event.pk).update(dead_at=None)
    webhook_event_process_task.delay(event.pk)
    messages.success(request, _("已重新排队处理。"))
    return redirect("billing_staff:overview")


@staff_required
@require_POST
def staff_sponsor(request, account_id: int):
    """One company's sponsored period (孵化期免费); a batch's is on the batch page."""
    account = get_object_or_404(BillingAccount.objects.select_related("company"), pk=account_id)
    form = SponsorForm(request.POST)
    if form.is_valid():
        made = services.sponsorship_grant(companies=[account.company], **form.cleaned_data)
        messages.success(request, _("已赞助免费期。") if made else _("这段免费期已经赞助过。"))
    else:
        messages.error(request, _("请填写开始和结束日期。"))
    return redirect("billing_staff:company", account_id=account.pk)


@staff_required
def staff_plans(request):
    return render(request, "billing/staff_plans.html", {"plans": selectors.plans_for_staff()})


@staff_required
def staff_plan_edit(request, plan_id: int | None = None):
    """A plan, new or edited: new subscriptions take it at once, existing ones at renewal. A new
    price is rolled onto the live subscriptions in the worker; its progress is shown here."""
    plan = get_object_or_404(Plan, pk=plan_id) if plan_id else None
    form = PlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            saved, roll = services.plan_edit(plan=plan, **form.service_kwargs())
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _(
                "套餐“%(name)s”已保存：新订阅立即适用，现有订阅在续费时适用。") % {
                    "name": saved.name})
            if roll is None:
                return redirect("billing_staff:plans")
            messages.info(request, _(
                "正在后台将 %(n)s 个现有订阅调整为新价格（从下一期起计费），进度见下方。") % {
                    "n": roll.total})
            return redirect("billing_staff:plan_edit", plan_id=saved.pk)
    return render(request, "billing/staff_plan_edit.html", {
        "form": form, "plan": plan,
        "roll": selectors.price_roll_of(plan=plan) if plan else None})


@staff_required
@require_POST
def staff_plan_roll_retry(request, plan_id: int):
    plan = get_object_or_404(Plan, pk=plan_id)
    services.plan_prices_roll_retry(plan=plan)  # a refusal: flashed, back to the page
    messages.success(request, _("已重新开始调整价格：已调整的订阅不再处理。"))
    return redirect("billing_staff:plan_edit", plan_id=plan.pk)
