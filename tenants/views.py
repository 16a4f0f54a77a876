"""Incubator staff: create companies, watch provisioning, suspend, resume, archive, retry."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import staff_required
from core.errors import Refused, refusal_to_form
from tenants import selectors, services
from tenants.forms import CompanyForm


@staff_required
def company_list(request):
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(**form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            services.company_provision_start(company=company)
            messages.success(request, _("已创建“%(name)s”，正在开通。") % {"name": company.name})
            return redirect("tenants:company_detail", company_id=company.pk)
    return render(request, "tenants/company_list.html", {
        "form": form,
        "companies": selectors.companies(),
        "status_counts": selectors.company_status_counts(),
    })


@staff_required
def company_detail(request, company_id):
    company = get_object_or_404(selectors.companies(), pk=company_id)
    return render(request, "tenants/company_detail.html", {
        "company": None,  # the page is the incubator's, not the company's site
        "target": company,
        "url": selectors.company_primary_url(company=company, port=request.get_port()),
        "actions": selectors.company_actions(company=company),
    })


@staff_required
def company_progress(request, company_id):
    company = get_object_or_404(selectors.companies(), pk=company_id)
    return JsonResponse({
        "status": company.status, "status_label": company.get_status_display(),
        "progress": company.provision_progress, "step": company.provision_step,
        "error": company.provision_error,
    })


@staff_required
@require_POST
def company_status_change(request, company_id):
    company = get_object_or_404(selectors.companies(), pk=company_id)
    try:
        services.company_status_set(company=company, to=request.POST.get("to", ""))
    except services.TransitionRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("tenants:company_detail", company_id=company.pk)
