"""Sharing up: a company admin offers an approved member lesson to the incubator (the file is
copied into the shared storage, once); a trainer adopts it as a new course draft, credited to
the company and lecturer; a plain member cannot offer."""

from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import Role
from accounts.services import user_create
from tests.toolkit.conftest import login
from tests.toolkit.learning.test_member_lessons import HOST_A, _approved
from training.models import Course, Lesson, OfferedLesson, VersionStatus


def test_offer_and_adopt(client, public_tenant, org_a, media_files):
    lesson = _approved(org_a, media_files)
    login(client, HOST_A, org_a.members[4].user.username)
    client.post(f"/learning/shared/{lesson.uid}/offer/", HTTP_HOST=HOST_A)
    assert not OfferedLesson.objects.exists()  # a member may not
    client.logout()
    login(client, HOST_A, "admin")
    assert client.post(f"/learning/shared/{lesson.uid}/offer/",
                       HTTP_HOST=HOST_A).status_code == 302
    client.post(f"/learning/shared/{lesson.uid}/offer/", HTTP_HOST=HOST_A)  # refused: once
    offer = OfferedLesson.objects.get()
    with offer.media.open("rb") as handle:
        assert handle.read() == media_files["mp4"]
    with schema_context("alpha"):
        lecturer = lesson.lecturer.user.full_name
    assert (offer.company_name, offer.lecturer_name) == ("甲公司", lecturer)

    connection.set_schema_to_public()  # the test client left the company's schema set
    user_create(username="trainer9", password="pw-123456", full_name="刘培训",
                role=Role.TRAINER)
    trainer = Client()
    assert trainer.post("/login/", {"username": "trainer9", "password": "pw-123456"},
                        HTTP_HOST="localhost").status_code == 302
    page = trainer.get("/training/offered/", HTTP_HOST="localhost")
    assert page.status_code == 200 and lesson.title in page.content.decode()
    adopted = trainer.post(f"/training/offered/{offer.pk}/adopt/", HTTP_HOST="localhost")
    assert adopted.status_code == 302
    course = Course.objects.get(title=lesson.title)
    assert "甲公司" in course.summary and lecturer in course.summary
    copy = Lesson.objects.get(chapter__version__course=course)
    assert copy.chapter.version.status == VersionStatus.DRAFT
    assert copy.duration_seconds == 4 and copy.media.name != offer.media.name
    with copy.media.open("rb") as handle:
        assert handle.read() == media_files["mp4"]
    again = trainer.post(f"/training/offered/{offer.pk}/adopt/", HTTP_HOST="localhost")
    assert again.status_code == 302 and Course.objects.filter(title=lesson.title).count() == 1
