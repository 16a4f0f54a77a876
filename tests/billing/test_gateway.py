"""The adapter speaks both shapes: localstripe's (Plans, items[][plan], the period on the
subscription, a failed renewal seen as past_due) and Stripe's (Prices, items[][price], the
period on the item, Checkout and the Portal), the latter checked at the HTTP boundary."""

import json
from urllib.parse import parse_qs, urlparse

import stripe

from billing.gateway import DECLINED_CARD, Gateway, gateway

NOW = 1_800_000_000


class RecordingClient(stripe.HTTPClient):
    """Answers as Stripe's API would and records what was sent: never a real Stripe call."""

    name = "recording"

    def __init__(self, answers: dict[tuple[str, str], dict]):
        super().__init__()
        self.answers, self.sent = answers, []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        path = urlparse(url).path
        self.sent.append((method.upper(), path, parse_qs(post_data or urlparse(url).query,
                                                        keep_blank_values=True)))
        return json.dumps(self.answers[(method.upper(), path)]), 200, {}

    def close(self):
        pass


def test_on_stripe_prices_subscriptions_checkout_and_portal():
    answers = {
        ("POST", "/v1/products"): {"id": "prod_1", "object": "product"},
        ("POST", "/v1/prices"): {"id": "price_1", "object": "price"},
        ("POST", "/v1/checkout/sessions"): {"id": "cs_1", "object": "checkout.session",
                                            "url": "https://checkout.stripe.com/c/cs_1"},
        ("POST", "/v1/billing_portal/sessions"): {"id": "bps_1", "object":
                                                  "billing_portal.session",
                                                  "url": "https://billing.stripe.com/p/1"},
        ("GET", "/v1/subscriptions/sub_1"): {
            "id": "sub_1", "object": "subscription", "customer": "cus_1", "status": "past_due",
            "cancel_at_period_end": False, "items": {"object": "list", "data": [{
                "id": "si_1", "object": "subscription_item", "price": {"id": "price_1"},
                "current_period_start": NOW, "current_period_end": NOW + 2592000}]}},
    }
    http = RecordingClient(answers)
    api = Gateway(api_key="sk_test_recorded", http_client=http)
    assert not api.local
    assert api.price_create(name="标准版", amount_fen=99900, interval="month") == "price_1"
    sent = dict(((m, p), q) for m, p, q in http.sent)
    assert sent[("POST", "/v1/prices")]["recurring[interval]"] == ["month"]
    assert sent[("POST", "/v1/prices")]["unit_amount"] == ["99900"]
    assert api.items_for("price_1") == [{"price": "price_1"}]
    url = api.checkout_session_create(customer_id="cus_1", price_id="price_1", company_id=7,
                                      success_url="https://a/ok", cancel_url="https://a/no")
    assert url == "https://checkout.stripe.com/c/cs_1"
    checkout = dict(((m, p), q) for m, p, q in http.sent)[("POST", "/v1/checkout/sessions")]
    assert checkout["mode"] == ["subscription"] and checkout["line_items[0][price]"] == ["price_1"]
    assert checkout["payment_method_types[0]"] == ["card"]  # no WeChat Pay in subscriptions
    assert "payment_method_types[1]" not in checkout
    assert api.portal_session_create(customer_id="cus_1", return_url="https://a/b") == \
        "https://billing.stripe.com/p/1"
    state = api.subscription_state("sub_1")
    assert state.status == "past_due" and state.price_id == "price_1"
    assert state.current_period_end.timestamp() == NOW + 2592000  # read from the item


def test_on_stripe_a_customers_subscriptions_and_invoices_are_read_as_plain_dicts():
    """The reads every webhook batch makes (billing.sync.account_sync), in the real API's
    shapes: the period on the item, the invoice's subscription under `parent` (API versions
    since 2025-03), an open invoice whose payment was attempted."""
    answers = {
        ("GET", "/v1/subscriptions"): {"object": "list", "has_more": False, "data": [
            {"id": "sub_old", "object": "subscription", "customer": "cus_1",
             "status": "canceled", "created": NOW - 99, "cancel_at_period_end": False,
             "items": {"object": "list", "data": [{"id": "si_0", "price": {"id": "price_0"}}]}},
            {"id": "sub_1", "object": "subscription", "customer": "cus_1", "status": "active",
             "created": NOW, "cancel_at_period_end": True, "items": {"object": "list", "data": [{
                 "id": "si_1", "object": "subscription_item", "price": {"id": "price_1"},
                 "current_period_start": NOW, "current_period_end": NOW + 2592000}]}}]},
        ("GET", "/v1/invoices"): {"object": "list", "has_more": False, "data": [
            {"id": "in_1", "object": "invoice", "number": "A-0001", "status": "open",
             "attempted": True, "amount_due": 99900, "amount_paid": 0, "created": NOW,
             "hosted_invoice_url": "https://invoice.stripe.com/i/1",
             "invoice_pdf": "https://pay.stripe.com/invoice/1/pdf",
             "parent": {"type": "subscription_details",
                        "subscription_details": {"subscription": "sub_1"}}}]},
    }
    http = RecordingClient(answers)
    api = Gateway(api_key="sk_test_recorded", http_client=http)
    subs = api.subscriptions_read("cus_1")
    assert [sub["id"] for sub in subs] == ["sub_1", "sub_old"]  # newest first
    assert all(type(sub) is not stripe.StripeObject and isinstance(sub, dict) for sub in subs)
    state = api.state_of(subs[0])
    assert (state.status, state.price_id, state.cancel_at_period_end) == ("active", "price_1",
                                                                          True)
    assert state.current_period_end.timestamp() == NOW + 2592000
    (invoice,) = api.invoices_of("cus_1")
    assert invoice == {"id": "in_1", "number": "A-0001", "status": "open",
                       "subscription": "sub_1", "amount_due": 99900, "amount_paid": 0,
                       "payment_failed": True, "created": invoice["created"],
                       "hosted_url": "https://invoice.stripe.com/i/1",
                       "pdf_url": "https://pay.stripe.com/invoice/1/pdf"}
    assert invoice["created"].timestamp() == NOW
    sent = {(m, p): q for m, p, q in http.sent}
    assert sent[("GET", "/v1/subscriptions")] == {"customer": ["cus_1"], "status": ["all"],
                                                  "limit": ["100"]}
    # The real API needs no expansion (localstripe's open invoices do: their payment's state).
    assert sent[("GET", "/v1/invoices")] == {"customer": ["cus_1"], "limit": ["100"]}


def test_on_localstripe_plans_and_items_plan(company_a):
    api = gateway()
    assert api.local
    price = api.price_create(name="标准版", amount_fen=99900, interval="month")
    assert price.startswith("plan_") and api.items_for(price) == [{"plan": price}]
    customer = api.customer_create(name="甲公司", email="", company_id=company_a.pk)
    api.local_card_set(customer, number="4242424242424242")
    sub = api.local_subscription_create(customer_id=customer, price_id=price,
                                        company_id=company_a.pk)
    state = api.subscription_state(sub)
    assert state.status == "active" and state.price_id == price
    assert state.current_period_end > state.current_period_start  # on the subscription
    api.local_card_set(customer, number=DECLINED_CARD)
    invoice = api.local_renewal_invoice(customer_id=customer, subscription_id=sub)
    assert invoice["status"] == "open" and invoice["payment_failed"]
    assert api.subscription_state(sub).status == "past_due"  # as Stripe would say
    assert [s[0] for s in api.subscriptions_of(customer)] == [sub]


def test_on_stripe_the_customer_carries_the_fapiao_details():
    answers = {("POST", "/v1/customers"): {"id": "cus_1", "object": "customer"},
               ("POST", "/v1/customers/cus_1"): {"id": "cus_1", "object": "customer"}}
    http = RecordingClient(answers)
    api = Gateway(api_key="sk_test_recorded", http_client=http)
    assert api.customer_create(name="甲公司抬头", email="f@a.example", company_id=7,
                               address="北京市海淀区1号", tax_id="91A") == "cus_1"
    api.customer_update("cus_1", name="甲公司新抬头", email="", address="上海市2号",
                        tax_id="91B")
    (_, _, created), (_, _, updated) = http.sent
    assert created["name"] == ["甲公司抬头"] and created["email"] == ["f@a.example"]
    assert created["address[line1]"] == ["北京市海淀区1号"]
    assert created["metadata[fapiao_tax_id]"] == ["91A"]
    assert created["metadata[company_id]"] == ["7"]
    assert updated["name"] == ["甲公司新抬头"] and updated["address[line1]"] == ["上海市2号"]
    assert updated["metadata[fapiao_tax_id]"] == ["91B"] and "email" not in updated


def test_on_stripe_a_cleared_address_and_tax_id_are_unset_on_the_customer():
    """Stripe unsets a customer's address sent as "" and a metadata key sent empty."""
    http = RecordingClient({("POST", "/v1/customers/cus_1"): {"id": "cus_1",
                                                              "object": "customer"}})
    api = Gateway(api_key="sk_test_recorded", http_client=http)
    api.customer_update("cus_1", name="甲公司", email="", address="", tax_id="")
    ((_, _, updated),) = http.sent
    assert updated["address"] == [""]
    assert not any(key.startswith("address[") for key in updated)
    assert updated["metadata[fapiao_tax_id]"] == [""]
