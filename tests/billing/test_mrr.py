"""Monthly recurring revenue counts what each subscription pays (the price it bought or last
renewed at), not its plan's list price: staff's new price counts from each company's renewal,
and a subscription left on its old price keeps counting that. The page and the staff API agree."""

import re
from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_create
from billing import local, services
from billing.entitlements import account_for
from billing.gateway import gateway
from billing.models import BillingAccount
from billing.sync import account_sync
from tests.billing.helpers import plan_of
from tests.toolkit.conftest import login

STAFF = "localhost"
GB = 1024 ** 3


def _staff(client):
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    login(client, STAFF, "staff1")


def _mrr(client) -> int:
    """The figure on staff's overview page, checked against the staff API's; in fen."""
    page = client.get("/billing/", HTTP_HOST=STAFF).content.decode()
    shown = re.search(r'<span id="mrr">([\d.]+)</span>', page).group(1)
    api = client.get("/api/v1/staff/billing/", HTTP_HOST=STAFF).json()["mrr_fen"]
    connection.set_schema_to_public()
    assert round(float(shown) * 100) == api
    return api


def _price_post(client, plan, *, month: str, year: str, public: bool = True):
    data = {"code": plan.code, "name": plan.name, "price_month": month, "price_year": year,
            "member_limit": str(plan.member_limit), "storage_quota_gb": "20",
            "features": plan.features, "sort": str(plan.sort)}
    if public:
        data["is_public"] = "on"
    response = client.post(f"/billing/plans/{plan.pk}/", data, HTTP_HOST=STAFF)
    assert response.status_code == 302
    return response


def _renewal(company) -> BillingAccount:
    """A new period began on Stripe (localstripe has no clock): read by the sync's path, as a
    webhook's read would, with the account's terms dated a period back."""
    account = BillingAccount.objects.get(company=company)
    BillingAccount.objects.filter(pk=account.pk).update(
        terms_period_start=timezone.now() - timedelta(days=31))
    account = BillingAccount.objects.get(pk=account.pk)
    account_sync(account=account)
    return BillingAccount.objects.get(pk=account.pk)


def test_mrr_counts_the_old_price_until_each_renewal(
        client, company_a, company_b, tasks_run_here, django_capture_on_commit_callbacks):
    standard = plan_of("standard")
    local.checkout_complete(company=company_a, price=services.price_ensure(
        plan=standard, interval="month"), pay=True)
    local.checkout_complete(company=company_b, price=services.price_ensure(
        plan=standard, interval="year"), pay=True)
    assert account_for(company_a).price_fen == 99900
    assert account_for(company_b).price_fen == 999000
    _staff(client)
    before = 99900 + 999000 // 12
    assert _mrr(client) == before
    with django_capture_on_commit_callbacks(execute=True):
        _price_post(client, standard, month="1299.00", year="12990.00")
    # both subscriptions are on the new prices on Stripe, to be paid from their renewal
    a = BillingAccount.objects.get(company=company_a)
    assert gateway().subscription_state(a.stripe_subscription_id).price_id == \
        standard.stripe_prices.get(interval="month", amount_fen=129900).stripe_id
    assert standard.price_roll.moved == 2
    assert _mrr(client) == before
    account_sync(account=a)  # a webhook's read of Stripe in the same period changes nothing
    assert BillingAccount.objects.get(pk=a.pk).price_fen == 99900
    assert _mrr(client) == before
    # A's renewal: A pays the new price from now; B (yearly) has not renewed
    assert _renewal(company_a).price_fen == 129900
    assert _mrr(client) == 129900 + 999000 // 12
    accounts = client.get("/api/v1/staff/billing/accounts/", HTTP_HOST=STAFF).json()
    connection.set_schema_to_public()
    assert {a["company"]: (a["interval"], a["price_fen"]) for a in accounts} == {
        "甲公司": ("month", 129900), "乙公司": ("year", 999000)}
    assert _renewal(company_b).price_fen == 1299000
    assert _mrr(client) == 129900 + 1299000 // 12


def test_a_subscription_that_did_not_move_counts_what_it_still_pays(
        client, company_a, tasks_run_here, django_capture_on_commit_callbacks):
    """The plan withdrawn from sale as its price rises: nothing moves, so at its renewal the
    company still pays (and the overview still counts) the old price."""
    standard = plan_of("standard")
    local.checkout_complete(company=company_a, price=services.price_ensure(
        plan=standard, interval="month"), pay=True)
    _staff(client)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        _price_post(client, standard, month="1299.00", year="12990.00", public=False)
    assert queued == []  # withdrawn: no roll
    standard.refresh_from_db()
    assert standard.price_month_fen == 129900 and not standard.is_public
    assert _renewal(company_a).price_fen == 99900
    assert _mrr(client) == 99900


def test_the_migration_fills_what_existing_subscriptions_pay(company_a, company_b):
    """Rows from before the field: a subscription's plan's price at its interval; an account
    with no subscription pays nothing."""
    fill = import_module("billing.migrations.0005_price_fen_price_roll").price_fen_fill
    standard = plan_of("standard")
    a, b = account_for(company_a), account_for(company_b)
    BillingAccount.objects.filter(pk=a.pk).update(plan=standard, interval="year",
                                                  stripe_subscription_id="sub_old")
    fill(apps, None)
    assert BillingAccount.objects.get(pk=a.pk).price_fen == 999000
    assert BillingAccount.objects.get(pk=b.pk).price_fen == 0
