from celery import shared_task

from billing import sync

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
            if not sync.events_process(event_pk=head):
                return  # applied by another task, which looks for the rest after its commit
        except Exception as error:  # Stripe unreachable, a bug: retried, then dead-lettered
            final = self.request.retries >= MAX_RETRIES
            sync.event_failed(event_pk=head, error=repr(error), final=final)
            if final:
                raise  # the customer's other pending events: the sweep queues them
            raise self.retry(args=(head,), exc=error,
                             countdown=2 ** self.request.retries) from error
        head = sync.pending_next(event_pk=head)


@shared_task(ignore_result=True)
def webhook_sweep_task() -> list[int]:
    heads = sync.pending_sweep()
    for event_pk in heads:
        webhook_event_process_task.delay(event_pk)
    return heads
