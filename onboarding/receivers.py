from django.dispatch import receiver

from tenants import services
from tenants.signals import company_activated


@receiver(company_activated)
def invite_admin_when_live(sender, company, **kwargs):
    from onboarding.tasks import application_admin_invite_task

    services.task_send(application_admin_invite_task, company.pk)
