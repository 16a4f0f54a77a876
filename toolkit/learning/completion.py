"""What completing something earns: a lesson credits its 学时 and points, the last lesson
completes the course (points, the remedial assignment done, `course_completed` announced after
commit). Credits are keyed by lesson uid and course id, so nothing is credited twice."""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.tasks import task_send
from toolkit.learning.hours import hours_credit
from toolkit.learning.models import Enrolment, HoursSource, LessonProgress
from toolkit.learning.signals import course_completed
from toolkit.org.models import Member
from toolkit.points.models import RemedialAssignment, RuleCode
from toolkit.points.services import points_award
from training.models import Lesson, LessonKind

ROLLUP_PENDING_KEY = "learning:rollup-pending"


def lesson_done(*, enrolment: Enrolment, lesson: Lesson, at: datetime.datetime) -> None:
    """Called once, by the write that set the lesson's completed_at."""
    member = Member(pk=enrolment.member_id)
    if lesson.hours > 0:
        hours_credit(member=member, hours=lesson.hours, source=HoursSource.ONLINE,
                     title=lesson.title[:200], occurred_on=timezone.localdate(at),
                     source_ref=f"lesson:{lesson.uid}")
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    rule = RuleCode.EXAM_PASSED if lesson.kind == LessonKind.EXAM else RuleCode.STUDY
    points_award(member=member, rule=rule, source=progress, note=lesson.title, at=at)
    if not course_complete_check(enrolment=enrolment, now=at):
        rollup_refresh_soon()  # the hours delivered and the stop lesson moved


@transaction.atomic
def course_complete_check(*, enrolment: Enrolment,
                          now: datetime.datetime | None = None) -> bool:
    """Completes the course when every lesson of the member's version is complete; True when
    this call completed it. The enrolment row is locked: two last lessons finishing at once
    complete the course once."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.completed_at is not None or enrolment.version_id is None:
        return False
    lesson_ids = set(Lesson.objects.filter(chapter__version_id=enrolment.version_id)
                     .values_list("pk", flat=True))
    done = set(enrolment.progress.filter(completed_at__isnull=False)
               .values_list("lesson_id", flat=True))
    if not lesson_ids or lesson_ids - done:
        return False
    now = now or timezone.now()
    enrolment.completed_at = now
    enrolment.save(update_fields=["completed_at"])
    member = Member(pk=enrolment.member_id)
    points_award(member=member, rule=RuleCode.COURSE_COMPLETED, source=enrolment,
                 note=str(enrolment.course.title), at=now)
    RemedialAssignment.objects.filter(member=member, course_id=enrolment.course_id,
                                      completed_at__isnull=True).update(completed_at=now)
    transaction.on_commit(lambda: course_completed.send(sender=Enrolment, enrolment=enrolment))
    rollup_refresh_soon()
    return True


def rollup_refresh_soon() -> None:
    """Trainers' figures for this company are refreshed shortly after its members progress:
    one task while one is waiting (the task clears the mark before it reads), so a burst of
    completions costs one refresh and none is missed."""
    def send():
        if cache.add(ROLLUP_PENDING_KEY, 1, timeout=300):
            task_send("toolkit.learning.tasks.company_rollup_task")

    transaction.on_commit(send)
