"""A worker killed mid-task (docs/decisions/0031): the work it was doing is done once, by the
next process to get the message or, on the filesystem broker, by the sweep.

On Redis: acks_late with reject_on_worker_lost gives a dead pool process's message back at once;
a whole worker's comes back after the visibility timeout. On the filesystem broker the message
is gone when fetched: the sweeps find the work (provisioning: tests/tenants/test_provisioning.py;
member imports: tests/onboarding/test_import_sweep.py; billing's webhooks:
tests/billing/test_worker_killed.py). Each task here is held mid-way by a lock another session
owns, so the kill lands inside it."""

import datetime
import os
import signal
import time

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants import schemas, services
from tenants.models import Company, CompanyStatus, SpareSchema
from tests.conftest import celery_configure, celery_settings_for
from tests.toolkit.conftest import build_org
from tests.worker import (
    BROKERS,
    KILL_QUEUE,
    REDIS_URL,
    _database_url,
    killable_worker_start,
    pool_children,
    wait_for,
    waiting_on_a_lock,
)
from toolkit.documents.models import Edition, HandbookRender, RenderStatus
from toolkit.periods import previous_month
from toolkit.points.models import MonthlyClose, RankingSnapshot, RedemptionRight
from toolkit.points.services import points_award

on_redis = pytest.mark.skipif("redis" not in BROKERS, reason="no Redis on this machine")


def _send(name: str, *args, schema: str | None = None, redis: bool = True) -> None:
    from saas.celery import app

    options = {"queue": KILL_QUEUE} if redis else {}
    if schema is None:
        app.send_task(name, args=args, **options)
        return
    with schema_context(schema):  # the message carries the company's schema
        app.send_task(name, args=args, **options)


def _broker_for(tmp_path, *, redis: bool) -> None:
    """This process publishes where the test's worker listens."""
    celery_configure(celery_settings_for(tmp_path, REDIS_URL if redis else ""))


def _kill_pool_process(worker) -> None:
    (child,) = pool_children(worker)
    os.kill(child, signal.SIGKILL)
    wait_for(lambda: child not in pool_children(worker), timeout=20)


def _kill_worker(worker) -> None:
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool, no goodbye
    worker.wait(timeout=20)


def _queue_files(tmp_path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "broker" / "queue").glob("*"))


# Provisioning -----------------------------------------------------------------------------

@pytest.fixture
def provisioning_held(public_tenant, committed_schemas):
    """A company in provisioning whose row another session holds locked: the task that
    provisions it waits inside, where it can be killed. Release with .rollback()."""
    services.spare_pool_refill(size=2)
    company = services.company_create(name="被杀公司", slug="killed")
    services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    holder = psycopg2.connect(_database_url())
    with holder.cursor() as cursor:
        cursor.execute("SELECT 1 FROM tenants_company WHERE id = %s FOR UPDATE", [company.pk])
    yield company, holder
    holder.close()


def _provisioned_once(company: Company, spares_before: int) -> None:
    def active():
        company.refresh_from_db()
        return company.status == CompanyStatus.ACTIVE

    wait_for(active, timeout=60)
    assert company.provision_error == ""
    assert schemas.schema_exists(company.schema_name)
    assert SpareSchema.objects.count() == spares_before - 1  # one spare taken, not two


@on_redis
def test_a_pool_process_killed_mid_provisioning_gives_the_task_back(
        killable_workers, provisioning_held, tmp_path):
    company, holder = provisioning_held
    spares_before = SpareSchema.objects.count()
    _broker_for(tmp_path, redis=True)
    worker = killable_worker_start(tmp_path, "worker.log")
    killable_workers.append(worker)
    _send("tenants.tasks.company_provision_task", company.pk)
    wait_for(lambda: waiting_on_a_lock("tenants_company"), timeout=60)
    _kill_pool_process(worker)
    holder.rollback()  # the lock goes; the redelivered task runs in a new pool process
    _provisioned_once(company, spares_before)
    assert "WorkerLostError" in (tmp_path / "worker.log").read_text()


@on_redis
def test_a_whole_worker_killed_mid_provisioning_has_its_task_run_by_the_next(
        killable_workers, provisioning_held, tmp_path):
    company, holder = provisioning_held
    spares_before = SpareSchema.objects.count()
    _broker_for(tmp_path, redis=True)
    first = killable_worker_start(tmp_path, "first.log")
    killable_workers.append(first)
    _send("tenants.tasks.company_provision_task", company.pk)
    wait_for(lambda: waiting_on_a_lock("tenants_company"), timeout=60)
    _kill_worker(first)
    holder.rollback()
    time.sleep(1)
    company.refresh_from_db()
    assert company.status == CompanyStatus.PROVISIONING  # nobody finished it
    killable_workers.append(killable_worker_start(tmp_path, "second.log"))  # after the timeout
    _provisioned_once(company, spares_before)


# The monthly close (月度终评) --------------------------------------------------------------

CLOSE_TASK = "toolkit.points.tasks.monthly_close_task"


@pytest.fixture
def close_held(make_company, committed_schemas):
    """A company with members and points last month, and another session that has inserted,
    and not committed, last month's close record: the close task does its work (rankings,
    rights, lessons) and then waits on that row's unique key, mid-transaction, where it can be
    killed. Release with .rollback()."""
    company = make_company(name="终评公司", slug="closing")
    org = build_org("closing", members=5)
    month = previous_month()
    at = timezone.make_aware(datetime.datetime.combine(month.replace(day=10), datetime.time(9)))
    with schema_context("closing"):
        for index, member in enumerate(org.members):
            points_award(member=member, rule="task_accepted", amount=10 * (index + 1), at=at)
    holder = psycopg2.connect(_database_url())
    with holder.cursor() as cursor:
        cursor.execute('SET search_path TO "closing"')
        holder.commit()
        cursor.execute("INSERT INTO points_monthlyclose (month, closed_at, members)"
                       " VALUES (%s, now(), 0)", [month])
    yield company, month, holder
    holder.close()


def _closed_once(schema: str, month: datetime.date) -> None:
    def closed():
        with schema_context(schema):
            return MonthlyClose.objects.filter(month=month).first()

    close = wait_for(closed, timeout=60)
    assert close.members == 5
    with schema_context(schema):
        assert MonthlyClose.objects.count() == 1
        # One ranking row per member and scope, not two: the killed run left nothing.
        assert RankingSnapshot.objects.filter(month=month, scope="company").count() == 5
        assert RankingSnapshot.objects.filter(month=month, scope="branch").count() == 5
        assert RedemptionRight.objects.filter(closed_month=month).count() == 5
        ranks = sorted(RankingSnapshot.objects.filter(month=month, scope="company")
                       .values_list("rank", flat=True))
        assert ranks == [1, 2, 3, 4, 5]


@on_redis
def test_a_pool_process_killed_mid_close_gives_the_close_back(killable_workers, close_held,
                                                              tmp_path):
    _company, month, holder = close_held
    _broker_for(tmp_path, redis=True)
    worker = killable_worker_start(tmp_path, "worker.log")
    killable_workers.append(worker)
    _send(CLOSE_TASK, month.isoformat(), schema="closing")
    wait_for(lambda: waiting_on_a_lock("points_monthlyclose"), timeout=60)
    with schema_context("closing"):  # the killed run's rankings were never committed
        assert not RankingSnapshot.objects.exists()
    _kill_pool_process(worker)
    holder.rollback()
    _closed_once("closing", month)
    assert "WorkerLostError" in (tmp_path / "worker.log").read_text()


def test_a_close_killed_on_the_filesystem_broker_is_found_by_the_sweep(
        killable_workers, close_held, tmp_path, monkeypatch):
    from toolkit.points import tasks

    company, month, holder = close_held
    _broker_for(tmp_path, redis=False)
    first = killable_worker_start(tmp_path, "first.log", redis=False)
    killable_workers.append(first)
    _send(CLOSE_TASK, month.isoformat(), schema="closing", redis=False)
    wait_for(lambda: waiting_on_a_lock("points_monthlyclose"), timeout=60)
    _kill_worker(first)
    holder.rollback()
    time.sleep(1)
    with schema_context("closing"):
        assert not MonthlyClose.objects.exists()  # nobody closed it
    assert _queue_files(tmp_path) == []  # and the message went with the worker

    killable_workers.append(killable_worker_start(tmp_path, "second.log", redis=False))
    # The company was there on the 1st (made today in the test), and the beat's own close is
    # past (the sweep waits until 02:00 on the 1st).
    Company.objects.filter(pk=company.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60))
    monkeypatch.setattr(tasks, "SWEEP_FROM", datetime.time(0, 0))
    connection.set_schema_to_public()
    assert tasks.monthly_close_sweep_task() == ["closing"]
    _closed_once("closing", month)
    connection.set_schema_to_public()
    assert tasks.monthly_close_sweep_task() == []  # closed: nothing to send


def test_the_close_sweep_leaves_a_company_that_came_after_the_first(make_company,
                                                                     committed_schemas,
                                                                     monkeypatch, tasks_run_here):
    from toolkit.periods import previous_month
    from toolkit.points import tasks

    make_company(name="新公司", slug="newcomer")
    monkeypatch.setattr(tasks, "SWEEP_FROM", datetime.time(0, 0))
    connection.set_schema_to_public()
    assert tasks.monthly_close_sweep_task() == []  # not there last month: nothing to close
    # There for less than half of last month (made on its 20th): not closed either; made on
    # its 5th: closed.
    month = previous_month()
    for slug, day in (("late", 20), ("early", 5)):
        company = make_company(name=f"{slug}公司", slug=slug)
        Company.objects.filter(pk=company.pk).update(created_at=timezone.make_aware(
            datetime.datetime.combine(month.replace(day=day), datetime.time(9, 0))))
    connection.set_schema_to_public()
    assert tasks.monthly_close_sweep_task() == ["early"]


# The handbook render ----------------------------------------------------------------------

RENDER_TASK = "toolkit.documents.tasks.handbook_render_task"


@pytest.fixture
def render_queued(make_company, committed_schemas):
    make_company(name="手册公司", slug="booked")
    build_org("booked", members=4)
    with schema_context("booked"):
        render = HandbookRender.objects.create(edition=Edition.FULL, issued=True,
                                               batch_name="第一期", issuer="党建孵化器")
    return render


def _hold_once_rendering(render: HandbookRender) -> psycopg2.extensions.connection:
    """Another session takes the version's row as soon as the worker marked it rendering: the
    worker's next progress update waits for it, mid-render. Release with .rollback()."""
    holder = psycopg2.connect(_database_url())
    with holder.cursor() as cursor:
        cursor.execute('SET search_path TO "booked"')
        holder.commit()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            cursor.execute("SELECT status FROM documents_handbookrender WHERE id = %s"
                           " FOR UPDATE", [render.pk])
            status = cursor.fetchone()[0]
            assert status != RenderStatus.DONE, "rendered before it could be held"
            if status == RenderStatus.RENDERING:
                return holder  # the lock stays
            holder.rollback()
            time.sleep(0.005)
    raise AssertionError("the worker never started the render")


def _rendered_once(render: HandbookRender) -> None:
    def done():
        with schema_context("booked"):
            fresh = HandbookRender.objects.get(pk=render.pk)
        return fresh if fresh.status == RenderStatus.DONE else None

    fresh = wait_for(done, timeout=120)
    with schema_context("booked"):
        assert HandbookRender.objects.count() == 1  # the same version, not a new one
        assert fresh.progress == 100 and fresh.error == "" and fresh.pages > 0
        with fresh.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"


@on_redis
def test_a_pool_process_killed_mid_render_gives_the_render_back(killable_workers, render_queued,
                                                                tmp_path):
    _broker_for(tmp_path, redis=True)
    worker = killable_worker_start(tmp_path, "worker.log")
    killable_workers.append(worker)
    _send(RENDER_TASK, render_queued.pk, schema="booked")
    holder = _hold_once_rendering(render_queued)
    wait_for(lambda: waiting_on_a_lock("documents_handbookrender"), timeout=60)
    _kill_pool_process(worker)
    holder.rollback()
    _rendered_once(render_queued)
    holder.close()
    assert "WorkerLostError" in (tmp_path / "worker.log").read_text()


def test_a_render_killed_on_the_filesystem_broker_is_found_by_the_sweep(
        killable_workers, render_queued, tmp_path):
    from toolkit.documents import selectors
    from toolkit.documents.tasks import handbook_render_sweep_task

    _broker_for(tmp_path, redis=False)
    first = killable_worker_start(tmp_path, "first.log", redis=False)
    killable_workers.append(first)
    _send(RENDER_TASK, render_queued.pk, schema="booked", redis=False)
    with schema_context("booked"):  # asked for long ago: the sweep looks at it
        HandbookRender.objects.filter(pk=render_queued.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=20))
    holder = _hold_once_rendering(render_queued)
    wait_for(lambda: waiting_on_a_lock("documents_handbookrender"), timeout=60)
    with schema_context("booked"):  # a worker is on it (it holds the render lock): left alone
        assert selectors.renders_abandoned() == []
    _kill_worker(first)
    holder.rollback()
    holder.close()

    def abandoned():
        with schema_context("booked"):  # the dead worker's session ends, and its lock with it
            return selectors.renders_abandoned() == [render_queued.pk]

    wait_for(abandoned, timeout=30)
    with schema_context("booked"):
        assert HandbookRender.objects.get(pk=render_queued.pk).status == RenderStatus.RENDERING
    assert _queue_files(tmp_path) == []  # the message went with the worker

    killable_workers.append(killable_worker_start(tmp_path, "second.log", redis=False))
    connection.set_schema_to_public()
    assert handbook_render_sweep_task() == 1
    _rendered_once(render_queued)
    with schema_context("booked"):
        assert selectors.renders_abandoned() == []  # done: nothing to send
