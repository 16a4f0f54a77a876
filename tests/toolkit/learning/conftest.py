"""Catalogue rows made with the models directly (the catalogue branch's services are not
needed to test a company's side), a tiny real mp4 and mp3 made once per session with ffmpeg,
and the shared media root in a tmp folder."""

import datetime
import shutil
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.toolkit.api.conftest import api  # noqa: F401 - the API tests' fixture
from training.models import (
    Audience,
    Category,
    Chapter,
    Course,
    CourseVersion,
    Delivery,
    Lesson,
    LessonKind,
    Question,
    QuestionKind,
    VersionStatus,
)

VIDEO_SECONDS = 4


@pytest.fixture(scope="session", autouse=True)
def _shared_media_root(tmp_path_factory):
    """The "shared" storage writes into a folder of this session's: the instance the models'
    fields hold, the alias's current one, and any the alias makes later (Django re-makes them
    when a test changes STATIC_ROOT or STATIC_URL)."""
    from django.conf import settings
    from django.core.files.storage import storages

    root = tmp_path_factory.mktemp("shared-media")
    settings.SHARED_MEDIA_ROOT = root
    settings.STORAGES["shared"]["OPTIONS"]["location"] = str(root)
    for storage in {id(s): s for s in (storages["shared"], Lesson._meta.get_field("media").storage,
                                       Course._meta.get_field("cover").storage)}.values():
        storage._location = str(root)
        for cached in ("base_location", "location"):
            storage.__dict__.pop(cached, None)
    return root


def media_files_make(folder, seconds: int = VIDEO_SECONDS) -> dict[str, bytes]:
    """A real few-second mp4 and mp3, made with ffmpeg in `folder`."""
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg (Debian package ffmpeg) is needed for the media tests"
    mp4, mp3 = folder / "clip.mp4", folder / "clip.mp3"
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i",
                    f"testsrc=size=160x120:rate=10:duration={seconds}",
                    "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(mp4)], check=True)
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", "-b:a", "32k", str(mp3)],
                   check=True)
    return {"mp4": mp4.read_bytes(), "mp3": mp3.read_bytes()}


@pytest.fixture(scope="session")
def media_files(tmp_path_factory) -> dict[str, bytes]:
    """Made once per session."""
    return media_files_make(tmp_path_factory.mktemp("made-media"))


@dataclass
class Built:
    course: Course
    version: CourseVersion
    lessons: dict[str, Lesson] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)


def course_build(*, title: str = "党章学习", kinds=("video", "text", "exam"),
                 media: dict[str, bytes] | None = None, duration: int = 100,
                 question_count: int = 3, pool: int = 5, time_limit: int | None = 10,
                 attempts: int | None = 2, pass_score: int = 60,
                 version_number: int = 1, course: Course | None = None) -> Built:
    """A published course (or a next version of `course`) with one lesson of each kind given;
    exam/quiz lessons draw `question_count` of `pool` single-choice questions (answer: 0)."""
    course = course or Course.objects.create(title=title, category=Category.CHARTER,
                                             summary="简介")
    version = CourseVersion.objects.create(course=course, number=version_number,
                                           status=VersionStatus.PUBLISHED,
                                           published_at=timezone.now())
    chapter = Chapter.objects.create(version=version, title="第一章", order=1)
    built = Built(course, version)
    for order, kind in enumerate(kinds):
        lesson = Lesson(chapter=chapter, order=order, kind=kind, title=f"{kind}课时",
                        hours=Decimal("1.0"))
        if kind in (LessonKind.VIDEO, LessonKind.AUDIO):
            lesson.duration_seconds = duration
            extension = "mp4" if kind == LessonKind.VIDEO else "mp3"
            data = (media or {}).get(extension, b"\x00" * 2048)
            lesson.media.save(f"{kind}.{extension}", ContentFile(data), save=False)
            lesson.media_type = "video/mp4" if kind == LessonKind.VIDEO else "audio/mpeg"
            lesson.media_bytes = len(data)
        elif kind == LessonKind.DOCUMENT:
            lesson.media.save("doc.pdf", ContentFile(b"%PDF-1.4\n%fake\n"), save=False)
            lesson.media_type = "application/pdf"
        elif kind == LessonKind.TEXT:
            lesson.body_html = "<p>党章正文</p>"
        else:
            lesson.question_count = question_count
            lesson.time_limit_minutes = time_limit
            lesson.pass_score = pass_score
            lesson.attempts_allowed = attempts
        lesson.save()
        if kind in (LessonKind.QUIZ, LessonKind.EXAM):
            questions = [Question.objects.create(kind=QuestionKind.SINGLE, text=f"问题{i}",
                                                 options=["甲", "乙", "丙"], answer=[0],
                                                 explanation=f"解析{i}") for i in range(pool)]
            lesson.questions.set(questions)
            built.questions += questions
        built.lessons[kind] = lesson
    return built


def deliver(built: Built, *, companies=(), batches=(), audience=Audience.ALL, positions=(),
            required=True, due_in_days: int | None = 10) -> Delivery:
    today = timezone.localdate()
    delivery = Delivery.objects.create(
        course=built.course, audience=audience, positions=list(positions),
        opens_on=today - datetime.timedelta(days=1), required=required,
        due_on=today + datetime.timedelta(days=due_in_days) if due_in_days is not None else None)
    delivery.companies.set(companies)
    delivery.batches.set(batches)
    return delivery


@pytest.fixture
def built(media_files) -> Built:
    return course_build(media=media_files)
