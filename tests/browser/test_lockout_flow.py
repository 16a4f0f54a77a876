"""In Chromium: a phone that keeps typing the wrong password is locked out with a Chinese page
that says when to retry; the company admin lifts the lockout and the member logs in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.browser.safety import watching
from tests.toolkit.conftest import build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _try(page, site, username, password):
    page.goto(site + "/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_locked_out_member_is_unlocked_by_the_admin(browser, phone, live_server, make_company,
                                                   committed_schemas, settings):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=3)
    member = org.members[1].user
    site = _url(live_server, "alpha.localhost")
    watch, stop = watching()
    watch.attach(phone)
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    admin = desk.new_page()
    watch.attach(admin)
    try:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _try(phone, site, member.username, "not-my-password")
        _try(phone, site, member.username, "pw-123456")
        expect(phone.get_by_role("alert")).to_contain_text("之后再试")
        shoot(phone, "login-locked-out")

        _try(admin, site, "admin", "pw-123456")
        admin.goto(site + "/security/lockouts/")
        expect(admin.locator("#lockouts")).to_contain_text(member.full_name)
        shoot(admin, "lockouts-admin")
        admin.get_by_role("button", name="解锁").click()
        expect(admin.get_by_role("status")).to_contain_text("已解除")

        _try(phone, site, member.username, "pw-123456")
        expect(phone.get_by_role("heading", name=f"您好，{member.full_name}")).to_be_visible()
    finally:
        stop()
        desk.close()
    assert watch.problems() == []
