"""扫码党课 sheets in the handbook (from toolkit.learning): every lesson the company has — its
own approved member lessons and the lessons of the courses delivered to or adopted by it — with
its stable QR code (/learning/l/<uid>/ on the company's site, the code views_qr.py prints one
sheet at a time), six to a page, to cut out and post where members gather."""

import segno
from django.urls import reverse
from django.utils.translation import gettext as _

from tenants.models import Company
from toolkit.documents.pages import page_html
from toolkit.documents.renderer import Section
from toolkit.learning.member_lessons_selectors import library
from toolkit.learning.selectors import (
    adoptions_of,
    deliveries_for_company,
    version_published_latest,
)
from training.models import Lesson


def lesson_rows(*, company: Company) -> list[dict]:
    """(group, title, note, uid) per lesson: member lessons (newest first), then each course's
    latest published lessons in their order; a lesson in two courses is listed once."""
    rows, seen = [], set()
    for lesson in library(order="new"):
        rows.append({"group": _("本公司微党课"), "title": lesson.title,
                     "note": lesson.lecturer.user.full_name, "uid": lesson.uid})
    courses = {}
    for delivery in deliveries_for_company(company=company).select_related("course"):
        courses.setdefault(delivery.course_id, delivery.course)
    for adoption in adoptions_of(company=company):
        courses.setdefault(adoption.course_id, adoption.course)
    for course in sorted(courses.values(), key=lambda course: (course.title, course.pk)):
        version = version_published_latest(course_id=course.pk)
        if version is None:
            continue
        for lesson in Lesson.objects.filter(chapter__version=version).order_by(
                "chapter__order", "order", "id"):
            if lesson.uid not in seen:
                seen.add(lesson.uid)
                rows.append({"group": course.title, "title": lesson.title,
                             "note": course.title, "uid": lesson.uid})
    return rows


def lesson_qr_sections(*, company: Company, site: str) -> list[Section]:
    cards = []
    for row in lesson_rows(company=company):
        link = f"{site.rstrip('/')}{reverse('learning:stable', kwargs={'uid': row['uid']})}"
        cards.append({**row, "link": link, "qr": segno.make(link, error="m").svg_data_uri(
            scale=6, border=2, dark="#1a1a1a")})
    if not cards:
        return []
    return [Section(key="lesson-qr", title=_("扫码党课"), html=page_html(
        "documents/pdf/lesson_qr.html", {"cards": cards, "company": company.name}))]
