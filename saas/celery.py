"""The Celery app. tenant-schemas-celery puts the sender's schema in each message's headers
and the worker switches to it before the task runs; a plain Celery() would run all in public."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")

app = CeleryApp("saas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["core"])  # the shared helpers' tasks (core is no Django app)

