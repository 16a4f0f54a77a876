"""In Chromium on a phone: a refusal the view lets through (core.middleware.RefusalMiddleware)
comes back as a message on the page the member tapped from."""

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from toolkit.mall.models import Redemption, Reward
from toolkit.periods import month_start
from toolkit.points.models import RedemptionRight, RuleCode
from toolkit.points.services import points_award

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reward_taken_meanwhile_is_refused_on_the_mall(phone, live_server, make_company,
                                                         committed_schemas):
    make_company(name="甲公司", slug="alpha")
    me = build_org("alpha", members=3).members[2]
    with schema_context("alpha"):
        points_award(member=me, rule=RuleCode.TASK_ACCEPTED, amount=50)
        RedemptionRight.objects.create(member=me, closed_month=month_start(),
                                       valid_month=month_start())
        cup = Reward.objects.create(name="保温杯", cost=30, stock=1)
    site = re.sub(r"//[^:/]+", "//alpha.localhost", live_server.url, count=1)
    phone.goto(site + "/login/")
    phone.get_by_label("手机号或用户名").fill(me.user.username)
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    phone.goto(site + "/mall/")
    with schema_context("alpha"):
        Reward.objects.filter(pk=cup.pk).update(stock=0)  # someone else took the last one
    phone.get_by_role("button", name="兑换保温杯").click()
    expect(phone.locator(".flash-error")).to_have_text("此奖品已兑完")
    assert phone.url == site + "/mall/"
    shoot(phone, "refusal-flash-mall")
    with schema_context("alpha"):
        assert not Redemption.objects.exists()
