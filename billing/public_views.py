"""On the incubator's site: Stripe's webhook endpoint, and staff's billing view."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing import fapiao, selectors, services
from billing.gateway import stripe_refusals
from billing.models import BillingAccount, Fapiao, Invoice, WebhookEvent
from billing.tasks import webhook_event_process_task
from billing.webhooks import WebhookRefused, event_receive
from core.decorators import staff_required


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
        "sponsorships": account.company.sponsorships.all(),
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
