"""In Chromium, phone size: staff sponsor a whole batch from its page (the batch's dates
filled in), then raise a plan's member limit on the plan page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from accounts.services import user_create
from billing.models import Plan, SponsoredPeriod, SponsorKind
from onboarding import services as onboarding_services
from tests.billing.helpers import plan_of
from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def test_staff_sponsor_a_batch_and_edit_a_plan_on_a_phone(phone, live_server, make_company,
                                                          committed_schemas):
    alpha = make_company(name="甲公司", slug="alpha")
    beta = make_company(name="乙公司", slug="beta")
    today = timezone.localdate()
    batch = onboarding_services.batch_create(name="第一期", starts_on=today,
                                             ends_on=today.replace(year=today.year + 1))
    onboarding_services.batch_enrol(batch=batch, company=alpha)
    onboarding_services.batch_enrol(batch=batch, company=beta)
    standard = plan_of("standard")
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    site = _url(live_server, "localhost")
    phone.goto(site + "/login/")
    phone.get_by_label("用户名").fill("staff1")
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    phone.goto(site + f"/batches/{batch.pk}/")
    sponsor = phone.locator("#sponsor-batch")
    expect(sponsor.locator("input[name=ends_on]")).to_have_value(f"{batch.ends_on:%Y-%m-%d}")
    sponsor.locator("#sponsor-batch-submit").click()
    expect(phone.locator(".flash-success")).to_contain_text("2 家公司")
    shoot(phone, "billing-sponsor-batch")
    assert SponsoredPeriod.objects.filter(kind=SponsorKind.SPONSORED,
                                          ends_on=batch.ends_on).count() == 2
    phone.goto(site + "/billing/plans/")
    phone.locator("tr[data-plan=standard] a").click()
    phone.get_by_label("党员上限").fill("1500")
    phone.locator("#plan-form button[type=submit]").click()
    expect(phone.locator(".flash-success")).to_contain_text("标准版")
    expect(phone.locator("tr[data-plan=standard]")).to_contain_text("1500")
    shoot(phone, "billing-staff-plans")
    assert Plan.objects.get(pk=standard.pk).member_limit == 1500


def test_staff_see_a_stopped_price_roll_and_retry_it_on_a_phone(phone, live_server, make_company,
                                                                committed_schemas):
    from billing import local, services
    from billing.models import PriceRoll

    alpha = make_company(name="甲公司", slug="alpha")
    standard = plan_of("standard")
    local.checkout_complete(company=alpha, price=services.price_ensure(
        plan=standard, interval="month"), pay=True)
    services.plan_prices_roll_start(plan=standard)  # queued to the sandbox: nothing runs it
    PriceRoll.objects.filter(plan=standard).update(
        state="failed", total=40, checked=12, moved=11,
        error="乙公司（sub_1QxYz）：Request req_8fK2: Stripe is temporarily unavailable")
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    site = _url(live_server, "localhost")
    phone.goto(site + "/login/")
    phone.get_by_label("用户名").fill("staff1")
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    phone.goto(site + "/billing/plans/")
    expect(phone.locator("tr[data-plan=standard] [data-roll=failed]")).to_contain_text("12/40")
    phone.locator("tr[data-plan=standard] a").click()
    roll = phone.locator("#price-roll")
    expect(roll.locator("#roll-progress")).to_contain_text("已调整 12/40 个订阅")
    expect(roll.locator("#roll-error")).to_contain_text("调整中断：乙公司")
    shoot(phone, "billing-price-roll-failed")
    roll.locator("#roll-retry").click()
    expect(phone.locator(".flash-success")).to_contain_text("已重新开始调整价格")
    expect(phone.locator("#roll-state")).to_have_text("排队中")
    expect(phone.locator("#roll-retry")).to_have_count(0)
    shoot(phone, "billing-price-roll-retried")
    assert PriceRoll.objects.get(plan=standard).state == "queued"
