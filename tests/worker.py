"""A real Celery worker process for the tests, on the filesystem broker and, where the machine
offers it (127.0.0.1:6379 or TEST_REDIS_URL), on Redis as well."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import celery_configure, celery_settings_for

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable() -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(REDIS_URL)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


BROKERS = ["filesystem"] + (["redis"] if _redis_reachable() else [])


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


@dataclass
class Worker:
    conf: dict  # the Celery settings that reach it
    mail_dir: Path  # where the e-mail it sends is written (one file per message)

    def mail_containing(self, text: str, timeout: float = 30.0) -> str:
        def find():
            for path in sorted(self.mail_dir.glob("*.log")) if self.mail_dir.exists() else []:
                content = path.read_text(encoding="utf-8")
                if text in content:
                    return content
            return None

        return wait_for(find, timeout=timeout)


@pytest.fixture(scope="session", params=BROKERS)
def celery_worker(request, django_db_setup, django_db_blocker, tmp_path_factory, _celery_sandbox):
    """Starts `celery worker` against the test database; yields its Celery settings."""
    kind = request.param
    data_dir = tmp_path_factory.mktemp(f"worker-{kind}")
    redis_url = REDIS_URL if kind == "redis" else ""
    conf = celery_settings_for(data_dir, redis_url)
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    with django_db_blocker.unblock():
        database_url = _database_url()
    # SPARE_POOL_SIZE=0: the worker must not refill the pool behind the tests' backs (the
    # tests manage the pool themselves, and a refill racing a flush deadlocks).
    mail_dir = data_dir / "mail"
    # SECRET_KEY: the worker signs what the tests verify (invitation links), and its DATA_DIR
    # would otherwise give it a key of its own.
    env = dict(os.environ, DATABASE_URL=database_url, DATA_DIR=str(data_dir), SPARE_POOL_SIZE="0",
               SECRET_KEY=settings.SECRET_KEY, MEDIA_ROOT=str(settings.MEDIA_ROOT),
               REDIS_URL=redis_url, CELERY_BROKER_URL=conf["broker_url"],
               CELERY_RESULT_BACKEND=conf["result_backend"],
               EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
               EMAIL_FILE_PATH=str(mail_dir),
               METRICS_DIR=str(settings.METRICS_DIR))  # its task latencies reach /metrics
    log = open(data_dir / "worker.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "saas", "worker", "--pool=threads",
         "--concurrency=2", "--include=tests.probe_tasks", "--loglevel=INFO",
         "--without-mingle", "--without-gossip", "--without-heartbeat"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    celery_configure(conf)
    try:
        from tests.probe_tasks import probe_ping

        assert probe_ping.delay().get(timeout=60) == "pong", "worker did not answer"
        yield Worker(conf=conf, mail_dir=mail_dir)
    finally:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
        celery_configure(celery_settings_for(_celery_sandbox))


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


# A worker to kill (docs/decisions/0031): one prefork pool process, started in its own session
# so the whole worker and its pool can be SIGKILLed together. On Redis it takes only KILL_QUEUE,
# which the session's workers on the same Redis never take; on the filesystem broker its folders
# are the test's own (DATA_DIR).
KILL_QUEUE = "killtest"


def killable_worker_start(data_dir: Path, log_name: str, *, redis: bool = True
                          ) -> subprocess.Popen:
    broker = {"REDIS_URL": REDIS_URL, "CELERY_BROKER_URL": REDIS_URL,
              "CELERY_RESULT_BACKEND": REDIS_URL, "CELERY_VISIBILITY_TIMEOUT": "5"} if redis else {
        "REDIS_URL": "", "CELERY_BROKER_URL": celery_settings_for(data_dir)["broker_url"],
        "CELERY_RESULT_BACKEND": celery_settings_for(data_dir)["result_backend"]}
    env = dict(os.environ, DATABASE_URL=_database_url(), DATA_DIR=str(data_dir),
               SPARE_POOL_SIZE="0", SECRET_KEY=settings.SECRET_KEY,
               MEDIA_ROOT=str(settings.MEDIA_ROOT), PDF_CACHE_DIR=str(data_dir / "pdf-cache"),
               **broker)
    log = open(data_dir / log_name, "w")  # noqa: SIM115 - the process keeps it
    queues = ["-Q", KILL_QUEUE] if redis else []
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "saas", "worker", "--pool=prefork",
         "--concurrency=1", *queues, "--loglevel=INFO", "--without-mingle",
         "--without-gossip", "--without-heartbeat"],
        cwd=Path(__file__).resolve().parents[1], env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)


def pool_children(worker: subprocess.Popen) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(worker.pid)],
                         capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def waiting_on_a_lock(table: str) -> bool:
    """Some session (the task's) waits for a lock in a statement about `table`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND wait_event_type = 'Lock' AND query LIKE %s", [f"%{table}%"])
        return cursor.fetchone()[0] > 0


@pytest.fixture
def killable_workers(tmp_path):
    """The workers a test starts (killable_worker_start), SIGKILLed at the end; KILL_QUEUE
    empty on Redis before and after."""
    client = None
    if "redis" in BROKERS:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        client.delete(KILL_QUEUE, "unacked", "unacked_index")
    started: list[subprocess.Popen] = []
    yield started
    for worker in started:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)
    if client is not None:
        client.delete(KILL_QUEUE)
