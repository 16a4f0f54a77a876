"""Company A's admin cannot see or act on company B's billing: the company pages take the
company from the host, never an id; staff's pages (which take ids) are staff's only."""

from django.db import connection

from billing import local, services
from billing.entitlements import account_for
from tests.billing.conftest import login_admin
from tests.billing.helpers import plan_of
from tests.toolkit.conftest import login

A, B = "alpha.localhost", "beta.localhost"


def test_a_admin_sees_and_acts_on_a_only(client, org_a, org_b):
    from tenants.models import Company

    alpha = Company.objects.get(schema_name="alpha")
    beta = Company.objects.get(schema_name="beta")
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    local.checkout_complete(company=beta, price=price, pay=True)
    services.details_update(company=beta, invoice_title="乙公司开票抬头", tax_id="91B",
                            invoice_address="", invoice_bank="", email="")
    beta_account = account_for(beta)
    login_admin(client, A)
    page = client.get("/billing/", HTTP_HOST=A).content.decode()
    connection.set_schema_to_public()
    assert "乙公司开票抬头" not in page and 'data-status="trialing"' in page
    # A's admin cancelling on the local portal acts on A (which has no subscription)
    client.post("/billing/local/portal/", {"action": "cancel"}, HTTP_HOST=A, follow=True)
    connection.set_schema_to_public()
    assert not account_for(alpha).stripe_subscription_id
    assert account_for(beta).cancel_at_period_end is False
    # staff's pages take ids: not for a company admin, on any host
    for host in (A, "localhost"):
        for url in (f"/billing/companies/{beta_account.pk}/", "/billing/"):
            response = client.get(url, HTTP_HOST=host)
            connection.set_schema_to_public()
            assert response.status_code in (302, 403, 404) or \
                "乙公司开票抬头" not in response.content.decode()
    invoice = beta_account.invoices.first()
    response = client.post(f"/billing/invoices/{invoice.pk}/transfer/", {"reference": "x"},
                           HTTP_HOST="localhost")
    connection.set_schema_to_public()
    assert response.status_code in (302, 403)
    invoice.refresh_from_db()
    assert invoice.paid_by_transfer == ""


def test_b_admin_page_shows_b_only(client, org_a, org_b):
    login(client, B, "admin")
    page = client.get("/billing/", HTTP_HOST=B)
    connection.set_schema_to_public()
    assert page.status_code == 200 and "甲公司" not in page.content.decode()


def test_members_cannot_open_the_billing_page(client, org_a):
    login(client, A, org_a.members[0].user.username)
    response = client.get("/billing/", HTTP_HOST=A)
    connection.set_schema_to_public()
    assert response.status_code == 403
