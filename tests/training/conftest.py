"""Trainers, batches and courses for the catalogue's tests. Two batches, each with a company
(company_a in the first, company_b in the second) and a trainer of its own."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from accounts.services import user_create
from onboarding.services import batch_create, batch_enrol
from training import services
from training.models import Category, LessonKind
from training.question_services import question_save

PASSWORD = "pw-123456"


@pytest.fixture
def staff(public_tenant):
    return user_create(username="staff1", password=PASSWORD, full_name="王晓燕", role=Role.STAFF)


@pytest.fixture
def batches(company_a, company_b):
    first = batch_create(name="第一期", starts_on=datetime.date(2026, 9, 1),
                         ends_on=datetime.date(2026, 12, 31))
    second = batch_create(name="第二期", starts_on=datetime.date(2026, 9, 1),
                          ends_on=datetime.date(2026, 12, 31))
    batch_enrol(batch=first, company=company_a)
    batch_enrol(batch=second, company=company_b)
    return first, second


def _trainer(username, name, batch):
    from training.models import BatchTrainer

    user = user_create(username=username, password=PASSWORD, full_name=name, role=Role.TRAINER)
    BatchTrainer.objects.create(trainer=user, batch=batch)
    return user


@pytest.fixture
def trainer(batches):
    return _trainer("trainer1", "刘培训", batches[0])


@pytest.fixture
def other_trainer(batches):
    return _trainer("trainer2", "陈培训", batches[1])


def signed_in(client, username):
    response = client.post("/login/", {"username": username, "password": PASSWORD},
                           HTTP_HOST="localhost")
    assert response.status_code == 302, "login failed"
    return client


@pytest.fixture
def trainer_client(client, trainer):
    return signed_in(client, "trainer1")


def questions_made(n=3, by=None):
    return [question_save(kind="single", text=f"第 {i} 题：党的最高领导机关是？",
                          options=["全国代表大会", "中央书记处"], answer="A", explanation="党章",
                          category=Category.CHARTER, by=by) for i in range(n)]


@pytest.fixture
def published_course(trainer):
    """A published v1: a text lesson and a quiz drawing 2 of 3 questions."""
    course = services.course_create(title="学习党章", category=Category.CHARTER, tags="党章,基础",
                                    by=trainer)
    draft = services.course_draft(course=course)
    chapter = services.chapter_save(version=draft, title="总纲")
    services.lesson_save(chapter=chapter, kind=LessonKind.TEXT, title="导读",
                         hours=Decimal("1.0"), body_html="<p>正文</p>")
    services.lesson_save(chapter=chapter, kind=LessonKind.QUIZ, title="随堂测验",
                         hours=Decimal("0.5"), questions=questions_made(3, by=trainer),
                         question_count=2, pass_score=60)
    services.course_publish(course=course, by=trainer, note="首版")
    return course


@pytest.fixture(scope="session")
def small_mp4(tmp_path_factory):
    """A real 2-second MP4 (video and audio), made by ffmpeg."""
    path = tmp_path_factory.mktemp("media-samples") / "clip.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=duration=2:size=64x48:rate=10", "-f", "lavfi", "-i",
                    "sine=duration=2", "-shortest", "-c:v", "libx264", "-c:a", "aac", "-y",
                    str(path)], check=True, timeout=60)
    return path.read_bytes()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
