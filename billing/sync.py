"""Applying Stripe's events: exactly once, and by Stripe's current state rather than the event's
copy, so duplicates, shuffled order and replays all end in the same state.

An event row is locked and marked processed in the transaction that applies it; the company's
account row is locked too, so two events about one subscription apply one after the other. An
account read from Stripe after the event arrived already reflects it: no second read."""

from django.db import transaction
from django.utils import timezone

from billing.gateway import SubscriptionState, gateway
from billing.models import BillingAccount, Invoice, StripePrice, WebhookEvent
from billing.notices import past_due_notice

LIVE = {"active", "trialing", "past_due", "unpaid", "incomplete"}


def _customer_of(obj: dict) -> str:
    customer = obj.get("customer") or ""
    return customer if isinstance(customer, str) else customer.get("id", "")


@transaction.atomic
def event_process(*, event_pk: int) -> bool:
    """Applies one stored event; False when it was applied before (a redelivered task)."""
    event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
    if event.processed_at is not None:
        return False
    obj = event.payload["data"]["object"]
    customer = _customer_of(obj)
    account = (BillingAccount.objects.select_for_update().filter(stripe_customer_id=customer)
               .first() if customer else None)
    if account is not None:
        account_sync(account=account, received_at=event.received_at)
    event.processed_at = timezone.now()
    event.effects += 1
    event.attempts += 1
    event.last_error = ""
    event.save(update_fields=["processed_at", "effects", "attempts", "last_error"])
    return True


def account_sync(*, account: BillingAccount, received_at=None) -> BillingAccount:
    """Reads the customer's subscriptions and invoices from Stripe and keeps them; call with
    the account locked. The subscription kept is the newest live one, else the account's own,
    else the newest: whatever order events arrive in, the same one. Skipped when the last read
    is newer than the event being applied."""
    if received_at and account.synced_at and account.synced_at > received_at:
        return account
    api = gateway()
    read_at = timezone.now()
    subscriptions = api.subscriptions_of(account.stripe_customer_id)
    chosen = next((sub for sub, status, _created in subscriptions if status in LIVE), None)
    if chosen is None and subscriptions:
        ids = [sub for sub, _status, _created in subscriptions]
        chosen = account.stripe_subscription_id if account.stripe_subscription_id in ids \
            else ids[0]
    invoices = api.invoices_of(account.stripe_customer_id)
    if chosen:
        account.stripe_subscription_id = chosen
        _state_keep(account, api.subscription_state(chosen, invoices=invoices))
    _invoices_keep(account, invoices)
    account.synced_at = read_at
    account.save()
    return account


def _state_keep(account: BillingAccount, state: SubscriptionState) -> None:
    was_owing = account.subscription_status in ("past_due", "unpaid")
    account.subscription_status = state.status
    account.current_period_end = state.current_period_end
    account.cancel_at_period_end = state.cancel_at_period_end
    owing = state.status in ("past_due", "unpaid")
    if owing and not was_owing:
        account.past_due_since = timezone.now()
        past_due_notice(account=account)
    elif not owing:
        account.past_due_since = None
    _terms_renew(account, state)


def _terms_renew(account: BillingAccount, state: SubscriptionState) -> None:
    """A new subscription, a switch of plan or interval, or a new period takes the plan's terms
    as they are now (staff's edits reach existing subscriptions at renewal, not before)."""
    price = StripePrice.objects.select_related("plan").filter(stripe_id=state.price_id).first()
    if price is None or state.status not in LIVE:
        return
    new_period = (account.terms_period_start is None or state.current_period_start is None
                  or state.current_period_start > account.terms_period_start)
    if price.plan_id != account.plan_id or price.interval != account.interval or new_period:
        plan = price.plan
        account.plan = plan
        account.interval = price.interval
        account.member_limit = plan.member_limit
        account.storage_quota_bytes = plan.storage_quota_bytes
        account.features = list(plan.features)
        account.terms_period_start = state.current_period_start


def _invoices_keep(account: BillingAccount, invoices: list[dict]) -> None:
    for inv in invoices:
        Invoice.objects.update_or_create(stripe_id=inv["id"], defaults={
            "account": account, "number": inv["number"], "status": inv["status"],
            "amount_due_fen": inv["amount_due"], "amount_paid_fen": inv["amount_paid"],
            "payment_failed": inv["payment_failed"],
            "created": inv["created"] or timezone.now(), "hosted_url": inv["hosted_url"],
            "pdf_url": inv["pdf_url"]})


@transaction.atomic
def event_failed(*, event_pk: int, error: str, final: bool) -> None:
    """Records a failed attempt; the last one puts the event on staff's dead-letter list."""
    event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
    event.attempts += 1
    event.last_error = error[:2000]
    if final:
        event.dead_at = timezone.now()
    event.save(update_fields=["attempts", "last_error", "dead_at"])
