"""The Celery app. tenant-schemas-celery puts the sender's schema in each message's headers
and the worker switches to it before the task runs; a plain Celery() would run all in public."""

import os

from celery import signals
from tenant_schemas_celery.app import CeleryApp

from saas.broker import filesystem_transport_fixed

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")
filesystem_transport_fixed()  # no half-written message is ever read (saas/broker.py)

app = CeleryApp("saas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["core"])  # the shared helpers' tasks (core is no Django app)


@signals.task_prerun.connect
def _request_id_is_the_task_id(task_id=None, **_kwargs) -> None:
    """A task's log lines carry its id where a request's carry the request id (saas.log)."""
    from saas.log import request_id_var

    request_id_var.set(task_id or "-")


@signals.task_postrun.connect
def _request_id_cleared(**_kwargs) -> None:
    """A task run in the caller's process (eagerly) leaves the caller's lines unlabelled."""
    from saas.log import request_id_var

    request_id_var.set("-")


@signals.task_prerun.connect
@signals.task_postrun.connect
def _old_connections_closed(sender=None, **_kwargs) -> None:
    """Database connections kept between tasks as between requests (DB_CONN_MAX_AGE, checked
    before reuse, closed after an error), not a new one for every task: Celery's own Django
    fixup would close them around each task (CELERY_DB_REUSE_MAX in settings turns that off;
    docs/decisions/0034). An eager task runs inside its caller's transaction: left alone."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
