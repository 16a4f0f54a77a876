"""Staff issue the toolkit from the batch page: the handbook renders in the company's schema,
its state is reported up, and staff download it through the company's own service."""

import datetime

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role
from accounts.services import user_create
from onboarding.models import HandbookState, IncubationBatch, ToolkitHandbook
from onboarding.services import batch_enrol
from tests.toolkit.documents.conftest import pdf_text
from toolkit.documents.models import Edition, HandbookDownload, HandbookRender, RenderStatus


@pytest.fixture
def staff_client(client, public_tenant):
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    client.post("/login/", {"username": "staff1", "password": "pw-123456"}, HTTP_HOST="localhost")
    return client


@pytest.fixture
def batch(org_a, org_b):
    from tenants.models import Company

    batch = IncubationBatch.objects.create(name="2026年春季孵化批次",
                                           starts_on=datetime.date(2026, 3, 1),
                                           ends_on=datetime.date(2026, 8, 31))
    batch_enrol(batch=batch, company=Company.objects.get(schema_name="alpha"))
    return batch


def test_staff_issue_the_toolkit_and_download_the_handbook(staff_client, batch, org_a,
                                                           tasks_run_here, tmp_path,
                                                           django_capture_on_commit_callbacks):
    from tenants.models import Company

    alpha = Company.objects.get(schema_name="alpha")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/batches/{batch.pk}/issue/{alpha.pk}/",
                                     HTTP_HOST="localhost")
    assert response.status_code == 302
    connection.set_schema_to_public()
    reported = ToolkitHandbook.objects.get(company=alpha)
    assert reported.status == HandbookState.DONE and reported.pages > 5
    with schema_context("alpha"):
        editions = set(HandbookRender.objects.filter(issued=True, status=RenderStatus.DONE)
                       .values_list("edition", flat=True))
        assert editions == {Edition.FULL, Edition.MEMBER}
    connection.set_schema_to_public()

    page = staff_client.get(f"/batches/{batch.pk}/", HTTP_HOST="localhost").content.decode()
    link = f"/batches/{batch.pk}/handbook/{alpha.pk}/"
    assert link in page and "已发放" in page
    response = staff_client.get(link, HTTP_HOST="localhost")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path, last=1)
    assert "甲公司" in text and "2026年春季孵化批次" in text and "党建孵化器" in text
    with schema_context("alpha"):
        assert HandbookDownload.objects.filter(by_staff="王晓燕").count() == 1


def test_staff_cannot_download_a_company_outside_the_batch(staff_client, batch, org_b):
    from tenants.models import Company

    beta = Company.objects.get(schema_name="beta")
    response = staff_client.get(f"/batches/{batch.pk}/handbook/{beta.pk}/",
                                HTTP_HOST="localhost")
    assert response.status_code == 404


def test_a_company_without_a_handbook_yet_is_a_message_not_an_error(staff_client, batch):
    from tenants.models import Company

    alpha = Company.objects.get(schema_name="alpha")
    response = staff_client.get(f"/batches/{batch.pk}/handbook/{alpha.pk}/",
                                HTTP_HOST="localhost", follow=True)
    assert "还没有生成" in response.content.decode()


def render_handbook(schema: str, django_capture_on_commit_callbacks) -> None:
    """The company's admin asks for a version (its site reports it up on the way)."""
    from toolkit.documents.services import handbook_request

    with schema_context(schema), django_capture_on_commit_callbacks(execute=True):
        handbook_request(batch_name="", issuer="党建孵化器")
    connection.set_schema_to_public()


def test_staff_download_any_companys_handbook_from_its_company_page(
        staff_client, org_a, org_b, tasks_run_here, tmp_path,
        django_capture_on_commit_callbacks):
    """Not only companies in a batch: the staff company page links the current handbook, and
    each company's link serves that company's file, opened in its own schema."""
    from tenants.models import Company

    alpha, beta = Company.objects.get(schema_name="alpha"), Company.objects.get(schema_name="beta")
    render_handbook("alpha", django_capture_on_commit_callbacks)

    page = staff_client.get(f"/companies/{alpha.pk}/", HTTP_HOST="localhost").content.decode()
    assert f"/companies/{alpha.pk}/handbook/" in page
    response = staff_client.get(f"/companies/{alpha.pk}/handbook/", HTTP_HOST="localhost")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "甲公司" in pdf_text(response.content, tmp_path, last=1)

    # B has no handbook yet: a message, never A's file.
    page = staff_client.get(f"/companies/{beta.pk}/", HTTP_HOST="localhost").content.decode()
    assert f"/companies/{beta.pk}/handbook/" not in page and "还没有生成过" in page
    response = staff_client.get(f"/companies/{beta.pk}/handbook/", HTTP_HOST="localhost",
                                follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "还没有生成" in response.content.decode()

    render_handbook("beta", django_capture_on_commit_callbacks)
    response = staff_client.get(f"/companies/{beta.pk}/handbook/", HTTP_HOST="localhost")
    text = pdf_text(response.content, tmp_path, last=1)
    assert "乙公司" in text and "甲公司" not in text
    with schema_context("beta"):
        assert HandbookDownload.objects.filter(by_staff="王晓燕").count() == 1
    with schema_context("alpha"):
        assert HandbookDownload.objects.filter(by_staff="王晓燕").count() == 1


@pytest.mark.parametrize("role", [Role.TRAINER, Role.COMPANY_ADMIN, Role.MEMBER])
def test_only_staff_download_a_company_handbook_from_the_public_site(
        client, public_tenant, org_a, role, tasks_run_here, django_capture_on_commit_callbacks):
    from tenants.models import Company

    alpha = Company.objects.get(schema_name="alpha")
    render_handbook("alpha", django_capture_on_commit_callbacks)
    user_create(username="someone", password="pw-123456", full_name="某人", role=role)
    client.post("/login/", {"username": "someone", "password": "pw-123456"},
                HTTP_HOST="localhost")
    response = client.get(f"/companies/{alpha.pk}/handbook/", HTTP_HOST="localhost")
    assert response.status_code in (302, 403)
    assert response.get("Content-Type", "") != "application/pdf"


def test_the_staff_route_is_not_on_a_companys_site(staff_client, org_a, org_b, tasks_run_here,
                                                   django_capture_on_commit_callbacks):
    from tenants.models import Company

    alpha = Company.objects.get(schema_name="alpha")
    render_handbook("alpha", django_capture_on_commit_callbacks)
    response = staff_client.get(f"/companies/{alpha.pk}/handbook/", HTTP_HOST="beta.localhost")
    assert response.status_code in (302, 403, 404)
    assert response.get("Content-Type", "") != "application/pdf"


def test_the_batch_page_polls_a_running_render_and_offers_a_retry_when_it_failed(
        staff_client, batch):
    """A running render: a bar with the step, polled as JSON by static/js/progress.js (no
    inline script); a failed one: its error and a retry button."""
    from tenants.models import Company

    alpha = Company.objects.get(schema_name="alpha")
    ToolkitHandbook.objects.create(company=alpha, status=HandbookState.RENDERING, progress=40,
                                   step="正在排版（14/35）")
    status_url = f"/batches/{batch.pk}/handbook/{alpha.pk}/status.json"
    page = staff_client.get(f"/batches/{batch.pk}/", HTTP_HOST="localhost").content.decode()
    assert f'data-progress-url="{status_url}"' in page and 'value="40"' in page
    assert "正在排版（14/35）" in page and "js/progress.js" in page
    assert "<script>" not in page  # CSP: scripts come from files only
    state = staff_client.get(status_url, HTTP_HOST="localhost").json()
    assert state == {"status": "running", "progress": 40, "step": "正在排版（14/35）",
                     "error": "", "pages": 0}

    ToolkitHandbook.objects.filter(company=alpha).update(
        status=HandbookState.FAILED, error="RuntimeError: 字体缺失")
    assert staff_client.get(status_url, HTTP_HOST="localhost").json()["status"] == "failed"
    page = staff_client.get(f"/batches/{batch.pk}/", HTTP_HOST="localhost").content.decode()
    assert "RuntimeError: 字体缺失" in page and ">重试</button>" in page
    assert "data-progress-url" not in page


def test_the_status_json_is_per_batch(staff_client, batch, org_b):
    from tenants.models import Company

    beta = Company.objects.get(schema_name="beta")  # not in the batch
    response = staff_client.get(f"/batches/{batch.pk}/handbook/{beta.pk}/status.json",
                                HTTP_HOST="localhost")
    assert response.status_code == 404
