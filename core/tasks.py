"""Queueing Celery tasks, and the tasks of the shared helpers (saas/celery.py finds this module).

Services queue their tasks by name: a service never imports its task module (the task module
imports the service), so the import graph stays acyclic. The message is the same one
`task.delay()` would send (Task.apply_async ends in app.send_task), with the sender's schema
in its headers (tenant-schemas-celery's app adds it)."""

import logging

from celery import current_app, shared_task
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def task_send(name: str, *args) -> None:
    """Queues the task registered as `name` (its module path, e.g.
    "tenants.tasks.company_provision_task"); call it after commit. If the broker is down the
    work stays marked as queued and a sweep (beat) sends it again, instead of the page failing."""
    try:
        current_app.send_task(name, args=args)
    except Exception:
        # Not the arguments: an SMS task carries a one-time code.
        logger.exception("could not queue %s; the sweep will retry", name)


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=30)
def email_send_task(self, to: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, None, [to])
    except OSError as error:  # SMTP unreachable: try again later
        raise self.retry(exc=error) from error
