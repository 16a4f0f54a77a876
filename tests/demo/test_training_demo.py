"""The demo's shared training: two published courses delivered to the demo batch (a real video
made by ffmpeg, a quiz with questions), its trainer, members' progress, one offline session."""

import subprocess

from django_tenants.utils import schema_context

from demo.services import DEMO_COMPANIES, TRAINER, demo_seed
from tests.training.offline.conftest import _shared_media_root  # noqa: F401 - autouse fixture
from toolkit.learning.models import Enrolment, HoursEntry, LearningSettings, LessonProgress
from toolkit.points.models import RemedialAssignment
from training.models import (
    BatchTrainer,
    CompanyCourseRollup,
    Delivery,
    Lesson,
    LessonKind,
    OfflineSession,
    VersionStatus,
)


def test_the_demo_has_courses_a_trainer_progress_and_a_session(public_tenant):
    demo_seed()
    demo_seed()  # idempotent
    link = BatchTrainer.objects.select_related("batch").get(trainer__username=TRAINER)
    deliveries = Delivery.objects.filter(batches=link.batch)
    assert deliveries.count() == 2
    assert all(d.course.versions.filter(status=VersionStatus.PUBLISHED).exists()
               for d in deliveries)
    video = Lesson.objects.get(kind=LessonKind.VIDEO)
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                            "-of", "csv=p=0", video.media.path], capture_output=True,
                           text=True, check=True)
    duration = float(probe.stdout)
    assert 3 <= duration <= 10 and video.duration_seconds == round(duration)
    quiz = Lesson.objects.get(kind=LessonKind.QUIZ)
    assert quiz.questions.count() == quiz.question_count == 3
    assert OfflineSession.objects.filter(batch=link.batch, trainer=link.trainer).count() == 1
    for spec in DEMO_COMPANIES:
        with schema_context(spec.slug.replace("-", "_")):
            assert Enrolment.objects.filter(started_at__isnull=False).exists()
            assert LessonProgress.objects.filter(completed_at__isnull=False).exists()
            # A remedial course is set, so the close's lowest were sent to one (not to nothing).
            remedial = LearningSettings.objects.get(pk=1).remedial_course_id
            assert remedial in set(deliveries.values_list("course_id", flat=True))
            assigned = RemedialAssignment.objects.all()
            assert assigned.exists() and not assigned.filter(course__isnull=True).exists()
            assert all(Enrolment.objects.filter(member_id=a.member_id, course_id=remedial)
                       .exists() for a in assigned)


def test_the_trainers_rollup_shows_the_demo_progress_at_once(public_tenant):
    """make run's trainer opens 学习统计 right after the seed: the companies' progress is there,
    not an empty table until the hourly refresh."""
    demo_seed()
    link = BatchTrainer.objects.select_related("batch").get(trainer__username=TRAINER)
    for delivery in Delivery.objects.filter(batches=link.batch):
        rows = CompanyCourseRollup.objects.filter(course=delivery.course)
        assert rows.count() == len(DEMO_COMPANIES)
        assert all(row.started > 0 and row.assigned >= row.started for row in rows)


def test_a_demo_member_who_finished_a_lesson_has_its_hours(public_tenant):
    """A lesson the demo marks 已完成 has credited its 学时, as the player would have."""
    demo_seed()
    for spec in DEMO_COMPANIES:
        with schema_context(spec.slug.replace("-", "_")):
            done = LessonProgress.objects.filter(completed_at__isnull=False).select_related(
                "lesson", "enrolment")
            assert done.exists()
            for progress in done:
                entry = HoursEntry.objects.get(member_id=progress.enrolment.member_id,
                                               source_ref=f"lesson:{progress.lesson.uid}")
                assert entry.hours == progress.lesson.hours
