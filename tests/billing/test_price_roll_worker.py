"""In a real Celery worker: staff's new price, saved on the plan's page, is rolled onto the live
subscriptions by the worker after the save commits, with its progress on the page; a failure
half way shows there with a retry, and the retry finishes only the rest."""

import pytest

from accounts.models import Role
from accounts.services import user_create
from billing import local, services
from billing.gateway import gateway
from billing.models import BillingAccount, PriceRoll, WebhookEvent
from tests.billing.helpers import plan_of
from tests.toolkit.conftest import login
from tests.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

STAFF = "localhost"


def _subscribed(plan, *companies) -> list[BillingAccount]:
    price = services.price_ensure(plan=plan, interval="month")
    for company in companies:
        assert local.checkout_complete(company=company, price=price, pay=True)
    # the worker has applied the checkouts' webhooks (they read Stripe again): settled
    wait_for(lambda: not WebhookEvent.objects.filter(processed_at__isnull=True).exists(),
             timeout=60)
    return [BillingAccount.objects.get(company=c) for c in companies]


def _form(plan, month: str) -> dict:
    return {"code": plan.code, "name": plan.name, "price_month": month, "price_year": "9990.00",
            "member_limit": str(plan.member_limit), "storage_quota_gb": "20",
            "features": plan.features, "is_public": "on", "sort": str(plan.sort)}


def _on_price(account, plan, amount_fen: int) -> bool:
    price = plan.stripe_prices.filter(interval="month", amount_fen=amount_fen).first()
    return price is not None and gateway().subscription_state(
        account.stripe_subscription_id).price_id == price.stripe_id


def _settled(plan) -> PriceRoll:
    return wait_for(lambda: PriceRoll.objects.filter(plan=plan, state__in=("done", "failed"))
                    .first(), timeout=60)


def _staff(client):
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    login(client, STAFF, "staff1")


def test_the_worker_rolls_a_new_price_with_progress_on_the_page(
        client, make_company, committed_schemas, celery_worker, settings):
    settings.STRIPE_WEBHOOK_DELAY = 0
    standard = plan_of("standard")
    a, b = _subscribed(standard, make_company(name="甲公司", slug="alpha"),
                       make_company(name="乙公司", slug="beta"))
    _staff(client)
    response = client.post(f"/billing/plans/{standard.pk}/", _form(standard, "1299"),
                           HTTP_HOST=STAFF)
    assert response.status_code == 302 and response.url == f"/billing/plans/{standard.pk}/"
    roll = _settled(standard)
    assert (roll.state, roll.checked, roll.total, roll.moved) == ("done", 2, 2, 2)
    assert _on_price(a, standard, 129900) and _on_price(b, standard, 129900)
    page = client.get(response.url, HTTP_HOST=STAFF).content.decode()
    assert "已调整 2/2 个订阅" in page and "其中 2 个改为新价格" in page
    assert 'id="roll-retry"' not in page
    # what each pays is unchanged until its renewal
    assert BillingAccount.objects.get(pk=a.pk).price_fen == 99900


def test_a_failure_half_way_shows_on_the_page_and_a_retry_finishes_only_the_rest(
        client, make_company, committed_schemas, celery_worker, settings):
    settings.STRIPE_WEBHOOK_DELAY = 0
    standard = plan_of("standard")
    a, b, c = _subscribed(standard, make_company(name="甲公司", slug="alpha"),
                          make_company(name="乙公司", slug="beta"),
                          make_company(name="丙公司", slug="gamma"))
    # B's subscription is one Stripe does not know (refused at once: no retries)
    BillingAccount.objects.filter(pk=b.pk).update(stripe_subscription_id="sub_gone")
    _staff(client)
    client.post(f"/billing/plans/{standard.pk}/", _form(standard, "1299"), HTTP_HOST=STAFF)
    roll = _settled(standard)
    assert (roll.state, roll.checked, roll.total, roll.moved) == ("failed", 1, 3, 1)
    page = client.get(f"/billing/plans/{standard.pk}/", HTTP_HOST=STAFF).content.decode()
    assert "已调整 1/3 个订阅" in page and "调整中断：乙公司（sub_gone）" in page
    assert 'id="roll-retry"' in page
    assert _on_price(a, standard, 129900) and not _on_price(c, standard, 129900)
    # B is put right; A made unreadable, to show the retry does not touch it again
    BillingAccount.objects.filter(pk=b.pk).update(stripe_subscription_id=b.stripe_subscription_id)
    BillingAccount.objects.filter(pk=a.pk).update(stripe_subscription_id="sub_not_again")
    response = client.post(f"/billing/plans/{standard.pk}/roll/retry/", HTTP_HOST=STAFF,
                           follow=True)
    assert "已重新开始调整价格" in response.content.decode()
    roll = _settled(standard)
    assert (roll.state, roll.checked, roll.total, roll.moved, roll.error) == (
        "done", 3, 3, 3, "")
    assert _on_price(a, standard, 129900)  # moved by the first run, by its real id
    assert _on_price(b, standard, 129900) and _on_price(c, standard, 129900)
    page = client.get(f"/billing/plans/{standard.pk}/", HTTP_HOST=STAFF).content.decode()
    assert "已调整 3/3 个订阅" in page and 'id="roll-retry"' not in page
