"""A company's people and pages belong to its own host and schema only."""

from django_tenants.utils import schema_context

from accounts.services import user_create
from toolkit.org.models import Member


def _member(schema: str, username: str, name: str) -> None:
    with schema_context(schema):
        Member.objects.create(user=user_create(username=username, password="pw-123456",
                                               full_name=name))


def test_login_works_only_on_the_members_own_company(client, company_a, company_b):
    _member("alpha", "13900000001", "甲张伟")
    _member("beta", "13800000001", "乙李娜")
    on_b = client.post("/login/", {"username": "13900000001", "password": "pw-123456"},
                       HTTP_HOST="beta.localhost")
    assert on_b.status_code == 200  # the form again: no such account on beta
    on_a = client.post("/login/", {"username": "13900000001", "password": "pw-123456"},
                       HTTP_HOST="alpha.localhost")
    assert on_a.status_code == 302


def test_company_home_shows_own_members_name_and_never_the_other_companys(client, company_a,
                                                                          company_b):
    _member("alpha", "13900000001", "甲张伟")
    _member("beta", "13800000001", "乙李娜")
    client.post("/login/", {"username": "13900000001", "password": "pw-123456"},
                HTTP_HOST="alpha.localhost")
    page = client.get("/", HTTP_HOST="alpha.localhost").content.decode()
    assert "甲公司" in page and "甲张伟" in page
    assert "乙李娜" not in page and "乙公司" not in page


def test_a_session_from_one_company_is_not_valid_on_another(client, company_a, company_b):
    _member("alpha", "13900000001", "甲张伟")
    client.post("/login/", {"username": "13900000001", "password": "pw-123456"},
                HTTP_HOST="alpha.localhost")
    # The same cookie jar sent to beta: beta's schema has no such session.
    page = client.get("/", HTTP_HOST="beta.localhost").content.decode()
    assert "甲张伟" not in page
    assert 'href="/login/"' in page


def test_company_user_cannot_reach_staff_pages_on_the_public_site(client, company_a):
    _member("alpha", "13900000001", "甲张伟")
    client.post("/login/", {"username": "13900000001", "password": "pw-123456"},
                HTTP_HOST="alpha.localhost")
    response = client.get("/companies/", HTTP_HOST="localhost")
    assert response.status_code == 302 and "/login/" in response["Location"]
