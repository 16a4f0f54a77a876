"""In a real Celery worker: a signed event POSTed to the endpoint is processed there, once,
and the account takes Stripe's state (the worker talks to the same localstripe)."""

import pytest

from billing import services
from billing.gateway import GOOD_CARD, gateway
from billing.models import BillingAccount, WebhookEvent
from billing.webhooks import event_payload, signature_header
from tests.billing.helpers import plan_of
from tests.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_applies_a_posted_event_once(client, make_company, committed_schemas,
                                                celery_worker, settings):
    settings.STRIPE_WEBHOOK_DELAY = 0
    company = make_company(name="甲公司", slug="alpha")
    account = services.customer_ensure(company=company)
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    api = gateway()
    api.local_card_set(account.stripe_customer_id, number=GOOD_CARD)
    sub = api.local_subscription_create(customer_id=account.stripe_customer_id,
                                        price_id=price.stripe_id, company_id=company.pk)
    payload = event_payload(event_id="evt_worker", type="customer.subscription.created",
                            obj=api.v1.subscriptions.retrieve(sub).to_dict())
    signature = signature_header(payload)
    for _ in range(2):
        response = client.post("/billing/webhook/", payload, content_type="application/json",
                               HTTP_HOST="localhost", HTTP_STRIPE_SIGNATURE=signature)
        assert response.status_code == 200
    event = wait_for(lambda: WebhookEvent.objects.filter(event_id="evt_worker",
                                                         processed_at__isnull=False).first(),
                     timeout=60)
    assert event.effects == 1
    account = BillingAccount.objects.get(pk=account.pk)
    assert account.subscription_status == "active" and account.stripe_subscription_id == sub
    assert account.plan.code == "standard"
