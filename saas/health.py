"""Liveness of what the site cannot work without: the database and the Celery broker."""

import os

from django.conf import settings
from django.db import connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok(timeout: float = 2.0) -> bool:
    from saas.celery import app

    if app.conf.broker_url.startswith("filesystem://"):
        # No server to reach: the broker is the queue folder, so it must exist and be writable.
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        return os.path.isdir(folder) and os.access(folder, os.W_OK)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return True
    except Exception:
        return False
