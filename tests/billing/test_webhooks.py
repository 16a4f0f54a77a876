"""The webhook endpoint: Stripe's signature or nothing; each event stored once and applied
once; Stripe's current state, not the event's order, decides the result."""

import json
import random
import time

import pytest
from django.db import connection

from billing import local, services, sync
from billing.entitlements import account_for, billing_status
from billing.gateway import gateway
from billing.models import BillingAccount, WebhookEvent
from billing.webhooks import event_payload, signature_header
from tests.billing.helpers import plan_of

URL = "/billing/webhook/"


def _post(client, payload: bytes, signature: str | None):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.post(URL, payload, content_type="application/json", HTTP_HOST="localhost",
                       **headers)


@pytest.fixture
def subscribed(company_a):
    """Company A with an active monthly standard subscription on localstripe."""
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    local.checkout_complete(company=company_a, price=price, pay=True)
    WebhookEvent.objects.all().delete()  # the checkout's own event: these tests send theirs
    return account_for(company_a)


def _subscription_event(account, event_id: str, created: int | None = None) -> bytes:
    sub = gateway().v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict()
    return event_payload(event_id=event_id, type="customer.subscription.updated", obj=sub,
                         created=created)


def test_forged_expired_and_unsigned_deliveries_are_refused_and_change_nothing(client,
                                                                                subscribed):
    payload = _subscription_event(subscribed, "evt_1")
    before = BillingAccount.objects.values().get(pk=subscribed.pk)
    forged = signature_header(payload, secret="whsec_someone_else")
    expired = signature_header(payload, timestamp=int(time.time()) - 3600)
    tampered = signature_header(payload).replace("v1=", "v1=0")
    for signature in (forged, expired, tampered, "", None, "t=1,v1=abc"):
        assert _post(client, payload, signature).status_code == 400
    body = json.loads(payload)
    body["id"] = "evt_2"  # signed for another body
    assert _post(client, json.dumps(body).encode(), signature_header(payload)).status_code == 400
    assert not WebhookEvent.objects.exists()
    assert BillingAccount.objects.values().get(pk=subscribed.pk) == before


def test_a_signed_event_is_stored_and_applied(client, subscribed,
                                              django_capture_on_commit_callbacks):
    gateway().subscription_cancel_at_period_end(subscribed.stripe_subscription_id, True)
    payload = _subscription_event(subscribed, "evt_cancel")
    with django_capture_on_commit_callbacks() as callbacks:
        assert _post(client, payload, signature_header(payload)).status_code == 200
    event = WebhookEvent.objects.get(event_id="evt_cancel")
    assert len(callbacks) == 1  # queued once, after the commit
    assert sync.event_process(event_pk=event.pk) is True
    account = BillingAccount.objects.get(pk=subscribed.pk)
    assert account.cancel_at_period_end is True
    event.refresh_from_db()
    assert event.processed_at is not None and event.effects == 1


def test_the_same_event_three_times_has_one_effect(client, subscribed,
                                                   django_capture_on_commit_callbacks):
    payload = _subscription_event(subscribed, "evt_same")
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(3):
            assert _post(client, payload, signature_header(payload)).status_code == 200
    assert len(callbacks) == 1 and WebhookEvent.objects.count() == 1
    event = WebhookEvent.objects.get()
    results = [sync.event_process(event_pk=event.pk) for _ in range(3)]  # a redelivered task
    assert results == [True, False, False]
    event.refresh_from_db()
    assert event.effects == 1


def test_a_shuffled_sequence_with_duplicates_ends_in_stripes_state(client, subscribed):
    """Payment fails, is paid, then cancel at period end: delivered shuffled, each twice."""
    api = gateway()
    customer, sub = subscribed.stripe_customer_id, subscribed.stripe_subscription_id
    payloads = []
    api.local_card_set(customer, number="4000000000000341")
    failed = api.local_renewal_invoice(customer_id=customer, subscription_id=sub)
    payloads.append(event_payload(event_id="evt_a", type="invoice.payment_failed",
                                  obj=api.v1.invoices.retrieve(failed["id"]).to_dict()))
    api.local_card_set(customer, number="4242424242424242")
    api.invoice_pay(failed["id"])
    payloads.append(event_payload(event_id="evt_b", type="invoice.paid",
                                  obj=api.v1.invoices.retrieve(failed["id"]).to_dict()))
    api.subscription_cancel_at_period_end(sub, True)
    payloads.append(_subscription_event(subscribed, "evt_c"))
    deliveries = payloads * 2
    random.Random(7).shuffle(deliveries)
    for payload in deliveries:
        assert _post(client, payload, signature_header(payload)).status_code == 200
    for event in WebhookEvent.objects.order_by("?"):
        sync.event_process(event_pk=event.pk)
    account = BillingAccount.objects.get(pk=subscribed.pk)
    assert WebhookEvent.objects.count() == 3
    assert set(WebhookEvent.objects.values_list("effects", flat=True)) == {1}
    assert account.subscription_status == "active" and account.cancel_at_period_end
    assert account.past_due_since is None
    assert billing_status(account) == "active"
    assert account.invoices.get(stripe_id=failed["id"]).status == "paid"


def test_events_for_an_unknown_customer_are_recorded_and_harmless(client, subscribed):
    payload = event_payload(event_id="evt_x", type="invoice.paid",
                            obj={"id": "in_x", "object": "invoice", "customer": "cus_nobody"})
    assert _post(client, payload, signature_header(payload)).status_code == 200
    event = WebhookEvent.objects.get()
    assert sync.event_process(event_pk=event.pk) is True
    connection.set_schema_to_public()
