"""A roster over the threshold is written by a real worker in the company's schema."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role
from accounts.services import user_create
from tenants.models import Company, Plan
from tests.onboarding.rosters import csv_bytes
from tests.worker import wait_for
from toolkit.org.models import Member, UnitKind
from toolkit.org.services import unit_create

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_large_import_runs_in_the_worker_with_progress(celery_worker, client, make_company,
                                                         committed_schemas, settings,
                                                         monkeypatch):
    from onboarding.company import import_services

    settings.IMPORT_ASYNC_THRESHOLD = 500

    def not_here(**kwargs):
        raise AssertionError("a large import must not be written by the web process")

    monkeypatch.setattr(import_services, "member_import_run", not_here)
    alpha = make_company(name="甲公司", slug="alpha")
    Company.objects.filter(pk=alpha.pk).update(plan=Plan.STANDARD)  # trial stops at 100
    make_company(name="乙公司", slug="beta")
    with schema_context("alpha"):
        user_create(username="admin", password="pw-123456", full_name="管理员",
                    role=Role.COMPANY_ADMIN)
        unit_create(name="第一党支部", kind=UnitKind.BRANCH)
    rows = [[f"党员{i}", "男", f"139{i:08d}", "第一党支部", "正式党员", "2010-07-01", ""]
            for i in range(1, 601)]
    client.post("/login/", {"username": "admin", "password": "pw-123456"},
                HTTP_HOST="alpha.localhost")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/setup/members/",
                           {"file": SimpleUploadedFile("大名单.csv", csv_bytes(rows))},
                           HTTP_HOST="alpha.localhost")
    job_url = response["Location"]
    assert client.post(job_url, HTTP_HOST="alpha.localhost").status_code == 302

    def finished():
        connection.set_schema_to_public()
        data = client.get(f"{job_url}progress.json", HTTP_HOST="alpha.localhost").json()
        return data if data["status"] != "importing" else None

    final = wait_for(finished, timeout=90)
    assert final == {"status": "done", "progress": 100, "step": "已导入"}
    with schema_context("alpha"):
        assert Member.objects.count() == 600
    with schema_context("beta"):
        assert Member.objects.count() == 0  # the task ran in alpha's schema only
