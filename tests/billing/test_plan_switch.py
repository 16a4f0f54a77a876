"""Switching plans through the portal's action: on localstripe through the gateway (the shape
the real API takes too), prorated as localstripe does it (an "Unused time" credit on the next
invoice), the new plan's terms at once, and only the admin's own company."""

from django.db import connection

from billing import local, portal, services
from billing.entitlements import account_for
from billing.gateway import gateway
from billing.models import BillingAccount
from tests.billing.conftest import login_admin
from tests.billing.helpers import plan_of

A = "alpha.localhost"


def _subscribe(company, code="standard"):
    price = services.price_ensure(plan=plan_of(code), interval="month")
    assert local.checkout_complete(company=company, price=price, pay=True)
    return account_for(company)


def test_the_local_portal_switches_plan_with_proration(client, company_a, admin_a):
    account = _subscribe(company_a)
    professional = plan_of("professional")
    login_admin(client, A)
    page = client.get("/billing/local/portal/", HTTP_HOST=A).content.decode()
    connection.set_schema_to_public()
    assert 'id="switch-plan"' in page and "专业版" in page
    response = client.post("/billing/local/portal/", {"action": "switch",
                                                      "plan": professional.pk,
                                                      "interval": "month"},
                           HTTP_HOST=A, follow=True)
    connection.set_schema_to_public()
    assert "已更换为专业版" in response.content.decode()
    account = BillingAccount.objects.get(pk=account.pk)
    assert account.plan == professional and account.member_limit == professional.member_limit
    assert account.features == professional.features
    assert account.subscription_status == "active"
    # Stripe's subscription moved to the professional price
    state = gateway().subscription_state(account.stripe_subscription_id)
    assert state.price_id == professional.stripe_prices.get(interval="month").stripe_id
    # the next invoice is the new price less the unused time already paid
    paid = local.renewal_bill(company=company_a)
    assert paid
    newest = account.invoices.order_by("-created", "-pk").first()
    assert newest.amount_due_fen < professional.price_month_fen


def test_switching_to_the_same_plan_or_without_a_subscription_is_refused(company_a, company_b):
    import pytest

    from billing.services import BillingRefused

    with pytest.raises(BillingRefused) as caught:
        portal.portal_switch(company=company_a, plan=plan_of("professional"), interval="month")
    assert caught.value.code == "not_subscribed"
    _subscribe(company_a)
    with pytest.raises(BillingRefused) as caught:
        portal.portal_switch(company=company_a, plan=plan_of("standard"), interval="month")
    assert caught.value.code == "plan_unchanged"
    # the yearly interval is a switch too; B is untouched
    _subscribe(company_b)
    portal.portal_switch(company=company_a, plan=plan_of("standard"), interval="year")
    assert account_for(company_a).interval == "year"
    assert account_for(company_b).interval == "month"
    assert account_for(company_b).plan.code == "standard"
