"""Tasks that only the tests send: they report what the worker's database connection sees."""

from celery import shared_task
from django.db import ProgrammingError, connection, transaction


@shared_task
def probe_ping() -> str:
    return "pong"


@shared_task
def probe_read_people() -> dict:
    from accounts.models import User
    from toolkit.org.models import Member

    seen = {"schema": connection.schema_name,
            "users": sorted(User.objects.values_list("full_name", flat=True))}
    try:
        with transaction.atomic():
            seen["members"] = sorted(Member.objects.values_list("user__full_name", flat=True))
    except ProgrammingError as error:  # the table is not on this search_path
        seen["members_error"] = str(error).splitlines()[0]
    return seen


@shared_task
def probe_log(text: str) -> str:
    """Writes one log line in the worker (saas/log.py adds the schema and the task's id)."""
    import logging

    logging.getLogger("tests.probe").warning("probe says %s", text)
    return connection.schema_name
