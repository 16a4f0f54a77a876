"""The company admin's billing page, on the company's own site: status, plans, paying,
the portal, invoices and 发票 details. Its company is the request's: nothing is found by id."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing import fapiao, local, selectors, services
from billing.forms import DetailsForm
from billing.gateway import PaymentServiceUnavailable, gateway, stripe_refusals
from billing.models import FapiaoKind, Interval, Plan
from core.decorators import company_admin_required


def _absolute(request, name: str) -> str:
    return request.build_absolute_uri(reverse(name))


@company_admin_required
def overview(request):
    company = request.tenant
    if request.GET.get("back"):  # back from Checkout or the portal: read Stripe now
        try:
            stripe_refusals(services.account_refresh)(company=company)
        except PaymentServiceUnavailable as refusal:  # the page still shows what is known
            messages.error(request, str(refusal))
    standing = selectors.standing(company=company)
    form = DetailsForm(instance=standing.account)
    return render(request, "billing/overview.html", {
        "standing": standing, "plans": selectors.plans_for_sale(), "form": form,
        "invoices": selectors.invoices_of(company=company), "local": gateway().local,
        "intervals": Interval.choices, "fapiao_kinds": FapiaoKind.choices})


@company_admin_required
@require_POST
@stripe_refusals
def details(request):
    account = selectors.standing(company=request.tenant).account
    form = DetailsForm(request.POST, instance=account)
    if form.is_valid():
        services.details_update(company=request.tenant, **form.cleaned_data)
        messages.success(request, _("开票信息已保存。"))
    else:
        messages.error(request, _("开票信息有误：%(errors)s") % {"errors": form.errors.as_text()})
    return redirect("billing:overview")


@company_admin_required
@require_POST
@stripe_refusals
def checkout(request):
    plan = _plan_posted(request)
    interval = request.POST.get("interval", Interval.MONTH)
    if interval not in Interval.values:
        interval = Interval.MONTH
    back = _absolute(request, "billing:overview") + "?back=1"
    url = services.checkout_start(company=request.tenant, plan=plan, interval=interval,
                                  success_url=back, cancel_url=back)
    if url:
        return redirect(url)
    return redirect("billing:local_checkout", plan_id=plan.pk, interval=interval)


@company_admin_required
@stripe_refusals
def portal(request):
    url = services.portal_url(company=request.tenant,
                              return_url=_absolute(request, "billing:overview") + "?back=1")
    return redirect(url or reverse("billing:local_portal"))


# The local stand-ins (no STRIPE_SECRET_KEY) ----------------------------------------------

@company_admin_required
@stripe_refusals
def local_checkout(request, plan_id: int, interval: str):
    plan = get_object_or_404(Plan, pk=plan_id, is_public=True)
    interval = interval if interval in Interval.values else Interval.MONTH
    price = services.price_ensure(plan=plan, interval=interval)
    if request.method == "POST":
        if local.checkout_complete(company=request.tenant, price=price,
                                   pay=request.POST.get("outcome") == "pay"):
            messages.success(request, _("付款成功，订阅已生效。"))
            return redirect(reverse("billing:overview") + "?back=1")
        messages.error(request, _("银行卡被拒绝，未订阅。"))
    return render(request, "billing/local_checkout.html", {
        "plan": plan, "interval": Interval(interval), "amount_fen": price.amount_fen})


@company_admin_required
@stripe_refusals
def local_portal(request):
    company = request.tenant
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "card_good":
            local.card_change(company=company, declined=False)
        elif action == "card_declined":
            local.card_change(company=company, declined=True)
        elif action == "renew":
            paid = local.renewal_bill(company=company)
            (messages.success if paid else messages.error)(
                request, _("续费成功。") if paid else _("续费扣款失败。"))
        elif action == "pay":
            local.open_invoices_pay(company=company)
        elif action in ("cancel", "resume"):
            local.cancel_at_period_end(company=company, cancel=action == "cancel")
        elif action == "period_end":
            local.period_end(company=company)
        elif action == "switch":
            plan = _plan_posted(request)
            interval = request.POST.get("interval", "")
            local.plan_switch(company=company, plan=plan, interval=interval)
            messages.success(request, _(
                "已更换为%(plan)s（%(interval)s），差价按剩余天数折算。") % {
                    "plan": plan.name, "interval": Interval(interval).label})
        return redirect("billing:local_portal")
    return render(request, "billing/local_portal.html", {
        "standing": selectors.standing(company=company), "plans": selectors.plans_for_sale(),
        "intervals": Interval.choices, "invoices": selectors.invoices_of(company=company)})


def _plan_posted(request) -> Plan:
    plan_id = request.POST.get("plan", "")
    return get_object_or_404(selectors.plans_for_sale(), pk=int(plan_id) if plan_id.isdigit()
                             and len(plan_id) < 10 else 0)


@company_admin_required
@require_POST
def fapiao_request(request):
    try:
        invoice_id = int(request.POST.get("invoice", ""))
    except ValueError:
        invoice_id = 0
    fapiao.fapiao_request(company=request.tenant, invoice_id=invoice_id,
                          kind=request.POST.get("kind", ""))
    messages.success(request, _("已申请发票，开具后可在此下载。"))
    return redirect("billing:overview")


@company_admin_required
def fapiao_download(request, fapiao_id: int):
    issued = fapiao.fapiao_of(company=request.tenant, fapiao_id=fapiao_id)
    if issued is None:
        raise Http404
    return FileResponse(issued.pdf.open("rb"), as_attachment=True,
                        filename=f"fapiao-{issued.number}.pdf", content_type="application/pdf")
