"""In Chromium, phone size: a vanguard quarter runs — the member's self-assessment, the branch
secretary's review with an adjustment, the committee's confirmation, and the stars shown on
the member's page and home."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from toolkit.indices.models import MemberIndex
from toolkit.indices.services import index_review, index_self_assess, quarter_open
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login(page, site, username):
    page.context.clear_cookies()
    page.goto(site + "/login/")
    page.get_by_label("手机号或用户名").fill(username)
    page.get_by_label("密码").fill("pw-123456")
    page.get_by_role("button", name="登录").click()


def test_a_quarter_runs_on_a_phone(phone, live_server, make_company, committed_schemas):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=2, branches=1)
    secretary, me = org.members
    with schema_context("alpha"):
        when = timezone.make_aware(datetime.datetime(2026, 5, 12, 10))
        points_award(member=me, rule=RuleCode.TASK_ACCEPTED, amount=30, at=when)
        quarter = quarter_open(start=datetime.date(2026, 4, 1))
        # The secretary's own index goes its way beside (reviewed by the admin, not by them).
        own = MemberIndex.objects.get(quarter=quarter, member=secretary)
        index_self_assess(result=own, member=secretary, text="书记自评")
        index_review(result=own, by=org.admin, adjustment=Decimal(0), reason="")
    site = _url(live_server, "alpha.localhost")

    _login(phone, site, me.user.username)
    expect(phone.locator("#home-owed")).to_contain_text("先锋指数自评")
    expect(phone.locator("#home-owed")).to_contain_text(f"{quarter.self_deadline:%Y-%m-%d}")
    phone.locator("#home-owed").get_by_role("link", name="先锋指数自评").click()
    expect(phone.locator("#my-draft")).to_have_text("30.00")
    phone.get_by_label("自评").fill("本季度完成志愿服务任务。")
    phone.locator("#self-submit").click()
    expect(phone.locator("#my-step")).to_have_text("待支部审核")
    shoot(phone, "indices-self-assessed")

    _login(phone, site, secretary.user.username)
    phone.locator("#home-owed").get_by_role("link", name="先锋指数支部审核").click()
    item = phone.locator("article.review-item")
    expect(item).to_contain_text("本季度完成志愿服务任务。")
    item.get_by_label("调整分（可为负）").fill("5")
    item.get_by_label("调整理由").fill("带头服务")
    item.get_by_role("button", name="审核通过").click()
    expect(phone.get_by_text("没有待审核的先锋指数。")).to_be_visible()

    _login(phone, site, "admin")
    phone.locator("#home-owed").get_by_role("link", name="先锋指数党委确认").click()
    phone.locator("#confirm-submit").click()
    expect(phone.get_by_text("没有待确认的先锋指数。")).to_be_visible()
    phone.locator("#stars-name").click()
    expect(phone.locator("#stars")).to_contain_text(me.user.full_name)
    shoot(phone, "indices-stars")

    _login(phone, site, me.user.username)
    expect(phone.locator("#home-star")).to_contain_text("2026Q2")
    phone.goto(site + "/indices/")
    expect(phone.locator("#my-final")).to_have_text("35.00")
    expect(phone.locator("#my-stars")).to_contain_text("2026Q2")
    # Phone first: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
