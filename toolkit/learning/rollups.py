"""The figures a company reports up to the trainers: per course (assigned, started, completed,
overdue, average score, hours, the lesson where learners stop) and per year (members on track
for their 学时). Computed in the company's schema with a few GROUP BY queries and stored in the
public schema through training.rollup_store; no member-level row leaves the company."""

import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Company, CompanyStatus
from toolkit.learning.selectors import LEADER_POSITIONS
from training.rollup_store import (
    CourseFigures,
    HoursFigures,
    course_rollups_store,
    hours_rollups_store,
)

_COURSES = """
SELECT course_id, COUNT(*), COUNT(started_at), COUNT(completed_at),
       COUNT(*) FILTER (WHERE completed_at IS NULL AND due_on < %(today)s),
       ROUND(AVG(best_score), 1)
FROM learning_enrolment GROUP BY course_id
"""
_HOURS_BY_COURSE = """
SELECT e.course_id, SUM(l.hours)
FROM learning_lessonprogress p
JOIN learning_enrolment e ON e.id = p.enrolment_id
JOIN training_lesson l ON l.id = p.lesson_id
WHERE p.completed_at IS NOT NULL GROUP BY e.course_id
"""
# Each learner who started and has not finished stops at the first lesson of their version
# they have not completed; the course's stop lesson is the commonest of those.
_STOPS = """
WITH open_enrolment AS (
    SELECT id, course_id, version_id FROM learning_enrolment
    WHERE started_at IS NOT NULL AND completed_at IS NULL AND version_id IS NOT NULL),
stop AS (
    SELECT DISTINCT ON (o.id) o.course_id, l.id AS lesson_id
    FROM open_enrolment o
    JOIN training_chapter ch ON ch.version_id = o.version_id
    JOIN training_lesson l ON l.chapter_id = ch.id
    WHERE NOT EXISTS (SELECT 1 FROM learning_lessonprogress p WHERE p.enrolment_id = o.id
                      AND p.lesson_id = l.id AND p.completed_at IS NOT NULL)
    ORDER BY o.id, ch."order", ch.id, l."order", l.id)
SELECT DISTINCT ON (s.course_id) s.course_id, l.uid, l.title
FROM (SELECT course_id, lesson_id, COUNT(*) AS n FROM stop GROUP BY course_id, lesson_id) s
JOIN training_lesson l ON l.id = s.lesson_id
ORDER BY s.course_id, s.n DESC, s.lesson_id
"""
_ON_TRACK = """
SELECT COUNT(*),
       COUNT(*) FILTER (WHERE COALESCE(h.total, 0) >= CASE WHEN m.position = ANY(%(leaders)s)
                        THEN s.leader_hours ELSE s.member_hours END),
       COALESCE(SUM(h.total), 0)
FROM org_member m
JOIN accounts_user u ON u.id = m.user_id AND u.is_active
CROSS JOIN (SELECT member_hours, leader_hours FROM learning_learningsettings
            ORDER BY id LIMIT 1) s
LEFT JOIN (SELECT member_id, SUM(hours) AS total FROM learning_hoursentry
           WHERE occurred_on >= %(start)s AND occurred_on < %(end)s GROUP BY member_id) h
       ON h.member_id = m.id
"""


def company_figures(*, today: datetime.date) -> tuple[dict[int, CourseFigures], HoursFigures]:
    """This schema's figures: four queries, whatever the number of members and courses."""
    courses: dict[int, CourseFigures] = {}
    with connection.cursor() as cursor:
        cursor.execute(_COURSES, {"today": today})
        for course_id, assigned, started, completed, overdue, average in cursor.fetchall():
            courses[course_id] = CourseFigures(assigned, started, completed, overdue, average)
        cursor.execute(_HOURS_BY_COURSE)
        for course_id, hours in cursor.fetchall():
            if course_id in courses:
                courses[course_id].hours = hours or Decimal(0)
        cursor.execute(_STOPS)
        for course_id, uid, title in cursor.fetchall():
            if course_id in courses:
                courses[course_id].stop_lesson_uid = uid
                courses[course_id].stop_lesson_title = title[:100]
        cursor.execute(_ON_TRACK, {"leaders": list(LEADER_POSITIONS),
                                   "start": today.replace(month=1, day=1),
                                   "end": today.replace(year=today.year + 1, month=1, day=1)})
        members, on_track, hours = cursor.fetchone()
    return courses, HoursFigures(members, on_track, hours)


def company_rollup_refresh(*, company: Company, today: datetime.date | None = None) -> None:
    """One company's figures, computed and stored (the connection is on its schema)."""
    today = today or timezone.localdate()
    courses, hours = company_figures(today=today)
    course_rollups_store(rows=[(company.pk, course_id, figures)
                               for course_id, figures in courses.items()])
    hours_rollups_store(rows=[(company.pk, today.year, hours)])


def rollups_refresh(*, today: datetime.date | None = None) -> int:
    """Every active company's figures: computed in each schema, then stored up together (two
    statements for all companies). Returns how many companies were refreshed."""
    today = today or timezone.localdate()
    course_rows, hours_rows = [], []
    companies = list(Company.objects.filter(status=CompanyStatus.ACTIVE)
                     .exclude(schema_name=get_public_schema_name()).only("pk", "schema_name"))
    for company in companies:
        with schema_context(company.schema_name):
            courses, hours = company_figures(today=today)
        course_rows += [(company.pk, course_id, figures) for course_id, figures in courses.items()]
        hours_rows.append((company.pk, today.year, hours))
    course_rollups_store(rows=course_rows)
    hours_rollups_store(rows=hours_rows)
    return len(companies)
