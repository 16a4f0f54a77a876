from celery import shared_task
from django.core.mail import send_mail

from onboarding import services
from tenants.models import Company


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=30)
def email_send_task(self, to: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, None, [to])
    except OSError as error:  # SMTP unreachable: try again later
        raise self.retry(exc=error) from error


@shared_task(acks_late=True)
def application_admin_invite_task(company_id: int) -> None:
    # Idempotent: an admin already invited is not invited again.
    services.application_admin_invite(company=Company.objects.get(pk=company_id))
