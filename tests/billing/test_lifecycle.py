"""The whole lifecycle on localstripe, each step as the admin sees it on the billing page:
trial, checkout, active, payment fails, past due, grace ends, read-only, paid, active, cancel
at the period end, canceled."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from billing.entitlements import account_for, feature_allowed
from billing.models import BillingAccount, Feature
from tests.billing.conftest import login_admin
from tests.billing.helpers import plan_of

A = "alpha.localhost"


def _page(client) -> str:
    page = client.get("/billing/", HTTP_HOST=A)
    connection.set_schema_to_public()
    assert page.status_code == 200
    return page.content.decode()


def _status(client) -> str:
    html = _page(client)
    return html.split('data-status="', 1)[1].split('"', 1)[0]


def _post(client, url: str, data: dict) -> str:
    response = client.post(url, data, HTTP_HOST=A, follow=True)
    connection.set_schema_to_public()
    assert response.status_code == 200
    return response.content.decode()


def test_trial_to_canceled_each_step_shown_to_the_admin(client, company_a, admin_a,
                                                       monkeypatch):
    sent = []
    monkeypatch.setattr("billing.notices.send_later",
                        lambda *, to, template, context: sent.append((to, template)))
    login_admin(client, A)
    _post(client, "/billing/details/", {"invoice_title": "甲公司", "tax_id": "91110000X",
                                        "invoice_address": "", "invoice_bank": "",
                                        "email": "billing@alpha.cn"})
    # 1. trial
    assert _status(client) == "trialing" and "免费期至" in _page(client)
    assert feature_allowed(company_a, Feature.API)
    # 2. checkout (the local checkout stands in for Stripe's)
    standard = plan_of("standard")
    html = _post(client, "/billing/checkout/", {"plan": standard.pk, "interval": "month"})
    assert "本地结账" in html and "999.00" in html
    html = _post(client, f"/billing/local/checkout/{standard.pk}/month/", {"outcome": "pay"})
    # 3. active
    assert "付款成功" in html and _status(client) == "active"
    account = account_for(company_a)
    assert account.plan == standard and account.member_limit == standard.member_limit
    assert "本期至" in _page(client) and "999.00" in _page(client)  # the paid invoice listed
    # 4. payment fails (the card is declined at renewal)
    _post(client, "/billing/local/portal/", {"action": "card_declined"})
    html = _post(client, "/billing/local/portal/", {"action": "renew"})
    assert "续费扣款失败" in html
    # 5. past due: the grace period, shown with its end
    assert _status(client) == "past_due" and "付款未成功" in _page(client)
    home = client.get("/", HTTP_HOST=A).content.decode()  # the banner, on every page
    connection.set_schema_to_public()
    assert "billing-banner" in home and "付款未成功" in home
    assert feature_allowed(company_a, Feature.API)  # within grace: nothing paused yet
    # 6. grace ends
    BillingAccount.objects.filter(pk=account.pk).update(
        past_due_since=timezone.now() - timedelta(days=15))
    # 7. read-only: the paid features pause, the rest goes on
    assert "付费功能已暂停" in _page(client)
    assert sent == [("billing@alpha.cn", "billing_past_due")]  # one e-mail when it began
    assert not feature_allowed(company_a, Feature.API)
    assert not feature_allowed(company_a, "imports")
    # 8. paid (a good card, then pay what is owed)
    _post(client, "/billing/local/portal/", {"action": "card_good"})
    _post(client, "/billing/local/portal/", {"action": "pay"})
    # 9. active again
    assert _status(client) == "active" and "付费功能已暂停" not in _page(client)
    assert feature_allowed(company_a, Feature.API)
    # 10. cancel at the period end: still active, the end date shown
    html = _post(client, "/billing/local/portal/", {"action": "cancel"})
    assert "到期取消" in html
    end = account_for(company_a).current_period_end
    assert timezone.localtime(end).strftime("%Y-%m-%d") in _page(client)
    assert _status(client) == "active"
    # 11. canceled when the period ends (simulated: localstripe has no clock)
    _post(client, "/billing/local/portal/", {"action": "period_end"})
    assert _status(client) == "canceled"
    assert not feature_allowed(company_a, Feature.HANDBOOK_PDF)
