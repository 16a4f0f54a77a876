"""The company admin's first steps on the company's own site: accept the invitation, build the
organisation, import the members."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.passwords import PasswordRefused
from core.decorators import company_admin_required
from core.errors import Refused, refusal_to_form
from core.ratelimits import configured_rate
from onboarding.company import import_services, selectors, services
from onboarding.company.forms import RosterUploadForm, UnitForm
from onboarding.company.models import ImportStatus, MemberImport
from onboarding.company.roster import template_xlsx
from toolkit.org import selectors as org
from toolkit.org.models import OrgUnit

admin_required = company_admin_required


@ratelimit(group="invitation", key="ip", rate=configured_rate)  # every request checks a token
def invitation_accept(request, token):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationRefused as refusal:
        return render(request, "onboarding/company/invitation_refused.html",
                      {"reason": str(refusal)}, status=410)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token,
                                              password=form.cleaned_data["new_password1"])
        except services.InvitationRefused as refusal:
            return render(request, "onboarding/company/invitation_refused.html",
                          {"reason": str(refusal)}, status=410)
        except PasswordRefused as refusal:
            form.add_error("new_password2", refusal.fields["password"])
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("密码已设置。下面建立贵公司的党组织架构。"))
            return redirect("setup:org")
    return render(request, "onboarding/company/invitation.html",
                  {"form": form, "invited": invitation.user})


@admin_required
def setup_org(request):
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.setup_unit_create(**form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("已添加“%(name)s”。") % {"name": unit.name})
            return redirect("setup:org")
    return render(request, "onboarding/company/setup_org.html",
                  {"form": form, "tree": org.unit_tree(), "step": "org"})


@admin_required
@require_POST
def setup_unit_delete(request, unit_id):
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    # A refusal: core.middleware.RefusalMiddleware flashes it and goes back.
    services.setup_unit_delete(unit=unit)
    return redirect("setup:org")


@admin_required
def setup_members(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_services.member_import_upload(upload=upload,
                                                       uploaded_by=request.user)
        except Refused as refusal:  # the file as a whole, or the plan's member limit
            form.add_error("file", str(refusal))
        else:
            return redirect("setup:import", job_id=job.pk)
    return render(request, "onboarding/company/setup_members.html", {
        "form": form, "step": "members", "counts": org.organisation_counts(),
        "recent": selectors.imports_recent(),
    })


@admin_required
def roster_template(request):
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, "党员名单模板.xlsx")
    return response


@admin_required
def import_detail(request, job_id):
    job = get_object_or_404(MemberImport, pk=job_id)
    if request.method == "POST" and job.status == ImportStatus.PREVIEWED:
        job = import_services.member_import_confirm(job=job)  # the page then shows the outcome
        return redirect("setup:import", job_id=job.pk)
    return render(request, "onboarding/company/import_detail.html", {
        "job": job, "step": "members", "progress": import_services.member_import_progress(job),
        "sample": selectors.rows_with_unit_names(rows=job.good_rows[:10]),
    })


@admin_required
def import_progress(request, job_id):
    job = get_object_or_404(MemberImport, pk=job_id)
    return JsonResponse({"status": job.status,
                         "progress": import_services.member_import_progress(job),
                         "step": job.get_status_display()})
