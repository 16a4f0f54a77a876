"""A delivery the trainer withdraws (已撤回): the members keep the course, what they did,
their hours; the course takes no new progress anywhere (pages, player, exams, API) and its
media are not served; no reminders. Another company that has the course otherwise is
untouched, and a new delivery opens it again (docs/decisions/0038)."""

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Company
from tests.toolkit.api.conftest import api_login
from tests.toolkit.conftest import login
from tests.toolkit.learning.conftest import deliver
from tests.toolkit.learning.helpers import enrolled
from toolkit.learning import exams, services
from toolkit.learning.models import Enrolment, HoursEntry
from toolkit.learning.reminders import due_reminders_send
from toolkit.learning.services import LearningRefused, lesson_heartbeat

ALPHA, BETA = "alpha.localhost", "beta.localhost"
T0 = timezone.now().replace(microsecond=0)


def _withdraw(built, schema="alpha"):
    delivery = built.course.deliveries.get(companies__schema_name=schema)
    delivery.withdrawn_at = timezone.now()
    delivery.save(update_fields=["withdrawn_at"])
    return delivery


def _refused(call) -> str:
    with pytest.raises(LearningRefused) as refused:
        call()
    return refused.value.code


def test_a_withdrawn_course_keeps_its_history_and_takes_no_progress(org_a, built):
    member = org_a.members[2]
    enrolment = enrolled(built, member, due_in_days=2)
    video, text, exam = (built.lessons[k] for k in ("video", "text", "exam"))
    with schema_context("alpha"):
        services.lesson_open(enrolment=enrolment, lesson=text)  # done: 1 学时
        lesson_heartbeat(enrolment=enrolment, lesson=video, position_seconds=0, now=T0)
        lesson_heartbeat(enrolment=enrolment, lesson=video, position_seconds=10,
                         now=T0 + datetime.timedelta(seconds=10))
    _withdraw(built)
    with schema_context("alpha"):
        enrolment = Enrolment.objects.get(pk=enrolment.pk)
        assert _refused(lambda: lesson_heartbeat(
            enrolment=enrolment, lesson=video, position_seconds=20,
            now=T0 + datetime.timedelta(seconds=20))) == "course_withdrawn"
        assert enrolment.progress.get(lesson=video).watched_seconds == 10  # kept, not moved
        assert _refused(lambda: exams.exam_start(enrolment=enrolment,
                                                 lesson=exam)) == "course_withdrawn"
        assert _refused(lambda: services.lesson_open(enrolment=enrolment,
                                                     lesson=video)) == "course_withdrawn"
        assert HoursEntry.objects.filter(member=member,
                                         source_ref=f"lesson:{text.uid}").count() == 1
        assert due_reminders_send() == 0  # not due any more
        assert services.enrolments_sync() == 0
        assert Enrolment.objects.filter(course=built.course).count() == len(org_a.members)


def test_pages_media_and_api_agree_on_a_withdrawn_course(client, api, org_a, built):
    member = org_a.members[2]
    enrolled(built, member)
    video, text = built.lessons["video"], built.lessons["text"]
    login(client, ALPHA, member.user.username)
    assert client.get(f"/learning/media/{video.pk}/", HTTP_HOST=ALPHA).status_code == 200
    _withdraw(built)
    mine = client.get("/learning/", HTTP_HOST=ALPHA).content.decode()
    assert built.course.title in mine and "已撤回" in mine
    course = client.get(f"/learning/course/{built.course.pk}/", HTTP_HOST=ALPHA)
    assert course.status_code == 200 and 'id="course-withdrawn"' in course.content.decode()
    lesson = client.get(f"/learning/course/{built.course.pk}/lesson/{video.pk}/",
                        HTTP_HOST=ALPHA)
    page = lesson.content.decode()
    assert lesson.status_code == 200 and 'id="course-withdrawn"' in page
    assert "<video" not in page and f"/learning/media/{video.pk}/" not in page
    assert client.get(f"/learning/media/{video.pk}/", HTTP_HOST=ALPHA).status_code == 404
    beat = client.post(f"/learning/course/{built.course.pk}/lesson/{video.pk}/heartbeat/",
                       json.dumps({"position": 5}), content_type="application/json",
                       HTTP_HOST=ALPHA)
    assert beat.status_code == 400 and beat.json()["code"] == "course_withdrawn"
    # Opening the text lesson on the page completes nothing now.
    client.get(f"/learning/course/{built.course.pk}/lesson/{text.pk}/", HTTP_HOST=ALPHA)
    connection.set_schema_to_public()
    with schema_context("alpha"):
        assert not HoursEntry.objects.filter(member=member).exists()

    token = api_login(Client(), ALPHA, member.user.mobile)
    listed = api("get", ALPHA, "/api/v1/learning/courses/", token).json()
    assert [(c["course_id"], c["withdrawn"]) for c in listed] == [(built.course.pk, True)]
    base = f"/api/v1/learning/courses/{built.course.pk}/"
    assert api("get", ALPHA, base, token).json()["enrolment"]["withdrawn"] is True
    beat = api("post", ALPHA, f"{base}lessons/{video.pk}/heartbeat/", token, {"position": 5})
    assert beat.status_code == 400 and beat.json()["code"] == "course_withdrawn"
    opened = api("post", ALPHA, f"{base}lessons/{text.pk}/open/", token)
    assert opened.status_code == 400 and opened.json()["code"] == "course_withdrawn"


def test_another_company_and_a_new_delivery_are_not_withdrawn(client, org_a, org_b, built):
    alpha_member, beta_member = org_a.members[2], org_b.members[2]
    alpha = enrolled(built, alpha_member)
    beta = enrolled(built, beta_member, schema="beta")
    video = built.lessons["video"]
    _withdraw(built, "alpha")
    with schema_context("beta"):
        assert lesson_heartbeat(enrolment=beta, lesson=video, position_seconds=0,
                                now=T0).position_seconds == 0
    login(client, BETA, beta_member.user.username)
    assert client.get(f"/learning/media/{video.pk}/", HTTP_HOST=BETA).status_code == 200
    assert "已撤回" not in client.get("/learning/", HTTP_HOST=BETA).content.decode()
    connection.set_schema_to_public()
    # Delivered to alpha again: open again, on the new delivery.
    again = deliver(built, companies=[Company.objects.get(schema_name="alpha")])
    with schema_context("alpha"):
        services.enrolments_sync()
        alpha = Enrolment.objects.get(pk=alpha.pk)
        assert alpha.delivery_id == again.pk
        assert lesson_heartbeat(enrolment=alpha, lesson=video, position_seconds=0,
                                now=T0).position_seconds == 0


def test_a_withdrawn_course_is_not_overdue_in_the_rollups(org_a, built):
    from toolkit.learning import rollups
    from training.models import CompanyCourseRollup

    enrolled(built, org_a.members[2])
    with schema_context("alpha"):
        Enrolment.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    rollups.rollups_refresh()
    figures = CompanyCourseRollup.objects.get(company__schema_name="alpha", course=built.course)
    assert figures.overdue == len(org_a.members)
    _withdraw(built)
    rollups.rollups_refresh()
    figures.refresh_from_db()
    assert figures.overdue == 0 and figures.assigned == len(org_a.members)
