"""Staff's new price reaches the live subscriptions through a task (billing.tasks.
plan_prices_roll_task), run here in this process after the save commits (tests/billing/
test_price_roll_worker.py runs it in a real worker): retried on Stripe errors it may outlast,
stopped at once on one Stripe refuses, its progress kept in the public schema and shown on the
plan's page, and a retry goes on after the last subscription done. Only staff see or start it."""

from collections import Counter

import pytest
import stripe
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_create
from billing import local, selectors, services
from billing.gateway import Gateway, gateway
from billing.models import BillingAccount, PriceRoll
from billing.tasks import MAX_RETRIES
from core.errors import Refused
from tests.billing.conftest import login_admin
from tests.billing.helpers import plan_of
from tests.toolkit.conftest import login

STAFF = "localhost"
GB = 1024 ** 3


def _subscribed(plan, *companies):
    price = services.price_ensure(plan=plan, interval="month")
    for company in companies:
        assert local.checkout_complete(company=company, price=price, pay=True)
    return [BillingAccount.objects.get(company=c) for c in companies]


def _reprice(plan, month_fen: int):
    return services.plan_edit(plan=plan, code=plan.code, name=plan.name,
                              price_month_fen=month_fen, price_year_fen=plan.price_year_fen,
                              member_limit=plan.member_limit,
                              storage_quota_bytes=plan.storage_quota_bytes,
                              features=plan.features, is_public=True)


def _on_price(account, plan, amount_fen: int) -> bool:
    price = plan.stripe_prices.filter(interval="month", amount_fen=amount_fen).first()
    return price is not None and gateway().subscription_state(
        account.stripe_subscription_id).price_id == price.stripe_id


@pytest.fixture
def reads(monkeypatch):
    """Counts Stripe reads of each subscription by the roll."""
    counted = Counter()
    real = Gateway.subscription_state

    def counting(self, subscription_id, **kwargs):
        counted[subscription_id] += 1
        return real(self, subscription_id, **kwargs)

    monkeypatch.setattr(Gateway, "subscription_state", counting)
    return counted


def test_a_stripe_error_is_retried_and_the_roll_finishes(
        company_a, company_b, tasks_run_here, django_capture_on_commit_callbacks, monkeypatch):
    standard = plan_of("standard")
    a, b = _subscribed(standard, company_a, company_b)
    real = Gateway.subscription_price_roll
    calls = []

    def flaky(self, subscription_id, price_id):
        calls.append(subscription_id)
        if len(calls) == 2:  # B's, the first time: Stripe did not answer
            raise stripe.APIConnectionError("connection reset")
        return real(self, subscription_id, price_id)

    monkeypatch.setattr(Gateway, "subscription_price_roll", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        _plan, started = _reprice(standard, 129900)
    assert started.state == "queued" and started.total == 2
    roll = PriceRoll.objects.get(plan=standard)
    assert (roll.state, roll.checked, roll.total, roll.moved, roll.attempts) == (
        "done", 2, 2, 2, 1)
    assert calls == [a.stripe_subscription_id, b.stripe_subscription_id,
                     b.stripe_subscription_id]  # A was not moved twice
    assert _on_price(a, standard, 129900) and _on_price(b, standard, 129900)


def test_a_failure_half_way_shows_on_the_page_and_a_retry_finishes_only_the_rest(
        client, company_a, company_b, make_company, tasks_run_here,
        django_capture_on_commit_callbacks, monkeypatch, reads):
    standard = plan_of("standard")
    c_company = make_company(name="丙公司", slug="gamma")
    a, b, c = _subscribed(standard, company_a, company_b, c_company)
    real = Gateway.subscription_price_roll

    def down_at_b(self, subscription_id, price_id):
        if subscription_id == b.stripe_subscription_id:
            raise stripe.APIConnectionError("Stripe is down")
        return real(self, subscription_id, price_id)

    monkeypatch.setattr(Gateway, "subscription_price_roll", down_at_b)
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    login(client, STAFF, "staff1")
    with django_capture_on_commit_callbacks(execute=True):
        _reprice(standard, 129900)
    roll = PriceRoll.objects.get(plan=standard)
    assert (roll.state, roll.checked, roll.total, roll.moved) == ("failed", 1, 3, 1)
    assert roll.attempts == MAX_RETRIES and "乙公司" in roll.error
    page = client.get(f"/billing/plans/{standard.pk}/", HTTP_HOST=STAFF).content.decode()
    assert "已调整 1/3 个订阅" in page and "调整中断：乙公司（" in page
    assert 'id="roll-retry"' in page
    listing = client.get("/billing/plans/", HTTP_HOST=STAFF).content.decode()
    assert 'data-roll="failed"' in listing and "1/3" in listing
    assert _on_price(a, standard, 129900) and not _on_price(b, standard, 129900)
    # Stripe is back; staff retry: B and C move, A is not even read again
    monkeypatch.setattr(Gateway, "subscription_price_roll", real)
    reads.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/billing/plans/{standard.pk}/roll/retry/", HTTP_HOST=STAFF)
    assert response.status_code == 302
    roll.refresh_from_db()
    assert (roll.state, roll.checked, roll.total, roll.moved) == ("done", 3, 3, 3)
    assert set(reads) == {b.stripe_subscription_id, c.stripe_subscription_id}
    assert all(_on_price(x, standard, 129900) for x in (a, b, c))
    page = client.get(f"/billing/plans/{standard.pk}/", HTTP_HOST=STAFF).content.decode()
    assert "已调整 3/3 个订阅" in page and 'id="roll-retry"' not in page
    # a finished roll is not retried
    with pytest.raises(Refused) as refused:
        services.plan_prices_roll_retry(plan=standard)
    assert refused.value.code == "price_roll_not_stopped"


def test_a_subscription_stripe_does_not_know_stops_the_roll_without_retries(
        company_a, company_b, tasks_run_here, django_capture_on_commit_callbacks):
    standard = plan_of("standard")
    a, b = _subscribed(standard, company_a, company_b)
    BillingAccount.objects.filter(pk=a.pk).update(stripe_subscription_id="sub_unknown")
    with django_capture_on_commit_callbacks(execute=True):
        _reprice(standard, 129900)
    roll = PriceRoll.objects.get(plan=standard)
    assert (roll.state, roll.checked, roll.moved, roll.attempts) == ("failed", 0, 0, 0)
    assert roll.error.startswith("甲公司（sub_unknown）：")
    assert not _on_price(b, standard, 129900)


def test_a_newer_run_replaces_an_older_one_and_nothing_moves_twice(
        company_a, company_b, tasks_run_here, django_capture_on_commit_callbacks, reads):
    standard = plan_of("standard")
    a, b = _subscribed(standard, company_a, company_b)
    with django_capture_on_commit_callbacks() as first:  # queued, not yet run
        _reprice(standard, 129900)
    standard.refresh_from_db()
    with django_capture_on_commit_callbacks() as second:
        _plan, roll = _reprice(standard, 149900)
    assert roll.run == 2
    first[0]()  # the first run's task: replaced, it does nothing
    assert not reads and PriceRoll.objects.get(plan=standard).state == "queued"
    second[0]()
    second[0]()  # delivered twice: the second finds the run done
    roll = PriceRoll.objects.get(plan=standard)
    assert (roll.state, roll.checked, roll.moved) == ("done", 2, 2)
    assert reads == {a.stripe_subscription_id: 1, b.stripe_subscription_id: 1}
    assert _on_price(a, standard, 149900) and _on_price(b, standard, 149900)


def test_a_stalled_roll_may_be_retried_a_running_one_may_not(company_a):
    standard = plan_of("standard")
    _subscribed(standard, company_a)
    services.plan_prices_roll_start(plan=standard)  # its task never runs here
    with pytest.raises(Refused) as refused:
        services.plan_prices_roll_retry(plan=standard)
    assert refused.value.code == "price_roll_not_stopped"
    assert not selectors.price_roll_of(plan=standard).stopped
    PriceRoll.objects.filter(plan=standard).update(
        updated_at=timezone.now() - PriceRoll.STALLED_AFTER * 2)
    assert selectors.price_roll_of(plan=standard).stopped
    assert services.plan_prices_roll_retry(plan=standard).state == "queued"


def test_staff_api_patch_starts_the_roll_and_reports_it(
        public_tenant, company_a, tasks_run_here, django_capture_on_commit_callbacks):
    standard = plan_of("standard")
    (a,) = _subscribed(standard, company_a)
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    staff = Client()
    login(staff, STAFF, "staff1")
    base = f"/api/v1/staff/billing/plans/{standard.pk}/"
    assert staff.get(base, HTTP_HOST=STAFF).json()["price_roll"] is None
    with django_capture_on_commit_callbacks() as queued:
        edited = staff.patch(base, {"price_month_fen": 129900}, content_type="application/json",
                             HTTP_HOST=STAFF)
    connection.set_schema_to_public()
    assert edited.status_code == 200, edited.content
    body = edited.json()
    assert body["price_roll_started"] is True and body["price_month_fen"] == 129900
    assert body["price_roll"]["state"] == "queued" and body["price_roll"]["total"] == 1
    for callback in queued:  # the worker's part, after the commit
        callback()
    roll = staff.get(base, HTTP_HOST=STAFF).json()["price_roll"]
    assert (roll["state"], roll["checked"], roll["moved"], roll["stopped"]) == (
        "done", 1, 1, False)
    assert _on_price(a, standard, 129900)
    again = staff.patch(base, {"member_limit": 1200}, content_type="application/json",
                        HTTP_HOST=STAFF)
    assert again.json()["price_roll_started"] is False
    retry = staff.post(base + "price-roll/retry/", HTTP_HOST=STAFF)
    connection.set_schema_to_public()
    assert retry.status_code == 400 and retry.json()["code"] == "price_roll_not_stopped"
    PriceRoll.objects.filter(plan=standard).update(state="failed")
    with django_capture_on_commit_callbacks(execute=True):
        retry = staff.post(base + "price-roll/retry/", HTTP_HOST=STAFF)
    connection.set_schema_to_public()
    assert retry.status_code == 202 and retry.json()["state"] == "queued"
    assert PriceRoll.objects.get(plan=standard).state == "done"


def test_only_staff_see_or_retry_a_roll(client, company_a, admin_a):
    standard = plan_of("standard")
    _subscribed(standard, company_a)
    services.plan_prices_roll_start(plan=standard)
    PriceRoll.objects.filter(plan=standard).update(state="failed", error="甲公司：x")
    login_admin(client, "alpha.localhost")
    for host in ("alpha.localhost", STAFF):
        page = client.get(f"/billing/plans/{standard.pk}/", HTTP_HOST=host)
        retry = client.post(f"/billing/plans/{standard.pk}/roll/retry/", HTTP_HOST=host)
        api = client.post(f"/api/v1/staff/billing/plans/{standard.pk}/price-roll/retry/",
                          HTTP_HOST=host)
        connection.set_schema_to_public()
        assert page.status_code in (302, 403, 404) and "roll-progress" not in \
            page.content.decode()
        assert retry.status_code in (302, 403, 404) and api.status_code in (401, 403, 404)
    trainer = Client()
    user_create(username="trainer1", password="pw-123456", full_name="李", role=Role.TRAINER)
    login(trainer, STAFF, "trainer1")
    assert trainer.post(f"/api/v1/staff/billing/plans/{standard.pk}/price-roll/retry/",
                        HTTP_HOST=STAFF).status_code == 403
    assert PriceRoll.objects.get(plan=standard).state == "failed"


def test_a_retried_stalled_roll_stops_the_slow_task_it_replaces(
        company_a, company_b, make_company, tasks_run_here, django_capture_on_commit_callbacks,
        reads):
    # The stalled run's task was only slow: when it wakes after staff's retry, it must not
    # go on beside the retry's task (two tasks on one run, each reading every subscription).
    standard = plan_of("standard")
    c_company = make_company(name="丙公司", slug="gamma")
    a, b, c = _subscribed(standard, company_a, company_b, c_company)
    with django_capture_on_commit_callbacks() as slow:  # queued; its worker hangs
        _reprice(standard, 129900)
    PriceRoll.objects.filter(plan=standard).update(
        updated_at=timezone.now() - PriceRoll.STALLED_AFTER * 2)
    with django_capture_on_commit_callbacks() as retried:
        roll = services.plan_prices_roll_retry(plan=standard)
    assert roll.run == 2 and roll.state == "queued"
    slow[0]()  # wakes up: replaced by the retry, it reads nothing and moves nothing
    assert not reads and PriceRoll.objects.get(plan=standard).state == "queued"
    retried[0]()
    roll = PriceRoll.objects.get(plan=standard)
    assert (roll.run, roll.state, roll.checked, roll.moved) == (2, "done", 3, 3)
    assert reads == {x.stripe_subscription_id: 1 for x in (a, b, c)}
    assert all(_on_price(x, standard, 129900) for x in (a, b, c))
