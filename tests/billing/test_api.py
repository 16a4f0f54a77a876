"""套餐与账单 over the API: the company admin's status, plans, invoices, 发票 requests, checkout
and the portal's actions on localstripe; open when the paid features pause (paying is how they
come back); admin only; company A's admin never sees or acts on B's billing by id."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from billing import fapiao, local, services
from billing.entitlements import account_for
from billing.models import BillingAccount, Fapiao, SponsoredPeriod
from tests.billing.helpers import plan_of
from tests.toolkit.api.conftest import api_login, auth

A, B = "alpha.localhost", "beta.localhost"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def call(method: str, host: str, path: str, token: str, data=None):
    client = Client()
    send = getattr(client, method)
    if method == "get":
        response = send(path, data or {}, HTTP_HOST=host, **auth(token))
    else:
        response = send(path, data or {}, content_type="application/json", HTTP_HOST=host,
                        **auth(token))
    connection.set_schema_to_public()
    return response


@pytest.fixture
def tokens(org_a, org_b):
    return api_login(Client(), A, "admin"), api_login(Client(), B, "admin")


def test_the_admin_pays_switches_cancels_and_asks_for_a_fapiao(tokens):
    token, _b = tokens
    me = call("get", A, "/api/v1/billing/", token).json()
    assert me["status"] == "trialing" and me["sponsored_until"]
    assert me["account"]["plan"]["code"] == "trial" and me["paused"] is False
    plans = call("get", A, "/api/v1/billing/plans/", token).json()
    assert [p["code"] for p in plans] == ["standard", "professional"]
    standard, professional = plans
    # checkout: without a Stripe key, the site's local checkout page
    response = call("post", A, "/api/v1/billing/checkout/", token,
                    {"plan": standard["id"], "interval": "month"})
    assert response.status_code == 200, response.content
    assert response.json()["url"].endswith(f"/billing/local/checkout/{standard['id']}/month/")
    from tenants.models import Company

    alpha = Company.objects.get(schema_name="alpha")
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    assert local.checkout_complete(company=alpha, price=price, pay=True)
    me = call("get", A, "/api/v1/billing/", token).json()
    assert me["status"] == "active" and me["account"]["current_period_end"]
    # a second checkout is refused with the service's code
    again = call("post", A, "/api/v1/billing/checkout/", token,
                 {"plan": professional["id"], "interval": "month"})
    assert again.status_code == 400 and again.json()["code"] == "already_subscribed"
    invoices = call("get", A, "/api/v1/billing/invoices/", token).json()
    assert invoices["count"] == 1
    paid = invoices["results"][0]
    assert paid["status"] == "paid" and paid["amount_paid_fen"] == 99900
    assert paid["fapiao"] is None
    # 发票: details first, then the request; listed, then issued by staff and downloaded
    missing = call("post", A, "/api/v1/billing/fapiao/", token,
                   {"invoice": paid["id"], "kind": "general"})
    assert missing.status_code == 400 and missing.json()["code"] == "fapiao_details_missing"
    details = call("patch", A, "/api/v1/billing/details/", token,
                   {"invoice_title": "甲公司", "tax_id": "91110000abc"})
    assert details.status_code == 200 and details.json()["account"]["tax_id"] == "91110000ABC"
    bad_email = call("patch", A, "/api/v1/billing/details/", token, {"email": "nope"})
    assert bad_email.status_code == 400 and "email" in bad_email.json()["fields"]
    made = call("post", A, "/api/v1/billing/fapiao/", token,
                {"invoice": paid["id"], "kind": "general"})
    assert made.status_code == 201 and made.json()["issued"] is False
    assert made.json()["download_url"] is None
    listed = call("get", A, "/api/v1/billing/fapiao/", token).json()
    assert [f["id"] for f in listed["results"]] == [made.json()["id"]]
    fapiao.fapiao_issue(fapiao=Fapiao.objects.get(pk=made.json()["id"]), number="04400123",
                        pdf=SimpleUploadedFile("f.pdf", PDF, content_type="application/pdf"))
    row = call("get", A, "/api/v1/billing/invoices/", token).json()["results"][0]
    assert row["fapiao"]["number"] == "04400123" and row["fapiao"]["issued"] is True
    download = call("get", A, row["fapiao"]["download_url"], token)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # the portal: the local page's address, a switch (prorated), cancel at the period end
    assert call("get", A, "/api/v1/billing/portal/", token).json()["url"].endswith(
        "/billing/local/portal/")
    switched = call("post", A, "/api/v1/billing/portal/switch/", token,
                    {"plan": professional["id"], "interval": "month"})
    assert switched.status_code == 200, switched.content
    body = switched.json()
    assert body["account"]["plan"]["code"] == "professional"
    assert body["account"]["member_limit"] == professional["member_limit"]
    same = call("post", A, "/api/v1/billing/portal/switch/", token,
                {"plan": professional["id"], "interval": "month"})
    assert same.status_code == 400 and same.json()["code"] == "plan_unchanged"
    canceled = call("post", A, "/api/v1/billing/portal/cancel/", token, {"cancel": True})
    assert canceled.status_code == 200
    assert canceled.json()["account"]["cancel_at_period_end"] is True
    assert canceled.json()["status"] == "active"  # paid until the period ends
    resumed = call("post", A, "/api/v1/billing/portal/cancel/", token, {"cancel": False})
    assert resumed.json()["account"]["cancel_at_period_end"] is False


def test_company_a_admin_cannot_see_or_act_on_b_billing_by_id(tokens):
    token_a, token_b = tokens
    from tenants.models import Company

    beta = Company.objects.get(schema_name="beta")
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    local.checkout_complete(company=beta, price=price, pay=True)
    services.details_update(company=beta, invoice_title="乙公司", tax_id="91B", email="",
                            invoice_address="", invoice_bank="")
    invoice = account_for(beta).invoices.get()
    requested = fapiao.fapiao_request(company=beta, invoice_id=invoice.pk, kind="general")
    fapiao.fapiao_issue(fapiao=requested, number="B-1",
                        pdf=SimpleUploadedFile("f.pdf", PDF, content_type="application/pdf"))
    # A sees none of it
    assert call("get", A, "/api/v1/billing/invoices/", token_a).json()["count"] == 0
    assert call("get", A, "/api/v1/billing/fapiao/", token_a).json()["count"] == 0
    assert call("get", A, "/api/v1/billing/", token_a).json()["account"]["tax_id"] == ""
    # ...cannot ask a 发票 for B's invoice, nor download B's 发票, by id
    asked = call("post", A, "/api/v1/billing/fapiao/", token_a,
                 {"invoice": invoice.pk, "kind": "general"})
    assert asked.status_code == 400 and asked.json()["code"] == "fapiao_invoice_invalid"
    assert call("get", A, f"/api/v1/billing/fapiao/{requested.pk}/download/",
                token_a).status_code == 404
    # ...and A's portal actions act on A (which has no subscription), never on B
    cancel = call("post", A, "/api/v1/billing/portal/cancel/", token_a, {"cancel": True})
    assert cancel.status_code == 400 and cancel.json()["code"] == "not_subscribed"
    switch = call("post", A, "/api/v1/billing/portal/switch/", token_a,
                  {"plan": plan_of("professional").pk, "interval": "month"})
    assert switch.status_code == 400
    b = BillingAccount.objects.get(company=beta)
    assert b.cancel_at_period_end is False and b.plan.code == "standard"
    # B's token is nothing on A's host
    assert call("get", A, "/api/v1/billing/", token_b).status_code == 401
    assert call("get", B, "/api/v1/billing/invoices/", token_b).json()["count"] == 1


def test_members_are_refused_and_the_admin_keeps_billing_when_features_pause(org_a, org_b):
    member = api_login(Client(), A, org_a.members[2].user.mobile)
    for path in ("/api/v1/billing/", "/api/v1/billing/invoices/", "/api/v1/billing/plans/"):
        assert call("get", A, path, member).status_code == 403
    assert call("post", A, "/api/v1/billing/portal/cancel/", member,
                {"cancel": True}).status_code == 403
    token = api_login(Client(), A, "admin")
    from tenants.models import Company

    alpha = Company.objects.get(schema_name="alpha")
    account_for(alpha)
    SponsoredPeriod.objects.filter(company=alpha).update(
        starts_on=timezone.localdate() - timedelta(days=60),
        ends_on=timezone.localdate() - timedelta(days=30))
    paused = call("get", A, "/api/v1/me/", token)
    assert paused.status_code == 403 and paused.json()["code"] == "paid_feature_paused"
    me = call("get", A, "/api/v1/billing/", token).json()
    assert me["status"] == "canceled" and me["paused"] is True
    plan = plan_of("standard")
    response = call("post", A, "/api/v1/billing/checkout/", token,
                    {"plan": plan.pk, "interval": "year"})
    assert response.status_code == 200 and "/local/checkout/" in response.json()["url"]
    # a plan not for sale is not found
    hidden = call("post", A, "/api/v1/billing/checkout/", token,
                  {"plan": plan_of("trial").pk, "interval": "month"})
    assert hidden.status_code == 404


def test_list_queries_do_not_grow_with_the_page(tokens):
    from django.test.utils import CaptureQueriesContext

    from billing.models import Invoice
    from tenants.models import Company

    token, _b = tokens
    alpha = Company.objects.get(schema_name="alpha")
    account = account_for(alpha)
    services.details_update(company=alpha, invoice_title="甲公司", tax_id="91A", email="",
                            invoice_address="", invoice_bank="")
    for n in range(30):
        invoice = Invoice.objects.create(account=account, stripe_id=f"in_test_{n}",
                                         status="paid", amount_due_fen=100, amount_paid_fen=100,
                                         created=timezone.now() - timedelta(days=n))
        if n % 2:
            fapiao.fapiao_request(company=alpha, invoice_id=invoice.pk, kind="general")
    # The first call remembers the token and the company's features (api/authentication.py,
    # billing.entitlements.features_now): warm them, so both sizes are counted alike.
    assert call("get", A, "/api/v1/billing/", token).status_code == 200
    counts = {}
    for size in (5, 30):
        for path in ("/api/v1/billing/invoices/", "/api/v1/billing/fapiao/"):
            with CaptureQueriesContext(connection) as queries:
                response = call("get", A, path, token, {"page_size": size})
            assert response.status_code == 200
            assert len(response.json()["results"]) == (size if "invoices" in path else
                                                       min(size, 15))
            counts[path, size] = len(queries)
    for path in ("/api/v1/billing/invoices/", "/api/v1/billing/fapiao/"):
        assert counts[path, 5] == counts[path, 30], counts
