"""Two webhooks about one subscription, applied at the same moment: the account row's lock
makes them apply one after the other; each applies once; the state is Stripe's."""

import threading

import pytest
from django.db import connections

from billing import local, services, sync
from billing.entitlements import account_for
from billing.gateway import gateway
from billing.models import BillingAccount, WebhookEvent
from billing.webhooks import event_payload, event_receive, signature_header
from tests.billing.helpers import plan_of


@pytest.mark.django_db(transaction=True)
def test_two_webhooks_for_one_subscription_processed_at_once(make_company, committed_schemas):
    company = make_company(name="甲公司", slug="alpha")
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    local.checkout_complete(company=company, price=price, pay=True)
    account = account_for(company)
    api = gateway()
    api.subscription_cancel_at_period_end(account.stripe_subscription_id, True)
    sub = api.v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict()
    events = []
    for event_id in ("evt_one", "evt_two"):
        payload = event_payload(event_id=event_id, type="customer.subscription.updated", obj=sub)
        events.append(event_receive(payload=payload, signature=signature_header(payload))[0])
    barrier = threading.Barrier(4)
    outcomes: list[bool] = []

    def apply(event):
        try:
            barrier.wait()
            outcomes.append(sync.event_process(event_pk=event.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(e,)) for e in events * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == [False, False, True, True]  # each event once, whoever wins
    assert set(WebhookEvent.objects.filter(event_id__in=["evt_one", "evt_two"])
               .values_list("effects", flat=True)) == {1}
    account = BillingAccount.objects.get(pk=account.pk)
    assert account.subscription_status == "active" and account.cancel_at_period_end is True


@pytest.mark.django_db(transaction=True)
def test_the_admin_reads_the_account_while_the_worker_moves_it_to_another_plan(
        make_company, committed_schemas):
    """The worker applies the first subscription (the account leaves the trial plan) while the
    admin, back from checkout, reads Stripe again: the admin's lock waits, then finds the
    account on its new plan (a lock joined to the plan found no row, and the page failed)."""
    from django.db import transaction

    company = make_company(name="甲公司", slug="alpha")
    account = account_for(company)
    standard = plan_of("standard")
    assert account.plan_id != standard.pk
    locked, moved = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                BillingAccount.objects.select_for_update().get(pk=account.pk)
                locked.set()
                moved.wait(0.5)  # the admin's read is waiting on this lock meanwhile
                BillingAccount.objects.filter(pk=account.pk).update(plan=standard)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    assert locked.wait(10)
    found = services.account_refresh(company=company)  # no Stripe customer: a lock and a read
    thread.join(10)
    assert found.pk == account.pk and found.plan == standard
