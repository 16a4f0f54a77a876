"""Delivering courses, and the roll-ups trainers read (pages, charts and an xlsx export)."""

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import trainer_required
from core.errors import Refused, refusal_to_form
from training import delivery_services, selectors
from training.forms import DeliveryForm, RollupFilterForm
from training.models import Course
from training.rollup_selectors import (
    hours_on_track,
    rollup_by_batch,
    rollup_by_company,
    rollup_by_course,
)
from training.views_questions import XLSX
from training.xlsx import row_append


@trainer_required
def delivery_new(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    form = DeliveryForm(request.POST or None, initial={"opens_on": timezone.localdate()},
                        batches=selectors.batches_visible(user=request.user),
                        companies=selectors.companies_visible(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            delivery_services.course_deliver(course=course, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("课程已下发。"))
            return redirect("training:course_detail", course_id=course.pk)
    return render(request, "training/delivery_form.html", {
        "form": form, "course": course,
        "published": selectors.version_published_latest(course=course),
    }, status=400 if form.is_bound and form.errors else 200)


@trainer_required
@require_POST
def delivery_withdraw(request, delivery_id):
    delivery = get_object_or_404(selectors.deliveries_visible(user=request.user),
                                 pk=delivery_id)
    delivery_services.delivery_withdraw(delivery=delivery, by=request.user)
    messages.success(request, _("已撤回下发。"))
    return redirect("training:course_detail", course_id=delivery.course_id)


@trainer_required
@require_POST
def course_learners_move(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    asked = delivery_services.course_learners_move(course=course, by=request.user)
    messages.success(request, _("已通知 %(n)s 家公司：未学完的学员改学最新版本。") % {"n": asked})
    return redirect("training:course_detail", course_id=course.pk)


@trainer_required
def delivery_list(request):
    return render(request, "training/delivery_list.html", {
        "deliveries": selectors.deliveries_shown(user=request.user)})


def _figures(request):
    filters = RollupFilterForm(request.GET or None, initial={"year": timezone.localdate().year})
    criteria = filters.cleaned_data if filters.is_valid() else {}
    course, year = criteria.get("course"), criteria.get("year") or timezone.localdate().year
    companies = selectors.companies_visible(user=request.user)
    return filters, {
        "course": course, "year": year,
        "by_course": rollup_by_course(companies=companies) if course is None else [],
        "by_batch": rollup_by_batch(companies=companies, course=course),
        "by_company": rollup_by_company(companies=companies, course=course),
        "on_track": hours_on_track(companies=companies, year=year),
    }


@trainer_required
def rollups(request):
    filters, figures = _figures(request)
    charts = {
        "courses": [[row["label"], row["completed"], row["started"] - row["completed"],
                     row["assigned"] - row["started"]] for row in figures["by_course"][:20]],
        "companies": [[row["label"], row["completion"]] for row in figures["by_company"][:30]],
        "on_track": [[row["company"], row["share"]] for row in figures["on_track"][:30]],
    }
    return render(request, "training/rollups.html", {"filters": filters, "charts": charts,
                                                      "query": request.GET.urlencode(),
                                                      **figures})


@trainer_required
def rollups_export(request):
    from openpyxl import Workbook

    _filters, figures = _figures(request)
    workbook = Workbook()
    workbook.remove(workbook.active)
    header = [_("已分配"), _("已开始"), _("已完成"), _("逾期"), _("完成率%"), _("平均分"),
              _("学时"), _("多数人停在")]
    for title, key, first in ((_("按课程"), "by_course", _("课程")),
                              (_("按批次"), "by_batch", _("批次")),
                              (_("按公司"), "by_company", _("公司"))):
        if key == "by_course" and figures["course"] is not None:
            continue
        sheet = workbook.create_sheet(title)
        sheet.append([first, *header])
        for row in figures[key]:
            row_append(sheet, [row["label"] or _("未分批次"), row["assigned"], row["started"],
                               row["completed"], row["overdue"], row["completion"],
                               row["average_score"], row["hours"], row["stop_lesson"]])
    sheet = workbook.create_sheet(_("学时达标"))
    sheet.append([_("公司"), _("党员"), _("达标人数"), _("达标比例%"), _("学时合计")])
    for row in figures["on_track"]:
        row_append(sheet, [row["company"], row["members"], row["on_track"], row["share"],
                           row["hours"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="training-rollups.xlsx"'
    return response


