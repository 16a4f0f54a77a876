import pytest
from django.core import mail
from django_tenants.utils import schema_context

from accounts.models import Role, User
from onboarding import services
from onboarding.company.models import Invitation
from onboarding.models import (
    ApplicationStatus,
    BatchEnrolment,
    CompanyEvent,
    EventKind,
    IncubationBatch,
)
from onboarding.slugs import slug_suggest
from tenants import schemas
from tenants.models import CompanyStatus
from tests.onboarding.conftest import application_data


@pytest.fixture
def application(public_tenant):
    return services.application_submit(**application_data())


def test_slug_is_suggested_from_pinyin_and_kept_unique(make_company):
    assert slug_suggest("星火物流有限公司") == "xinghuowuliu"
    make_company(name="星火物流", slug="xinghuowuliu")
    assert slug_suggest("星火物流有限公司") == "xinghuowuliu-2"


def test_approval_provisions_the_company_and_invites_its_admin(application, staff, committed):
    batch = services.batch_create(name="第一期", starts_on="2026-09-01", ends_on="2026-12-31")
    with committed():  # approval → provisioning task → activation → invitation task → e-mail
        services.application_approve(application=application, reviewer=staff,
                                     slug="xinghuo", batch=batch, port="8000")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    company = application.company
    company.refresh_from_db()
    assert BatchEnrolment.objects.get(company=company).batch == batch
    assert company.status == CompanyStatus.ACTIVE and schemas.schema_exists("xinghuo")
    with schema_context("xinghuo"):
        admin = User.objects.get(role=Role.COMPANY_ADMIN)
        assert (admin.full_name, admin.email, admin.has_usable_password()) == (
            "周建国", "zhou@example.cn", False)
        assert Invitation.objects.get().used_at is None
    invitation_mail = mail.outbox[-1]
    assert "请设置管理员密码" in invitation_mail.subject
    assert "http://xinghuo.localhost:8000/invite/" in invitation_mail.body
    assert set(CompanyEvent.objects.filter(company=company).values_list("kind", flat=True)) == {
        EventKind.APPROVED, EventKind.PROVISIONED, EventKind.ADMIN_INVITED}

    services.application_admin_invite(company=company)  # a redelivered task
    with schema_context("xinghuo"):
        assert User.objects.count() == 1 and Invitation.objects.count() == 1


def test_a_company_made_by_staff_directly_invites_nobody(make_company):
    company = make_company(slug="direct")
    services.application_admin_invite(company=company)
    with schema_context("direct"):
        assert not User.objects.exists()


def test_rejection_needs_a_reason_and_tells_the_applicant(application, staff, committed):
    with pytest.raises(services.ReviewRefused) as caught:
        services.application_reject(application=application, reviewer=staff, reason="  ")
    assert caught.value.code == "reject_reason_missing" and "reason" in caught.value.fields
    with committed():
        services.application_reject(application=application, reviewer=staff,
                                    reason="尚未成立党组织")
    assert application.__class__.objects.get().status == ApplicationStatus.REJECTED
    assert "尚未成立党组织" in mail.outbox[0].body


def test_an_application_is_reviewed_once(application, staff):
    services.application_reject(application=application, reviewer=staff, reason="资料不全")
    with pytest.raises(services.ReviewRefused):
        services.application_approve(application=application, reviewer=staff, slug="late",
                                     batch=None)


def test_a_failed_provisioning_is_retried_from_the_application_page(application, staff,
                                                                    staff_client, monkeypatch):
    from tenants.models import SpareSchema
    from tenants.services import company_provision

    application = services.application_approve(application=application, reviewer=staff,
                                               slug="xinghuo", batch=None)
    good = schemas.template_sql()
    monkeypatch.setattr(schemas, "template_sql", lambda: good + "\nSELECT 1/0;")
    SpareSchema.objects.all().delete()  # force the cold path (rolled back with the test)
    with pytest.raises(Exception, match="division by zero"):
        company_provision(company_id=application.company_id)
    page = staff_client.get(f"/applications/{application.pk}/", HTTP_HOST="localhost")
    body = page.content.decode()
    assert "开通失败" in body and "重试开通" in body

    monkeypatch.setattr(schemas, "template_sql", lambda: good)
    staff_client.post(f"/applications/{application.pk}/retry/", HTTP_HOST="localhost")
    application.company.refresh_from_db()
    assert application.company.status == CompanyStatus.PROVISIONING
    company_provision(company_id=application.company_id)
    application.company.refresh_from_db()
    assert application.company.status == CompanyStatus.ACTIVE


def test_the_review_queue_filters(staff_client, staff):
    services.application_submit(**application_data())
    other = services.application_submit(**application_data(
        company_name="青禾农业", credit_code="91110000802100433B", industry="agriculture"))
    services.application_reject(application=other, reviewer=staff, reason="重复")
    body = staff_client.get("/applications/?status=submitted", HTTP_HOST="localhost").content
    assert "星火物流" in body.decode() and "青禾农业" not in body.decode()
    body = staff_client.get("/applications/?industry=agriculture", HTTP_HOST="localhost").content
    assert "青禾农业" in body.decode() and "星火物流" not in body.decode()
    body = staff_client.get("/applications/?q=91110000", HTTP_HOST="localhost").content
    assert "青禾农业" in body.decode() and "星火物流" not in body.decode()


def test_approving_with_a_taken_slug_shows_the_error(application, staff_client, make_company):
    make_company(name="已存在", slug="taken")
    response = staff_client.post(f"/applications/{application.pk}/approve/",
                                 {"slug": "taken", "plan": "trial"}, HTTP_HOST="localhost")
    assert response.status_code == 400
    assert "已被使用" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.company is None


def test_batches_list_their_companies_with_progress_and_toolkit(staff_client, staff,
                                                                make_company):
    batch = services.batch_create(name="第一期", starts_on="2026-09-01", ends_on="2026-12-31")
    company = make_company(name="甲公司", slug="alpha")
    staff_client.post(f"/batches/{batch.pk}/", {"company": company.pk}, HTTP_HOST="localhost")
    with schema_context("alpha"):
        services.progress_report(company=company, admin_joined=True, members=12, branches=2)
    page = staff_client.get(f"/batches/{batch.pk}/", HTTP_HOST="localhost").content.decode()
    assert "甲公司" in page and "运行中" in page and "100%" in page and "12" in page
    staff_client.post(f"/batches/{batch.pk}/issue/{company.pk}/", HTTP_HOST="localhost")
    assert CompanyEvent.objects.filter(company=company, kind=EventKind.TOOLKIT_ISSUED).exists()
    page = staff_client.get(f"/batches/{batch.pk}/", HTTP_HOST="localhost").content.decode()
    assert "已发放" in page
    with pytest.raises(services.ApplicationRefused) as caught:
        services.batch_create(name="倒序", starts_on="2026-09-01", ends_on="2026-08-01")
    assert caught.value.code == "batch_ends_before_start" and "ends_on" in caught.value.fields
    assert IncubationBatch.objects.count() == 1


def test_overview_shows_totals_and_chart_data(staff_client, make_company):
    company = make_company(name="甲公司", slug="alpha")
    services.progress_report(company=company, members=40)
    body = staff_client.get("/overview/", HTTP_HOST="localhost").content.decode()
    assert 'id="status-chart"' in body and "echarts.min.js" in body
    assert '"甲公司", 40' in body.replace("\\u7532\\u516c\\u53f8", "甲公司")
