"""今天我来当书记's pages: the schedule (everyone), applying (members), the committee office's
decisions and assignments, the acting secretary's duty log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toolkit.acting import selectors, services
from toolkit.acting.forms import ApplyForm, AssignForm, DutyForm
from toolkit.acting.models import ActingApplication
from toolkit.org.access import company_user_required, member_required
from toolkit.org.selectors import committee_office


@company_user_required
def schedule(request):
    units, rows = selectors.schedule()
    member = request.member
    office = committee_office(user=request.user)
    return render(request, "acting/schedule.html", {
        "units": units, "rows": rows, "office": office,
        "apply_form": ApplyForm(units=selectors.units_open_to(member=member)) if member else None,
        "assign_form": AssignForm(units=selectors.acting_units()) if office else None,
        "pending": selectors.applications_pending() if office else [],
        "mine": selectors.applications_of(member=member)[:10] if member else [],
        "on_duty": selectors.appointment_now(member=member) if member else None,
        "logs": selectors.duty_logs()})


@require_POST
@member_required
def apply(request):
    form = ApplyForm(request.POST, units=selectors.units_open_to(member=request.member))
    if not form.is_valid():
        messages.error(request, _("请选择组织和月份。"))
        return redirect("acting:schedule")
    services.acting_apply(member=request.member, **form.cleaned_data)
    messages.success(request, _("申请已提交，等待党委审批。"))
    return redirect("acting:schedule")


@require_POST
@company_user_required
def decide(request, application_id):
    if not committee_office(user=request.user):
        raise PermissionDenied
    application = get_object_or_404(ActingApplication, pk=application_id)
    approve = request.POST.get("approve") == "1"
    services.acting_decide(application=application, by=request.user, approve=approve,
                           reason=request.POST.get("reason", ""))
    messages.success(request, _("已批准。") if approve else _("已退回。"))
    return redirect("acting:schedule")


@require_POST
@company_user_required
def assign(request):
    if not committee_office(user=request.user):
        raise PermissionDenied
    form = AssignForm(request.POST, units=selectors.acting_units())
    if not form.is_valid():
        messages.error(request, _("请选择组织、党员和月份。"))
        return redirect("acting:schedule")
    services.acting_appoint(by=request.user, **form.cleaned_data)
    messages.success(request, _("已安排代理书记。"))
    return redirect("acting:schedule")


@member_required
def duty(request):
    appointment = selectors.appointment_now(member=request.member)
    form = DutyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = services.duty_log_add(member=request.member, **form.cleaned_data)
        messages.success(request, _("已记入履职记录，获得 %(n)s 积分。") % {"n": entry.points})
        return redirect("acting:duty")
    return render(request, "acting/duty.html", {
        "appointment": appointment, "form": form,
        "log": selectors.duty_log(appointment=appointment) if appointment else []})
