"""The incubator's onboarding pages: the public application form, and staff review, batches
and the overview."""

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from billing.forms import SponsorForm
from core.decorators import staff_required
from core.errors import Refused, refusal_to_form
from core.ratelimits import configured_rate
from onboarding import selectors, services
from onboarding.forms import (
    AdminInviteForm,
    ApplicationFilterForm,
    ApplicationForm,
    ApproveForm,
    BatchForm,
    EnrolForm,
    RejectForm,
)
from onboarding.models import Application, ApplicationStatus, IncubationBatch
from onboarding.slugs import slug_suggest
from tenants.models import CompanyStatus
from tenants.selectors import (
    companies,
    company_actions,
    company_counts_by_status,
    company_primary_url,
)


def _port(request) -> str:
    return request.get_port()


@ratelimit(group="apply", key="ip", rate=configured_rate, method="POST")  # it sends e-mail
def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(**form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            request.session["application_id"] = application.pk
            return redirect("onboarding:apply_done")
    return render(request, "onboarding/apply.html", {"form": form})


def apply_done(request):
    application = get_object_or_404(Application, pk=request.session.get("application_id", 0))
    return render(request, "onboarding/apply_done.html", {"application": application})


@staff_required
def application_list(request):
    filters = ApplicationFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    return render(request, "onboarding/application_list.html", {
        "filters": filters,
        "applications": selectors.applications(**{k: v for k, v in criteria.items() if v}),
    })


@staff_required
def application_detail(request, application_id):
    application = get_object_or_404(selectors.applications(), pk=application_id)
    approve_form = ApproveForm(initial={"slug": slug_suggest(application.company_name),
                                        "batch": application.preferred_batch})
    return _detail(request, application, approve_form, RejectForm())


def _detail(request, application, approve_form, reject_form, status=200):
    company = application.company
    return render(request, "onboarding/application_detail.html", {
        "application": application, "approve_form": approve_form, "reject_form": reject_form,
        "target": company,
        "enrolment": selectors.enrolment_of(company=company) if company else None,
        "url": company_primary_url(company=company, port=_port(request)) if company else "",
    }, status=status)


@staff_required
@require_POST
def application_approve(request, application_id):
    application = get_object_or_404(Application, pk=application_id)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.application_approve(application=application, reviewer=request.user,
                                         port=_port(request), **form.cleaned_data)
        except services.ReviewRefused as refusal:
            messages.error(request, str(refusal))
        except Refused as refusal:  # the company's name or subdomain
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("已批准，正在开通站点。"))
            return redirect("onboarding:application_detail", application_id=application.pk)
    return _detail(request, application, form, RejectForm(), status=400)


@staff_required
@require_POST
def application_reject(request, application_id):
    application = get_object_or_404(Application, pk=application_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.application_reject(application=application, reviewer=request.user,
                                        reason=form.cleaned_data["reason"])
        except services.ReviewRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("已驳回，并已通知申请人。"))
            return redirect("onboarding:application_list")
    approve = ApproveForm(initial={"slug": slug_suggest(application.company_name)})
    return _detail(request, application, approve, form, status=400)


@staff_required
@require_POST
def application_retry(request, application_id):
    application = get_object_or_404(Application, pk=application_id,
                                     status=ApplicationStatus.APPROVED)
    # A refusal: core.middleware.RefusalMiddleware flashes it and goes back.
    services.application_provision_retry(application=application)
    return redirect("onboarding:application_detail", application_id=application.pk)


@staff_required
@require_POST
def application_reinvite(request, application_id):
    application = get_object_or_404(Application, pk=application_id,
                                     status=ApplicationStatus.APPROVED)
    try:
        sent = services.application_admin_reinvite(application=application)
    except Refused as refusal:  # e.g. the applicant's mobile now belongs to another account
        messages.error(request, str(refusal))
    else:
        if sent:
            messages.success(request, _("已重新发送邀请，旧链接已失效。"))
        else:
            messages.error(request, _("管理员已经设置了密码，无需再邀请。"))
    return redirect("onboarding:application_detail", application_id=application.pk)


@staff_required
@require_POST
def company_admin_invite(request, company_id):
    """The form on the staff company page (tenants' template, onboarding's panel): invite or
    re-invite the company's admin."""
    company = get_object_or_404(companies(), pk=company_id)
    form = AdminInviteForm(request.POST)
    if form.is_valid():
        try:
            sent = services.company_admin_invite(company=company, port=_port(request),
                                                 **form.cleaned_data)
        except services.ReviewRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("tenants:company_detail", company_id=company.pk)
        except Refused as refusal:  # the admin's mobile
            refusal_to_form(form, refusal)
        else:
            if sent:
                messages.success(request, _("已向 %(email)s 发送管理员邀请。")
                                 % {"email": form.cleaned_data["email"]})
            else:
                messages.error(request, _("管理员已经设置了密码，无需再邀请。"))
            return redirect("tenants:company_detail", company_id=company.pk)
    return render(request, "tenants/company_detail.html", {
        "company": None, "target": company, "invite_form": form,
        "url": company_primary_url(company=company, port=_port(request)),
        "actions": company_actions(company=company),
    }, status=400)


@staff_required
@require_POST
def company_admin_invite_again(request, company_id):
    company = get_object_or_404(companies(), pk=company_id)
    try:
        sent = services.company_admin_invite_again(company=company, port=_port(request))
    except services.ReviewRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if sent:
            messages.success(request, _("已重新发送邀请，旧链接已失效。"))
        else:
            messages.error(request, _("没有待接受的管理员邀请。"))
    return redirect("tenants:company_detail", company_id=company.pk)


@staff_required
def batch_list(request):
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(**form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            return redirect("onboarding:batch_detail", batch_id=batch.pk)
    return render(request, "onboarding/batch_list.html",
                  {"form": form, "batches": selectors.batches()})


@staff_required
def batch_detail(request, batch_id):
    batch = get_object_or_404(IncubationBatch, pk=batch_id)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.batch_enrol(batch=batch, company=form.cleaned_data["company"])
        return redirect("onboarding:batch_detail", batch_id=batch.pk)
    return render(request, "onboarding/batch_detail.html", {
        "batch": batch, "form": form, "companies": selectors.batch_companies(batch=batch),
        "sponsor_form": SponsorForm(initial={"starts_on": batch.starts_on,
                                             "ends_on": batch.ends_on}),
    })


@staff_required
@require_POST
def batch_sponsor(request, batch_id):
    """Sponsor this batch: every company in it gets the sponsored period (孵化期免费)."""
    batch = get_object_or_404(IncubationBatch, pk=batch_id)
    form = SponsorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写开始和结束日期。"))
        return redirect("onboarding:batch_detail", batch_id=batch.pk)
    try:
        count, made = services.batch_sponsor(batch=batch, **form.cleaned_data)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("已为本批次 %(count)s 家公司赞助免费期（新增 %(made)s 条）。")
                         % {"count": count, "made": made})
    return redirect("onboarding:batch_detail", batch_id=batch.pk)


@staff_required
@require_POST
def toolkit_issue(request, batch_id, company_id):
    batch = get_object_or_404(IncubationBatch, pk=batch_id)
    company = get_object_or_404(selectors.batch_companies(batch=batch), pk=company_id)
    try:
        services.toolkit_issue(company=company, by=request.user)
    except services.ReviewRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("onboarding:batch_detail", batch_id=batch.pk)


@staff_required
def toolkit_handbook(request, batch_id, company_id):
    """A company's current handbook, opened by its own service in its schema."""
    batch = get_object_or_404(IncubationBatch, pk=batch_id)
    company = get_object_or_404(selectors.batch_companies(batch=batch), pk=company_id)
    return _handbook_response(request, company, redirect("onboarding:batch_detail",
                                                         batch_id=batch.pk))


@staff_required
def toolkit_handbook_status(request, batch_id, company_id):
    """The batch page's bar (static/js/progress.js polls it): what the company's site last
    reported; "running" until the render is done or failed."""
    batch = get_object_or_404(IncubationBatch, pk=batch_id)
    company = get_object_or_404(selectors.batch_companies(batch=batch), pk=company_id)
    handbook = selectors.company_handbook_state(company=company)
    if handbook is None:
        return JsonResponse({"status": "none", "progress": 0, "step": "", "error": ""})
    return JsonResponse({"status": "running" if handbook.running else handbook.status,
                         "progress": handbook.progress, "step": handbook.step,
                         "error": handbook.error, "pages": handbook.pages})


@staff_required
def company_handbook(request, company_id):
    """Any company's current handbook, from the staff company page (tenants:company_detail):
    the company's own service opens the file in its schema."""
    company = get_object_or_404(selectors.companies_with_schema(), pk=company_id)
    return _handbook_response(request, company, redirect("tenants:company_detail",
                                                         company_id=company.pk))


def _handbook_response(request, company, back):
    try:
        name, data = services.toolkit_handbook_download(company=company, staff=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return back
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@staff_required
def overview(request):
    counts = company_counts_by_status()
    return render(request, "onboarding/overview.html", {
        "status_chart": [{"name": str(label), "value": counts[value]}
                         for value, label in CompanyStatus.choices],
        "members_chart": selectors.members_by_company(),
        "counts": counts,
        "members_total": selectors.members_total(),
        "pending": selectors.pending_application_count(),
        "batches": selectors.batches()[:6],
    })


@staff_required
def project_totals(request):
    """Service projects across the companies that share their totals (opt-in; 0026)."""
    return render(request, "onboarding/project_totals.html", {
        "rows": selectors.project_aggregates(),
        "companies": selectors.project_sharing_companies(),
    })
