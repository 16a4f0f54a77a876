"""The member import's services (the file itself is read and checked by the pure functions of
onboarding.company.roster), in two steps: upload → preview (every bad row listed) → confirm.

Confirming writes all the good rows or none (one transaction); people are matched by mobile
number, so importing the same file again changes nobody twice. Large files are written by a
Celery task, in this company's schema, with progress the page can poll.
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from billing.entitlements import IMPORTS
from billing.limits import feature_require, member_limit_check
from core.errors import Refused
from core.tasks import task_send
from onboarding.company.models import ImportStatus, MemberImport
from onboarding.company.roster import MAX_BYTES, RosterUnreadable, check_roster, read_roster
from onboarding.company.services import progress_refresh
from onboarding.company.signals import members_imported
from tenants.locks import company_xact_lock, company_xact_lock_try
from tenants.models import Company
from tenants.selectors import current_company
from toolkit.org.models import OrgUnit
from toolkit.org.services import members_bulk_upsert

logger = logging.getLogger(__name__)
IMPORT_LOCK = "member_import"

IMPORT_TASK = "onboarding.company.tasks.member_import_task"

__all__ = ["RosterUnreadable", "member_import_preview", "member_import_confirm",
           "member_import_run", "member_import_progress", "member_import_sweep"]


@transaction.atomic
def member_import_upload(*, upload, uploaded_by: User) -> MemberImport:
    """An uploaded file (Django's UploadedFile): its size is checked before it is read into
    memory, then it is previewed."""
    if upload.size > MAX_BYTES:
        raise RosterUnreadable(_("文件超过 10 MB。"), code="roster_too_large")
    return member_import_preview(data=upload.read(), file_name=upload.name,
                                 uploaded_by=uploaded_by)


def member_import_preview(*, data: bytes, file_name: str, uploaded_by: User) -> MemberImport:
    """Reads and checks the file; raises RosterUnreadable when the file as a whole is bad, and
    PlanLimitRefused when its new people would exceed the plan (the whole file: no row is
    dropped quietly)."""
    feature_require(IMPORTS)  # a paid feature: paused after the grace period
    roster = read_roster(data, file_name)
    checked = check_roster(roster, units=_units_by_name())
    member_limit_check(adding=_new_people(checked.good))
    return MemberImport.objects.create(
        file_name=file_name[:200], uploaded_by=uploaded_by, total_rows=checked.total,
        good_rows=checked.good, errors=checked.errors,
    )


def _units_by_name() -> dict[str, list[int]]:
    units: dict[str, list[int]] = {}
    for name, pk in OrgUnit.objects.values_list("name", "id"):
        units.setdefault(name, []).append(pk)
    return units


def member_import_confirm(*, job: MemberImport) -> MemberImport:
    """Writes the good rows now, or queues them when the file is large."""
    with transaction.atomic():
        job = MemberImport.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.PREVIEWED:
            return job  # confirmed twice (a double click): nothing more to do
        if not job.good_rows:
            job.status, job.failure = ImportStatus.FAILED, _("没有可以导入的行。")
            job.save(update_fields=["status", "failure"])
            return job
        job.status, job.queued_at = ImportStatus.IMPORTING, timezone.now()
        job.save(update_fields=["status", "queued_at"])
        if len(job.good_rows) > settings.IMPORT_ASYNC_THRESHOLD:
            transaction.on_commit(lambda: task_send(IMPORT_TASK, job.pk))
            return job
    try:
        return member_import_run(job_id=job.pk)
    except Refused:
        return MemberImport.objects.get(pk=job.pk)  # failed, with the reason on the job


class ImportFailed(Refused):
    pass


def member_import_run(*, job_id: int) -> MemberImport:
    job = MemberImport.objects.get(pk=job_id)
    if job.status != ImportStatus.IMPORTING:
        return job  # already done (a redelivered task)
    total = len(job.good_rows)
    try:
        with transaction.atomic():
            # One import at a time per company: the limit and the people are re-checked
            # against what the previous import wrote.
            company_xact_lock(IMPORT_LOCK)
            # A second delivery of the same job (the sweep, or Redis giving a message back)
            # waited here for the first: it finds the job done and writes nothing again.
            job = MemberImport.objects.get(pk=job_id)
            if job.status != ImportStatus.IMPORTING:
                return job
            _recheck(job)
            created, updated = members_bulk_upsert(
                rows=job.good_rows, chunk=max(100, total // 20),
                on_progress=lambda done: _progress_set(job.pk, round(100 * done / total)),
            )
            job.status, job.progress = ImportStatus.DONE, 100
            job.created_count, job.updated_count = created, updated
            job.finished_at = timezone.now()
            job.save()
            progress_refresh()
            note = _("新增 %(c)s 人，更新 %(u)s 人") % {"c": created, "u": updated}
            members_imported.send(sender=Company, company=current_company(), note=note)
    except Refused as refusal:  # ImportFailed, or the plan's limit
        MemberImport.objects.filter(pk=job_id).update(status=ImportStatus.FAILED,
                                                      failure=str(refusal))
        raise
    except Exception as error:
        logger.exception("member import %s failed", job_id)
        MemberImport.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            failure=_("导入失败，没有写入任何人：%(error)s") % {"error": str(error)[:500]})
        raise ImportFailed(str(error), code="import_failed") from error
    finally:
        cache.delete(_progress_key(job_id))
    return job


def _recheck(job: MemberImport) -> None:
    """What may have changed since the preview: a branch deleted, another import's people,
    the company's billing (imports pause after the grace period)."""
    feature_require(IMPORTS)
    unit_ids = set(OrgUnit.objects.values_list("id", flat=True))
    if any(row["unit_id"] not in unit_ids for row in job.good_rows):
        raise ImportFailed(_("预览之后有支部被删除了，请重新上传文件。"),
                           code="import_unit_deleted")
    member_limit_check(adding=_new_people(job.good_rows))


def _new_people(rows: list[dict]) -> int:
    """Rows that will make a new account (members_bulk_upsert matches by mobile or by a
    username that is the number): only these take a place in the plan."""
    mobiles = [row["mobile"] for row in rows]
    known = set(User.objects.filter(mobile__in=mobiles).values_list("mobile", flat=True))
    known |= set(User.objects.filter(username__in=mobiles).values_list("username", flat=True))
    return sum(1 for mobile in set(mobiles) if mobile not in known)


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


def member_import_sweep(*, older_than_minutes: int = 15) -> list[int]:
    """In the current company's schema: sends again the imports still importing long after
    they were queued. The filesystem broker deletes a message when a worker takes it, so a
    worker killed mid-import (or a broker down when it was confirmed) left the job importing
    for good (docs/decisions/0031). The run is idempotent: a job done meanwhile is left alone."""
    stale = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    with transaction.atomic():
        # An import running now holds the lock: nothing is lost while it runs, and a copy
        # sent now would only wait for it, holding a worker.
        if not company_xact_lock_try(IMPORT_LOCK):
            return []
        # Jobs queued before queued_at existed have none: stuck as long as any.
        ids = list(MemberImport.objects.filter(
            Q(queued_at__lt=stale) | Q(queued_at__isnull=True), status=ImportStatus.IMPORTING)
            .values_list("pk", flat=True))
        MemberImport.objects.filter(pk__in=ids).update(queued_at=timezone.now())
    for job_id in ids:
        task_send(IMPORT_TASK, job_id)
    return ids
