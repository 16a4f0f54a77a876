"""Reads for a company's learning: what the catalogue offers this company (public rows, read
through the connection's search path) and the company's own enrolments, progress and hours."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from tenants.models import Company
from toolkit.learning.models import (
    Enrolment,
    EnrolmentSource,
    ExamAttempt,
    HoursEntry,
    LearningSettings,
    LessonProgress,
)
from toolkit.org.models import Member, Position
from training import selectors as training_selectors
from training.models import (
    Adoption,
    Chapter,
    Course,
    CourseVersion,
    Delivery,
    Lesson,
    VersionStatus,
)
from training.selectors import published_lessons

# 书记、副书记和委员: the "leaders" audience, and the higher yearly requirement.
LEADER_POSITIONS = (Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.ORGANISATION,
                    Position.PUBLICITY, Position.DISCIPLINE)


def learning_settings() -> LearningSettings:
    return LearningSettings.objects.get_or_create(pk=1)[0]


def deliveries_for_company(*, company: Company) -> QuerySet[Delivery]:
    """Not withdrawn, delivered to the company itself or to its incubation batch."""
    return (Delivery.objects.filter(withdrawn_at__isnull=True)
            .filter(Q(companies=company) | Q(batches__enrolments__company=company))
            .distinct())


def adoptions_of(*, company: Company) -> QuerySet[Adoption]:
    return Adoption.objects.filter(company=company).select_related("course")


def company_has_course(*, company: Company, course_id: int) -> bool:
    """Who may open a course's media: the course is delivered to or adopted by the company
    (a delivery withdrawn, and not had otherwise: its media are no longer served)."""
    return (Adoption.objects.filter(company=company, course_id=course_id).exists()
            or deliveries_for_company(company=company).filter(course_id=course_id).exists())


def withdrawn_deliveries() -> QuerySet[Delivery]:
    return Delivery.objects.filter(withdrawn_at__isnull=False)


def enrolments_withdrawn(*, enrolments: list[Enrolment], company: Company) -> set[int]:
    """The ids of those enrolments that are 已撤回: the delivery that brought the course was
    withdrawn by the trainer and the company has the course no other way (adopted, or
    delivered again). The member keeps its history, hours and certificates; it takes no new
    progress and its media are not served. No query unless one came by a delivery."""
    by_delivery = {e.pk: e for e in enrolments
                   if e.source == EnrolmentSource.DELIVERED and e.delivery_id is not None}
    if not by_delivery:
        return set()
    withdrawn = set(withdrawn_deliveries().filter(
        pk__in={e.delivery_id for e in by_delivery.values()}).values_list("pk", flat=True))
    if not withdrawn:
        return set()
    candidates = [e for e in by_delivery.values() if e.delivery_id in withdrawn]
    course_ids = {e.course_id for e in candidates}
    live = set(Adoption.objects.filter(company=company, course_id__in=course_ids)
               .values_list("course_id", flat=True))
    live |= set(deliveries_for_company(company=company).filter(course_id__in=course_ids)
                .values_list("course_id", flat=True))
    return {e.pk for e in candidates if e.course_id not in live}


def enrolment_withdrawn(*, enrolment: Enrolment, company: Company) -> bool:
    """One enrolment: one query by primary key for a delivered course, none otherwise."""
    return bool(enrolments_withdrawn(enrolments=[enrolment], company=company))


def courses_open() -> QuerySet[Course]:
    """The catalogue a company's admin may adopt from (the catalogue's own rule), by title."""
    return training_selectors.courses_open().order_by("category", "title")


def version_published_latest(*, course_id: int) -> CourseVersion | None:
    return (CourseVersion.objects.filter(course_id=course_id, status=VersionStatus.PUBLISHED)
            .order_by("-number").first())


def enrolments_of(*, member: Member) -> QuerySet[Enrolment]:
    """我的课程: required courses first, the nearest due date first, then the others."""
    return (Enrolment.objects.filter(member=member).select_related("course")
            .order_by("-required", "completed_at", "due_on", "assigned_at"))


def enrolment_of(*, member: Member, course_id: int) -> Enrolment | None:
    return (Enrolment.objects.filter(member=member, course_id=course_id)
            .select_related("course", "version").first())


def enrolments_due_soon(*, member: Member, days: int) -> QuerySet[Enrolment]:
    today = timezone.localdate()
    return (enrolments_of(member=member)
            .filter(required=True, completed_at__isnull=True, due_on__isnull=False,
                    due_on__lte=today + datetime.timedelta(days=days)))


@dataclass
class LessonRow:
    lesson: Lesson
    progress: LessonProgress | None

    @property
    def done(self) -> bool:
        return bool(self.progress and self.progress.completed_at)

    @property
    def percent(self) -> int:
        if self.done:
            return 100
        if not (self.progress and self.lesson.duration_seconds):
            return 0
        return min(99, self.progress.watched_seconds * 100 // self.lesson.duration_seconds)


@dataclass
class ChapterRows:
    chapter: Chapter
    lessons: list[LessonRow] = field(default_factory=list)


def course_outline(*, version: CourseVersion, enrolment: Enrolment | None) -> list[ChapterRows]:
    """The version's chapters and lessons, each with this enrolment's progress: two queries."""
    progress = ({p.lesson_id: p for p in enrolment.progress.all()}
                if enrolment is not None and enrolment.pk else {})
    chapters: dict[int, ChapterRows] = {}
    for lesson in published_lessons(version=version):
        rows = chapters.setdefault(lesson.chapter_id, ChapterRows(lesson.chapter))
        rows.lessons.append(LessonRow(lesson, progress.get(lesson.pk)))
    return list(chapters.values())


def outline_percent(*, outline: list[ChapterRows]) -> int:
    rows = [row for chapter in outline for row in chapter.lessons]
    return sum(row.done for row in rows) * 100 // len(rows) if rows else 0


def lesson_in_version(*, version: CourseVersion, lesson_id: int) -> Lesson | None:
    return (Lesson.objects.filter(pk=lesson_id, chapter__version=version)
            .select_related("chapter").first())


def attempts_of(*, enrolment: Enrolment, lesson: Lesson) -> QuerySet[ExamAttempt]:
    return ExamAttempt.objects.filter(enrolment=enrolment, lesson=lesson)


def hours_entries_of(*, member: Member, year: int | None = None) -> QuerySet[HoursEntry]:
    entries = HoursEntry.objects.filter(member=member)
    return entries.filter(occurred_on__year=year) if year else entries


def hours_in_year(*, member: Member, year: int) -> Decimal:
    total = hours_entries_of(member=member, year=year).aggregate(total=Sum("hours"))["total"]
    return total or Decimal(0)


def hours_required(*, member: Member, settings: LearningSettings) -> Decimal:
    return settings.leader_hours if member.position in LEADER_POSITIONS else settings.member_hours


@dataclass
class HoursStanding:
    member: Member
    hours: Decimal
    required: Decimal

    @property
    def behind(self) -> Decimal:
        return max(self.required - self.hours, Decimal(0))

    @property
    def percent(self) -> int:
        return min(100, int(self.hours * 100 / self.required)) if self.required else 100


def hours_standings(*, year: int, unit_ids: list[int] | None = None,
                    behind_only: bool = False) -> list[HoursStanding]:
    """Every active member's hours this year against their requirement, by branch: two
    queries, whatever the number of members."""
    settings = learning_settings()
    members = (Member.objects.filter(user__is_active=True).select_related("user", "unit")
               .order_by("unit__order", "unit_id", "id"))
    if unit_ids is not None:
        members = members.filter(unit_id__in=unit_ids)
    totals = dict(HoursEntry.objects.filter(occurred_on__year=year).values("member_id")
                  .annotate(total=Sum("hours")).values_list("member_id", "total"))
    standings = [HoursStanding(m, totals.get(m.pk) or Decimal(0),
                               hours_required(member=m, settings=settings)) for m in members]
    return [s for s in standings if s.behind] if behind_only else standings
