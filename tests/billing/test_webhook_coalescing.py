"""Every pending event about one customer applied together, with one read of Stripe (0034):
correct because what is applied is Stripe's current state, not each event's copy. Exactly once
still holds, failures still retry and then reach the dead-letter list, and two workers never
apply one customer's events at once."""

import datetime
import threading

import pytest
import stripe
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from billing import local, services, sync
from billing.entitlements import account_for
from billing.gateway import DECLINED_CARD, GOOD_CARD, Gateway, gateway
from billing.models import BillingAccount, WebhookEvent
from billing.tasks import MAX_RETRIES, webhook_event_process_task, webhook_sweep_task
from billing.webhooks import event_payload, event_receive, signature_header
from tests.billing.helpers import plan_of


def _subscribed(company) -> BillingAccount:
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    local.checkout_complete(company=company, price=price, pay=True)
    WebhookEvent.objects.all().delete()  # the checkout's own event: these tests send theirs
    return account_for(company)


def _receive(event_id: str, type: str, obj: dict) -> WebhookEvent:
    payload = event_payload(event_id=event_id, type=type, obj=obj)
    event, new = event_receive(payload=payload, signature=signature_header(payload))
    assert new
    return event


@pytest.fixture
def reads(monkeypatch):
    """Counts the reads of Stripe's state (each is one request to Stripe)."""
    counted = {"subscriptions": 0, "invoices": 0}
    subscriptions_read, invoices_of = Gateway.subscriptions_read, Gateway.invoices_of

    def counting_subscriptions(self, customer_id):
        counted["subscriptions"] += 1
        return subscriptions_read(self, customer_id)

    def counting_invoices(self, customer_id):
        counted["invoices"] += 1
        return invoices_of(self, customer_id)

    monkeypatch.setattr(Gateway, "subscriptions_read", counting_subscriptions)
    monkeypatch.setattr(Gateway, "invoices_of", counting_invoices)
    return counted


def test_thirty_events_about_one_subscription_take_one_read_and_end_in_stripes_state(
        company_a, company_b, reads):
    account = _subscribed(company_a)
    other = _subscribed(company_b)
    api = gateway()
    customer, sub = account.stripe_customer_id, account.stripe_subscription_id
    stale = api.v1.subscriptions.retrieve(sub).to_dict()  # before the changes: a stale copy
    api.local_card_set(customer, number=DECLINED_CARD)
    failed = api.local_renewal_invoice(customer_id=customer, subscription_id=sub)
    api.local_card_set(customer, number=GOOD_CARD)
    api.invoice_pay(failed["id"])
    api.subscription_cancel_at_period_end(sub, True)
    fresh = api.v1.subscriptions.retrieve(sub).to_dict()
    invoice = api.v1.invoices.retrieve(failed["id"]).to_dict()
    events = [_receive(f"evt_{n}", *[("customer.subscription.updated", stale),
                                     ("invoice.payment_failed", invoice),
                                     ("invoice.paid", invoice),
                                     ("customer.subscription.updated", fresh)][n % 4])
              for n in range(30)]
    theirs = _receive("evt_other", "customer.subscription.updated",
                      api.v1.subscriptions.retrieve(other.stripe_subscription_id).to_dict())
    assert {e.customer for e in events} == {customer}
    before = dict(reads)

    assert sync.events_process(event_pk=events[17].pk) == 30
    assert reads == {"subscriptions": before["subscriptions"] + 1,
                     "invoices": before["invoices"] + 1}
    # The other events' own tasks find them applied: no read, no second effect.
    assert [sync.events_process(event_pk=e.pk) for e in events] == [0] * 30
    assert reads["subscriptions"] == before["subscriptions"] + 1
    applied = WebhookEvent.objects.filter(customer=customer)
    assert applied.count() == 30
    assert set(applied.values_list("effects", flat=True)) == {1}
    assert not applied.filter(processed_at__isnull=True).exists()
    account.refresh_from_db()
    assert account.subscription_status == "active" and account.cancel_at_period_end is True
    assert account.past_due_since is None
    assert account.invoices.get(stripe_id=failed["id"]).status == "paid"
    # Another customer's pending event is not theirs to apply.
    assert WebhookEvent.objects.get(pk=theirs.pk).processed_at is None
    connection.set_schema_to_public()


def test_a_failed_read_leaves_every_event_for_retry_then_the_dead_letter_list(
        company_a, monkeypatch):
    account = _subscribed(company_a)
    sub = gateway().v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict()
    first, second, third = (_receive(f"evt_f{n}", "customer.subscription.updated", sub)
                            for n in range(3))
    real = Gateway.subscriptions_read
    failures = {"left": 1}

    def flaky(self, customer_id):
        if failures["left"]:
            failures["left"] -= 1
            raise stripe.APIConnectionError("Stripe is unreachable")
        return real(self, customer_id)

    monkeypatch.setattr(Gateway, "subscriptions_read", flaky)
    with pytest.raises(stripe.APIConnectionError):
        sync.events_process(event_pk=first.pk)
    # Nothing of the failed attempt stays: all three are still pending.
    assert WebhookEvent.objects.filter(processed_at__isnull=True).count() == 3

    # The task: one failure (recorded on its event), a retry, then all three applied at once.
    failures["left"] = 1
    webhook_event_process_task.apply(args=(first.pk,))
    first.refresh_from_db()
    assert first.processed_at is not None and first.effects == 1 and first.last_error == ""
    assert first.attempts == 2  # the failure, then the success
    assert set(WebhookEvent.objects.values_list("effects", flat=True)) == {1}

    # Stripe down for good: the task's event goes to the dead-letter list after its retries;
    # the other events stay pending for their own tasks, not dead.
    later = [_receive(f"evt_g{n}", "customer.subscription.updated", sub) for n in range(3)]
    failures["left"] = 10**6
    webhook_event_process_task.apply(args=(later[0].pk,))
    dead = WebhookEvent.objects.get(pk=later[0].pk)
    assert dead.dead_at is not None and dead.processed_at is None and dead.effects == 0
    assert dead.attempts == MAX_RETRIES + 1 and "unreachable" in dead.last_error
    assert WebhookEvent.objects.filter(pk__in=[e.pk for e in later[1:]], dead_at__isnull=True,
                                       processed_at__isnull=True, attempts=0).count() == 2

    # Stripe back: another event's task applies the pending ones, not the dead-lettered one
    # (staff see it and retry it: then it applies, once).
    failures["left"] = 0
    webhook_event_process_task.apply(args=(later[1].pk,))
    assert WebhookEvent.objects.filter(pk__in=[e.pk for e in later[1:]],
                                       effects=1).count() == 2
    dead.refresh_from_db()
    assert dead.dead_at is not None and dead.processed_at is None
    WebhookEvent.objects.filter(pk=dead.pk).update(dead_at=None)  # staff's retry button
    webhook_event_process_task.apply(args=(dead.pk,))
    dead.refresh_from_db()
    assert dead.processed_at is not None and dead.effects == 1
    assert {e.pk for e in (second, third)} <= set(
        WebhookEvent.objects.filter(effects=1).values_list("pk", flat=True))
    connection.set_schema_to_public()


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_customers_events_apply_each_once(make_company, committed_schemas,
                                                             reads):
    company = make_company(name="甲公司", slug="alpha")
    account = _subscribed(company)
    api = gateway()
    api.subscription_cancel_at_period_end(account.stripe_subscription_id, True)
    sub = api.v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict()
    events = [_receive(f"evt_c{n}", "customer.subscription.updated", sub) for n in range(6)]
    barrier = threading.Barrier(6)
    applied: list[int] = []
    before = reads["subscriptions"]

    def work(event):
        try:
            barrier.wait()
            applied.append(sync.events_process(event_pk=event.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(e,)) for e in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # The first to take the customer's events applies all six; the others find them taken
    # (None: another task is at them) or applied (0).
    assert len(applied) == 6 and [n for n in applied if n] == [6]
    assert set(applied) - {6} <= {0, None}
    assert reads["subscriptions"] - before == 1
    assert set(WebhookEvent.objects.values_list("effects", flat=True)) == {1}
    account = BillingAccount.objects.get(pk=account.pk)
    assert account.subscription_status == "active" and account.cancel_at_period_end is True


def _reads_held(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Holds every read of Stripe's subscriptions until `release` is set; `reading` says a
    batch is in one (its events locked, not committed)."""
    reading, release = threading.Event(), threading.Event()
    real = Gateway.subscriptions_read

    def held(self, customer_id):
        reading.set()
        assert release.wait(30)
        return real(self, customer_id)

    monkeypatch.setattr(Gateway, "subscriptions_read", held)
    return reading, release


@pytest.fixture
def queued(monkeypatch):
    """The event pks the endpoint queues a task for (recorded, not sent)."""
    sent: list[int] = []
    monkeypatch.setattr(webhook_event_process_task, "apply_async",
                        lambda args, countdown=None: sent.append(args[0]))
    return sent


@pytest.mark.django_db(transaction=True)
def test_an_event_arriving_while_its_customers_batch_is_open_is_applied_by_that_task(
        make_company, committed_schemas, reads, queued, monkeypatch):
    """One task per customer (0034): the endpoint queues none while an older event about the
    customer is pending; the task applying that one looks again after its commit and applies
    the newcomer. Interleaved at the worst moment: the batch has taken its events and is reading
    Stripe (not committed) when the new event is inserted and asks."""
    account = _subscribed(make_company(name="甲公司", slug="alpha"))
    other = _subscribed(make_company(name="乙公司", slug="beta"))
    queued.clear()  # the checkouts' own events
    api = gateway()
    sub = api.v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict()
    first = _receive("evt_i1", "customer.subscription.updated", sub)
    assert queued == [first.pk]  # nothing pending before it: its customer's task
    reading, release = _reads_held(monkeypatch)
    before = reads["subscriptions"]

    def work():
        try:
            webhook_event_process_task.apply(args=(first.pk,))
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    assert reading.wait(30)  # the batch holds `first`, locked, and is reading Stripe
    api.subscription_cancel_at_period_end(account.stripe_subscription_id, True)
    second = _receive("evt_i2", "customer.subscription.updated",
                      api.v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict())
    assert queued == [first.pk]  # `first` was pending: its task will see this one
    release.set()
    worker.join(60)
    assert not worker.is_alive()
    events = WebhookEvent.objects.filter(pk__in=[first.pk, second.pk])
    assert set(events.values_list("effects", flat=True)) == {1}
    assert not events.filter(processed_at__isnull=True).exists()
    assert reads["subscriptions"] - before == 2  # the batch, then the newcomer after its commit
    assert BillingAccount.objects.get(pk=account.pk).cancel_at_period_end is True

    # The other order: the task committed and looked before this one asked: it queues its own.
    third = _receive("evt_i3", "customer.subscription.updated", sub)
    assert queued == [first.pk, third.pk]
    # Another customer's pending event never holds back this customer's task.
    theirs = _receive("evt_i4", "customer.subscription.updated",
                      api.v1.subscriptions.retrieve(other.stripe_subscription_id).to_dict())
    assert queued == [first.pk, third.pk, theirs.pk]


@pytest.mark.django_db(transaction=True)
def test_a_task_finding_its_customers_events_taken_leaves_and_the_holder_applies_its_event(
        make_company, committed_schemas, reads, queued, monkeypatch):
    """A second task about a customer whose batch is reading Stripe does not wait on it (a
    worker thread held through that read): it leaves at once, reading nothing, and the batch
    applies its event after its commit. The holder runs in the company's schema (a task sent
    from its site), the other in public (the sweep's): one lock for both."""
    company = make_company(name="甲公司", slug="alpha")
    account = _subscribed(company)
    queued.clear()
    api = gateway()
    sub = api.v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict()
    first = _receive("evt_t1", "customer.subscription.updated", sub)
    reading, release = _reads_held(monkeypatch)
    before = reads["subscriptions"]

    def run(event_pk, schema):
        try:
            with schema_context(schema):
                webhook_event_process_task.apply(args=(event_pk,))
        finally:
            connections.close_all()

    holder = threading.Thread(target=run, args=(first.pk, company.schema_name))
    holder.start()
    try:
        assert reading.wait(30)
        api.subscription_cancel_at_period_end(account.stripe_subscription_id, True)
        with transaction.atomic():  # received inside a transaction: queued whatever is pending
            second = _receive("evt_t2", "customer.subscription.updated",
                              api.v1.subscriptions.retrieve(
                                  account.stripe_subscription_id).to_dict())
        assert queued == [first.pk, second.pk]
        other = threading.Thread(target=run, args=(second.pk, "public"))
        other.start()
        other.join(10)
        assert not other.is_alive()  # left at once, while the batch still reads Stripe
        assert reads["subscriptions"] == before  # and read nothing
        assert WebhookEvent.objects.get(pk=second.pk).processed_at is None
    finally:
        release.set()
        holder.join(60)
    assert not holder.is_alive()
    events = WebhookEvent.objects.filter(pk__in=[first.pk, second.pk])
    assert set(events.values_list("effects", flat=True)) == {1}
    assert not events.filter(processed_at__isnull=True).exists()
    assert reads["subscriptions"] - before == 2  # the batch, then the second after its commit
    assert BillingAccount.objects.get(pk=account.pk).cancel_at_period_end is True


def test_the_sweep_queues_pending_events_no_task_will_apply(company_a, company_b, monkeypatch,
                                                            queued):
    """Behind a dead-lettered event (or a task lost with its worker) a customer's pending events
    have no task: the sweep queues the oldest of each customer's, once they are minutes old."""
    account = _subscribed(company_a)
    other = _subscribed(company_b)
    api = gateway()
    sub = api.v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict()
    dead, waiting, behind = (_receive(f"evt_s{n}", "customer.subscription.updated", sub)
                             for n in range(3))
    theirs = _receive("evt_s9", "customer.subscription.updated",
                      api.v1.subscriptions.retrieve(other.stripe_subscription_id).to_dict())
    nobodys = _receive("evt_s8", "invoice.paid", {"id": "in_x", "customer": ""})
    WebhookEvent.objects.filter(pk=dead.pk).update(dead_at=timezone.now())
    assert sync.pending_sweep() == []  # just received: their tasks are on their way
    WebhookEvent.objects.update(received_at=timezone.now() - datetime.timedelta(minutes=5))
    queued.clear()
    assert webhook_sweep_task.apply().get() == sorted([waiting.pk, theirs.pk, nobodys.pk])
    assert queued == sorted([waiting.pk, theirs.pk, nobodys.pk])
    webhook_event_process_task.apply(args=(waiting.pk,))
    assert set(WebhookEvent.objects.filter(pk__in=[waiting.pk, behind.pk])
               .values_list("effects", flat=True)) == {1}
    assert WebhookEvent.objects.get(pk=dead.pk).processed_at is None  # staff retry that one
    assert sorted(sync.pending_sweep()) == sorted([theirs.pk, nobodys.pk])
    connection.set_schema_to_public()
