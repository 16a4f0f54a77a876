"""Completing a course: hours once per lesson, points once, the remedial assignment named
after the course done, `course_completed` sent after commit; the monthly close's remedial
assignment enrols the member on the company's remedial course."""

import datetime

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.learning.conftest import course_build
from tests.toolkit.learning.helpers import enrolled
from toolkit.learning import exams, services
from toolkit.learning.models import Enrolment, EnrolmentSource, HoursEntry, LearningSettings
from toolkit.learning.signals import course_completed
from toolkit.points.close import monthly_close
from toolkit.points.models import LedgerEntry, RemedialAssignment, RuleCode
from toolkit.points.services import points_award


def _finish(enrolment, built):
    video, text, exam = (built.lessons[k] for k in ("video", "text", "exam"))
    start = timezone.now()
    for step in range(11):
        services.lesson_heartbeat(enrolment=enrolment, lesson=video, position_seconds=step * 10,
                                  now=start + datetime.timedelta(seconds=step * 10))
    services.lesson_open(enrolment=enrolment, lesson=text)
    services.lesson_open(enrolment=enrolment, lesson=text)  # opening again: nothing more
    attempt = exams.exam_start(enrolment=enrolment, lesson=exam)
    exams.exam_submit(attempt=attempt, answers={str(pk): [0] for pk in attempt.question_ids})


def test_finishing_a_course_credits_hours_and_points_once(org_a, built,
                                                          django_capture_on_commit_callbacks):
    member = org_a.members[2]
    enrolment = enrolled(built, member)
    sent = []
    course_completed.connect(lambda sender, enrolment, **kw: sent.append(enrolment.pk),
                             weak=False, dispatch_uid="test-completion")
    try:
        with schema_context("alpha"):
            with django_capture_on_commit_callbacks(execute=True):
                _finish(enrolment, built)
            assert Enrolment.objects.get(pk=enrolment.pk).completed_at is not None
            hours = HoursEntry.objects.filter(member=member)
            assert sorted(hours.values_list("source_ref", flat=True)) == sorted(
                f"lesson:{lesson.uid}" for lesson in built.lessons.values())
            assert sum(h.hours for h in hours) == 3
            rules = list(LedgerEntry.objects.filter(member=member)
                         .values_list("rule_code", flat=True))
            assert sorted(rules) == sorted([RuleCode.STUDY, RuleCode.STUDY,
                                            RuleCode.EXAM_PASSED, RuleCode.COURSE_COMPLETED])
            assert services.course_complete_check(enrolment=enrolment) is False
    finally:
        course_completed.disconnect(dispatch_uid="test-completion")
    assert sent == [enrolment.pk]


def test_monthly_close_enrols_the_lowest_on_the_remedial_course_and_completion_clears_it(
        org_a, built):
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    month = month.replace(day=1)
    with schema_context("alpha"):
        LearningSettings.objects.filter(pk=1).update(remedial_course=built.course)
        # Everyone but the member under test scores: they rank lowest.
        at = timezone.make_aware(datetime.datetime.combine(month, datetime.time(12)))
        for other in org_a.members:
            if other != org_a.members[5]:
                points_award(member=other, rule=RuleCode.TASK_ACCEPTED, amount=50, at=at)
        monthly_close(month=month)
        low = org_a.members[5]
        remedial = RemedialAssignment.objects.get(member=low, month=month)
        assert remedial.course_id == built.course.pk
        enrolment = Enrolment.objects.get(member=low, course=built.course)
        assert enrolment.source == EnrolmentSource.REMEDIAL and enrolment.required
    connection.set_schema_to_public()
    with schema_context("alpha"):
        enrolment = services.enrolment_start(enrolment=enrolment)
        _finish(enrolment, built)
        assert RemedialAssignment.objects.get(pk=remedial.pk).completed_at is not None


def test_a_new_version_does_not_change_what_completes_the_started_one(org_a, built):
    member = org_a.members[2]
    enrolment = enrolled(built, member)
    course_build(course=built.course, version_number=2, kinds=("video", "text", "exam", "text"))
    with schema_context("alpha"):
        _finish(enrolment, built)
        assert Enrolment.objects.get(pk=enrolment.pk).completed_at is not None


def test_learners_moved_to_a_new_version_keep_their_progress_by_lesson_uid(org_a, built):
    from training.models import Chapter, CourseVersion, Lesson, VersionStatus

    member = org_a.members[2]
    enrolment = enrolled(built, member)
    with schema_context("alpha"):
        services.lesson_open(enrolment=enrolment, lesson=built.lessons["text"])
    # Version 2 keeps the text lesson (same uid) and drops the video and the exam.
    v2 = CourseVersion.objects.create(course=built.course, number=2,
                                      status=VersionStatus.PUBLISHED, published_at=timezone.now())
    chapter = Chapter.objects.create(version=v2, title="第一章", order=1)
    text = built.lessons["text"]
    copy = Lesson.objects.create(chapter=chapter, uid=text.uid, kind=text.kind, title=text.title,
                                 hours=text.hours, body_html=text.body_html)
    with schema_context("alpha"):
        assert services.enrolments_version_move(course_id=built.course.pk,
                                                version_id=v2.pk) == 1
        moved = Enrolment.objects.get(pk=enrolment.pk)
        assert moved.version_id == v2.pk
        assert moved.progress.get().lesson_id == copy.pk
        # Its one lesson was done already: the course completes, the hours are not credited
        # again (same uid).
        assert moved.completed_at is not None
        assert HoursEntry.objects.filter(member=member).count() == 1
        assert services.enrolments_version_move(course_id=built.course.pk,
                                                version_id=v2.pk) == 0
