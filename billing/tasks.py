import logging

import stripe
from celery import shared_task

from billing import services, sync

logger = logging.getLogger(__name__)

MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=MAX_RETRIES)
def webhook_event_process_task(self, event_pk: int) -> None:
    # One task per customer with pending events, not per event (docs/decisions/0034): applies
    # the event with every pending event about its customer (one read of Stripe), then, after
    # that commit, the customer's events that arrived meanwhile, until none is pending. A no-op
    # when an earlier task applied the event. Safe to run twice: the rows' locks and
    # processed_at make the second a no-op.
    head = event_pk
    while head is not None:
        try:
            applied = sync.events_process(event_pk=head)
        except Exception as error:  # Stripe unreachable, a bug: retried, then dead-lettered
            final = self.request.retries >= MAX_RETRIES
            sync.event_failed(event_pk=head, error=repr(error), final=final)
            if final:
                # The customer's other pending events (tasks turned away while this one held
                # them, events the endpoint queued nothing for): the sweep queues them, minutes
                # later. Not at once: a batch applies the customer's state, not one event, so
                # what failed five times would most likely fail for them too.
                raise
            raise self.retry(args=(head,), exc=error,
                             countdown=2 ** self.request.retries) from error
        if applied is None:
            return  # another task is at this customer's events; it looks again after its commit
        # Applied now, or before by a task that may have turned others away meanwhile: look.
        head = sync.pending_next(event_pk=head)


@shared_task(ignore_result=True)
def webhook_sweep_task() -> list[int]:
    heads = sync.pending_sweep()
    for event_pk in heads:
        webhook_event_process_task.delay(event_pk)
    return heads


# Stripe refused the request itself (a subscription it does not know, a bad key): the same
# request would be refused again, so the roll stops at once for staff to look and retry.
NOT_RETRIED = (stripe.InvalidRequestError, stripe.AuthenticationError, stripe.PermissionError,
               stripe.CardError, stripe.IdempotencyError)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=MAX_RETRIES)
def plan_prices_roll_task(self, plan_pk: int, run: int) -> None:
    # Staff changed a plan's price: its live subscriptions move to the new price, one at a
    # time, progress committed after each (docs/decisions/0037). Safe to run twice: a
    # subscription already on the price is only read, and a run replaced by a newer one stops.
    try:
        services.plan_prices_roll(plan_id=plan_pk, run=run)
    except Exception as error:  # Stripe unreachable or refusing, a bug
        if isinstance(error, NOT_RETRIED) or self.request.retries >= MAX_RETRIES:
            services.plan_prices_roll_failed(plan_id=plan_pk, run=run)
            logger.warning("price roll of plan %s (run %s) failed: %r", plan_pk, run, error)
            return
        services.plan_prices_roll_retrying(plan_id=plan_pk, run=run)
        raise self.retry(args=(plan_pk, run), exc=error,
                         countdown=2 ** self.request.retries) from error
