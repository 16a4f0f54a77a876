"""A member changes their mobile number, proved by a code sent to the new one."""

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from accounts.models import AuditAction, AuditEntry
from tests.accounts.conftest import last_code, texts_to
from tests.toolkit.conftest import login

pytestmark = pytest.mark.django_db
A = "alpha.localhost"
NEW = "13666668888"


def request_change(client, committed, mobile=NEW, password="pw-123456"):
    with committed():
        return client.post("/account/", {"action": "mobile", "mobile": mobile,
                                         "password": password}, HTTP_HOST=A,
                           follow=True)


def confirm(client, code):
    return client.post("/account/", {"action": "confirm", "sms_code": code}, HTTP_HOST=A,
                       follow=True)


def test_member_changes_mobile_and_signs_in_with_the_new_number(client, org_a, committed):
    member = org_a.members[3].user
    old = member.mobile
    login(client, A, member.username)
    page = request_change(client, committed)
    assert "136****8888" in page.content.decode()
    assert texts_to(NEW) and not texts_to(old)  # the code goes to the NEW number
    page = confirm(client, last_code(NEW))
    assert "手机号已更换" in page.content.decode()
    with schema_context("alpha"):
        user = get_user_model().objects.get(pk=member.pk)
    assert user.mobile == NEW and user.username == NEW  # the login name followed
    with schema_context("alpha"):
        entry = AuditEntry.objects.get(target=member, action=AuditAction.MOBILE_CHANGED)
    assert entry.detail == f"{old} → {NEW}"
    client.logout()
    assert client.post("/login/", {"username": NEW, "password": "pw-123456"},
                       HTTP_HOST=A).status_code == 302


def test_a_number_taken_in_the_company_is_a_clear_error(client, org_a, committed):
    member, other = org_a.members[3].user, org_a.members[4].user
    login(client, A, member.username)
    page = request_change(client, committed, other.mobile)
    assert "已被本单位的其他账号使用" in page.content.decode()
    assert texts_to(other.mobile) == []


def test_the_same_number_on_another_company_is_no_obstacle(client, org_a, org_b, committed):
    member = org_a.members[3].user
    login(client, A, member.username)
    request_change(client, committed, org_b.members[4].user.mobile)
    assert texts_to(org_b.members[4].user.mobile)


def test_wrong_code_changes_nothing(client, org_a, committed):
    member = org_a.members[3].user
    login(client, A, member.username)
    request_change(client, committed)
    wrong = f"{(int(last_code(NEW)) + 1) % 10 ** 6:06d}"
    assert "验证码不正确" in confirm(client, wrong).content.decode()
    with schema_context("alpha"):
        assert get_user_model().objects.get(pk=member.pk).mobile == member.mobile


def test_a_login_name_that_is_not_the_number_stays(client, org_a, committed):
    with schema_context("alpha"):
        get_user_model().objects.filter(username="admin").update(mobile="13500000000")
    login(client, A, "admin")
    request_change(client, committed)
    confirm(client, last_code(NEW))
    with schema_context("alpha"):
        admin = get_user_model().objects.get(username="admin")
    assert admin.mobile == NEW


def test_account_page_needs_sign_in(client, org_a):
    response = client.get("/account/", HTTP_HOST=A)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_signed_in_phone_alone_cannot_move_the_account(client, org_a, committed):
    """Someone holding a signed-in session (a phone left unlocked) but not the password gets no
    code sent, and after five tries is stopped for the hour even with the right password."""
    member = org_a.members[3].user
    login(client, A, member.username)
    page = request_change(client, committed, password="not-it")
    assert "当前密码不正确" in page.content.decode() and not texts_to(NEW)
    for _ in range(4):
        request_change(client, committed, password="not-it")
    page = request_change(client, committed)
    assert "密码错误次数过多" in page.content.decode() and not texts_to(NEW)
