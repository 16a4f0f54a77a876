import pytest
from django_tenants.utils import schema_context

from accounts.services import user_create
from tenants import services
from tenants.models import CompanyStatus


def test_public_host_serves_the_incubator_landing(client, public_tenant):
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "党建孵化器" in response.content.decode()
    assert response.resolver_match.func.__name__ == "landing"


def test_company_host_serves_that_companys_home(client, company_a):
    response = client.get("/", HTTP_HOST="alpha.localhost")
    assert response.status_code == 200
    assert "甲公司" in response.content.decode()
    assert response.resolver_match.func.__name__ == "company_home"


def test_unknown_host_gets_a_clear_404_page(client, public_tenant):
    response = client.get("/", HTTP_HOST="nobody.localhost")
    assert response.status_code == 404
    body = response.content.decode()
    assert "站点不存在" in body and "nobody.localhost" in body
    assert "Traceback" not in body


def test_staff_pages_do_not_exist_on_a_company_host(client, company_a):
    assert client.get("/companies/", HTTP_HOST="alpha.localhost").status_code == 404
    assert client.get("/admin/", HTTP_HOST="alpha.localhost").status_code == 404


@pytest.mark.parametrize("status, code", [(CompanyStatus.SUSPENDED, 403)])
def test_suspended_company_site_says_so_and_keeps_data(client, company_a, status, code):
    with schema_context("alpha"):
        user_create(username="13900000001", password="pw-123456", full_name="张伟")
    services.company_transition(company=company_a, to=status)
    response = client.get("/", HTTP_HOST="alpha.localhost")
    assert response.status_code == code
    assert "已暂停" in response.content.decode()
    services.company_transition(company=company_a, to=CompanyStatus.ACTIVE)
    response = client.post("/login/", {"username": "13900000001", "password": "pw-123456"},
                           HTTP_HOST="alpha.localhost")
    assert response.status_code == 302


def test_archived_company_site_says_so(client, make_company):
    company = make_company(slug="oldco")
    services.company_transition(company=company, to=CompanyStatus.SUSPENDED)
    services.company_transition(company=company, to=CompanyStatus.ARCHIVED)
    response = client.get("/", HTTP_HOST="oldco.localhost")
    assert response.status_code == 503 and "已归档" in response.content.decode()


def test_company_still_provisioning_is_not_served(client, public_tenant):
    company = services.company_create(name="丙公司", slug="gamma")
    response = client.get("/", HTTP_HOST="gamma.localhost")
    assert response.status_code == 503
    assert "正在开通" in response.content.decode()
    assert company.status == CompanyStatus.PENDING
