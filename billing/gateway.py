"""The one adapter to Stripe. It speaks two shapes:

- the real API (STRIPE_SECRET_KEY set): Products with Prices, subscriptions by `items[][price]`
  made by Checkout Sessions, the Customer Portal, and the subscription's period on its items
  (API versions since 2025-03);
- localstripe (no key: `make run`, the tests, the bench): Products with Plans, subscriptions by
  `items[][plan]`, the period on the subscription, no Checkout or Portal (billing.local_views
  stand in), and a failed renewal that leaves the subscription "active" with an open invoice
  whose payment failed: read here as past_due, as Stripe would report it.

Everything returned is a plain dict or a SubscriptionState (stripe-python 16's objects are not
dicts). Amounts are fen."""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import Refused

GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000341"  # attaches, then every charge is declined


class PaymentServiceUnavailable(Refused):
    """Stripe (or localstripe) did not answer, or refused the call: nothing was changed here."""

    code = "payment_service_unavailable"


def stripe_refusals(view):
    """A view that calls Stripe: its errors become a refusal (a message, back to the page)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except stripe.StripeError as error:
            raise PaymentServiceUnavailable(_("支付服务暂时无法使用，请稍后再试。")) from error
    return wrapped


@dataclass(frozen=True)
class SubscriptionState:
    id: str
    customer: str
    status: str  # Stripe's: trialing, active, past_due, unpaid, canceled, incomplete...
    price_id: str  # a Price on Stripe, a Plan on localstripe
    current_period_start: datetime | None
    current_period_end: datetime | None
    cancel_at_period_end: bool


def _when(stamp) -> datetime | None:
    return datetime.fromtimestamp(int(stamp), tz=UTC) if stamp else None


class Gateway:
    def __init__(self, *, api_key: str, api_base: str = "", http_client=None):
        self.local = bool(api_base)
        self.api_base = api_base or "https://api.stripe.com"
        addresses = {"api": api_base} if api_base else {}
        # Retries for the real API's network; localstripe on loopback answers or is down.
        self.client = stripe.StripeClient(api_key, base_addresses=addresses,
                                          max_network_retries=0 if api_base else 2,
                                          http_client=http_client)
        self.v1 = self.client.v1

    # Customers -------------------------------------------------------------------------
    def customer_create(self, *, name: str, email: str, company_id: int, address: str = "",
                        tax_id: str = "") -> str:
        params = _customer_params(name=name, email=email, address=address, tax_id=tax_id)
        params["metadata"]["company_id"] = str(company_id)
        return self.v1.customers.create(params=params).id

    def customer_update(self, customer_id: str, *, name: str, email: str, address: str,
                        tax_id: str) -> None:
        self.v1.customers.update(customer_id, params=_customer_params(
            name=name, email=email, address=address, tax_id=tax_id, unset_empty=True))

    # Prices ----------------------------------------------------------------------------
    def price_create(self, *, name: str, amount_fen: int, interval: str) -> str:
        product = self.v1.products.create(params={"name": name}).id
        if self.local:  # localstripe has no Prices: a Plan is its price
            return self.v1.plans.create(params={
                "product": product, "amount": amount_fen, "currency": "cny",
                "interval": interval}).id
        return self.v1.prices.create(params={
            "product": product, "unit_amount": amount_fen, "currency": "cny",
            "recurring": {"interval": interval}}).id

    def items_for(self, price_id: str) -> list[dict]:
        return [{"plan": price_id}] if self.local else [{"price": price_id}]

    # Subscriptions ---------------------------------------------------------------------
    def subscription_state(self, subscription_id: str, *,
                           invoices: list[dict] | None = None) -> SubscriptionState:
        """`invoices`: the customer's, when the caller has read them already."""
        return self.state_of(self.v1.subscriptions.retrieve(subscription_id).to_dict(),
                             invoices=invoices)

    def state_of(self, sub: dict, *, invoices: list[dict] | None = None) -> SubscriptionState:
        """The state of a subscription already read (a dict, as `subscriptions_read` gives)."""
        item = (sub.get("items") or {}).get("data", [{}])[0]
        price = item.get("price") or item.get("plan") or sub.get("plan") or {}
        start = sub.get("current_period_start") or item.get("current_period_start")
        end = sub.get("current_period_end") or item.get("current_period_end")
        status = sub["status"]
        if self.local and status == "active" and self._local_payment_failed(sub, invoices):
            status = "past_due"
        return SubscriptionState(
            id=sub["id"], customer=sub["customer"], status=status, price_id=price.get("id", ""),
            current_period_start=_when(start), current_period_end=_when(end),
            cancel_at_period_end=bool(sub.get("cancel_at_period_end")))

    def subscriptions_of(self, customer_id: str) -> list[tuple[str, str, int]]:
        """(id, status, created) of every subscription the customer has had, newest first."""
        return [(sub["id"], sub["status"], int(sub.get("created") or 0))
                for sub in self.subscriptions_read(customer_id)]

    def subscriptions_read(self, customer_id: str) -> list[dict]:
        """Every subscription the customer has had, whole, newest first: one request, and
        `state_of` needs no other."""
        subs = self._listed("/v1/subscriptions", customer=customer_id, status="all", limit=100)
        return sorted(subs, key=lambda sub: int(sub.get("created") or 0), reverse=True)

    def _local_payment_failed(self, sub: dict, invoices: list[dict] | None) -> bool:
        for invoice in invoices if invoices is not None else self.invoices_of(sub["customer"]):
            if invoice["subscription"] == sub["id"] and invoice["payment_failed"]:
                return True
        return False

    def subscription_cancel_at_period_end(self, subscription_id: str, cancel: bool) -> None:
        self.v1.subscriptions.update(subscription_id, params={"cancel_at_period_end": cancel})

    def subscription_cancel_now(self, subscription_id: str) -> None:
        self.v1.subscriptions.cancel(subscription_id)

    def subscription_change_price(self, subscription_id: str, price_id: str) -> None:
        sub = self.v1.subscriptions.retrieve(subscription_id).to_dict()
        item_id = sub["items"]["data"][0]["id"]
        key = "plan" if self.local else "price"
        self.v1.subscriptions.update(subscription_id, params={
            "items": [{"id": item_id, key: price_id}], "proration_behavior": "none"})

    def subscription_switch(self, subscription_id: str, price_id: str) -> None:
        """The portal's "switch plan": the subscription's one item moves to another price, the
        unused time credited and the new price's time charged, as Stripe's Portal does
        (`create_prorations`: on the next invoice). localstripe takes the item's `plan`, has
        no `proration_behavior` and prorates by itself (an "Unused time" credit)."""
        sub = self.v1.subscriptions.retrieve(subscription_id).to_dict()
        item_id = sub["items"]["data"][0]["id"]
        if self.local:
            params = {"items": [{"id": item_id, "plan": price_id}]}
        else:
            params = {"items": [{"id": item_id, "price": price_id}],
                      "proration_behavior": "create_prorations"}
        self.v1.subscriptions.update(subscription_id, params=params)

    def subscription_price_roll(self, subscription_id: str, price_id: str) -> None:
        """Staff changed the plan's price: the subscription pays the new one from its next
        period, nothing prorated (Stripe: `proration_behavior=none`, the cycle unchanged).
        localstripe has no `proration_behavior` and credits the old price on any item change:
        that credit is deleted, as Stripe would not have made it."""
        sub = self.v1.subscriptions.retrieve(subscription_id).to_dict()
        item_id = sub["items"]["data"][0]["id"]
        if not self.local:
            self.v1.subscriptions.update(subscription_id, params={
                "items": [{"id": item_id, "price": price_id}], "proration_behavior": "none"})
            return
        self.v1.subscriptions.update(subscription_id, params={
            "items": [{"id": item_id, "plan": price_id}]})
        pending = self.v1.invoice_items.list(params={"customer": sub["customer"], "limit": 100})
        for item in pending.data:
            item = item.to_dict()
            if (item.get("proration") and not item.get("invoice")
                    and item.get("subscription") == subscription_id):
                self.v1.invoice_items.delete(item["id"])

    # Checkout and portal: the real API only (localstripe has neither) ---------------------
    def checkout_session_create(self, *, customer_id: str, price_id: str, company_id: int,
                                success_url: str, cancel_url: str) -> str:
        # Card only: WeChat Pay is not offered in subscription mode and Alipay is by invitation
        # for subscriptions; Stripe adds the card wallets (Apple Pay, Google Pay) by itself.
        session = self.v1.checkout.sessions.create(params={
            "mode": "subscription", "customer": customer_id,
            "line_items": [{"price": price_id, "quantity": 1}],
            "payment_method_types": ["card"], "client_reference_id": str(company_id),
            "subscription_data": {"metadata": {"company_id": str(company_id)}},
            "success_url": success_url, "cancel_url": cancel_url})
        return session.url

    def portal_session_create(self, *, customer_id: str, return_url: str) -> str:
        return self.v1.billing_portal.sessions.create(params={
            "customer": customer_id, "return_url": return_url}).url

    # The local checkout's own calls (localstripe only) -----------------------------------
    def local_card_set(self, customer_id: str, *, number: str) -> None:
        method = self.v1.payment_methods.create(params={"type": "card", "card": {
            "number": number, "exp_month": 12, "exp_year": 2040, "cvc": "123"}})
        self.v1.payment_methods.attach(method.id, params={"customer": customer_id})
        self.v1.customers.update(customer_id, params={
            "invoice_settings": {"default_payment_method": method.id}})

    def local_subscription_create(self, *, customer_id: str, price_id: str,
                                  company_id: int) -> str:
        return self.v1.subscriptions.create(params={
            "customer": customer_id, "items": self.items_for(price_id),
            "metadata": {"company_id": str(company_id)}}).id

    def local_renewal_invoice(self, *, customer_id: str, subscription_id: str) -> dict:
        """Bills the next period now (localstripe has no clock): paid, or failed and open."""
        invoice = self.v1.invoices.create(params={"customer": customer_id,
                                                   "subscription": subscription_id})
        return self.invoice_pay(invoice.id)

    # Invoices ----------------------------------------------------------------------------
    def invoice_pay(self, invoice_id: str, *, out_of_band: bool = False) -> dict:
        params = {"paid_out_of_band": True} if out_of_band and not self.local else None
        return self._invoice(self.v1.invoices.pay(invoice_id, params=params).to_dict())

    def invoice(self, invoice_id: str) -> dict:
        return self._invoice(self.v1.invoices.retrieve(invoice_id).to_dict())

    def invoices_of(self, customer_id: str) -> list[dict]:
        params = {"customer": customer_id, "limit": 100}
        if self.local:  # an open invoice's payment, in the same request (not one per invoice)
            params["expand"] = ["data.payment_intent"]
        return [self._invoice(inv) for inv in self._listed("/v1/invoices", **params)]

    def _listed(self, path: str, **params) -> list[dict]:
        """A list endpoint's page as plain dicts: stripe-python's documented `raw_request`
        (its errors raised as by any call), without building a StripeObject tree only to turn it
        back into dicts: the reads of every webhook's batch (docs/decisions/0034) spent an eighth
        of their time there."""
        return list(self.client.raw_request("get", path, **params).data["data"])

    def _invoice(self, inv: dict) -> dict:
        failed = False
        if inv["status"] == "open" and inv.get("payment_intent"):
            intent = inv["payment_intent"]
            if isinstance(intent, str):
                intent = self.v1.payment_intents.retrieve(intent).to_dict()
            failed = intent.get("status") == "requires_payment_method"
        elif inv["status"] == "open" and inv.get("attempted"):
            failed = True
        subscription = inv.get("subscription") or ((inv.get("parent") or {}).get(
            "subscription_details") or {}).get("subscription") or ""
        return {"id": inv["id"], "number": inv.get("number") or "", "status": inv["status"],
                "subscription": subscription if isinstance(subscription, str) else
                subscription.get("id", ""),
                "amount_due": inv.get("amount_due") or inv.get("total") or 0,
                "amount_paid": inv.get("amount_paid") or 0, "payment_failed": failed,
                "created": _when(inv.get("created") or inv.get("date")),
                "hosted_url": inv.get("hosted_invoice_url") or "",
                "pdf_url": inv.get("invoice_pdf") or ""}


_gateways: dict[tuple[str, str], Gateway] = {}


def gateway() -> Gateway:
    """The real API when STRIPE_SECRET_KEY is set, else localstripe on loopback. One per key
    and address for the process: its HTTP connections (one per thread) stay open between
    calls, instead of a new connection for every webhook's reads."""
    key = (settings.STRIPE_SECRET_KEY, "" if settings.STRIPE_SECRET_KEY
           else settings.LOCALSTRIPE_URL)
    api = _gateways.get(key)
    if api is None:
        api = _gateways[key] = Gateway(api_key=key[0] or "sk_test_localstripe",
                                       api_base=key[1])
    return api


def _customer_params(*, name: str, email: str, address: str, tax_id: str,
                     unset_empty: bool = False) -> dict:
    """The customer's 发票 details as Stripe keeps them: the 抬头 as its name (on its invoices),
    the address as its address (line1: one line, as the admin writes it), and the 税号 in its
    metadata (Stripe's tax ids have no type for a Chinese 统一社会信用代码, and localstripe
    takes none). On an update (`unset_empty`) a cleared address is sent empty, which unsets it
    on Stripe (localstripe keeps it as ""), as an empty metadata value unsets its key: a
    cleared detail does not stay on Stripe."""
    params: dict = {"name": name, "metadata": {"fapiao_tax_id": tax_id}}
    if email:
        params["email"] = email
    if address:
        params["address"] = {"line1": address[:200], "country": "CN"}
    elif unset_empty:
        params["address"] = ""
    return params
