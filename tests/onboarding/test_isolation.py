"""A company admin sees only their own company: no applications, batches or other rosters."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.services import user_create
from onboarding import services
from onboarding.company import import_services
from tests.onboarding.conftest import application_data
from tests.onboarding.rosters import csv_bytes
from toolkit.org.models import UnitKind
from toolkit.org.services import unit_create


@pytest.fixture
def two_admins(make_company):
    for slug, name in (("alpha", "甲公司"), ("beta", "乙公司")):
        make_company(name=name, slug=slug)
        with schema_context(slug):
            user_create(username="admin", password="pw-123456", full_name=f"{name}管理员",
                        role=Role.COMPANY_ADMIN)
            unit_create(name="第一党支部", kind=UnitKind.BRANCH)


def _login(client, host):
    client.post("/login/", {"username": "admin", "password": "pw-123456"}, HTTP_HOST=host)
    connection.set_schema_to_public()


def test_company_admin_cannot_reach_applications_or_batches(client, two_admins, staff):
    application = services.application_submit(**application_data())
    batch = services.batch_create(name="第一期", starts_on="2026-09-01", ends_on="2026-12-31")
    _login(client, "alpha.localhost")
    for path in ("/applications/", f"/applications/{application.pk}/", f"/batches/{batch.pk}/",
                 "/overview/"):
        assert client.get(path, HTTP_HOST="alpha.localhost").status_code == 404
        on_public = client.get(path, HTTP_HOST="localhost")
        assert on_public.status_code == 302 and "/login/" in on_public["Location"]


def test_company_admin_cannot_see_another_companys_roster(client, two_admins):
    with schema_context("beta"):
        job = import_services.member_import_preview(
            data=csv_bytes([["乙张三", "男", "13800000001", "第一党支部", "", "", ""]]),
            file_name="乙公司名单.csv", uploaded_by=User.objects.get(username="admin"))
        import_services.member_import_confirm(job=job)
    _login(client, "alpha.localhost")
    response = client.get(f"/setup/members/imports/{job.pk}/", HTTP_HOST="alpha.localhost")
    assert response.status_code == 404
    page = client.get("/setup/members/", HTTP_HOST="alpha.localhost").content.decode()
    assert "乙公司名单" not in page and "现有 0 名党员" in page
    home = client.get("/", HTTP_HOST="alpha.localhost").content.decode()
    assert "乙张三" not in home


def test_members_cannot_use_the_setup_wizard(client, two_admins):
    with schema_context("alpha"):
        user_create(username="13900000001", password="pw-123456", full_name="张伟")
    client.post("/login/", {"username": "13900000001", "password": "pw-123456"},
                HTTP_HOST="alpha.localhost")
    assert client.get("/setup/", HTTP_HOST="alpha.localhost").status_code == 403
    assert client.get("/setup/members/", HTTP_HOST="alpha.localhost").status_code == 403
