"""The Stripe customer carries the company's 发票 details: the 抬头 as its name, the address
as its address, the 税号 in its metadata; entered before checkout, at the customer's creation,
and changed after it, on the customer (localstripe here, the real API in test_gateway)."""

from billing import local, services
from billing.gateway import gateway
from billing.models import BillingAccount
from tests.billing.helpers import plan_of


def _customer(company) -> dict:
    account = BillingAccount.objects.get(company=company)
    assert account.stripe_customer_id
    return gateway().v1.customers.retrieve(account.stripe_customer_id).to_dict()


def test_details_entered_before_checkout_reach_the_stripe_customer(company_a):
    services.details_update(company=company_a, invoice_title="甲公司（开票抬头）",
                            tax_id="91110000abc", invoice_address="北京市海淀区中关村大街1号",
                            invoice_bank="", email="finance@alpha.example")
    assert not BillingAccount.objects.get(company=company_a).stripe_customer_id  # not yet
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    assert local.checkout_complete(company=company_a, price=price, pay=True)
    customer = _customer(company_a)
    assert customer["name"] == "甲公司（开票抬头）"
    assert customer["email"] == "finance@alpha.example"
    assert customer["address"]["line1"] == "北京市海淀区中关村大街1号"
    assert customer["metadata"]["fapiao_tax_id"] == "91110000ABC"
    assert customer["metadata"]["company_id"] == str(company_a.pk)


def test_details_changed_after_checkout_reach_the_stripe_customer(company_a):
    services.customer_ensure(company=company_a)
    services.details_update(company=company_a, invoice_title="甲公司新抬头", tax_id="91X",
                            invoice_address="上海市浦东新区世纪大道2号", invoice_bank="",
                            email="")
    customer = _customer(company_a)
    assert customer["name"] == "甲公司新抬头"
    assert customer["address"]["line1"] == "上海市浦东新区世纪大道2号"
    assert customer["metadata"]["fapiao_tax_id"] == "91X"
    assert customer["metadata"]["company_id"] == str(company_a.pk)  # kept by the update


def test_details_cleared_after_checkout_are_cleared_on_the_stripe_customer(company_a):
    services.customer_ensure(company=company_a)
    services.details_update(company=company_a, invoice_title="甲公司", tax_id="91X",
                            invoice_address="上海市浦东新区世纪大道2号", invoice_bank="",
                            email="")
    assert _customer(company_a)["address"]["line1"] == "上海市浦东新区世纪大道2号"
    services.details_update(company=company_a, invoice_title="甲公司", tax_id="",
                            invoice_address="", invoice_bank="", email="")
    customer = _customer(company_a)
    assert not customer["address"]  # not the stale address
    assert not customer["metadata"].get("fapiao_tax_id")
    assert customer["metadata"]["company_id"] == str(company_a.pk)
