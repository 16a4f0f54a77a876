from celery import shared_task

from toolkit.learning.certificates import certificate_issue


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=30)
def certificate_issue_task(self, enrolment_id: int) -> None:
    certificate_issue(enrolment_id=enrolment_id)  # safe to run twice
