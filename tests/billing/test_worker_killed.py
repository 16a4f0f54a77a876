"""A worker killed while it applied a Stripe event (docs/decisions/0031): the event is applied
once. On Redis the message comes back (acks_late, reject_on_worker_lost); on the filesystem
broker it went with the worker, and billing's webhook sweep (every 60 s) queues the event again.
The task is held mid-way by the account's row, which another session has locked."""

import datetime
import os
import signal
import time

import psycopg2
import pytest
from django.utils import timezone

from billing import services
from billing.gateway import GOOD_CARD, gateway
from billing.models import BillingAccount, WebhookEvent
from billing.tasks import webhook_sweep_task
from tests.billing.helpers import plan_of
from tests.conftest import celery_configure, celery_settings_for
from tests.worker import (
    BROKERS,
    KILL_QUEUE,
    REDIS_URL,
    _database_url,
    killable_worker_start,
    pool_children,
    wait_for,
    waiting_on_a_lock,
)

pytestmark = pytest.mark.django_db(transaction=True)
TASK = "billing.tasks.webhook_event_process_task"


@pytest.fixture
def event_held(make_company, committed_schemas):
    """A stored, pending event about a customer whose subscription localstripe has, and another
    session holding the customer's account row: the task applying it waits inside its
    transaction. Release with .rollback()."""
    company = make_company(name="甲公司", slug="alpha")
    account = services.customer_ensure(company=company)
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    api = gateway()
    api.local_card_set(account.stripe_customer_id, number=GOOD_CARD)
    sub = api.local_subscription_create(customer_id=account.stripe_customer_id,
                                        price_id=price.stripe_id, company_id=company.pk)
    event = WebhookEvent.objects.create(
        event_id="evt_killed", type="customer.subscription.created", object_id=sub,
        customer=account.stripe_customer_id, payload={"id": "evt_killed"})
    holder = psycopg2.connect(_database_url())
    with holder.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {BillingAccount._meta.db_table} WHERE id = %s FOR UPDATE",
                       [account.pk])
    yield account, sub, event, holder
    holder.close()


def _applied_once(account: BillingAccount, sub: str, event: WebhookEvent) -> None:
    event = wait_for(lambda: WebhookEvent.objects.filter(pk=event.pk,
                                                         processed_at__isnull=False).first(),
                     timeout=60)
    assert event.effects == 1 and event.dead_at is None and event.last_error == ""
    account = BillingAccount.objects.get(pk=account.pk)
    assert account.subscription_status == "active" and account.stripe_subscription_id == sub
    assert account.plan.code == "standard"


@pytest.mark.skipif("redis" not in BROKERS, reason="no Redis on this machine")
def test_a_pool_process_killed_mid_webhook_gives_the_event_back(killable_workers, event_held,
                                                                tmp_path):
    from saas.celery import app

    account, sub, event, holder = event_held
    celery_configure(celery_settings_for(tmp_path, REDIS_URL))
    worker = killable_worker_start(tmp_path, "worker.log")
    killable_workers.append(worker)
    app.send_task(TASK, args=[event.pk], queue=KILL_QUEUE)
    wait_for(lambda: waiting_on_a_lock(BillingAccount._meta.db_table), timeout=60)
    (child,) = pool_children(worker)
    os.kill(child, signal.SIGKILL)
    wait_for(lambda: child not in pool_children(worker), timeout=20)
    holder.rollback()
    _applied_once(account, sub, event)
    assert "WorkerLostError" in (tmp_path / "worker.log").read_text()


def test_a_webhook_killed_on_the_filesystem_broker_is_found_by_the_sweep(
        killable_workers, event_held, tmp_path):
    from saas.celery import app

    account, sub, event, holder = event_held
    celery_configure(celery_settings_for(tmp_path))
    first = killable_worker_start(tmp_path, "first.log", redis=False)
    killable_workers.append(first)
    app.send_task(TASK, args=[event.pk])
    wait_for(lambda: waiting_on_a_lock(BillingAccount._meta.db_table), timeout=60)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=20)
    holder.rollback()
    time.sleep(1)
    event.refresh_from_db()
    assert event.processed_at is None and event.effects == 0  # nobody applied it
    assert list((tmp_path / "broker" / "queue").glob("*")) == []  # the message is gone

    killable_workers.append(killable_worker_start(tmp_path, "second.log", redis=False))
    assert webhook_sweep_task() == []  # pending for less than a batch takes: not yet lost
    WebhookEvent.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - datetime.timedelta(minutes=5))
    assert webhook_sweep_task() == [event.pk]
    _applied_once(account, sub, event)
    assert webhook_sweep_task() == []
