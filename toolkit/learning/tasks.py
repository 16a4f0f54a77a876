"""Thin, idempotent tasks. The *_all tasks (beat) send one task per company, which runs in
that company's schema (the schema travels in the message's headers)."""

from celery import shared_task
from django.core.cache import cache
from django_tenants.utils import schema_context

from core.tasks import task_send
from tenants.selectors import companies_with_schemas, current_company
from toolkit.learning import reminders, rollups, services
from toolkit.learning.completion import ROLLUP_PENDING_KEY


@shared_task(acks_late=True)
def learning_daily_task() -> int:
    """In one company: enrolments from new deliveries, then the due-date reminders."""
    services.enrolments_sync()
    return reminders.due_reminders_send()


@shared_task(ignore_result=True)
def learning_daily_all_task() -> int:
    schemas = companies_with_schemas()
    for schema in schemas:
        with schema_context(schema):
            task_send("toolkit.learning.tasks.learning_daily_task")
    return len(schemas)


@shared_task(acks_late=True, ignore_result=True)
def company_rollup_task() -> None:
    """After members' progress: this company's figures for the trainers. The mark is cleared
    before reading, so progress made while this runs sends another task."""
    cache.delete(ROLLUP_PENDING_KEY)
    rollups.company_rollup_refresh(company=current_company())


@shared_task(ignore_result=True)
def rollups_refresh_task() -> int:
    return rollups.rollups_refresh()


@shared_task(acks_late=True)
def enrolments_version_move_task(course_id: int, version_id: int) -> int:
    """Sent to each company by the trainer's "move learners to the new version"."""
    return services.enrolments_version_move(course_id=course_id, version_id=version_id)
