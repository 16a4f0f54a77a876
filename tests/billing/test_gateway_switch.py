"""Switching plans and moving to a new price, in Stripe's shape at the HTTP boundary: a switch
prorates as the Portal does (`create_prorations`), a staff price change moves the item with
nothing prorated (`none`); both change the one item by its id and its `price`."""

from billing.gateway import Gateway
from tests.billing.test_gateway import RecordingClient

SUB = {"id": "sub_1", "object": "subscription", "customer": "cus_1", "status": "active",
       "cancel_at_period_end": False, "items": {"object": "list", "data": [{
           "id": "si_1", "object": "subscription_item", "price": {"id": "price_old"}}]}}


def _sent(http, method, path):
    return [q for m, p, q in http.sent if (m, p) == (method, path)]


def test_a_switch_prorates_as_stripe_does():
    http = RecordingClient({("GET", "/v1/subscriptions/sub_1"): SUB,
                            ("POST", "/v1/subscriptions/sub_1"): SUB})
    Gateway(api_key="sk_test_recorded", http_client=http).subscription_switch("sub_1",
                                                                               "price_new")
    [update] = _sent(http, "POST", "/v1/subscriptions/sub_1")
    assert update["items[0][id]"] == ["si_1"] and update["items[0][price]"] == ["price_new"]
    assert update["proration_behavior"] == ["create_prorations"]
    assert "items[0][plan]" not in update


def test_a_new_price_is_paid_from_the_next_period_with_nothing_prorated():
    http = RecordingClient({("GET", "/v1/subscriptions/sub_1"): SUB,
                            ("POST", "/v1/subscriptions/sub_1"): SUB})
    Gateway(api_key="sk_test_recorded", http_client=http).subscription_price_roll(
        "sub_1", "price_new")
    [update] = _sent(http, "POST", "/v1/subscriptions/sub_1")
    assert update["items[0][price]"] == ["price_new"] and update["proration_behavior"] == ["none"]
    assert not _sent(http, "GET", "/v1/invoiceitems")  # only localstripe needs the clean-up
