"""The figures a company reports up to the trainers: per course (assigned, started, completed,
overdue, average score, hours, the lesson where learners stop) and per year (members on track
for their 学时). Computed from the company's schema with a few plain reads and stored in the
public schema through training.rollup_store; no member-level row leaves the company.

For a small company, switching the search path and planning joins cost more than reading its
rows: companies are read in batches (five plain reads of their tables, named with their
schemas, per batch) and the counts and sums are made here; what the catalogue says about a
version's lessons (order, hours) is read once for all companies."""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name
from psycopg2 import sql

from tenants.models import Company, CompanyStatus
from toolkit.learning.selectors import LEADER_POSITIONS
from training.models import Lesson
from training.rollup_store import (
    CourseFigures,
    HoursFigures,
    course_rollups_store,
    hours_rollups_store,
)

# Each query is a plain read of one table (two for the members), named with a company's
# schema and tagged with the company: a batch of companies is one UNION ALL per query, so
# there is no search_path switch per company and a round trip serves many of them.
_ENROLMENTS = """
SELECT {company}, id, course_id, version_id, started_at IS NOT NULL, completed_at IS NOT NULL,
       COALESCE(completed_at IS NULL AND due_on < %(today)s, false)
       -- A course withdrawn by the trainer (已撤回, 0038) is not overdue.
       AND NOT (source = 'delivered' AND delivery_id IN (
           SELECT d.id FROM public.training_delivery AS d WHERE d.withdrawn_at IS NOT NULL)),
       best_score
FROM {schema}.learning_enrolment
"""
_DONE = """
SELECT {company}, enrolment_id, lesson_id FROM {schema}.learning_lessonprogress
WHERE completed_at IS NOT NULL
"""
_MEMBERS = """
SELECT {company}, m.id, m.position = ANY(%(leaders)s) FROM {schema}.org_member m
JOIN {schema}.accounts_user u ON u.id = m.user_id AND u.is_active
"""
_HOURS = """
SELECT {company}, member_id, SUM(hours) FROM {schema}.learning_hoursentry
WHERE occurred_on >= %(start)s AND occurred_on < %(end)s GROUP BY member_id
"""
_SETTINGS = """
(SELECT {company}, member_hours, leader_hours FROM {schema}.learning_learningsettings
 ORDER BY id LIMIT 1)
"""
BATCH = 50


def _union(text: str, companies: list[tuple[int, str]]) -> sql.Composed:
    return sql.SQL(" UNION ALL ").join(
        sql.SQL(text).format(company=sql.Literal(pk), schema=sql.Identifier(schema))
        for pk, schema in companies)


@dataclass
class VersionLessons:
    ordered: list[tuple[int, UUID, str]]  # (lesson id, uid, title) in the learner's order
    hours: dict[int, Decimal]


class Catalogue:
    """Versions' lessons, read from the public schema once per refresh, whatever the number of
    companies that take them."""

    def __init__(self):
        self.versions: dict[int, VersionLessons] = {}

    def load(self, version_ids: set[int]) -> None:
        missing = version_ids - set(self.versions)
        if not missing:
            return
        for version_id in missing:
            self.versions[version_id] = VersionLessons([], {})
        rows = (Lesson.objects.filter(chapter__version_id__in=missing)
                .order_by("chapter__version_id", "chapter__order", "chapter_id", "order", "id")
                .values_list("chapter__version_id", "id", "uid", "title", "hours"))
        for version_id, lesson_id, uid, title, hours in rows:
            lessons = self.versions[version_id]
            lessons.ordered.append((lesson_id, uid, title))
            lessons.hours[lesson_id] = hours


Figures = tuple[dict[int, CourseFigures], HoursFigures]


def companies_figures(*, companies: list[tuple[int, str]], today: datetime.date,
                      catalogue: Catalogue | None = None) -> dict[int, Figures]:
    """Figures of companies given as (company id, schema name): five reads for them all."""
    catalogue = catalogue or Catalogue()
    params = {"today": today, "leaders": list(LEADER_POSITIONS),
              "start": today.replace(month=1, day=1),
              "end": today.replace(year=today.year + 1, month=1, day=1)}
    rows: dict[str, dict[int, list]] = {}
    with connection.cursor() as cursor:
        for key, text in (("enrolments", _ENROLMENTS), ("done", _DONE),
                          ("members", _MEMBERS), ("hours", _HOURS), ("settings", _SETTINGS)):
            cursor.execute(_union(text, companies), params)
            by_company = rows[key] = {}
            for row in cursor.fetchall():
                by_company.setdefault(row[0], []).append(row[1:])
    catalogue.load({row[2] for found in rows["enrolments"].values() for row in found
                    if row[2] is not None})
    figures = {}
    for pk, _schema in companies:
        done: dict[int, set[int]] = {}
        for enrolment_id, lesson_id in rows["done"].get(pk, []):
            done.setdefault(enrolment_id, set()).add(lesson_id)
        hours = {member_id: total for member_id, total in rows["hours"].get(pk, [])}
        members = rows["members"].get(pk, [])
        member_hours, leader_hours = (rows["settings"].get(pk) or [(Decimal(32), Decimal(56))])[0]
        figures[pk] = (_course_figures(rows["enrolments"].get(pk, []), done, catalogue),
                       HoursFigures(
                           members=len(members),
                           on_track=sum(1 for member_id, leader in members
                                        if hours.get(member_id, 0)
                                        >= (leader_hours if leader else member_hours)),
                           hours=sum((hours.get(member_id, Decimal(0))
                                      for member_id, _leader in members), Decimal(0))))
    return figures


def _course_figures(enrolments, done_by_enrolment: dict[int, set[int]],
                    catalogue: Catalogue) -> dict[int, CourseFigures]:
    courses: dict[int, CourseFigures] = {}
    scores: dict[int, list[int]] = {}
    stops: dict[int, Counter] = {}
    for enrolment_id, course_id, version_id, started, completed, overdue, score in enrolments:
        figures = courses.setdefault(course_id, CourseFigures())
        figures.assigned += 1
        figures.started += started
        figures.completed += completed
        figures.overdue += overdue
        if score is not None:
            scores.setdefault(course_id, []).append(score)
        lessons = catalogue.versions.get(version_id)
        if lessons is None:
            continue
        done = done_by_enrolment.get(enrolment_id, set())
        figures.hours += sum((lessons.hours.get(pk, Decimal(0)) for pk in done), Decimal(0))
        if started and not completed:
            # A learner stops at the first lesson of their version they have not completed.
            stop = next((lesson for lesson in lessons.ordered if lesson[0] not in done), None)
            if stop is not None:
                stops.setdefault(course_id, Counter())[stop] += 1
    for course_id, figures in courses.items():
        if course_id in scores:
            figures.average_score = round(Decimal(sum(scores[course_id]))
                                          / len(scores[course_id]), 1)
        if course_id in stops:
            # The commonest stop; of equals, the earliest lesson.
            (_pk, uid, title), _count = min(stops[course_id].items(),
                                            key=lambda item: (-item[1], item[0][0]))
            figures.stop_lesson_uid, figures.stop_lesson_title = uid, title[:100]
    return courses


def company_rollup_refresh(*, company: Company, today: datetime.date | None = None) -> None:
    """One company's figures, computed and stored (the connection is on its schema)."""
    today = today or timezone.localdate()
    courses, hours = companies_figures(companies=[(company.pk, company.schema_name)],
                                       today=today)[company.pk]
    course_rollups_store(rows=[(company.pk, course_id, figures)
                               for course_id, figures in courses.items()])
    hours_rollups_store(rows=[(company.pk, today.year, hours)])


def rollups_refresh(*, today: datetime.date | None = None) -> int:
    """Every active company's figures: computed in each schema, then stored up together (two
    statements for all companies). Returns how many companies were refreshed."""
    today = today or timezone.localdate()
    catalogue = Catalogue()
    course_rows, hours_rows = [], []
    companies = list(Company.objects.filter(status=CompanyStatus.ACTIVE)
                     .exclude(schema_name=get_public_schema_name()).only("pk", "schema_name"))
    pairs = [(company.pk, company.schema_name) for company in companies]
    for first in range(0, len(pairs), BATCH):
        found = companies_figures(companies=pairs[first:first + BATCH], today=today,
                                  catalogue=catalogue)
        for pk, (courses, hours) in found.items():
            course_rows += [(pk, course_id, figures) for course_id, figures in courses.items()]
            hours_rows.append((pk, today.year, hours))
    course_rollups_store(rows=course_rows)
    hours_rollups_store(rows=hours_rows)
    return len(companies)
