"""The Celery app. tenant-schemas-celery puts the sender's schema in each message's headers
and the worker switches to it before the task runs; a plain Celery() would run all in public."""

import os

from celery import signals
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")

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
