"""Staff create a company on the web; a real worker provisions it; the page shows progress."""

import pytest
from django.db import connection

from accounts.models import Role
from accounts.services import user_create
from tenants import schemas
from tenants.models import Company, CompanyStatus
from tests.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_staff_creates_a_company_and_the_worker_makes_it_live(celery_worker, client,
                                                              public_tenant, committed_schemas):
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    client.post("/login/", {"username": "staff1", "password": "pw-123456"}, HTTP_HOST="localhost")
    response = client.post("/companies/", {"name": "新星科技", "slug": "xinxing", "plan": "trial"},
                           HTTP_HOST="localhost")
    company = Company.objects.get(slug="xinxing")
    assert response.status_code == 302
    assert response["Location"] == f"/companies/{company.pk}/"

    def progress():
        connection.set_schema_to_public()
        data = client.get(f"/companies/{company.pk}/progress.json", HTTP_HOST="localhost").json()
        return data if data["status"] != CompanyStatus.PROVISIONING else None

    final = wait_for(progress, timeout=60)
    assert final["status"] == CompanyStatus.ACTIVE and final["progress"] == 100
    assert schemas.schema_exists("xinxing")
    home = client.get("/", HTTP_HOST="xinxing.localhost")
    assert home.status_code == 200 and "新星科技" in home.content.decode()
