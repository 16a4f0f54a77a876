"""A company's learning, the writes: enrolments from what is delivered to or adopted by the
company, the version pinned at the first start, playback heartbeats (the server decides what
was watched), opening text and documents, and completing a course."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.entitlements import feature_allowed
from billing.limits import feature_require
from billing.models import Feature
from core.errors import Forbidden, Refused
from tenants.selectors import current_company
from toolkit.learning import coverage
from toolkit.learning.completion import (  # noqa: F401 - course_complete_check: this API too
    course_complete_check,
    lesson_done,
    rollup_refresh_soon,
)
from toolkit.learning.models import (
    Enrolment,
    EnrolmentSource,
    LearningSettings,
    LessonProgress,
)
from toolkit.learning.selectors import (
    LEADER_POSITIONS,
    deliveries_for_company,
    enrolment_withdrawn,
    learning_settings,
    version_published_latest,
    withdrawn_deliveries,
)
from toolkit.org.models import Member
from toolkit.points.models import RemedialAssignment
from toolkit.points.selectors import last_close
from training.adoption import course_adopt
from training.models import (
    TIMED_KINDS,
    Adoption,
    Audience,
    Course,
    CourseVersion,
    Lesson,
    LessonKind,
    VersionStatus,
)

# A lesson counts as watched when 90 % of its length was covered (toolkit/learning/coverage.py).
WATCHED_SHARE = coverage.WATCHED_SHARE
HEARTBEAT_MAX_CREDIT = coverage.HEARTBEAT_MAX_CREDIT


class LearningRefused(Refused):
    pass


def _active_members():
    return Member.objects.filter(user__is_active=True)


@transaction.atomic
def enrolments_sync(*, member: Member | None = None) -> int:
    """Enrols the company's members (or one member) on every course delivered to the company
    for their audience, every adopted course and every remedial course; returns how many
    enrolments it made. Idempotent: a second run makes none. No new seats while the company's
    paid features are paused (billing): its members keep the courses they have."""
    company = current_company()
    if not feature_allowed(company, Feature.TRAINING_SEATS):
        return 0
    today = timezone.localdate()
    members = _active_members()
    if member is not None:
        members = members.filter(pk=member.pk)
    made = 0
    deliveries = (deliveries_for_company(company=company).filter(opens_on__lte=today)
                  .order_by("-required", "due_on", "pk"))
    for delivery in deliveries:
        audience = members
        if delivery.audience == Audience.LEADERS:
            audience = members.filter(position__in=LEADER_POSITIONS)
        elif delivery.audience == Audience.POSITIONS:
            audience = members.filter(position__in=delivery.positions or [])
        ids = list(audience.values_list("pk", flat=True))
        terms = {"source": EnrolmentSource.DELIVERED, "delivery_id": delivery.pk,
                 "required": delivery.required, "opens_on": delivery.opens_on,
                 "due_on": delivery.due_on}
        made += _enrol(ids, delivery.course_id, terms)
        # A course the member chose before it was delivered becomes the delivered one.
        Enrolment.objects.filter(member_id__in=ids, course_id=delivery.course_id,
                                 source=EnrolmentSource.ADOPTED,
                                 completed_at__isnull=True).update(**terms)
        # One brought by a delivery since withdrawn is this delivery's now (open again).
        Enrolment.objects.filter(member_id__in=ids, course_id=delivery.course_id,
                                 source=EnrolmentSource.DELIVERED,
                                 delivery_id__in=withdrawn_deliveries().values("pk")).update(
            **terms)
    member_ids = list(members.values_list("pk", flat=True))
    for course_id in Adoption.objects.filter(company=company).values_list("course_id", flat=True):
        made += _enrol(member_ids, course_id, {"source": EnrolmentSource.ADOPTED})
        # Withdrawn by the trainer but adopted by the company: the company's own course now.
        Enrolment.objects.filter(member_id__in=member_ids, course_id=course_id,
                                 source=EnrolmentSource.DELIVERED,
                                 delivery_id__in=withdrawn_deliveries().values("pk")).update(
            source=EnrolmentSource.ADOPTED, delivery=None, required=False)
    remedial = (RemedialAssignment.objects.filter(member_id__in=member_ids, course__isnull=False,
                                                  completed_at__isnull=True)
                .values_list("member_id", "course_id"))
    for member_id, course_id in remedial:
        made += _enrol([member_id], course_id, {"source": EnrolmentSource.REMEDIAL,
                                                "required": True})
    return made


def _enrol(member_ids: list[int], course_id: int, terms: dict) -> int:
    """Enrols those of `member_ids` not yet on the course; returns how many."""
    enrolled = set(Enrolment.objects.filter(member_id__in=member_ids, course_id=course_id)
                   .values_list("member_id", flat=True))
    missing = [pk for pk in member_ids if pk not in enrolled]
    # ignore_conflicts: a sync running at the same moment may have enrolled one of them.
    Enrolment.objects.bulk_create(
        [Enrolment(member_id=pk, course_id=course_id, **terms) for pk in missing],
        ignore_conflicts=True)
    return len(missing)


@transaction.atomic
def company_course_adopt(*, course: Course, by) -> Adoption:
    """The company's admin adopts an open course: recorded in the catalogue (a public service)
    and every member of the company is enrolled on it."""
    feature_require(Feature.TRAINING_SEATS)
    adoption = course_adopt(company=current_company(), course=course,
                            by_name=by.get_full_name())
    enrolments_sync()
    return adoption


@transaction.atomic
def remedial_enrol(*, month: datetime.date) -> int:
    """The monthly close's remedial assignments take the company's remedial course (if one
    is set): each assignment names it, and its member is enrolled on it."""
    course_id = learning_settings().remedial_course_id
    if course_id is None:
        # Not silent: the learning settings page and the leaderboard name these members
        # (points.selectors.remedials_without_course) until a course is set.
        return 0
    return _remedial_assign(month, course_id)[1]


@transaction.atomic
def remedial_pending_enrol() -> int:
    """Once a remedial course is set: the last close's assignments that named none (no course
    was set then) take it now, and their members are enrolled. Returns how many members."""
    course_id = learning_settings().remedial_course_id
    closed = last_close()
    if course_id is None or closed is None:
        return 0
    return _remedial_assign(closed.month, course_id)[0]


@transaction.atomic
def learning_settings_save(*, by, member_hours: Decimal, leader_hours: Decimal,
                           remind_days_before: int, remedial_course: Course | None) -> int:
    """The admin sets the yearly 学时 requirement, the reminder and the remedial course; once a
    remedial course is set, the last close's members waiting for one are enrolled on it, in
    the same transaction. Returns how many members were enrolled."""
    if not by.is_company_admin:
        raise Forbidden
    row = LearningSettings.objects.select_for_update().get(pk=learning_settings().pk)
    row.member_hours, row.leader_hours = member_hours, leader_hours
    row.remind_days_before, row.remedial_course = remind_days_before, remedial_course
    row.save(update_fields=["member_hours", "leader_hours", "remind_days_before",
                            "remedial_course"])
    return remedial_pending_enrol()


def _remedial_assign(month: datetime.date, course_id: int) -> tuple[int, int]:
    """Names the course on the month's assignments that have none and enrols their members;
    returns (assignments named, enrolments made)."""
    assigned = RemedialAssignment.objects.filter(month=month, course__isnull=True,
                                                 completed_at__isnull=True)
    member_ids = list(assigned.values_list("member_id", flat=True))
    assigned.update(course_id=course_id)
    made = _enrol(member_ids, course_id, {"source": EnrolmentSource.REMEDIAL, "required": True})
    return len(member_ids), made


@transaction.atomic
def enrolment_start(*, enrolment: Enrolment, now: datetime.datetime | None = None) -> Enrolment:
    """Pins the version the member takes: the latest published one when they first start.
    A newer version does not change under them afterwards."""
    if enrolment.version_id is not None:
        return enrolment
    enrolment_open_check(enrolment=enrolment)
    version = version_published_latest(course_id=enrolment.course_id)
    if version is None:
        raise LearningRefused(_("该课程尚未发布。"), code="course_version_missing")
    now = now or timezone.now()
    Enrolment.objects.filter(pk=enrolment.pk, version__isnull=True).update(
        version=version, started_at=now)
    enrolment.refresh_from_db(fields=["version", "started_at"])
    rollup_refresh_soon()
    return enrolment


def enrolment_open_check(*, enrolment: Enrolment) -> None:
    """A course withdrawn from the company (已撤回) takes no new progress: no beats, no
    lesson completed by opening it, no new exam attempt. What was done stays."""
    if enrolment_withdrawn(enrolment=enrolment, company=current_company()):
        raise LearningRefused(_("培训中心已撤回该课程，不能继续学习。"), code="course_withdrawn")


def lesson_in_course_check(*, enrolment: Enrolment, lesson: Lesson) -> None:
    if enrolment.version_id is None or lesson.chapter.version_id != enrolment.version_id:
        raise LearningRefused(_("该课时不属于你正在学习的课程版本。"), code="lesson_not_in_course")


@dataclass
class Heartbeat:
    position_seconds: int
    watched_seconds: int
    completed: bool
    just_completed: bool


# One statement per heartbeat (the delivery's withdrawal checked in it): the credit (at most
# the wall-clock time since the last beat, at most how far the position moved, in fractions
# of a second) marks the stretch of the media it covers on the locked row, so concurrent or
# replayed beats cannot credit twice and a stretch watched again adds nothing.
_HEARTBEAT = """
INSERT INTO learning_lessonprogress AS p
    (enrolment_id, lesson_id, position_seconds, watched_seconds, last_heartbeat_at)
SELECT %(enrolment)s, %(lesson)s, %(position_floor)s, 0, %(now)s
-- Nothing for a course whose delivery was withdrawn (checked further in Python then).
WHERE NOT EXISTS (SELECT 1 FROM training_delivery AS d
                  WHERE d.id = %(delivery)s AND d.withdrawn_at IS NOT NULL)
ON CONFLICT (enrolment_id, lesson_id) DO UPDATE SET
    """ + coverage.COVERAGE_SET + """,
    position_seconds = EXCLUDED.position_seconds,
    last_heartbeat_at = GREATEST(p.last_heartbeat_at, EXCLUDED.last_heartbeat_at)
RETURNING id, position_seconds, watched_seconds, completed_at, COALESCE(bit_count(coverage), 0)
"""
# The beat that reaches 90 % claims the completion: of two beats at once, or a replay, the
# row lock lets exactly one update it.
_COMPLETE = ("UPDATE learning_lessonprogress SET completed_at = %s "
             "WHERE id = %s AND completed_at IS NULL")


@transaction.atomic
def lesson_heartbeat(*, enrolment: Enrolment, lesson: Lesson, position_seconds: float,
                     now: datetime.datetime | None = None) -> Heartbeat:
    """The player's beat (every ~10 s) with where playback is, in seconds with fractions.
    Returns the credited figures; the beat that takes the covered share of the lesson to 90 %
    completes it. A course withdrawn from the company takes no more progress."""
    lesson_in_course_check(enrolment=enrolment, lesson=lesson)
    if lesson.kind not in TIMED_KINDS or not lesson.duration_seconds:
        raise LearningRefused(_("该课时不是音视频。"), code="lesson_not_timed")
    now = now or timezone.now()
    length = lesson.duration_seconds
    params = coverage.beat_params(length=length, now=now,
                                  position=coverage.position_clamped(position_seconds, length))
    params.update(enrolment=enrolment.pk, lesson=lesson.pk,
                  delivery=(enrolment.delivery_id
                            if enrolment.source == EnrolmentSource.DELIVERED else None))
    with connection.cursor() as cursor:
        cursor.execute(_HEARTBEAT, params)
        row = cursor.fetchone()
        if row is None:  # the delivery was withdrawn: refused, unless the course is had so
            enrolment_open_check(enrolment=enrolment)
            cursor.execute(_HEARTBEAT, {**params, "delivery": None})
            row = cursor.fetchone()
        progress_id, position, watched, completed_at, covered = row
        just_completed = False
        if completed_at is None and covered >= coverage.buckets_needed(params["buckets"]):
            cursor.execute(_COMPLETE, [now, progress_id])
            just_completed = cursor.rowcount == 1
    if just_completed:
        lesson_done(enrolment=enrolment, lesson=lesson, at=now)
    return Heartbeat(position, watched, just_completed or completed_at is not None,
                     just_completed)


@transaction.atomic
def lesson_open(*, enrolment: Enrolment, lesson: Lesson,
                now: datetime.datetime | None = None) -> LessonProgress:
    """A member opens a lesson: its progress row (where to resume). Text and documents are
    complete once opened; video and audio wait for their heartbeats, tests for a pass."""
    lesson_in_course_check(enrolment=enrolment, lesson=lesson)
    enrolment_open_check(enrolment=enrolment)
    now = now or timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if lesson.kind in (LessonKind.TEXT, LessonKind.DOCUMENT) and progress.completed_at is None:
        done = LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
            completed_at=now)
        if done:
            progress.completed_at = now
            lesson_done(enrolment=enrolment, lesson=lesson, at=now)
    return progress



# A lesson keeps its uid across versions: progress and attempts follow the uid to the lesson
# of the new version (a lesson the new version dropped keeps its old rows, which no longer
# count; one the member already has progress on in the new version is left as it is).
_MOVE_LESSON_ROWS = """
UPDATE {table} AS moved SET lesson_id = new_lesson.id
FROM training_lesson AS old_lesson
JOIN training_lesson AS new_lesson ON new_lesson.uid = old_lesson.uid
JOIN training_chapter AS new_chapter ON new_chapter.id = new_lesson.chapter_id
WHERE new_chapter.version_id = %(version)s AND old_lesson.id = moved.lesson_id
  AND old_lesson.id <> new_lesson.id AND moved.enrolment_id = ANY(%(enrolments)s)
  {unclaimed}
"""
_UNCLAIMED = """AND NOT EXISTS (SELECT 1 FROM learning_lessonprogress AS taken
    WHERE taken.enrolment_id = moved.enrolment_id AND taken.lesson_id = new_lesson.id)"""


@transaction.atomic
def enrolments_version_move(*, course_id: int, version_id: int) -> int:
    """A trainer moves the learners of a course to a newer published version (sent to each
    company as a named task): unfinished enrolments take it, their progress and attempts
    follow the lessons' uids, and whoever has now done every lesson completes. Returns how
    many enrolments moved."""
    if not CourseVersion.objects.filter(pk=version_id, course_id=course_id,
                                        status=VersionStatus.PUBLISHED).exists():
        raise LearningRefused(_("该课程尚未发布。"), code="course_version_missing")
    moving = list(Enrolment.objects.select_for_update()
                  .filter(course_id=course_id, completed_at__isnull=True,
                          version__isnull=False).exclude(version_id=version_id)
                  .values_list("pk", flat=True))
    if not moving:
        return 0
    params = {"version": version_id, "enrolments": moving}
    with connection.cursor() as cursor:
        cursor.execute(_MOVE_LESSON_ROWS.format(table="learning_lessonprogress",
                                                unclaimed=_UNCLAIMED), params)
        cursor.execute(_MOVE_LESSON_ROWS.format(table="learning_examattempt", unclaimed=""),
                       params)
    Enrolment.objects.filter(pk__in=moving).update(version_id=version_id)
    for enrolment in Enrolment.objects.filter(pk__in=moving):
        course_complete_check(enrolment=enrolment)
    rollup_refresh_soon()
    return len(moving)
