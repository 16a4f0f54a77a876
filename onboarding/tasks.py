from celery import shared_task

from onboarding import services
from tenants.models import Company


@shared_task(acks_late=True)
def application_admin_invite_task(company_id: int) -> None:
    # Idempotent: an admin already invited is not invited again.
    services.application_admin_invite(company=Company.objects.get(pk=company_id))
