"""Thin, idempotent tasks: last month's 堡垒指数 月度终评, sent by the beat to every company, each
run in that company's schema (the schema travels in the message's headers)."""

import datetime

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.selectors import companies_with_schemas
from toolkit.indices.fortress import fortress_close_month, fortress_month_missing
from toolkit.periods import add_months, month_start, previous_month

# The points close runs at 01:30 on the 1st (saas/settings.py); branches are settled after it.
SETTLE_FROM = datetime.time(2, 0)


@shared_task(acks_late=True)
def fortress_settle_month_task(month_iso: str) -> int:
    # Runs in the schema it was sent from; safe to run twice (the month, and its quarter if
    # already settled, are settled afresh under the company's fortress lock).
    return fortress_close_month(month=datetime.date.fromisoformat(month_iso))


def _settled_companies(month: datetime.date) -> list[str]:
    """The companies a month is settled for: those made before it ended (one made on the 1st,
    before the beat, had no branches that month)."""
    end = timezone.make_aware(datetime.datetime.combine(add_months(month, 1), datetime.time()))
    return companies_with_schemas(created_before=end)


def fortress_months_send(*, now: datetime.datetime | None = None) -> list[str]:
    """Last month's 月度终评 sent to each company that was there and has none yet; nothing
    before SETTLE_FROM on the 1st. Returns the schemas it was sent to."""
    now = timezone.localtime(now)
    if now.date() == month_start(now.date()) and now.time() < SETTLE_FROM:
        return []
    month = previous_month(now.date())
    sent = []
    for schema in _settled_companies(month):
        with schema_context(schema):
            if fortress_month_missing(month=month):
                fortress_settle_month_task.delay(month.isoformat())
                sent.append(schema)
    return sent


@shared_task(ignore_result=True)
def fortress_settle_month_all_task() -> list[str]:
    """Beat, hourly: from 02:00 on the 1st, after the points close, last month's 月度终评 for
    every company there for it, each in its own schema; later hours send it again only to a
    company that still has none (its worker was killed and, on the filesystem broker, the
    message went with it: docs/decisions/0031)."""
    return fortress_months_send()
