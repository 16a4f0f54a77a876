import datetime

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.selectors import companies_with_schemas
from toolkit.periods import month_start, previous_month
from toolkit.points.close import monthly_close, monthly_close_missing

# The beat closes last month at 01:30 on the 1st (saas/settings.py); the sweep looks from here.
SWEEP_FROM = datetime.time(2, 0)
# A company is closed for a month it was there for half of, at least (made before this day).
CLOSE_FROM_DAY = 16


@shared_task(acks_late=True)
def monthly_close_task(month_iso: str) -> int:
    # Runs in the schema it was sent from; safe to run twice.
    return monthly_close(month=datetime.date.fromisoformat(month_iso)).members


def _closed_companies(month: datetime.date) -> list[str]:
    """The companies a month's close is for: those there for at least half of it (made before
    its 16th). One made on the 31st, or on the 1st before the beat, had no chance to earn
    points that month: closing it would send every member to a remedial lesson."""
    half = timezone.make_aware(datetime.datetime.combine(
        month + datetime.timedelta(days=CLOSE_FROM_DAY - 1), datetime.time()))
    return companies_with_schemas(created_before=half)


@shared_task(ignore_result=True)
def monthly_close_all_task() -> int:
    """Beat, on the 1st: last month's close for every company there for it, each in its own
    schema."""
    month = previous_month()
    schemas = _closed_companies(month)
    for schema in schemas:
        with schema_context(schema):
            monthly_close_task.delay(month.isoformat())
    return len(schemas)


@shared_task(ignore_result=True)
def monthly_close_sweep_task() -> list[str]:
    """Beat, hourly: last month's close sent again to each company it is for that has none
    (its worker was killed mid-close, and on the filesystem broker the message went with it;
    docs/decisions/0031). Idempotent: a close done meanwhile is left as it is."""
    now = timezone.localtime()
    first = month_start(now.date())
    if now.date() == first and now.time() < SWEEP_FROM:
        return []  # the beat's own close may still be on its way
    month = previous_month(now.date())
    sent = []
    for schema in _closed_companies(month):
        with schema_context(schema):
            if monthly_close_missing(month=month):
                monthly_close_task.delay(month.isoformat())
                sent.append(schema)
    return sent
