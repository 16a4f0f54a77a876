"""A worker killed while it writes a member import (docs/decisions/0031): nothing of the killed
run stays (the import is one transaction), and a worker started again writes it once: every
row, no member twice, one 导入 event. On Redis the message comes back after the visibility
timeout; on the filesystem broker it went with the worker and the import sweep sends it again.
The run is held mid-write by the member table, which another session has locked: it has
written the rows' accounts and waits to write their members, where the kill lands."""

import datetime
import os
import signal
import time

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role, User
from onboarding.company import import_services
from onboarding.company.models import ImportStatus, MemberImport
from onboarding.models import CompanyEvent, EventKind
from tests.conftest import celery_configure, celery_settings_for
from tests.onboarding.rosters import import_confirmed
from tests.worker import (
    BROKERS,
    KILL_QUEUE,
    REDIS_URL,
    _database_url,
    killable_worker_start,
    wait_for,
    waiting_on_a_lock,
)
from toolkit.org.models import Member

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
on_redis = pytest.mark.skipif("redis" not in BROKERS, reason="no Redis on this machine")

ROWS = 40
TASK = "onboarding.company.tasks.member_import_task"
MEMBERS = Member._meta.db_table


@pytest.fixture
def import_held(make_company, committed_schemas):
    """A confirmed import of ROWS members in alpha, and another session holding alpha's member
    table (SHARE: reads go on, inserts wait). Release with .rollback()."""
    company = make_company(name="甲公司", slug="alpha")
    job = import_confirmed(rows=ROWS)
    connection.set_schema_to_public()
    holder = psycopg2.connect(_database_url())
    with holder.cursor() as cursor:
        cursor.execute('SET search_path TO "alpha"')
        holder.commit()
        cursor.execute(f"LOCK TABLE {MEMBERS} IN SHARE MODE")
    yield company, job, holder
    holder.close()


def _send(job: MemberImport, *, redis: bool) -> None:
    from saas.celery import app

    with schema_context("alpha"):  # the message carries the company's schema
        app.send_task(TASK, args=[job.pk], **({"queue": KILL_QUEUE} if redis else {}))


def _killed_mid_write(worker, job: MemberImport, holder) -> None:
    """Once the run waits to write the members: the whole worker killed, the table let go;
    nothing of the run is left."""
    wait_for(lambda: waiting_on_a_lock(MEMBERS), timeout=60)
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool, no goodbye
    worker.wait(timeout=20)
    holder.rollback()
    time.sleep(1)  # the dead worker's session notices its client is gone and rolls back
    with schema_context("alpha"):
        assert MemberImport.objects.get(pk=job.pk).status == ImportStatus.IMPORTING
        assert not Member.objects.exists()
        assert not User.objects.filter(role=Role.MEMBER).exists()  # its accounts went too
    connection.set_schema_to_public()


def _imported_once(company, job: MemberImport) -> None:
    def done():
        with schema_context("alpha"):
            fresh = MemberImport.objects.get(pk=job.pk)
        return fresh if fresh.status == ImportStatus.DONE else None

    fresh = wait_for(done, timeout=90)
    assert (fresh.created_count, fresh.updated_count, fresh.progress) == (ROWS, 0, 100)
    with schema_context("alpha"):
        assert Member.objects.count() == ROWS
        mobiles = list(User.objects.filter(role=Role.MEMBER).values_list("mobile", flat=True))
        assert sorted(mobiles) == [f"1390000{i:04d}" for i in range(1, ROWS + 1)]  # all, once
        assert Member.objects.values("user_id").distinct().count() == ROWS
    connection.set_schema_to_public()
    assert CompanyEvent.objects.filter(company=company,
                                       kind=EventKind.MEMBERS_IMPORTED).count() == 1


@on_redis
def test_a_worker_killed_mid_import_has_the_import_written_once_by_the_next(
        killable_workers, import_held, tmp_path):
    company, job, holder = import_held
    celery_configure(celery_settings_for(tmp_path, REDIS_URL))
    first = killable_worker_start(tmp_path, "first.log")
    killable_workers.append(first)
    _send(job, redis=True)
    _killed_mid_write(first, job, holder)
    killable_workers.append(killable_worker_start(tmp_path, "second.log"))  # after the timeout
    _imported_once(company, job)


def test_an_import_killed_on_the_filesystem_broker_is_sent_again_by_the_sweep_and_written_once(
        killable_workers, import_held, tmp_path):
    company, job, holder = import_held
    celery_configure(celery_settings_for(tmp_path))
    first = killable_worker_start(tmp_path, "first.log", redis=False)
    killable_workers.append(first)
    _send(job, redis=False)
    _killed_mid_write(first, job, holder)
    assert list((tmp_path / "broker" / "queue").glob("*")) == []  # the message went with it

    killable_workers.append(killable_worker_start(tmp_path, "second.log", redis=False))
    with schema_context("alpha"):  # queued long ago, as the sweep sees a lost import
        MemberImport.objects.filter(pk=job.pk).update(
            queued_at=timezone.now() - datetime.timedelta(minutes=20))
        # Sent once the dead worker's session has let the company's import lock go.
        wait_for(lambda: import_services.member_import_sweep() == [job.pk], timeout=30)
    connection.set_schema_to_public()
    _imported_once(company, job)
    with schema_context("alpha"):
        assert import_services.member_import_sweep() == []  # done: nothing to send
    connection.set_schema_to_public()
