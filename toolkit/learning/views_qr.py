"""扫码党课: every lesson has a stable QR code — /learning/l/<uid>/ on the company's site, the
uid of a member lesson or the uid a training lesson keeps across versions — unlike the
90-second check-in codes. Scanning opens the lesson (sign-in first); a lesson this company
does not have is a 404. Sheets per lesson and per series (a course, a topic) print as PDF
through core.pdf."""

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse

from core.pdf import pdf_render
from tenants.selectors import current_company
from toolkit.learning import member_lessons_selectors as ml_selectors
from toolkit.learning import selectors, services
from toolkit.learning.models import Enrolment, MemberLessonStatus
from toolkit.org.access import company_user_required, manager_required
from training.models import Course, Lesson, VersionStatus


def _company_lessons(uid):
    """Training lessons with this uid in a course this company has (delivered or adopted),
    published versions only (a trainer's draft is nobody's yet)."""
    lessons = Lesson.objects.filter(uid=uid, chapter__version__status=VersionStatus.PUBLISHED
                                    ).select_related("chapter__version")
    company = current_company()
    return [lesson for lesson in lessons
            if selectors.company_has_course(company=company,
                                            course_id=lesson.chapter.version.course_id)]


@company_user_required
def stable(request, uid):
    member_lesson = ml_selectors.lesson_by_uid(uid=uid)
    if member_lesson is not None:
        return redirect("learning:ml_lesson", uid=member_lesson.uid)
    lessons = _company_lessons(uid)
    if not lessons:
        raise Http404
    course_id = lessons[0].chapter.version.course_id
    if request.member is None:
        return redirect("learning:manage")
    services.enrolments_sync(member=request.member)
    enrolment = Enrolment.objects.filter(member=request.member, course_id=course_id).first()
    if enrolment is None:
        raise Http404  # the company has it, but not for this member's audience
    version = enrolment.version or selectors.version_published_latest(course_id=course_id)
    lesson = Lesson.objects.filter(uid=uid, chapter__version=version).first()
    if lesson is None:
        raise Http404
    return redirect("learning:lesson", course_id=course_id, lesson_id=lesson.pk)


def _qr(request, uid) -> tuple[str, str]:
    url = request.build_absolute_uri(reverse("learning:stable", kwargs={"uid": uid}))
    return url, segno.make(url, error="m").png_data_uri(scale=6, border=2)


def _sheet(request, *, title: str, rows: list[tuple[str, str, object]], filename: str):
    cards = []
    for heading, note, uid in rows:
        url, data_uri = _qr(request, uid)
        cards.append({"title": heading, "note": note, "url": url, "qr": data_uri})
    html = render_to_string("learning/qr_sheet.html", {
        "title": title, "cards": cards, "company": current_company()})
    response = HttpResponse(pdf_render(html=html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@manager_required
def member_lesson_sheet(request, uid):
    lesson = ml_selectors.lesson_by_uid(uid=uid)
    if lesson is None or lesson.status != MemberLessonStatus.APPROVED:
        raise Http404
    return _sheet(request, title=lesson.title, filename="qr-lesson.pdf",
                  rows=[(lesson.title, lesson.lecturer.user.full_name, lesson.uid)])


@manager_required
def topic_sheet(request):
    topic = request.GET.get("topic", "").replace("\x00", "")[:40]
    lessons = list(ml_selectors.library(order="new", topic=topic)) if topic else []
    if not lessons:
        raise Http404
    return _sheet(request, title=topic, filename="qr-topic.pdf",
                  rows=[(x.title, x.lecturer.user.full_name, x.uid) for x in lessons])


@manager_required
def training_lesson_sheet(request, uid):
    lessons = _company_lessons(uid)
    if not lessons:
        raise Http404
    lesson = max(lessons, key=lambda x: x.chapter.version.number)
    course = Course.objects.get(pk=lesson.chapter.version.course_id)
    return _sheet(request, title=lesson.title, filename="qr-lesson.pdf",
                  rows=[(lesson.title, course.title, lesson.uid)])


@manager_required
def course_sheet(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    if not selectors.company_has_course(company=current_company(), course_id=course.pk):
        raise Http404
    version = selectors.version_published_latest(course_id=course.pk)
    if version is None:
        raise Http404
    lessons = list(Lesson.objects.filter(chapter__version=version).order_by(
        "chapter__order", "order"))
    if not lessons:
        raise Http404
    return _sheet(request, title=course.title, filename="qr-course.pdf",
                  rows=[(x.title, course.title, x.uid) for x in lessons])
