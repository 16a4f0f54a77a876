"""The catalogue reaches companies only by named tasks sent into their schemas: a delivery
makes each company it reaches enrol its members now, and "move learners" asks each company
that has the course to move its unfinished learners to the newest version."""

import datetime

import pytest
from django.db import connection

from saas.celery import app
from training import company_tasks, services
from training.company_tasks import ENROLMENTS_SYNC_TASK, VERSION_MOVE_TASK
from training.delivery_services import DeliveryRefused, course_deliver, course_learners_move
from training.selectors import version_published_latest

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(company_tasks, "task_send",
                        lambda name, *args: calls.append((connection.schema_name, name, args)))
    return calls


def test_the_task_names_are_the_companies_real_tasks():
    app.loader.import_default_modules()
    assert ENROLMENTS_SYNC_TASK in app.tasks
    assert VERSION_MOVE_TASK in app.tasks


def test_a_delivery_asks_only_the_companies_it_reaches_to_enrol(
        trainer, published_course, batches, company_a, company_b, sent,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course_deliver(course=published_course, by=trainer, batches=[batches[0]],
                       opens_on=datetime.date.today())
    assert sent == [(company_a.schema_name, ENROLMENTS_SYNC_TASK, ())]


def test_moving_learners_needs_a_newer_version(trainer, published_course, sent):
    with pytest.raises(DeliveryRefused) as refused:
        course_learners_move(course=published_course, by=trainer)
    assert refused.value.code == "no_newer_version"
    assert sent == []


def test_moving_learners_asks_each_company_with_the_course_for_the_newest_version(
        trainer, published_course, batches, company_a, company_b, sent,
        django_capture_on_commit_callbacks):
    course_deliver(course=published_course, by=trainer, batches=[batches[0]],
                   opens_on=datetime.date.today())
    services.course_draft(course=published_course)
    services.course_publish(course=published_course, by=trainer, note="v2")
    newest = version_published_latest(course=published_course)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asked = course_learners_move(course=published_course, by=trainer)
    assert asked == 1
    assert sent == [(company_a.schema_name, VERSION_MOVE_TASK, (published_course.pk, newest.pk))]


def test_the_course_page_offers_the_move_once_there_is_a_newer_version(
        trainer_client, trainer, published_course, sent):
    page = trainer_client.get(f"/training/courses/{published_course.pk}/", HTTP_HOST="localhost")
    assert b"move-learners" not in page.content
    services.course_draft(course=published_course)
    services.course_publish(course=published_course, by=trainer)
    page = trainer_client.get(f"/training/courses/{published_course.pk}/", HTTP_HOST="localhost")
    assert b"move-learners" in page.content
    moved = trainer_client.post(f"/training/courses/{published_course.pk}/move-learners/",
                                HTTP_HOST="localhost")
    assert moved.status_code == 302
