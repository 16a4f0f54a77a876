"""The company admin's learning pages: the open catalogue and adoption, the company's courses,
the yearly 学时 requirement and remedial course, who is behind (by branch, xlsx), external
credits with evidence. And a member's own 学时 ledger."""

import io

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from core.decorators import company_admin_required
from core.errors import refusal_to_form
from tenants.selectors import current_company
from toolkit.learning import selectors, services
from toolkit.learning.forms import ExternalCreditForm, LearningSettingsForm, YearForm
from toolkit.learning.hours import hours_credit
from toolkit.learning.models import HoursSource
from toolkit.org.access import member_required
from toolkit.points.selectors import last_close, remedial_unenrolled_names
from toolkit.uploads import UploadRefused, checked_upload
from training.models import Course
from training.xlsx import row_append


def _year(request) -> int:
    form = YearForm(request.GET)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return year or timezone.localdate().year


@member_required
def my_hours(request):
    year = _year(request)
    settings = selectors.learning_settings()
    hours = selectors.hours_in_year(member=request.member, year=year)
    required = selectors.hours_required(member=request.member, settings=settings)
    return render(request, "learning/hours.html", {
        "year": year, "hours": hours, "required": required,
        "percent": min(100, int(hours * 100 / required)) if required else 100,
        "entries": selectors.hours_entries_of(member=request.member, year=year)[:200],
    })


def _company_courses():
    company = current_company()
    delivered = Course.objects.filter(deliveries__in=selectors.deliveries_for_company(
        company=company))
    adopted = Course.objects.filter(adoptions__company=company)
    return (delivered | adopted).distinct()


@company_admin_required
def manage(request):
    company = current_company()
    settings_row = selectors.learning_settings()
    remedial_missing = settings_row.remedial_course_id is None
    form = LearningSettingsForm(request.POST or None, instance=settings_row,
                                courses=_company_courses())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enrolled = services.learning_settings_save(
            by=request.user, member_hours=data["member_hours"], leader_hours=data["leader_hours"],
            remind_days_before=data["remind_days_before"],
            remedial_course=data["remedial_course"])
        messages.success(request, _("学习设置已保存。"))
        if enrolled:
            messages.success(request, _("已为上次月度终评排名靠后的 %(n)d 名党员安排补课课程。")
                             % {"n": enrolled})
        return redirect("learning:manage")
    closed = last_close()
    unenrolled = (remedial_unenrolled_names(month=closed.month)
                  if remedial_missing and closed else "")
    adopted_ids = set(selectors.adoptions_of(company=company).values_list("course_id",
                                                                          flat=True))
    deliveries = selectors.deliveries_for_company(company=company)
    # A course the incubator already delivers here is not offered again for adoption.
    taken = adopted_ids | set(deliveries.values_list("course_id", flat=True))
    return render(request, "learning/manage.html", {
        "form": form,
        "remedial_missing": remedial_missing,
        "remedial_month": closed.month if closed else None,
        "remedial_unenrolled": unenrolled,
        "deliveries": deliveries.select_related("course").order_by("-opens_on")[:100],
        "adopted": selectors.adoptions_of(company=company).order_by("-adopted_at"),
        "catalogue": [c for c in selectors.courses_open()[:200] if c.pk not in taken],
    })


@require_POST
@company_admin_required
def adopt(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    services.company_course_adopt(course=course, by=request.user)  # refusal: flashed, back
    messages.success(request, _("已选用课程“%(title)s”，全体党员可以学习。") % {
        "title": course.title})
    return redirect("learning:manage")


@company_admin_required
def hours_manage(request):
    year = _year(request)
    standings = selectors.hours_standings(year=year)
    branches: dict[str, list] = {}
    for standing in standings:
        unit = standing.member.unit.name if standing.member.unit else _("未分配支部")
        branches.setdefault(unit, []).append(standing)
    return render(request, "learning/hours_manage.html", {
        "year": year, "branches": [(name, rows, sum(1 for r in rows if r.behind))
                                   for name, rows in branches.items()],
        "behind": sum(1 for s in standings if s.behind), "total": len(standings),
    })


@company_admin_required
def hours_export(request):
    year = _year(request)
    book = Workbook()
    sheet = book.active
    sheet.title = str(year)
    sheet.append([_("所在支部"), _("姓名"), _("职务"), _("已获学时"), _("应修学时"), _("差额")])
    for s in selectors.hours_standings(year=year):
        row_append(sheet, [s.member.unit.name if s.member.unit else "",
                           s.member.user.get_full_name(), s.member.get_position_display(),
                           float(s.hours), float(s.required), float(s.behind)])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="hours-{year}.xlsx"'
    return response


@company_admin_required
def hours_credit_external(request):
    form = ExternalCreditForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checked_upload(data["evidence"])
        except UploadRefused as refusal:
            refusal_to_form(form, UploadRefused(refusal.message, code=refusal.code,
                                                fields={"evidence": [refusal.message]}))
        else:
            with transaction.atomic():
                hours_credit(member=data["member"], hours=data["hours"],
                             source=HoursSource.EXTERNAL, title=data["title"],
                             occurred_on=data["occurred_on"], evidence=data["evidence"],
                             by=request.user)
            messages.success(request, _("已登记外部培训学时。"))
            return redirect("learning:hours_manage")
    return render(request, "learning/hours_credit.html", {"form": form})
