"""In Chromium: a member claims a task on a phone, submits evidence, the secretary accepts it,
the member's points and rank change, and the member redeems a reward."""

import datetime
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from toolkit.arena.services import task_publish
from toolkit.mall.models import Reward
from toolkit.periods import month_start
from toolkit.points.models import RedemptionRight, RuleCode
from toolkit.points.services import points_award

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login(page, site, username):
    page.goto(site + "/login/")
    page.get_by_label("手机号或用户名").fill(username)
    page.get_by_label("密码").fill("pw-123456")
    page.get_by_role("button", name="登录").click()


def test_task_to_points_to_reward(browser, phone, live_server, make_company, committed_schemas):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=6)
    secretary, me, rival = org.members[0], org.members[2], org.members[4]
    with schema_context("alpha"):
        points_award(member=rival, rule=RuleCode.TASK_ACCEPTED, amount=25)
        task_publish(publisher=org.branches[0], title="组织一次志愿服务", description="社区服务",
                     points=40, places=2, by=secretary.user,
                     deadline=timezone.now() + datetime.timedelta(days=5))
        RedemptionRight.objects.create(member=me, closed_month=month_start(),
                                       valid_month=month_start())
        Reward.objects.create(name="保温杯", cost=30, stock=3)
    site = _url(live_server, "alpha.localhost")

    _login(phone, site, me.user.username)
    expect(phone.locator("#home-balance")).to_have_text("0")
    phone.get_by_role("link", name="擂台", exact=True).click()
    phone.get_by_role("link", name="组织一次志愿服务").click()
    phone.get_by_role("button", name="认领任务").click()
    expect(phone.locator("#claim-status")).to_have_text("已认领")
    phone.get_by_label("完成情况").fill("带领 6 名党员到社区清理小广告")
    phone.locator("input[type=file]").set_input_files(
        files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": PNG}])
    phone.get_by_role("button", name="提交", exact=True).click()
    expect(phone.locator("#claim-status")).to_have_text("待审核")
    shoot(phone, "task-submitted")

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    review = desk.new_page()
    review.set_default_timeout(20_000)
    _login(review, site, secretary.user.username)
    review.goto(site + "/arena/review/")
    expect(review.get_by_text("带领 6 名党员到社区清理小广告")).to_be_visible()
    evidence = review.get_by_role("link", name="现场照片.png")
    expect(evidence).to_be_visible()
    with review.expect_response(lambda r: "/arena/evidence/" in r.url) as shown:
        review.evaluate("url => fetch(url)", evidence.get_attribute("href"))
    assert shown.value.status == 200 and shown.value.headers["content-type"] == "image/png"
    review.get_by_role("button", name="通过（+40 分）").click()
    expect(review.get_by_text("没有待审核的提交。")).to_be_visible()
    desk.close()

    phone.goto(site + "/")
    expect(phone.locator("#home-balance")).to_have_text("40")
    expect(phone.locator("#home-rank")).to_have_text("1")  # past the rival's 25
    phone.get_by_role("link", name="排行", exact=True).click()
    expect(phone.locator("#leaderboard li").first).to_contain_text(me.user.full_name)
    shoot(phone, "leaderboard")

    phone.get_by_role("link", name="商城", exact=True).click()
    phone.get_by_role("button", name="兑换保温杯").click()
    expect(phone.get_by_role("status")).to_contain_text("兑换成功：保温杯")
    expect(phone.locator("#balance")).to_have_text("10")
    shoot(phone, "mall-redeemed")
    with schema_context("alpha"):
        assert Reward.objects.get(name="保温杯").stock == 2
