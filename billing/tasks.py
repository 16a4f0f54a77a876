from celery import shared_task

from billing import sync

MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=MAX_RETRIES)
def webhook_event_process_task(self, event_pk: int) -> None:
    # Applies the event with every pending event about its customer (one read of Stripe); a
    # no-op when an earlier task applied it with its own. Safe to run twice: the rows' locks and
    # processed_at make the second a no-op.
    try:
        sync.events_process(event_pk=event_pk)
    except Exception as error:  # Stripe unreachable, a bug: retried, then dead-lettered
        final = self.request.retries >= MAX_RETRIES
        sync.event_failed(event_pk=event_pk, error=repr(error), final=final)
        if final:
            raise
        raise self.retry(exc=error, countdown=2 ** self.request.retries) from error
