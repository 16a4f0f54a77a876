"""Receiving Stripe's events: the signature checked (with a tolerance on its timestamp), the
event stored under its unique id, and its processing queued once, after the commit. A forged,
expired or unsigned delivery is refused and stores nothing."""

import hashlib
import hmac
import json
import time

import stripe
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from billing.models import WebhookEvent
from billing.tasks import webhook_event_process_task


class WebhookRefused(Exception):
    """The delivery is not Stripe's (bad or stale signature, or not an event)."""


def webhook_secret() -> str:
    if settings.STRIPE_WEBHOOK_SECRET:
        return settings.STRIPE_WEBHOOK_SECRET
    if settings.STRIPE_SECRET_KEY:
        return ""  # the real API without its endpoint's secret: nothing can be verified
    digest = hmac.new(settings.SECRET_KEY.encode(), b"billing.localstripe.webhook",
                      hashlib.sha256).hexdigest()
    return f"whsec_local_{digest[:32]}"


def signature_header(payload: bytes, *, secret: str | None = None,
                     timestamp: int | None = None) -> str:
    """A Stripe-Signature header for `payload` (the local checkout's events, the tests)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    mac = hmac.new((secret or webhook_secret()).encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def event_payload(*, event_id: str, type: str, obj: dict, created: int | None = None) -> bytes:
    """A Stripe-shaped event (what the local checkout emits)."""
    return json.dumps({"id": event_id, "object": "event", "type": type,
                       "created": created or int(time.time()), "livemode": False,
                       "api_version": stripe.api_version, "data": {"object": obj}},
                      ensure_ascii=False).encode()


def _pending_before(cursor, *, customer: str, pk: int) -> bool:
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {WebhookEvent._meta.db_table} WHERE customer = %s"
        " AND id < %s AND processed_at IS NULL AND dead_at IS NULL)", [customer, pk])
    return cursor.fetchone()[0]


def event_receive(*, payload: bytes, signature: str) -> tuple[WebhookEvent, bool]:
    """Verifies and stores the event; returns (event, new). A redelivery is (event, False)."""
    secret = webhook_secret()
    if not secret or not signature:
        raise WebhookRefused("unsigned")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, secret,
                                              settings.STRIPE_WEBHOOK_TOLERANCE)
        data = json.loads(text)
    except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as error:
        raise WebhookRefused(str(error)) from error
    if not isinstance(data, dict) or data.get("object") != "event" or not data.get("id"):
        raise WebhookRefused("not an event")
    obj = data.get("data")
    obj = obj.get("object") if isinstance(obj, dict) else None
    obj = obj if isinstance(obj, dict) else {}
    customer = obj.get("customer") or ""
    if isinstance(customer, dict):
        customer = customer.get("id") or ""
    values = {"event_id": str(data["id"])[:100], "type": str(data.get("type", ""))[:100],
              "object_id": str(obj.get("id", ""))[:100],
              "customer": str(customer)[:100],
              # The app's clock, as synced_at's (billing.sync compares the two).
              "received_at": timezone.now()}
    # One statement, committed by itself (or with the caller's transaction): a redelivery (same
    # id) inserts nothing and queues nothing.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WebhookEvent._meta.db_table} (event_id, type, object_id, customer,"
            " payload, received_at, effects, attempts, last_error)"
            " VALUES (%s, %s, %s, %s, %s, %s, 0, 0, '')"
            " ON CONFLICT (event_id) DO NOTHING RETURNING id",
            [values["event_id"], values["type"], values["object_id"], values["customer"],
             text, values["received_at"]])
        row = cursor.fetchone()
        if row is None:
            return WebhookEvent.objects.get(event_id=values["event_id"]), False
        # One task per customer, not per event (docs/decisions/0034). Asked after the insert
        # committed: is an older event about this customer still pending? Then the task applying
        # it looks for pending events again after its own commit, and so finds this one (its
        # commit comes after this question, which saw that event pending). Inside a caller's
        # transaction the insert is not committed yet: always queued.
        queue = not (values["customer"] and not connection.in_atomic_block
                     and _pending_before(cursor, customer=values["customer"], pk=row[0]))
    if queue:
        delay = settings.STRIPE_WEBHOOK_DELAY or None
        # After the commit (at once, outside a transaction); a short delay lets a burst about
        # one customer arrive first.
        transaction.on_commit(lambda: webhook_event_process_task.apply_async(
            (row[0],), countdown=delay))
    event = WebhookEvent(pk=row[0], payload=data, effects=0, attempts=0, last_error="",
                         **values)
    event._state.adding = False
    return event, True
