import datetime

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.selectors import companies_with_schemas
from toolkit.periods import month_start, previous_month
from toolkit.points.close import monthly_close, monthly_close_missing

# The beat closes last month at 01:30 on the 1st (saas/settings.py); the sweep looks from here.
SWEEP_FROM = datetime.time(2, 0)


@shared_task(acks_late=True)
def monthly_close_task(month_iso: str) -> int:
    # Runs in the schema it was sent from; safe to run twice.
    return monthly_close(month=datetime.date.fromisoformat(month_iso)).members


@shared_task(ignore_result=True)
def monthly_close_all_task() -> int:
    """Beat, on the 1st: last month's close for every company, each in its own schema; not
    for a company made on the 1st before the beat ran (it was not there last month: closing
    it would give every member a remedial lesson for a month they had no chance to earn)."""
    first = month_start(timezone.localdate())
    month = previous_month().isoformat()
    schemas = companies_with_schemas(created_before=timezone.make_aware(
        datetime.datetime.combine(first, datetime.time())))
    for schema in schemas:
        with schema_context(schema):
            monthly_close_task.delay(month)
    return len(schemas)


@shared_task(ignore_result=True)
def monthly_close_sweep_task() -> list[str]:
    """Beat, hourly: last month's close sent again to each company that was there on the 1st
    and has none (its worker was killed mid-close, and on the filesystem broker the message went
    with it; docs/decisions/0031). Idempotent: a close done meanwhile is left as it is. A
    company that came later is not closed for a month it was not there."""
    now = timezone.localtime()
    first = month_start(now.date())
    if now.date() == first and now.time() < SWEEP_FROM:
        return []  # the beat's own close may still be on its way
    month = previous_month(now.date())
    there_on_the_first = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    sent = []
    for schema in companies_with_schemas(created_before=there_on_the_first):
        with schema_context(schema):
            if monthly_close_missing(month=month):
                monthly_close_task.delay(month.isoformat())
                sent.append(schema)
    return sent
