"""In Chromium, phone size: the admin chooses a plan, pays on the local checkout, comes back
active, opens the portal page, cancels, and sees the end date."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from billing.entitlements import account_for
from tenants.models import Company
from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def test_admin_subscribes_and_cancels_on_a_phone(phone, live_server, make_company,
                                                 committed_schemas):
    make_company(name="甲公司", slug="alpha")
    build_org("alpha", members=2, branches=1)
    site = _url(live_server, "alpha.localhost")
    phone.goto(site + "/login/")
    phone.get_by_label("手机号或用户名").fill("admin")
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    phone.goto(site + "/billing/")
    expect(phone.locator("#billing-status")).to_contain_text("试用中")
    # 1. chooses a plan
    phone.locator("button[data-plan=standard]").click()
    # 2. pays on the local checkout
    expect(phone.get_by_role("heading", name="本地结账")).to_be_visible()
    shoot(phone, "billing-local-checkout")
    phone.locator("#pay").click()
    # 3. back, active
    expect(phone.locator("#billing-status")).to_have_attribute("data-status", "active")
    expect(phone.locator("#billing-status")).to_contain_text("已订阅")
    shoot(phone, "billing-active")
    # 4. the portal page
    phone.locator("#portal").click()
    expect(phone.get_by_role("heading", name="管理订阅")).to_be_visible()
    # 5. cancels
    phone.locator("#cancel").click()
    # 6. sees the end date
    end = account_for(Company.objects.get(schema_name="alpha")).current_period_end
    expect(phone.locator(".cancel-note")).to_contain_text(
        timezone.localtime(end).strftime("%Y-%m-%d"))
    phone.locator("#back").click()
    expect(phone.locator(".cancel-note")).to_contain_text("到期取消")
    shoot(phone, "billing-canceling")
