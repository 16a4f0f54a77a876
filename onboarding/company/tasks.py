from celery import shared_task

from onboarding.company.import_services import member_import_run


@shared_task(acks_late=True)
def member_import_task(job_id: int) -> str:
    # Sent from the company's site, so tenant-schemas-celery runs it in that schema.
    return member_import_run(job_id=job_id).status
