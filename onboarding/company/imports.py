"""Member import, in two steps: upload → preview (every bad row listed) → confirm.

Confirming writes all the good rows or none (one transaction); people are matched by mobile
number, so importing the same file again changes nobody twice. Large files are written by a
Celery task, in this company's schema, with progress the page can poll.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from onboarding.company.importing import RosterUnreadable, check_roster, read_roster
from onboarding.company.models import ImportStatus, MemberImport
from onboarding.company.services import progress_refresh
from onboarding.models import EventKind
from onboarding.services import event_record
from tenants.plans import member_limit
from tenants.selectors import current_company
from toolkit.org.models import Member, OrgUnit
from toolkit.org.services import members_bulk_upsert

__all__ = ["RosterUnreadable", "member_import_preview", "member_import_confirm",
           "member_import_run", "member_import_progress"]


@transaction.atomic
def member_import_preview(*, data: bytes, file_name: str, uploaded_by: User) -> MemberImport:
    """Reads and checks the file; raises RosterUnreadable when the file as a whole is bad."""
    rows = read_roster(data, file_name)
    checked = check_roster(
        rows,
        units=dict(OrgUnit.objects.values_list("name", "id")),
        known_mobiles=set(User.objects.exclude(mobile="").filter(member__isnull=False)
                          .values_list("mobile", flat=True)),
        existing_members=Member.objects.count(),
        member_limit=member_limit(current_company().plan),
    )
    return MemberImport.objects.create(
        file_name=file_name[:200], uploaded_by=uploaded_by, total_rows=checked.total,
        good_rows=checked.good, errors=checked.errors,
    )


def member_import_confirm(*, job: MemberImport) -> MemberImport:
    """Writes the good rows now, or queues them when the file is large."""
    from onboarding.company.tasks import member_import_task

    with transaction.atomic():
        job = MemberImport.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.PREVIEWED:
            return job  # confirmed twice (a double click): nothing more to do
        if not job.good_rows:
            job.status, job.failure = ImportStatus.FAILED, _("没有可以导入的行。")
            job.save(update_fields=["status", "failure"])
            return job
        job.status = ImportStatus.IMPORTING
        job.save(update_fields=["status"])
        if len(job.good_rows) > settings.IMPORT_ASYNC_THRESHOLD:
            transaction.on_commit(lambda: member_import_task.delay(job.pk))
            return job
    return member_import_run(job_id=job.pk)


def member_import_run(*, job_id: int) -> MemberImport:
    job = MemberImport.objects.get(pk=job_id)
    if job.status != ImportStatus.IMPORTING:
        return job  # already done (a redelivered task)
    total = len(job.good_rows)
    try:
        with transaction.atomic():
            created, updated = members_bulk_upsert(
                rows=job.good_rows,
                on_progress=lambda done: _progress_set(job.pk, round(100 * done / total)),
            )
            job.status, job.progress = ImportStatus.DONE, 100
            job.created_count, job.updated_count = created, updated
            job.finished_at = timezone.now()
            job.save()
            progress_refresh()
            event_record(company=current_company(), kind=EventKind.MEMBERS_IMPORTED,
                         note=_("新增 %(c)s 人，更新 %(u)s 人") % {"c": created, "u": updated})
    except Exception as error:
        MemberImport.objects.filter(pk=job_id).update(status=ImportStatus.FAILED,
                                                      failure=str(error)[:2000])
        raise
    finally:
        cache.delete(_progress_key(job_id))
    return job


def member_import_progress(job: MemberImport) -> int:
    """Percent written: the task's figure lives in the (schema-prefixed) cache while its
    transaction is open, since its row updates are invisible until commit."""
    if job.status == ImportStatus.DONE:
        return 100
    return cache.get(_progress_key(job.pk), 0)


def _progress_key(job_id: int) -> str:
    return f"member-import-progress:{job_id}"


def _progress_set(job_id: int, percent: int) -> None:
    cache.set(_progress_key(job_id), percent, 3600)
