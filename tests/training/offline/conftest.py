"""Fixtures for offline sessions and certificates: a batch with two companies (alpha, beta) and
a third outside it (gamma), the batch's trainer, another batch's trainer, staff, a session
happening now, and a published course."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_create
from onboarding.services import batch_create, batch_enrol
from tests.toolkit.conftest import build_org
from training.models import (
    BatchTrainer,
    Chapter,
    Course,
    CourseVersion,
    Lesson,
    LessonKind,
    OfflineSession,
    VersionStatus,
)


@pytest.fixture(scope="session", autouse=True)
def _shared_media_root(tmp_path_factory):
    """The shared catalogue's files (storages["shared"]) go to a folder of the session's. The
    same fixture lives in tests/conftest.py once the catalogue is merged: whichever runs first
    sets the folder, and this one then keeps it (the storage and the setting stay as one)."""
    from django.conf import settings
    from django.core.files.storage import storages

    if str(settings.SHARED_MEDIA_ROOT).startswith(str(tmp_path_factory.getbasetemp())):
        return str(settings.SHARED_MEDIA_ROOT)
    root = str(tmp_path_factory.mktemp("shared-media"))
    settings.SHARED_MEDIA_ROOT = root
    settings.STORAGES["shared"]["OPTIONS"]["location"] = root
    # The models' file fields already hold the storage (made at import): move that one.
    storage = storages["shared"]
    storage._location = root
    storage._clear_cached_properties("MEDIA_ROOT")
    return root


@pytest.fixture
def batch(public_tenant):
    today = timezone.localdate()
    return batch_create(name="第一批", starts_on=today - datetime.timedelta(days=30),
                        ends_on=today + datetime.timedelta(days=300))


@pytest.fixture
def other_batch(public_tenant):
    today = timezone.localdate()
    return batch_create(name="第二批", starts_on=today, ends_on=today + datetime.timedelta(days=3))


@pytest.fixture
def orgs(make_company, batch, other_batch):
    """alpha and beta in the batch, gamma in the other batch."""
    found = {}
    for name, slug, in_batch in (("甲公司", "alpha", batch), ("乙公司", "beta", batch),
                                 ("丙公司", "gamma", other_batch)):
        company = make_company(name=name, slug=slug)
        batch_enrol(batch=in_batch, company=company)
        found[slug] = build_org(slug, members=4)
        found[slug].company = company
    return found


@pytest.fixture
def trainer(batch):
    user = user_create(username="trainer1", password="pw-123456", full_name="李培训",
                       role=Role.TRAINER)
    BatchTrainer.objects.create(batch=batch, trainer=user)
    return user


@pytest.fixture
def other_trainer(other_batch):
    user = user_create(username="trainer2", password="pw-123456", full_name="赵老师",
                       role=Role.TRAINER)
    BatchTrainer.objects.create(batch=other_batch, trainer=user)
    return user


@pytest.fixture
def staff(public_tenant):
    return user_create(username="staff1", password="pw-123456", full_name="王晓燕",
                       role=Role.STAFF)


@pytest.fixture
def session(batch, trainer):
    now = timezone.now()
    return OfflineSession.objects.create(
        batch=batch, trainer=trainer, title="党章党规专题培训", place="孵化器三楼报告厅",
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2),
        hours=Decimal("3.0"))


def course_published(title: str = "学习党章", hours=("1.5", "2.0")) -> Course:
    """A course with one published version of one chapter: text lessons of the given hours."""
    course = Course.objects.create(title=title, category="charter", summary="党章学习")
    version = CourseVersion.objects.create(course=course, number=1,
                                           status=VersionStatus.PUBLISHED,
                                           published_at=timezone.now())
    chapter = Chapter.objects.create(version=version, title="第一章", order=1)
    for order, value in enumerate(hours, start=1):
        Lesson.objects.create(chapter=chapter, order=order, kind=LessonKind.TEXT,
                              title=f"第{order}课", hours=Decimal(value), body_html="<p>正文</p>")
    return course


@pytest.fixture
def course(public_tenant):
    return course_published()


def public_login(client, username: str) -> None:
    response = client.post("/login/", {"username": username, "password": "pw-123456"},
                           HTTP_HOST="localhost")
    assert response.status_code == 302, "login failed"
