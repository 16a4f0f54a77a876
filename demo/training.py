"""The demo's shared training: the trainer assigned to the demo batch, two published courses
delivered to it (one with a short video made by ffmpeg at seed time, and a quiz), some members'
progress in each company, its remedial course, and one offline session today. Idempotent,
like the rest of the demo."""

import datetime
import logging
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.models import Company
from toolkit.learning.hours import hours_credit
from toolkit.learning.models import Enrolment, EnrolmentSource, HoursSource, LessonProgress
from toolkit.learning.rollups import rollups_refresh
from toolkit.learning.selectors import learning_settings
from toolkit.learning.services import remedial_pending_enrol
from toolkit.org.models import Member
from training.models import (
    BatchTrainer,
    Category,
    Chapter,
    Course,
    CourseVersion,
    Delivery,
    Lesson,
    LessonKind,
    OfflineSession,
    Question,
    QuestionKind,
    VersionStatus,
)

logger = logging.getLogger(__name__)
VIDEO_SECONDS = 6
VIDEO_COURSE = "学习贯彻党章"
QUIZ_COURSE = "发展党员工作实务"
QUESTIONS = [
    (QuestionKind.SINGLE, "中国共产党党员的党龄从何时算起？",
     ["递交入党申请书之日", "支部大会通过之日", "预备期满转为正式党员之日"], [2],
     "党龄从预备期满转为正式党员之日算起。"),
    (QuestionKind.TRUE_FALSE, "预备党员的预备期为一年。", [], [True],
     "党章规定，预备党员的预备期为一年。"),
    (QuestionKind.MULTIPLE, "发展党员要经过哪些阶段？",
     ["入党申请人", "入党积极分子", "发展对象", "预备党员"], [0, 1, 2, 3],
     "《中国共产党发展党员工作细则》规定的各个阶段。"),
]


def training_demo_ensure(*, batch, trainer: User, companies: list[Company]) -> None:
    BatchTrainer.objects.get_or_create(batch=batch, trainer=trainer)
    courses = [_video_course(trainer), _quiz_course(trainer)]
    for course in courses:
        if not Delivery.objects.filter(course=course, batches=batch).exists():
            delivery = Delivery.objects.create(
                course=course, opens_on=timezone.localdate(),
                due_on=timezone.localdate() + datetime.timedelta(days=60), required=True,
                created_by=trainer)
            delivery.batches.add(batch)
    for company in companies:
        with schema_context(company.schema_name):
            _progress_ensure(courses)
            _remedial_ensure(courses[0])
    _session_ensure(batch, trainer)
    # The progress above was written directly, not through the player (whose completions ask
    # for a refresh): without this the trainer's roll-up stays empty until the hourly beat.
    rollups_refresh()


def _published(title: str, category: str, summary: str, trainer: User):
    course = Course.objects.filter(title=title).first()
    if course:
        return course, None
    course = Course.objects.create(title=title, category=category, summary=summary,
                                   created_by=trainer)
    version = CourseVersion.objects.create(course=course, number=1, status=VersionStatus.PUBLISHED,
                                           published_at=timezone.now(), published_by=trainer)
    return course, Chapter.objects.create(version=version, title="第一章", order=1)


def _video_course(trainer: User) -> Course:
    course, chapter = _published(VIDEO_COURSE, Category.CHARTER, "党章的基本内容与学习方法。",
                                 trainer)
    if chapter is None:
        return course
    video = _video_make()
    if video is not None:
        lesson = Lesson(chapter=chapter, order=1, kind=LessonKind.VIDEO, title="党章导读（视频）",
                        hours=Decimal("1.0"), media_type="video/mp4",
                        duration_seconds=VIDEO_SECONDS)
        with video.open("rb") as handle:
            lesson.media.save("demo-charter.mp4", File(handle), save=False)
        lesson.media_bytes = video.stat().st_size
        lesson.save()
        shutil.rmtree(video.parent, ignore_errors=True)
    Lesson.objects.create(chapter=chapter, order=2, kind=LessonKind.TEXT, title="党章原文选读",
                          hours=Decimal("1.0"),
                          body_html="<p>党章是党的根本大法，是全党必须遵循的总规矩。</p>")
    return course


def _video_make() -> Path | None:
    """A few seconds of test pattern and tone (H.264/AAC, plays in every browser)."""
    if shutil.which("ffmpeg") is None:
        logger.warning("ffmpeg is missing: the demo course has no video lesson")
        return None
    out = Path(tempfile.mkdtemp(prefix="demo-video-")) / "demo.mp4"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc=duration={VIDEO_SECONDS}:size=320x240:rate=15",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={VIDEO_SECONDS}",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
         "-movflags", "+faststart", str(out)], check=True, timeout=120)
    return out


def _quiz_course(trainer: User) -> Course:
    course, chapter = _published(QUIZ_COURSE, Category.PRACTICE, "发展党员的程序和要求。",
                                 trainer)
    if chapter is None:
        return course
    Lesson.objects.create(chapter=chapter, order=1, kind=LessonKind.TEXT,
                          title="发展党员的五个阶段", hours=Decimal("1.5"),
                          body_html="<p>入党申请人、入党积极分子、发展对象、预备党员、正式党员。</p>")
    quiz = Lesson.objects.create(chapter=chapter, order=2, kind=LessonKind.QUIZ, title="随堂测验",
                                 hours=Decimal("0.5"), question_count=len(QUESTIONS),
                                 time_limit_minutes=10, pass_score=60, attempts_allowed=3)
    quiz.questions.set([
        Question.objects.create(kind=kind, text=text, options=options, answer=answer,
                                explanation=explanation, category=Category.PRACTICE,
                                created_by=trainer)
        for kind, text, options, answer, explanation in QUESTIONS])
    return course


def _progress_ensure(courses: list[Course]) -> None:
    """Every member enrolled on both courses; a third have started, some have finished the
    first lesson (as the player's heartbeats would have left it)."""
    if Enrolment.objects.filter(course__in=courses).exists():
        return
    now = timezone.now()
    members = list(Member.objects.filter(user__is_active=True).order_by("id"))
    for course in courses:
        version = CourseVersion.objects.get(course=course, number=1)
        first = Lesson.objects.filter(chapter__version=version).order_by(
            "chapter__order", "order").first()
        enrolments = Enrolment.objects.bulk_create([
            Enrolment(member=m, course=course, version=version, source=EnrolmentSource.DELIVERED,
                      required=True, opens_on=timezone.localdate(),
                      due_on=timezone.localdate() + datetime.timedelta(days=60),
                      started_at=now - datetime.timedelta(days=2) if i % 3 == 0 else None)
            for i, m in enumerate(members)])
        started = [e for e in enrolments if e.started_at]
        length = first.duration_seconds or 0
        LessonProgress.objects.bulk_create([
            LessonProgress(enrolment=e, lesson=first, last_heartbeat_at=e.started_at,
                           position_seconds=length if i % 2 == 0 else length // 2,
                           watched_seconds=length if i % 2 == 0 else length // 2,
                           completed_at=e.started_at if i % 2 == 0 else None)
            for i, e in enumerate(started)])
        # What the player's completion would have credited: the lesson's 学时 in the ledger
        # (else "我的学时" says 0 beside a lesson marked 已完成).
        for i, e in enumerate(started):
            if i % 2 == 0 and first.hours > 0:
                hours_credit(member=Member(pk=e.member_id), hours=first.hours,
                             source=HoursSource.ONLINE, title=first.title[:200],
                             occurred_on=timezone.localdate(e.started_at),
                             source_ref=f"lesson:{first.uid}")


def _remedial_ensure(course: Course) -> None:
    """The company's remedial course (补课课程), so last month's close has sent its lowest three
    to a course and the next close does too; without one the close enrols nobody."""
    row = learning_settings()
    if row.remedial_course_id is None:
        row.remedial_course = course
        row.save(update_fields=["remedial_course"])
        remedial_pending_enrol()


def _session_ensure(batch, trainer: User) -> None:
    if OfflineSession.objects.filter(batch=batch).exists():
        return
    # Under way when the demo is seeded, so its QR code can be scanned at once.
    starts = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    OfflineSession.objects.create(
        batch=batch, trainer=trainer, course=Course.objects.filter(title=VIDEO_COURSE).first(),
        title="党章党规集中学习", place="孵化器三楼报告厅", starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=8), hours=Decimal("3.0"))
