import pytest

from accounts.models import Role
from accounts.services import user_create
from tenants import schemas, services
from tenants.models import ALLOWED_TRANSITIONS, Company, CompanyStatus, Domain

S = CompanyStatus


def test_the_lifecycle_allows_exactly_these_transitions():
    assert ALLOWED_TRANSITIONS == {
        S.PENDING: {S.PROVISIONING},
        S.PROVISIONING: {S.ACTIVE, S.FAILED},
        S.FAILED: {S.PROVISIONING},
        S.ACTIVE: {S.SUSPENDED},
        S.SUSPENDED: {S.ACTIVE, S.ARCHIVED},
        S.ARCHIVED: set(),
    }


def test_company_walks_the_whole_lifecycle(make_company):
    company = make_company(slug="walker")
    for step in (S.SUSPENDED, S.ACTIVE, S.SUSPENDED, S.ARCHIVED):
        company = services.company_transition(company=company, to=step)
        company.refresh_from_db()
        assert company.status == step
    assert schemas.schema_exists("walker")  # archiving keeps the data


REFUSED = [(start, to) for start in S.values for to in S.values
           if start == S.PROVISIONING or to not in ALLOWED_TRANSITIONS[start]]


@pytest.mark.parametrize("start, refused", REFUSED)
def test_transitions_outside_the_lifecycle_are_refused(public_tenant, start, refused):
    company = services.company_create(name="规则公司", slug="rules")
    Company.objects.filter(pk=company.pk).update(status=start)
    with pytest.raises(services.TransitionRefused, match="不能从"):
        services.company_transition(company=company, to=refused)
    company.refresh_from_db()
    assert company.status == start


def test_staff_cannot_mark_a_provisioning_company_active_by_hand(client, public_tenant):
    # It would have no schema: only provisioning itself may end provisioning.
    company = services.company_create(name="半成品", slug="half")
    services.company_transition(company=company, to=S.PROVISIONING)
    _staff_client(client)
    page = client.post(f"/companies/{company.pk}/status/", {"to": "active"},
                       HTTP_HOST="localhost", follow=True)
    company.refresh_from_db()
    assert company.status == S.PROVISIONING
    assert "不能从" in page.content.decode()
    assert client.get("/", HTTP_HOST="half.localhost").status_code == 503


def test_slug_that_is_an_sql_keyword_is_refused(public_tenant):
    with pytest.raises(services.CompanyRefused) as caught:
        services.company_create(name="用户公司", slug="user")
    assert caught.value.code == "company_invalid"
    assert "SQL 保留字" in caught.value.fields["slug"][0]


def test_archived_is_final(make_company):
    company = make_company(slug="final")
    services.company_transition(company=company, to=S.SUSPENDED)
    services.company_transition(company=company, to=S.ARCHIVED)
    for target in S.values:
        with pytest.raises(services.TransitionRefused):
            services.company_transition(company=company, to=target)


def _staff_client(client):
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    client.post("/login/", {"username": "staff1", "password": "pw-123456"}, HTTP_HOST="localhost")
    return client


def test_staff_suspend_and_resume_from_the_company_page(client, make_company):
    company = make_company(slug="pager")
    _staff_client(client)
    url = f"/companies/{company.pk}/status/"
    client.post(url, {"to": "suspended"}, HTTP_HOST="localhost")
    company.refresh_from_db()
    assert company.status == S.SUSPENDED
    page = client.post(url, {"to": "archived"}, HTTP_HOST="localhost", follow=True)
    company.refresh_from_db()
    assert company.status == S.ARCHIVED
    page = client.post(url, {"to": "active"}, HTTP_HOST="localhost", follow=True)
    assert "不能从" in page.content.decode()


class TestBadInputCreatesNothing:
    @pytest.fixture(autouse=True)
    def existing(self, make_company):
        return make_company(name="云集示范", slug="yunji-demo")

    def _refused(self, field: str, message: str, **data) -> None:
        companies, domains = Company.objects.count(), Domain.objects.count()
        with pytest.raises(services.CompanyRefused) as caught:
            services.company_create(**{"name": "新公司", "slug": "fresh", **data})
        assert caught.value.code == "company_invalid"
        assert message in " ".join(caught.value.fields[field])
        assert (Company.objects.count(), Domain.objects.count()) == (companies, domains)

    def test_name_collision(self):
        self._refused("name", "已有同名公司", name="云集示范")

    def test_slug_collision(self):
        self._refused("slug", "已被使用", slug="yunji-demo")

    @pytest.mark.parametrize("slug", ["www", "admin", "api", "public", "static"])
    def test_reserved_slug(self, slug):
        self._refused("slug", "系统保留", slug=slug)

    @pytest.mark.parametrize("slug", ["9lives", "a", "trailing-", "有中文", "under_score",
                                      "x" * 41, "double--dash"])
    def test_slug_that_is_not_a_valid_subdomain(self, slug):
        self._refused("slug", "子域名须为", slug=slug)

    def test_hostnames_are_case_insensitive_so_slugs_are_lowercased(self):
        assert services.company_create(name="大写公司", slug="Upper").slug == "upper"

    def test_slug_that_is_not_a_valid_schema_name(self):
        self._refused("slug", "不能用作数据库模式名", slug="pg-catalogue")

    def test_slug_whose_schema_already_exists_unregistered(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("CREATE SCHEMA orphan")
        self._refused("slug", "已被使用", slug="orphan")

    def test_staff_form_shows_the_error_on_the_field(self, client):
        _staff_client(client)
        response = client.post("/companies/", {"name": "云集示范", "slug": "www", "plan": "trial"},
                               HTTP_HOST="localhost")
        body = response.content.decode()
        assert response.status_code == 200
        assert "已有同名公司" in body and "系统保留" in body
