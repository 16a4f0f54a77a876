"""A worker killed mid-task (docs/decisions/0031): the provisioning it was doing is done once,
by the next process to get the message. On Redis: acks_late with reject_on_worker_lost gives a
dead pool process's message back at once; a whole worker's comes back after the visibility
timeout. (On the filesystem broker the message is gone when fetched: provisioning_sweep finds
the company, tests/tenants/test_provisioning.py.)"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tenants import schemas, services
from tenants.models import Company, CompanyStatus, SpareSchema
from tests.conftest import celery_configure, celery_settings_for
from tests.worker import BROKERS, REDIS_URL, _database_url, wait_for

pytestmark = pytest.mark.skipif("redis" not in BROKERS, reason="no Redis on this machine")
ROOT = Path(__file__).resolve().parents[2]
QUEUE = "killtest"  # its own queue: the session's workers on the same Redis never take it


def _worker_start(tmp_path: Path, log_name: str) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=_database_url(), DATA_DIR=str(tmp_path / "data"),
               SPARE_POOL_SIZE="0", REDIS_URL=REDIS_URL, CELERY_BROKER_URL=REDIS_URL,
               CELERY_RESULT_BACKEND=REDIS_URL, CELERY_VISIBILITY_TIMEOUT="5")
    log = open(tmp_path / log_name, "w")  # noqa: SIM115 - the process keeps it
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "saas", "worker", "--pool=prefork",
         "--concurrency=1", "-Q", QUEUE, "--loglevel=INFO", "--without-mingle",
         "--without-gossip", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _pool_children(worker: subprocess.Popen) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(worker.pid)],
                         capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


@pytest.fixture
def redis_queue(tmp_path):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(QUEUE, "unacked", "unacked_index")
    celery_configure(celery_settings_for(tmp_path, REDIS_URL))
    started: list[subprocess.Popen] = []
    yield started
    for worker in started:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)
    client.delete(QUEUE)


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


def _task_waiting_on_the_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND wait_event_type = 'Lock' AND query LIKE '%%tenants_company%%'")
        return cursor.fetchone()[0] > 0


def _send(company: Company) -> None:
    from saas.celery import app

    app.send_task("tenants.tasks.company_provision_task", args=[company.pk], queue=QUEUE)


def _provisioned_once(company: Company, spares_before: int) -> None:
    def active():
        company.refresh_from_db()
        return company.status == CompanyStatus.ACTIVE

    wait_for(active, timeout=60)
    assert company.provision_error == ""
    assert schemas.schema_exists(company.schema_name)
    assert SpareSchema.objects.count() == spares_before - 1  # one spare taken, not two


def test_a_pool_process_killed_mid_provisioning_gives_the_task_back(
        redis_queue, provisioning_held, tmp_path):
    company, holder = provisioning_held
    spares_before = SpareSchema.objects.count()
    worker = _worker_start(tmp_path, "worker.log")
    redis_queue.append(worker)
    _send(company)
    wait_for(_task_waiting_on_the_lock, timeout=60)
    (child,) = _pool_children(worker)
    os.kill(child, signal.SIGKILL)
    wait_for(lambda: child not in _pool_children(worker), timeout=20)
    holder.rollback()  # the lock goes; the redelivered task runs in a new pool process
    _provisioned_once(company, spares_before)
    assert "WorkerLostError" in (tmp_path / "worker.log").read_text()


def test_a_whole_worker_killed_mid_provisioning_has_its_task_run_by_the_next(
        redis_queue, provisioning_held, tmp_path):
    company, holder = provisioning_held
    spares_before = SpareSchema.objects.count()
    first = _worker_start(tmp_path, "first.log")
    redis_queue.append(first)
    _send(company)
    wait_for(_task_waiting_on_the_lock, timeout=60)
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool, no goodbye
    first.wait(timeout=20)
    holder.rollback()
    time.sleep(1)
    company.refresh_from_db()
    assert company.status == CompanyStatus.PROVISIONING  # nobody finished it
    redis_queue.append(_worker_start(tmp_path, "second.log"))  # after the visibility timeout
    _provisioned_once(company, spares_before)
