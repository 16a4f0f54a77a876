from django.dispatch import receiver

from core.tasks import task_send
from onboarding.company import signals as announced
from onboarding.models import EventKind
from onboarding.services import (
    event_record,
    progress_report,
    project_totals_report,
    toolkit_handbook_report,
)
from tenants.signals import company_activated
from toolkit.documents.signals import handbook_changed
from toolkit.projects.signals import project_totals_changed


@receiver(company_activated)
def invite_admin_when_live(sender, company, **kwargs):
    task_send("onboarding.tasks.application_admin_invite_task", company.pk)


# What a company's site announces (onboarding.company.signals), recorded in the roll-up.
@receiver(announced.progress_changed)
def record_progress(sender, company, figures, **kwargs):
    progress_report(company=company, **figures)


@receiver(announced.admin_invited)
def record_admin_invited(sender, company, note, **kwargs):
    event_record(company=company, kind=EventKind.ADMIN_INVITED, note=note)


@receiver(announced.admin_joined)
def record_admin_joined(sender, company, note, **kwargs):
    event_record(company=company, kind=EventKind.ADMIN_JOINED, note=note)


@receiver(announced.members_imported)
def record_members_imported(sender, company, note, **kwargs):
    event_record(company=company, kind=EventKind.MEMBERS_IMPORTED, note=note)


@receiver(handbook_changed)
def record_handbook(sender, company, render_id, edition, status, pages, error, progress=0,
                    step="", **kwargs):
    toolkit_handbook_report(company=company, render_id=render_id, status=status, pages=pages,
                            error=error, progress=progress, step=step)


@receiver(project_totals_changed)
def record_project_totals(sender, company, totals, at, **kwargs):
    project_totals_report(company=company, totals=totals, at=at)
