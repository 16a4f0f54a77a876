from celery import shared_task
from django_tenants.utils import schema_context

from onboarding.company.import_services import member_import_run, member_import_sweep
from tenants.selectors import companies_with_schemas


@shared_task(acks_late=True)
def member_import_task(job_id: int) -> str:
    # Sent from the company's site, so tenant-schemas-celery runs it in that schema.
    return member_import_run(job_id=job_id).status


@shared_task(ignore_result=True)
def member_import_sweep_task() -> int:
    """Beat: each company's lost imports sent again, from its own schema (the message carries
    it). One short query a company."""
    sent = 0
    for schema in companies_with_schemas():
        with schema_context(schema):
            sent += len(member_import_sweep())
    return sent
