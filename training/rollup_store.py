"""What companies report up: each company computes its figures in its own schema
(toolkit.learning.rollups) and stores them here, in the public schema, as counts and averages
with no member names. Upserts, so a refresh simply overwrites the last figures."""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db import transaction

from tenants.models import Company
from training.models import CompanyCourseRollup, CompanyHoursRollup, Course


@dataclass
class CourseFigures:
    assigned: int = 0
    started: int = 0
    completed: int = 0
    overdue: int = 0
    average_score: Decimal | None = None
    hours: Decimal = Decimal(0)
    stop_lesson_uid: UUID | None = None
    stop_lesson_title: str = ""


@dataclass
class HoursFigures:
    members: int = 0
    on_track: int = 0
    hours: Decimal = Decimal(0)


_COURSE_FIELDS = ["assigned", "started", "completed", "overdue", "average_score", "hours",
                  "stop_lesson_uid", "stop_lesson_title", "updated_at"]
_HOURS_FIELDS = ["members", "on_track", "hours", "updated_at"]


@transaction.atomic
def course_rollup_store(*, company: Company, course: Course, figures: CourseFigures) -> None:
    course_rollups_store(rows=[(company.pk, course.pk, figures)])


@transaction.atomic
def hours_rollup_store(*, company: Company, year: int, figures: HoursFigures) -> None:
    hours_rollups_store(rows=[(company.pk, year, figures)])


@transaction.atomic
def course_rollups_store(*, rows: list[tuple[int, int, CourseFigures]]) -> None:
    """Many companies' figures in one statement: (company id, course id, figures)."""
    if rows:
        CompanyCourseRollup.objects.bulk_create(
            [CompanyCourseRollup(company_id=company_id, course_id=course_id, **vars(figures))
             for company_id, course_id, figures in rows],
            update_conflicts=True, unique_fields=["company", "course"],
            update_fields=_COURSE_FIELDS)


@transaction.atomic
def hours_rollups_store(*, rows: list[tuple[int, int, HoursFigures]]) -> None:
    """(company id, year, figures) for many companies in one statement."""
    if rows:
        CompanyHoursRollup.objects.bulk_create(
            [CompanyHoursRollup(company_id=company_id, year=year, **vars(figures))
             for company_id, year, figures in rows],
            update_conflicts=True, unique_fields=["company", "year"],
            update_fields=_HOURS_FIELDS)
