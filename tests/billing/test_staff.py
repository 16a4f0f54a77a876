"""Staff's billing view: revenue, companies by status, failed payments, free periods ending
soon, one company's history; a bank transfer recorded against an open invoice extends the
subscription like a card payment; the grace period is staff's to edit."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_create
from billing import local, services
from billing.entitlements import account_for, billing_status
from billing.gateway import DECLINED_CARD, gateway
from billing.models import BillingAccount
from tests.billing.helpers import plan_of
from tests.toolkit.conftest import login


def test_staff_see_revenue_failures_and_record_a_bank_transfer(client, company_a, company_b):
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    local.checkout_complete(company=company_a, price=price, pay=True)
    account = account_for(company_a)
    gateway().local_card_set(account.stripe_customer_id, number=DECLINED_CARD)
    local.renewal_bill(company=company_a)  # fails: past due, an open invoice
    account_for(company_b)
    services.sponsorship_grant(companies=[company_b], starts_on=timezone.localdate(),
                               ends_on=timezone.localdate() + timedelta(days=10), note="孵化期")
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    login(client, "localhost", "staff1")
    page = client.get("/billing/", HTTP_HOST="localhost").content.decode()
    assert '<span id="mrr">999.00</span>' in page
    assert "乙公司" in page and "甲公司" in page  # the free period ending, the failed payment
    assert "billing-charts" in page
    company_page = client.get(f"/billing/companies/{account.pk}/", HTTP_HOST="localhost")
    html = company_page.content.decode()
    assert "扣款失败" in html and "登记对公转账" in html
    open_invoice = account.invoices.get(status="open")
    client.post(f"/billing/invoices/{open_invoice.pk}/transfer/", {"reference": "ICBC-20261129"},
                HTTP_HOST="localhost")
    open_invoice.refresh_from_db()
    assert open_invoice.status == "paid" and open_invoice.paid_by_transfer == "ICBC-20261129"
    account = BillingAccount.objects.get(pk=account.pk)
    assert billing_status(account) == "active" and account.past_due_since is None
    client.post(f"/billing/companies/{account.pk}/grace/", {"days": "30"}, HTTP_HOST="localhost")
    assert BillingAccount.objects.get(pk=account.pk).grace_days == 30
    connection.set_schema_to_public()


def test_free_time_ending_counts_what_the_company_gets_in_a_row(company_a, company_b):
    """A trial ending inside a longer sponsorship ends nothing (the demo showed both companies'
    trials "ending" while sponsored for longer); periods that follow each other run on; each
    company is listed once, at the end of its free time."""
    from billing.models import SponsorKind
    from billing.selectors import free_periods_ending

    today = timezone.localdate()
    day = timedelta(days=1)
    account_for(company_a)
    account_for(company_b)
    company_a.sponsorships.all().delete()
    company_b.sponsorships.all().delete()
    services.sponsorship_grant(companies=[company_a], starts_on=today, ends_on=today + 20 * day,
                               kind=SponsorKind.TRIAL)
    services.sponsorship_grant(companies=[company_a], starts_on=today - 5 * day,
                               ends_on=today + 40 * day)
    assert free_periods_ending(today=today, days=30) == []

    # B: 10 days, then another period from the next day to day 25, and a trial ending on day 8.
    services.sponsorship_grant(companies=[company_b], starts_on=today, ends_on=today + 10 * day)
    services.sponsorship_grant(companies=[company_b], starts_on=today + 11 * day,
                               ends_on=today + 25 * day)
    services.sponsorship_grant(companies=[company_b], starts_on=today, ends_on=today + 8 * day,
                               kind=SponsorKind.TRIAL)
    ending = free_periods_ending(today=today, days=30)
    assert [(p.company_id, p.ends_on) for p in ending] == [(company_b.pk, today + 25 * day)]
    # A gap of a day after A's 40 days: A pays on day 41, so its free time ends on day 40.
    services.sponsorship_grant(companies=[company_a], starts_on=today + 42 * day,
                               ends_on=today + 50 * day)
    assert [(p.company_id, p.ends_on) for p in free_periods_ending(today=today, days=45)] == [
        (company_b.pk, today + 25 * day), (company_a.pk, today + 40 * day)]


def test_a_dead_event_is_listed_for_staff_and_their_retry_applies_it(client, company_a,
                                                                     monkeypatch):
    from billing import sync
    from billing.models import WebhookEvent
    from billing.tasks import webhook_event_process_task
    from billing.webhooks import event_payload, event_receive, signature_header

    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    local.checkout_complete(company=company_a, price=price, pay=True)
    account = account_for(company_a)
    queued: list[int] = []  # what the endpoint and the retry button queue (recorded, not sent)
    monkeypatch.setattr(webhook_event_process_task, "apply_async",
                        lambda args=None, kwargs=None, **options: queued.append(args[0]))
    api = gateway()
    api.subscription_cancel_at_period_end(account.stripe_subscription_id, True)
    sub = api.v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict()
    payload = event_payload(event_id="evt_dead", type="customer.subscription.updated", obj=sub)
    event_receive(payload=payload, signature=signature_header(payload))
    event = WebhookEvent.objects.get(event_id="evt_dead")
    for attempt in range(6):  # Stripe unreachable each time: the last puts it on the list
        sync.event_failed(event_pk=event.pk, error="APIConnectionError('Stripe down')",
                          final=attempt == 5)
    assert not BillingAccount.objects.get(pk=account.pk).cancel_at_period_end

    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    login(client, "localhost", "staff1")
    page = client.get("/billing/", HTTP_HOST="localhost").content.decode()
    assert "evt_dead" in page and "Stripe down" in page
    assert f'action="/billing/events/{event.pk}/retry/"' in page
    queued.clear()
    response = client.post(f"/billing/events/{event.pk}/retry/", HTTP_HOST="localhost")
    assert response.status_code == 302 and response["Location"] == "/billing/"
    assert queued == [event.pk]
    event.refresh_from_db()
    assert event.dead_at is None  # off the list, queued again
    webhook_event_process_task.apply(args=(event.pk,))  # the worker takes it
    event.refresh_from_db()
    assert event.processed_at is not None and event.effects == 1
    assert BillingAccount.objects.get(pk=account.pk).cancel_at_period_end
    page = client.get("/billing/", HTTP_HOST="localhost").content.decode()
    assert "evt_dead" not in page
    connection.set_schema_to_public()


def test_staff_company_page_links_each_invoice_to_stripes_page_and_pdf(client, company_a,
                                                                       company_b):
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    local.checkout_complete(company=company_a, price=price, pay=True)
    account, other = account_for(company_a), account_for(company_b)
    invoice = account.invoices.get()
    # localstripe gives none; Stripe gives both, kept by the sync (test_gateway)
    type(invoice).objects.filter(pk=invoice.pk).update(
        hosted_url="https://invoice.stripe.com/i/acct_1/live_A",
        pdf_url="https://pay.stripe.com/invoice/acct_1/live_A/pdf")
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    login(client, "localhost", "staff1")
    html = client.get(f"/billing/companies/{account.pk}/", HTTP_HOST="localhost").content.decode()
    assert 'href="https://invoice.stripe.com/i/acct_1/live_A"' in html
    assert 'href="https://pay.stripe.com/invoice/acct_1/live_A/pdf"' in html
    html = client.get(f"/billing/companies/{other.pk}/", HTTP_HOST="localhost").content.decode()
    assert "live_A" not in html  # another company's page lists its own invoices only
    connection.set_schema_to_public()
