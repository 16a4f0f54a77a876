"""A member import whose worker was killed (docs/decisions/0031): on the filesystem broker the
message went with it and the job stayed 导入中 for good. The sweep sends it again from the
company's schema; a real worker writes it, once; a second delivery writes nothing."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role
from accounts.services import user_create
from onboarding.company import import_services
from onboarding.company.models import ImportStatus, MemberImport
from onboarding.company.tasks import member_import_sweep_task
from tests.onboarding.rosters import csv_bytes
from tests.worker import wait_for
from toolkit.org.models import Member, OrgUnit, UnitKind
from toolkit.org.services import unit_create

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _stuck_import(schema: str, *, rows: int, minutes_ago: int) -> MemberImport:
    """A confirmed import whose task no worker will ever run (its message is gone)."""
    with schema_context(schema):
        admin = user_create(username=f"admin-{minutes_ago}", password="pw-123456",
                            full_name="管理员", role=Role.COMPANY_ADMIN)
        if not OrgUnit.objects.exists():
            unit_create(name="第一党支部", kind=UnitKind.BRANCH)
        roster = [[f"党员{minutes_ago}-{i}", "男", f"139{minutes_ago:02d}{i:06d}", "第一党支部",
                   "正式党员", "2010-07-01", ""] for i in range(1, rows + 1)]
        job = import_services.member_import_preview(
            data=csv_bytes(roster), file_name="名单.csv", uploaded_by=admin)
        MemberImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.IMPORTING,
            queued_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
        return job


def test_a_lost_import_is_sent_again_and_written_once(celery_worker, make_company,
                                                      committed_schemas):
    make_company(name="甲公司", slug="alpha")
    make_company(name="乙公司", slug="beta")
    lost = _stuck_import("alpha", rows=12, minutes_ago=40)
    recent = _stuck_import("beta", rows=3, minutes_ago=1)  # its worker may still be on it

    assert member_import_sweep_task() == 1  # from beat, on the public schema

    def done():
        with schema_context("alpha"):
            job = MemberImport.objects.get(pk=lost.pk)
        return job if job.status == ImportStatus.DONE else None

    job = wait_for(done, timeout=60)
    connection.set_schema_to_public()
    assert (job.created_count, job.progress) == (12, 100)
    with schema_context("alpha"):
        assert Member.objects.count() == 12
        # A second delivery of the same message (Redis gives it back, or the sweep raced the
        # worker): nothing is written again.
        again = import_services.member_import_run(job_id=lost.pk)
        assert again.status == ImportStatus.DONE and Member.objects.count() == 12
        assert import_services.member_import_sweep() == []  # done: nothing to send
    with schema_context("beta"):
        assert MemberImport.objects.get(pk=recent.pk).status == ImportStatus.IMPORTING
        assert Member.objects.count() == 0  # beta's import is beta's, and not yet stale


def test_the_sweep_leaves_a_running_import_alone_and_finds_old_jobs(make_company,
                                                                    committed_schemas,
                                                                    monkeypatch):
    """While an import runs (it holds the company's import lock), nothing is sent: a copy would
    only wait for it, holding a worker. A job from before queued_at existed (NULL) is swept."""
    import psycopg2
    from django.conf import settings

    make_company(name="甲公司", slug="alpha")
    job = _stuck_import("alpha", rows=2, minutes_ago=40)
    sent = []
    monkeypatch.setattr(import_services, "task_send", lambda name, *args: sent.append(args))
    db = settings.DATABASES["default"]
    holder = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"],
                              port=db["PORT"], password=db.get("PASSWORD") or None)
    try:
        with holder.cursor() as cursor:  # another worker's import, running in alpha
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))",
                           ["alpha", import_services.IMPORT_LOCK])
        with schema_context("alpha"):
            assert import_services.member_import_sweep() == [] and sent == []
    finally:
        holder.rollback()
        holder.close()
    with schema_context("alpha"):
        MemberImport.objects.filter(pk=job.pk).update(queued_at=None)
        assert import_services.member_import_sweep() == [job.pk] and sent == [(job.pk,)]
        assert MemberImport.objects.get(pk=job.pk).queued_at is not None  # not again at once
        assert import_services.member_import_sweep() == []
    connection.set_schema_to_public()
