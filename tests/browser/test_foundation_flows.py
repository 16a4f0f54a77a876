"""In Debian's Chromium at a phone's size, against a live server on loopback."""

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from accounts.models import Role
from accounts.services import user_create
from tests.browser.conftest import shoot
from toolkit.org.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _host_url(live_server, host: str) -> str:
    return live_server.url.replace("localhost", host).replace("127.0.0.1", host)


def test_member_logs_in_on_a_phone_and_switches_language(phone, live_server, make_company,
                                                         committed_schemas):
    make_company(name="甲公司", slug="alpha")
    make_company(name="乙公司", slug="beta")
    with schema_context("alpha"):
        Member.objects.create(user=user_create(username="13900000001", password="pw-123456",
                                               full_name="张伟"))
    alpha = _host_url(live_server, "alpha.localhost")
    phone.goto(alpha + "/")
    expect(phone.locator("h1")).to_have_text("甲公司")
    phone.get_by_role("link", name="登录").first.click()
    phone.get_by_label("手机号或用户名").fill("13900000001")
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", name="您好，张伟")).to_be_visible()
    shoot(phone, "company-home-zh")

    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", name="Hello, 张伟")).to_be_visible()
    expect(phone.get_by_role("button", name="Log out")).to_be_visible()
    shoot(phone, "company-home-en")

    # The same phone on another company's site (its cookies, the language one too, stay with
    # alpha): not logged in, and alpha's account does not exist there.
    phone.goto(_host_url(live_server, "beta.localhost") + "/login/")
    phone.get_by_label("手机号或用户名").fill("13900000001")
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("alert")).to_be_visible()
    expect(phone.locator("body")).not_to_contain_text("张伟")


@pytest.mark.worker
def test_staff_create_a_company_and_watch_it_go_live(phone, live_server, celery_worker,
                                                     public_tenant, committed_schemas):
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    public = _host_url(live_server, "localhost")
    phone.goto(public + "/login/")
    phone.get_by_label("用户名").fill("staff1")
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    phone.goto(public + "/companies/")
    phone.get_by_label("公司名称").fill("新星科技")
    phone.get_by_label("子域名").fill("www")
    phone.get_by_role("button", name="创建并开通").click()
    expect(phone.get_by_role("alert")).to_contain_text("系统保留")
    shoot(phone, "company-create-error")
    phone.get_by_label("子域名").fill("xinxing")
    phone.get_by_role("button", name="创建并开通").click()
    expect(phone.locator("#status")).to_have_text("运行中", timeout=60_000)
    expect(phone.locator("#bar")).to_have_attribute("value", "100")
    shoot(phone, "company-provisioned")
    phone.get_by_role("link", name=re.compile(r"xinxing\.localhost")).click()
    expect(phone.locator("h1")).to_have_text("新星科技")
