import io

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from core.decorators import company_admin_required
from core.ratelimits import configured_rate
from toolkit.life import selectors, services
from toolkit.life.forms import (
    ComplianceFormSet,
    DuesPaymentForm,
    DuesProfileForm,
    DuesSettingsForm,
    LeaveForm,
    MeetingForm,
    MinutesForm,
)
from toolkit.life.models import ComplianceRule, LeaveRequest, Meeting
from toolkit.org.access import company_user_required, manager_required, member_required
from toolkit.org.models import Member
from toolkit.org.selectors import descendants_of, managed_unit_ids, member_ids_in


@company_user_required
def meeting_list(request):
    managed = managed_unit_ids(user=request.user)
    mine = selectors.meetings_for(member=request.member) if request.member else None
    ours = selectors.managed_meetings(unit_ids=managed) if managed else None
    # ?unit=<id>: one branch's meetings (the QR poster at its meeting room opens this).
    unit = selectors.branches().filter(pk=request.GET.get("unit", "")).first() \
        if request.GET.get("unit", "").isdigit() else None
    if unit is not None:
        units = descendants_of(unit=unit)
        mine = mine.filter(unit_id__in=units) if mine is not None else None
        ours = ours.filter(unit_id__in=units) if ours is not None else None
    return render(request, "life/meeting_list.html", {
        "member": request.member, "unit": unit,
        "mine": mine.order_by("-starts_at")[:30] if mine is not None else [],
        "managed": ours.order_by("-starts_at")[:30] if ours is not None else [],
    })


@manager_required
def meeting_new(request):
    form = MeetingForm(request.POST or None, unit_ids=request.managed)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, **form.cleaned_data)
        except services.CheckinRefused as refusal:
            form.add_error("ends_at", str(refusal))
        else:
            return redirect("life:detail", meeting_id=meeting.pk)
    return render(request, "life/meeting_new.html", {"form": form})


@company_user_required
def meeting_detail(request, meeting_id):
    meeting = get_object_or_404(Meeting.objects.select_related("unit"), pk=meeting_id)
    if not selectors.meeting_visible_to(user=request.user, meeting=meeting):
        raise PermissionDenied  # another branch's meeting
    manages = selectors.meeting_managed_by(user=request.user, meeting=meeting)
    member = request.member
    attended = {a.member_id: a for a in selectors.attendances_of(meeting=meeting)}
    return render(request, "life/meeting_detail.html", {
        "meeting": meeting, "manages": manages,
        "attended": attended.get(member.pk) if member else None,
        "my_leave": selectors.leave_of(meeting=meeting, member=member),
        "expected": selectors.expected_members(meeting=meeting) if manages else [],
        "attended_ids": set(attended), "leaves": selectors.pending_leaves(meeting=meeting),
        "approved_leaves": selectors.approved_leaves(meeting=meeting) if manages else [],
        "leave_form": LeaveForm(), "meeting_over": meeting.ends_at <= timezone.now(),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
    })


@manager_required
@never_cache
def meeting_qr(request, meeting_id):
    """A fresh check-in code as an SVG; the meeting page reloads it before it expires."""
    meeting = get_object_or_404(Meeting, pk=meeting_id, unit_id__in=request.managed)
    url = request.build_absolute_uri(reverse("life:checkin",
                                             args=[services.checkin_code(meeting)]))
    # A standalone SVG document (with its XML namespace): an <img> refuses one without it.
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=6, light="#fff", xmldecl=False)
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@require_http_methods(["GET", "POST"])
@ratelimit(group="checkin-ip", key="ip", rate=configured_rate)  # each request checks a code
@member_required
@ratelimit(group="checkin-user", key="user", rate=configured_rate)
def checkin(request, code):
    """Opening the scanned link shows the meeting and a button; only the POST checks in."""
    try:
        if request.method == "POST":
            attendance = services.attendance_checkin(code=code, member=request.member)
            return render(request, "life/checkin.html",
                          {"meeting": attendance.meeting, "done": True})
        meeting = services.checkin_meeting(code=code)
    except services.CheckinRefused as refusal:
        return render(request, "life/checkin.html", {"refused": str(refusal)}, status=400)
    return render(request, "life/checkin.html", {"meeting": meeting})


@member_required
@require_POST
def leave(request, meeting_id):
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    form = LeaveForm(request.POST)
    # A refusal: core.middleware.RefusalMiddleware flashes it and goes back.
    if not form.is_valid():
        raise services.CheckinRefused(_("请写明请假理由。"), code="leave_reason_missing")
    services.leave_request(meeting=meeting, member=request.member,
                           reason=form.cleaned_data["reason"])
    messages.success(request, _("请假已提交，等待书记批准。"))
    return redirect("life:detail", meeting_id=meeting.pk)


@manager_required
@require_POST
def leave_decide(request, leave_id):
    leave_request = get_object_or_404(LeaveRequest.objects.select_related("member__user"),
                                      pk=leave_id)
    approve = request.POST.get("decision") == "approve"
    # A refusal: core.middleware.RefusalMiddleware flashes it and goes back.
    services.leave_decide(leave=leave_request, by=request.user, approve=approve)
    name = leave_request.member.user.get_full_name()
    messages.success(request, (_("已批准%(name)s的请假。") if approve
                               else _("已不批准%(name)s的请假。")) % {"name": name})
    return redirect("life:detail", meeting_id=leave_request.meeting_id)


@manager_required
@require_POST
def attendance_record(request, meeting_id, member_id):
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    member = get_object_or_404(Member.objects.select_related("user"), pk=member_id)
    # A refusal: core.middleware.RefusalMiddleware flashes it and goes back.
    services.attendance_record(meeting=meeting, member=member, by=request.user)
    messages.success(request, _("已登记%(name)s出席。") % {"name": member.user.get_full_name()})
    return redirect("life:detail", meeting_id=meeting.pk)


@manager_required
@require_POST
def absences(request, meeting_id):
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    # A refusal: core.middleware.RefusalMiddleware flashes it and goes back.
    roll = services.meeting_absences_record(meeting=meeting, by=request.user)
    count = {"count": len(roll.absent)}
    if roll.recorded:
        messages.success(request, _("已登记缺席未请假 %(count)d 人。") % count)
    else:
        messages.warning(request, _("缺席未请假 %(count)d 人，未登记：%(reason)s") % {
            **count, "reason": " ".join(roll.skipped) or _("没有模块接收缺席名单。")})
    return redirect("life:detail", meeting_id=meeting.pk)


@manager_required
@require_POST
def minutes(request, meeting_id):
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    form = MinutesForm(request.POST)
    if form.is_valid():
        services.meeting_minutes_save(meeting=meeting, minutes=form.cleaned_data["minutes"],
                                      by=request.user)
        messages.success(request, _("会议记录已保存。"))
    return redirect("life:detail", meeting_id=meeting.pk)


@company_user_required
def compliance(request):
    units = selectors.branches()
    return render(request, "life/compliance.html", {
        "rows": [(unit, selectors.compliance(unit=unit)) for unit in units]})


@member_required
def dues_page(request):
    profile = getattr(request.member, "dues_profile", None)
    form = DuesProfileForm(request.POST or None, initial={
        "category": profile.category if profile else "employed",
        "monthly_wage": profile.monthly_wage if profile else None})
    if request.method == "POST" and form.is_valid():
        services.dues_profile_save(member=request.member, **form.cleaned_data)
        messages.success(request, _("已更新。"))
        return redirect("life:dues")
    return render(request, "life/dues.html", {
        "form": form, "amount": selectors.member_monthly_dues(member=request.member),
        "payments": selectors.dues_payments_of(member=request.member)[:12],
        "behind": selectors.months_behind(member=request.member),
        "due_day": selectors.settings_row().due_day,
        "year": timezone.localdate().year,
    })


@manager_required
def dues_manage(request):
    member_ids = member_ids_in(unit_ids=request.managed)
    form = DuesPaymentForm(request.POST or None, member_ids=member_ids)
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.dues_payment_record(by=request.user, **form.cleaned_data)
        except services.DuesRefused as refusal:
            form.add_error("month", str(refusal))
        else:
            messages.success(request, _("已登记 ¥%(amount)s。") % {"amount": payment.amount})
            return redirect("life:dues_manage")
    return render(request, "life/dues_manage.html", {
        "form": form, "behind": selectors.members_behind(unit_ids=request.managed),
    })


@company_admin_required
def life_settings(request):
    """The company's meeting frequencies and fixed dues amounts, edited by the admin."""
    formset = ComplianceFormSet(request.POST or None, queryset=ComplianceRule.objects.all(),
                                prefix="rules")
    dues_form = DuesSettingsForm(request.POST or None, instance=selectors.settings_row(),
                                 prefix="dues")
    if request.method == "POST" and formset.is_valid() and dues_form.is_valid():
        services.life_settings_save(rules=formset, dues_settings=dues_form)
        messages.success(request, _("已保存。"))
        return redirect("life:settings")
    return render(request, "life/settings.html", {"formset": formset, "dues_form": dues_form})
