"""Thin, idempotent tasks: last month's 堡垒指数 月度终评, sent by the beat to every company, each
run in that company's schema (the schema travels in the message's headers)."""

import datetime

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.selectors import companies_with_schemas
from toolkit.indices.fortress import fortress_settle_month
from toolkit.periods import add_months, previous_month


@shared_task(acks_late=True)
def fortress_settle_month_task(month_iso: str) -> int:
    # Runs in the schema it was sent from; safe to run twice (the month is settled afresh,
    # under the company's fortress lock).
    return fortress_settle_month(month=datetime.date.fromisoformat(month_iso))


def _settled_companies(month: datetime.date) -> list[str]:
    """The companies a month is settled for: those made before it ended (one made on the 1st,
    before the beat, had no branches that month)."""
    end = timezone.make_aware(datetime.datetime.combine(add_months(month, 1), datetime.time()))
    return companies_with_schemas(created_before=end)


@shared_task(ignore_result=True)
def fortress_settle_month_all_task() -> int:
    """Beat, on the 1st after the points close: last month's 月度终评 of every branch, for every
    company that was there, each in its own schema."""
    month = previous_month()
    schemas = _settled_companies(month)
    for schema in schemas:
        with schema_context(schema):
            fortress_settle_month_task.delay(month.isoformat())
    return len(schemas)
