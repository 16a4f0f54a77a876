"""In Chromium on a phone: the admin deactivates one member (whose login is then refused with
the reason) and resets another's password (who is then held on the change page)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login(page, site, username, password="pw-123456"):
    page.goto(site + "/login/")
    page.get_by_label("手机号或用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def _open_member(page, name):
    page.get_by_role("searchbox").fill(name)
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_admin_deactivates_one_member_and_resets_another(browser, phone, live_server,
                                                         make_company, committed_schemas):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=8)
    leaving, forgetful = org.members[3], org.members[4]
    site = _url(live_server, "alpha.localhost")

    _login(phone, site, "admin")
    phone.get_by_role("link", name="党员管理").click()
    expect(phone.locator("#members article")).to_have_count(8)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the member list is wider than the phone: {width}px"
    shoot(phone, "members-list-phone")

    _open_member(phone, leaving.user.full_name)
    phone.get_by_role("button", name="停用账号").click()
    expect(phone.locator(".flash-success")).to_contain_text("已停用")
    shoot(phone, "member-deactivated")

    phone.get_by_role("link", name="党员名单").click()
    _open_member(phone, forgetful.user.full_name)
    phone.get_by_role("button", name="重置密码").click()
    temporary = phone.locator("#temp-password").inner_text()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}", temporary)
    shoot(phone, "member-temporary-password")
    phone.get_by_role("button", name="完成").click()
    expect(phone.locator("h1 .badge")).to_have_text("待修改密码")
    phone.get_by_role("link", name="全部操作记录").click()
    expect(phone.locator("#audit-entries li").first).to_contain_text("重置密码")
    phone.get_by_role("link", name="看全部").click()
    expect(phone.locator("#audit-entries li")).to_have_count(2)
    shoot(phone, "members-audit")
    phone.get_by_role("button", name="退出").click()

    _login(phone, site, leaving.user.username)
    expect(phone.get_by_role("alert")).to_have_text("账号已停用，请联系管理员。")
    shoot(phone, "login-deactivated")

    _login(phone, site, forgetful.user.username, temporary)
    expect(phone).to_have_url(site + "/account/password/")
    expect(phone.locator("#forced")).to_be_visible()
    phone.goto(site + "/points/")  # any other page leads back
    expect(phone).to_have_url(site + "/account/password/")
    shoot(phone, "password-change-forced")
    phone.get_by_label("旧密码").fill(temporary)
    phone.locator("[name=new_password1]").fill("Hongqi-2026!")
    phone.locator("[name=new_password2]").fill("Hongqi-2026!")
    phone.get_by_role("button", name="保存新密码").click()
    expect(phone.locator(".flash-success")).to_have_text("密码已修改。")
    phone.get_by_role("link", name="排行", exact=True).click()
    expect(phone).to_have_url(re.compile(r"/points/"))
