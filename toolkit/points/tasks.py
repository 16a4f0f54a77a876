import datetime

from celery import shared_task
from django_tenants.utils import schema_context

from tenants.selectors import companies_with_schemas
from toolkit.periods import previous_month
from toolkit.points.close import monthly_close


@shared_task(acks_late=True)
def monthly_close_task(month_iso: str) -> int:
    # Runs in the schema it was sent from; safe to run twice.
    return monthly_close(month=datetime.date.fromisoformat(month_iso)).members


@shared_task(ignore_result=True)
def monthly_close_all_task() -> int:
    """Beat, on the 1st: last month's close for every company, each in its own schema."""
    month = previous_month().isoformat()
    schemas = companies_with_schemas()
    for schema in schemas:
        with schema_context(schema):
            monthly_close_task.delay(month)
    return len(schemas)
