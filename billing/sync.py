"""Applying Stripe's events: exactly once, and by Stripe's current state rather than the event's
copy, so duplicates, shuffled order and replays all end in the same state.

The company's account row is locked first, so events about one customer apply one after the
other (never two workers on one subscription); then the event rows, which are marked processed
in the transaction that applies them. Because what is applied is Stripe's state read now, not
the event, every pending event about one customer is applied by one read (`events_process`,
what the worker runs; docs/decisions/0034): a read that starts after an event arrived already
reflects it."""

import datetime

from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from billing.gateway import SubscriptionState, gateway
from billing.models import BillingAccount, Invoice, StripePrice, WebhookEvent
from billing.notices import past_due_notice
from tenants.locks import public_xact_lock_try

LIVE = {"active", "trialing", "past_due", "unpaid", "incomplete"}
INVOICE_FIELDS = ["account", "number", "status", "amount_due_fen", "amount_paid_fen",
                  "payment_failed", "created", "hosted_url", "pdf_url"]


def _pending_apply(*, event_pk: int, together: bool) -> list[int] | None:
    """Applies the event (and, `together`, every other pending event about its customer) in
    one transaction; returns the pks applied, [] when the event was applied before, None when
    another task is applying the customer's events (it applies this one after its commit)."""
    head = WebhookEvent.objects.filter(pk=event_pk).values("customer", "processed_at").first()
    if head is None or head["processed_at"] is not None:
        return []
    customer = head["customer"]
    with transaction.atomic():
        if together and customer and not public_xact_lock_try(f"billing.events:{customer}"):
            # Another task is applying this customer's events: it looks for pending ones after
            # its commit (pending_next), which comes after this event's, and applies this one
            # then. Waiting here for its lock would hold a worker thread through its read of
            # Stripe, only to find nothing left to do.
            return None
        # The account first (one customer's events one after the other), then the events.
        account = (BillingAccount.objects.select_for_update()
                   .filter(stripe_customer_id=customer).first() if customer else None)
        which = Q(pk=event_pk)
        if together and customer:
            which |= Q(customer=customer, dead_at__isnull=True)
        events = list(WebhookEvent.objects.select_for_update().filter(
            which, processed_at__isnull=True).order_by("pk").values_list("pk", "received_at"))
        if not events:
            return []
        if account is not None:
            account_sync(account=account, received_at=max(at for _pk, at in events))
        pks = [pk for pk, _at in events]
        WebhookEvent.objects.filter(pk__in=pks).update(
            processed_at=timezone.now(), effects=F("effects") + 1, attempts=F("attempts") + 1,
            last_error="")
        return pks


def pending_next(*, event_pk: int) -> int | None:
    """The oldest pending, not-dead event about the same customer as `event_pk` (None: none, or
    an event about no customer). The worker asks after each batch committed (0034): an event
    whose endpoint saw this batch's events pending queued nothing, and is found here."""
    table = WebhookEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.id FROM {table} e JOIN {table} h ON h.customer = e.customer"
            " WHERE h.id = %s AND h.customer <> '' AND e.processed_at IS NULL"
            " AND e.dead_at IS NULL ORDER BY e.id LIMIT 1", [event_pk])
        row = cursor.fetchone()
    return row[0] if row else None


def pending_sweep(*, older_than_seconds: int = 120) -> list[int]:
    """Events pending for longer than a batch takes, with nothing left to apply them (a task lost
    with a killed worker on the filesystem broker, or the events behind a dead-lettered one): the
    oldest of each customer's (each customer-less event alone), for the worker to queue."""
    stale = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    pending = WebhookEvent.objects.filter(processed_at__isnull=True, dead_at__isnull=True,
                                          received_at__lt=stale)
    heads = list(pending.exclude(customer="").values("customer").annotate(head=Min("pk"))
                 .values_list("head", flat=True))
    return sorted(heads + list(pending.filter(customer="").values_list("pk", flat=True)))


def event_process(*, event_pk: int) -> bool:
    """Applies one stored event alone; False when it was applied before (a redelivered task)."""
    return bool(_pending_apply(event_pk=event_pk, together=False))


def events_process(*, event_pk: int) -> int | None:
    """Applies the event and every pending event about the same customer with one read of
    Stripe; returns how many were applied (0: the event was applied before, with others), or
    None when another task is applying this customer's events and will apply it too."""
    applied = _pending_apply(event_pk=event_pk, together=True)
    return None if applied is None else len(applied)


def account_sync(*, account: BillingAccount, received_at=None) -> BillingAccount:
    """Reads the customer's subscriptions and invoices from Stripe (two requests) and keeps
    them; call with the account locked. The subscription kept is the newest live one, else the
    account's own, else the newest: whatever order events arrive in, the same one. Skipped when
    the last read is newer than the event being applied."""
    if received_at and account.synced_at and account.synced_at > received_at:
        return account
    api = gateway()
    read_at = timezone.now()
    subscriptions = api.subscriptions_read(account.stripe_customer_id)
    chosen = next((sub for sub in subscriptions if sub["status"] in LIVE), None)
    if chosen is None and subscriptions:
        chosen = next((sub for sub in subscriptions
                       if sub["id"] == account.stripe_subscription_id), subscriptions[0])
    invoices = api.invoices_of(account.stripe_customer_id)
    if chosen:
        account.stripe_subscription_id = chosen["id"]
        _state_keep(account, api.state_of(chosen, invoices=invoices))
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
    as they are now (staff's edits reach existing subscriptions at renewal, not before), and
    the amount of the price the subscription is on then: staff's new price, moved onto the
    subscription before its renewal (plan_prices_roll), counts from that renewal; a
    subscription left on its old price keeps counting that."""
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
        account.price_fen = price.amount_fen
        account.terms_period_start = state.current_period_start


def _invoices_keep(account: BillingAccount, invoices: list[dict]) -> None:
    """All of them in one statement (an insert that updates the ones already kept)."""
    if not invoices:
        return
    Invoice.objects.bulk_create([Invoice(
        account=account, stripe_id=inv["id"], number=inv["number"], status=inv["status"],
        amount_due_fen=inv["amount_due"], amount_paid_fen=inv["amount_paid"],
        payment_failed=inv["payment_failed"], created=inv["created"] or timezone.now(),
        hosted_url=inv["hosted_url"], pdf_url=inv["pdf_url"]) for inv in invoices],
        update_conflicts=True, unique_fields=["stripe_id"], update_fields=INVOICE_FIELDS)


@transaction.atomic
def event_failed(*, event_pk: int, error: str, final: bool) -> None:
    """Records a failed attempt; the last one puts the event on staff's dead-letter list."""
    event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
    event.attempts += 1
    event.last_error = error[:2000]
    if final:
        event.dead_at = timezone.now()
    event.save(update_fields=["attempts", "last_error", "dead_at"])
