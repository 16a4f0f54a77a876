"""Staff invite (and re-invite) the admin of any company from its page, including one they
made directly, which has no applicant."""

from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.services import user_create
from onboarding.models import CompanyEvent, CompanyProgress, EventKind

HOST = "localhost"


def _invite(client, company, **data):
    fields = {"full_name": "孙立平", "mobile": "13655556666", "email": "sun@example.cn"}
    fields.update(data)
    response = client.post(f"/companies/{company.pk}/admin-invite/", fields, HTTP_HOST=HOST)
    connection.set_schema_to_public()
    return response


def _token(message) -> str:
    return message.body.split("/invite/")[1].split("/")[0]


def _accept(client, slug, token, password="Sunliping-2026!"):
    response = client.post(f"/invite/{token}/", {"new_password1": password,
                                                 "new_password2": password},
                           HTTP_HOST=f"{slug}.localhost")
    connection.set_schema_to_public()
    return response


def test_staff_invite_the_admin_of_a_company_they_made(staff_client, make_company, committed):
    company = make_company(name="云帆科技", slug="yunfan")  # made by staff: no application
    page = staff_client.get(f"/companies/{company.pk}/", HTTP_HOST=HOST).content.decode()
    assert 'id="admin-invite"' in page and "尚未邀请管理员" in page

    with committed():
        response = _invite(staff_client, company)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["sun@example.cn"] and "http://yunfan.localhost/invite/" in message.body
    event = CompanyEvent.objects.get(company=company, kind=EventKind.ADMIN_INVITED)
    page = staff_client.get(f"/companies/{company.pk}/", HTTP_HOST=HOST).content.decode()
    assert "已邀请，尚未设置密码" in page and "sun@example.cn" in page
    assert event.created_at.astimezone().strftime("%Y-") in page

    visitor = staff_client.__class__()
    assert _accept(visitor, "yunfan", _token(message)).status_code == 302
    assert visitor.get("/setup/", HTTP_HOST="yunfan.localhost").status_code == 200
    visitor.logout()
    signed_in = visitor.post("/login/", {"username": "admin", "password": "Sunliping-2026!"},
                             HTTP_HOST="yunfan.localhost")
    assert signed_in.status_code == 302
    connection.set_schema_to_public()
    assert CompanyProgress.objects.get(company=company).admin_joined
    assert CompanyEvent.objects.filter(company=company, kind=EventKind.ADMIN_JOINED).exists()
    page = staff_client.get(f"/companies/{company.pk}/", HTTP_HOST=HOST).content.decode()
    assert "管理员已加入" in page and "重新发送邀请" not in page
    mail.outbox.clear()
    with committed():  # once joined, nobody is invited again
        _invite(staff_client, company, email="other@example.cn")
    assert mail.outbox == []


def test_reinviting_replaces_the_address_and_kills_the_old_link(staff_client, make_company,
                                                                  committed):
    company = make_company(name="云帆科技", slug="yunfan")
    with committed():
        _invite(staff_client, company, email="wrong@example.cn")
    old_token = _token(mail.outbox[0])
    mail.outbox.clear()
    with committed():
        response = _invite(staff_client, company, full_name="钱晓东", mobile="13577778888",
                           email="qian@example.cn")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["qian@example.cn"]
    with schema_context("yunfan"):
        admin = User.objects.get(role=Role.COMPANY_ADMIN)
        assert (admin.full_name, admin.email, admin.mobile) == (
            "钱晓东", "qian@example.cn", "13577778888")
        assert User.objects.count() == 1
    visitor = staff_client.__class__()
    assert _accept(visitor, "yunfan", old_token).status_code == 410
    assert _accept(visitor, "yunfan", _token(message)).status_code == 302
    assert CompanyEvent.objects.filter(company=company, kind=EventKind.ADMIN_INVITED).count() == 2


def test_bad_details_are_refused_on_the_form_and_nothing_is_sent(staff_client, make_company,
                                                                 committed):
    company = make_company(name="云帆科技", slug="yunfan")
    with committed():
        response = _invite(staff_client, company, mobile="12345", email="not-an-address")
    assert response.status_code == 400
    page = response.content.decode()
    assert "11 位中国大陆手机号" in page and "有效的 Email 地址" in page
    assert mail.outbox == []
    with schema_context("yunfan"):
        assert not User.objects.exists()


def test_only_staff_may_invite(client, make_company, committed, public_tenant):
    company = make_company(name="云帆科技", slug="yunfan")
    user_create(username="trainer1", password="pw-123456", full_name="培训师", role=Role.TRAINER)
    client.post("/login/", {"username": "trainer1", "password": "pw-123456"}, HTTP_HOST=HOST)
    with committed():
        assert _invite(client, company).status_code == 403
    assert client.get(f"/companies/{company.pk}/", HTTP_HOST=HOST).status_code == 403
    assert mail.outbox == []
    client.logout()
    anonymous = _invite(client, company)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    with schema_context("yunfan"):
        assert not User.objects.exists()


def test_a_company_admin_cannot_invite_from_their_own_site(client, make_company, committed):
    company = make_company(name="云帆科技", slug="yunfan")
    with schema_context("yunfan"):
        user_create(username="admin", password="pw-123456", full_name="管理员",
                    role=Role.COMPANY_ADMIN)
    client.post("/login/", {"username": "admin", "password": "pw-123456"},
                HTTP_HOST="yunfan.localhost")
    response = client.post(f"/companies/{company.pk}/admin-invite/",
                           {"full_name": "x", "mobile": "13655556666", "email": "x@example.cn"},
                           HTTP_HOST="yunfan.localhost")
    assert response.status_code == 404  # the staff pages do not exist on a company's host


def test_a_mobile_already_used_in_the_company_is_refused(staff_client, make_company, committed):
    company = make_company(name="云帆科技", slug="yunfan")
    with schema_context("yunfan"):
        user_create(username="13655556666", mobile="13655556666", password="pw-123456",
                    full_name="已有党员")
    with committed():
        response = _invite(staff_client, company, mobile="13655556666")
    assert response.status_code == 400 and "已被本公司的其他账号使用" in response.content.decode()
    assert mail.outbox == []
    with schema_context("yunfan"):
        assert not User.objects.filter(role=Role.COMPANY_ADMIN).exists()


def test_sending_again_to_the_same_admin_kills_the_old_link(staff_client, make_company,
                                                            committed):
    company = make_company(name="云帆科技", slug="yunfan")
    again = f"/companies/{company.pk}/admin-invite/again/"
    with committed():  # nobody invited yet: nothing to send again
        response = staff_client.post(again, HTTP_HOST=HOST, follow=True)
    assert "没有待接受的管理员邀请" in response.content.decode() and mail.outbox == []
    with committed():
        _invite(staff_client, company)
    old_token = _token(mail.outbox[0])
    page = staff_client.get(f"/companies/{company.pk}/", HTTP_HOST=HOST).content.decode()
    assert "重新发送邀请" in page
    mail.outbox.clear()
    with committed():
        assert staff_client.post(again, HTTP_HOST=HOST).status_code == 302
    connection.set_schema_to_public()
    [message] = mail.outbox
    assert message.to == ["sun@example.cn"] and "孙立平" in message.body
    visitor = staff_client.__class__()
    assert _accept(visitor, "yunfan", old_token).status_code == 410
    assert _accept(visitor, "yunfan", _token(message)).status_code == 302
