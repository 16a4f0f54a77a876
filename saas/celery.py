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


@signals.setup_logging.connect
def _django_logging(**_kwargs) -> None:
    """The worker and beat log as the web does (settings.LOGGING: schema and request id on every
    line, LOG_FORMAT=json for one object a line). Without a receiver here Celery replaces the
    root logger's handlers with its own format, which names neither."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@signals.task_prerun.connect
def _request_id_is_the_task_id(task_id=None, **_kwargs) -> None:
    """A task's log lines carry its id where a request's carry the request id (saas.log);
    its clock starts for the task-latency histogram (saas.metrics)."""
    from saas import metrics
    from saas.log import request_id_var

    request_id_var.set(task_id or "-")
    if task_id:
        metrics.task_started(task_id=task_id)


@signals.task_postrun.connect
def _request_id_cleared(task_id=None, task=None, state=None, **_kwargs) -> None:
    """A task run in the caller's process (eagerly) leaves the caller's lines unlabelled."""
    from saas import metrics
    from saas.log import request_id_var

    request_id_var.set("-")
    if task_id and task is not None:
        metrics.task_finished(task_id=task_id, task_name=task.name, state=state)


@signals.worker_init.connect
def _metrics_folder_of_this_worker(sender=None, **_kwargs) -> None:
    """Before the pool starts: this worker's samples go to METRICS_DIR/worker-<node>/, which
    its previous run's leave (docs/decisions/0036). The web's /metrics reads them there."""
    from django.conf import settings

    from saas.metrics_files import group_dir_use

    node = getattr(sender, "hostname", None) or "celery"
    group_dir_use(settings.METRICS_DIR, f"worker-{node}", wipe=True)


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
