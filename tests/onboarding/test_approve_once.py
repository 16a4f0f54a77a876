"""Approval writes once; a batch or a decision submitted twice is refused, never a 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onboarding import services
from onboarding.models import BatchEnrolment, CompanyEvent, EventKind, IncubationBatch
from tests.onboarding.conftest import application_data


@pytest.fixture
def application(public_tenant):
    return services.application_submit(**application_data())


def test_approval_saves_and_enrols_once_and_a_second_approval_is_refused(application, staff):
    batch = services.batch_create(name="第一期", starts_on="2026-09-01", ends_on="2026-12-31")
    with CaptureQueriesContext(connection) as queries:
        services.application_approve(application=application, reviewer=staff, slug="xinghuo",
                                     batch=batch)
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum(s.startswith('UPDATE "onboarding_application"') for s in sql) == 1
    assert sum(s.startswith('INSERT INTO "onboarding_batchenrolment"') for s in sql) == 1
    assert not any(s.startswith('UPDATE "onboarding_batchenrolment"') for s in sql)
    with pytest.raises(services.ReviewRefused):
        services.application_approve(application=application, reviewer=staff, slug="xinghuo2",
                                     batch=batch)
    assert BatchEnrolment.objects.count() == 1
    assert CompanyEvent.objects.filter(kind=EventKind.APPROVED).count() == 1


def test_a_batch_posted_twice_is_a_form_error(staff_client):
    data = {"name": "第二期", "starts_on": "2026-09-01", "ends_on": "2026-12-31"}
    first = staff_client.post("/batches/", data, HTTP_HOST="localhost")
    second = staff_client.post("/batches/", data, HTTP_HOST="localhost")
    assert first.status_code == 302
    assert second.status_code == 200 and "已有同名批次。" in second.content.decode()
    assert IncubationBatch.objects.filter(name="第二期").count() == 1



def test_the_application_page_shows_the_batch_it_was_approved_into(application, staff,
                                                                   staff_client):
    batch = services.batch_create(name="第四期", starts_on="2026-09-01", ends_on="2026-12-31")
    services.application_approve(application=application, reviewer=staff, slug="xinghuo",
                                 batch=batch)
    page = staff_client.get(f"/applications/{application.pk}/", HTTP_HOST="localhost")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="enrolled-batch"' in body and "第四期" in body
