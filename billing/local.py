"""The stand-in for Stripe Checkout and the Customer Portal when billing runs on localstripe
(which has neither). Each action does on localstripe what Stripe would, then sends the event
Stripe would send, signed with the webhook secret, through the webhook endpoint's own receiver
(billing.webhooks.event_receive): verified, stored and processed in the worker like any other.

Only ever used without STRIPE_SECRET_KEY."""

import secrets

from django.utils.translation import gettext as _

from billing.gateway import DECLINED_CARD, GOOD_CARD, gateway
from billing.models import BillingAccount, StripePrice
from billing.services import (
    BillingRefused,
    account_refresh,
    customer_ensure,
    subscribable_check,
)
from billing.services import plan_switch as plan_switch_service
from billing.webhooks import event_payload, event_receive, signature_header
from tenants.models import Company


def _api():
    api = gateway()
    if not api.local:
        raise BillingRefused(_("本地结账页只在未配置 Stripe 密钥时使用。"), code="local_only")
    return api


def event_emit(*, type: str, obj: dict) -> None:
    """A Stripe-shaped, signed event through the webhook receiver."""
    payload = event_payload(event_id=f"evt_local_{secrets.token_hex(12)}", type=type, obj=obj)
    event_receive(payload=payload, signature=signature_header(payload))


def checkout_complete(*, company: Company, price: StripePrice, pay: bool) -> bool:
    """The admin pays (a good test card) or the card is declined (nothing subscribed, as on
    Stripe's Checkout page). True when the subscription was made."""
    api = _api()
    account = customer_ensure(company=company)
    subscribable_check(account)
    session = {"id": f"cs_local_{secrets.token_hex(12)}", "object": "checkout.session",
               "mode": "subscription", "customer": account.stripe_customer_id,
               "client_reference_id": str(company.pk)}
    if not pay:
        event_emit(type="checkout.session.expired", obj=session | {"status": "expired"})
        return False
    api.local_card_set(account.stripe_customer_id, number=GOOD_CARD)
    subscription = api.local_subscription_create(customer_id=account.stripe_customer_id,
                                                 price_id=price.stripe_id, company_id=company.pk)
    event_emit(type="checkout.session.completed", obj=session | {
        "status": "complete", "payment_status": "paid", "subscription": subscription})
    account_refresh(company=company)
    return True


def _subscription(api, account: BillingAccount) -> dict:
    return api.v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict()


def card_change(*, company: Company, declined: bool) -> None:
    """The portal's "change card": a test card that pays, or one every charge declines."""
    api = _api()
    account = customer_ensure(company=company)
    api.local_card_set(account.stripe_customer_id,
                       number=DECLINED_CARD if declined else GOOD_CARD)
    event_emit(type="customer.updated", obj=api.v1.customers.retrieve(
        account.stripe_customer_id).to_dict())


def renewal_bill(*, company: Company) -> bool:
    """The next period billed now (localstripe has no clock): True when paid."""
    api = _api()
    account = _subscribed(company)
    invoice = api.local_renewal_invoice(customer_id=account.stripe_customer_id,
                                        subscription_id=account.stripe_subscription_id)
    _invoice_event(api, invoice)
    account_refresh(company=company)
    return invoice["status"] == "paid"


def open_invoices_pay(*, company: Company) -> int:
    """The portal's "pay now" for what is owed, with the card on file; returns invoices paid."""
    api = _api()
    account = _subscribed(company)
    paid = 0
    for invoice in api.invoices_of(account.stripe_customer_id):
        if invoice["status"] == "open":
            invoice = api.invoice_pay(invoice["id"])
            _invoice_event(api, invoice)
            paid += invoice["status"] == "paid"
    account_refresh(company=company)
    return paid


def cancel_at_period_end(*, company: Company, cancel: bool) -> None:
    api = _api()
    account = _subscribed(company)
    api.subscription_cancel_at_period_end(account.stripe_subscription_id, cancel)
    event_emit(type="customer.subscription.updated", obj=_subscription(api, account))
    account_refresh(company=company)


def period_end(*, company: Company) -> None:
    """The period ends now (localstripe has no clock): a subscription set to cancel at the
    period end is canceled, as Stripe does then."""
    api = _api()
    account = _subscribed(company)
    if not account.cancel_at_period_end:
        raise BillingRefused(_("订阅没有设置为到期取消。"), code="not_canceling")
    api.subscription_cancel_now(account.stripe_subscription_id)
    event_emit(type="customer.subscription.deleted", obj=_subscription(api, account))
    account_refresh(company=company)


def _subscribed(company: Company) -> BillingAccount:
    account = customer_ensure(company=company)
    if not account.stripe_subscription_id:
        raise BillingRefused(_("还没有订阅。"), code="not_subscribed")
    return account


def _invoice_event(api, invoice: dict) -> None:
    kind = "invoice.paid" if invoice["status"] == "paid" else "invoice.payment_failed"
    raw = api.v1.invoices.retrieve(invoice["id"]).to_dict()
    event_emit(type=kind, obj=raw)



def plan_switch(*, company: Company, plan, interval: str) -> None:
    """The portal's "switch plan" on localstripe (it prorates by itself), and Stripe's event."""
    api = _api()
    account = plan_switch_service(company=company, plan=plan, interval=interval)
    event_emit(type="customer.subscription.updated", obj=_subscription(api, account))
