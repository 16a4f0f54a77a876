"""What the two-connection tests of a job's lock watch for (a second delivery waiting on the
first's lock)."""

import time

from django.db import connection


def waiting_on_an_advisory_lock(timeout: float = 15) -> bool:
    """Whether a connection to this database comes to wait for an advisory lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT "
                           "granted AND database = (SELECT oid FROM pg_database "
                           "WHERE datname = current_database())")
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False
