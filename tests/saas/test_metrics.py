"""/metrics (docs/decisions/0036-metrics.md): Prometheus text with request latency by view (never
by company or host), task latency from the real worker, queue depth from the broker; only for
loopback scrapers or the bearer token; added up across gunicorn's worker processes."""

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from saas import launcher
from tests.worker import BROKERS, REDIS_URL, _database_url, wait_for

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = "incubator_http_request_duration_seconds"


def _families(text: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(text)}


def _scrape(client, **extra) -> dict:
    response = client.get("/metrics", HTTP_HOST="localhost", **extra)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return _families(response.content.decode())


def _count(families: dict, family: str, **labels) -> float:
    if family not in families:
        return 0
    return sum(sample.value for sample in families[family].samples
               if sample.name == f"{family}_count"
               and all(sample.labels.get(k) == v for k, v in labels.items()))


def test_request_latency_by_view_never_by_company(client, company_a, company_b):
    before = _scrape(client)
    for host in ("alpha.localhost", "beta.localhost"):
        for _ in range(2):
            assert client.get("/floor/", HTTP_HOST=host).status_code == 200
        assert client.get("/login/", HTTP_HOST=host).status_code == 200
        assert client.get("/no/such/page/", HTTP_HOST=host).status_code == 404
    assert client.get("/healthz", HTTP_HOST="alpha.localhost").status_code == 200
    after = _scrape(client)

    def grew(**labels) -> float:
        return _count(after, REQUESTS, **labels) - _count(before, REQUESTS, **labels)

    # Both companies' requests in one series per view: four on the floor, two logins.
    assert grew(view="floor", method="GET", status="2xx") == 4
    assert grew(view="login", method="GET", status="2xx") == 2
    assert grew(view="unmatched", method="GET", status="4xx") == 2
    assert grew(view="healthz", method="GET", status="2xx") == 1
    assert grew(view="metrics", method="GET", status="2xx") == 1  # the first scrape
    buckets = [s for s in after[REQUESTS].samples if s.name == f"{REQUESTS}_bucket"
               and s.labels["view"] == "floor"]
    assert buckets and buckets[-1].labels["le"] == "+Inf"
    label_names = {name for sample in after[REQUESTS].samples for name in sample.labels}
    assert label_names == {"view", "method", "status", "le"}
    values = {value for sample in after[REQUESTS].samples for value in sample.labels.values()}
    for company in (company_a, company_b):
        assert not {company.schema_name, company.slug, f"{company.slug}.localhost"} & values
    assert not any("localhost" in value or "/" in value for value in values)


def test_scrape_is_cheap_and_answers_on_any_host(client, company_a,
                                                 django_assert_max_num_queries):
    # Before the host lookup, like /healthz: no query, also on an unknown host.
    with django_assert_max_num_queries(0):
        assert client.get("/metrics", HTTP_HOST="alpha.localhost").status_code == 200
        assert client.get("/metrics", HTTP_HOST="nobody.localhost").status_code == 200


def test_refused_from_elsewhere_and_through_the_proxy(client, public_tenant, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_HOST="localhost").status_code == 200  # loopback
    assert client.get("/metrics", HTTP_HOST="localhost",
                      REMOTE_ADDR="203.0.113.7").status_code == 403
    # Through the HTTPS proxy every request comes from loopback, with the proxy's header.
    assert client.get("/metrics", HTTP_HOST="localhost",
                      HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 403
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/metrics", HTTP_HOST="localhost", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 403
    assert b"incubator_" not in response.content


def test_with_a_token_only_its_bearer_may_scrape(client, public_tenant, settings):
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
    assert client.get("/metrics", HTTP_HOST="localhost").status_code == 403  # loopback too
    for wrong in ("Bearer s3cret", "Bearer s3cret-token-for-prometheus2", "s3cret-token-for-"
                  "prometheus", "Basic s3cret-token-for-prometheus"):
        assert client.get("/metrics", HTTP_HOST="localhost",
                          HTTP_AUTHORIZATION=wrong).status_code == 403
    families = _scrape(client, HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus",
                       REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert REQUESTS in families


@pytest.mark.parametrize("broker", BROKERS)
def test_queue_depth_is_read_from_the_broker(client, public_tenant, broker, tmp_path):
    from saas.celery import app
    from tests.conftest import celery_configure, celery_settings_for
    from tests.probe_tasks import probe_ping

    conf = celery_settings_for(tmp_path, REDIS_URL if broker == "redis" else "")
    celery_configure(conf)  # the session's sandbox again after the test (tests/conftest.py)
    queue = f"metrics-probe-{os.getpid()}"
    try:
        for _ in range(3):  # no worker reads this queue
            probe_ping.apply_async(queue=queue)
        depth = {s.labels["queue"]: s.value
                 for s in _scrape(client)["incubator_queue_depth"].samples}
        assert depth[queue] == 3
        assert "celery" in depth
    finally:
        if broker == "redis":
            import redis

            redis.Redis.from_url(REDIS_URL).delete(queue)
        app.amqp.queues.pop(queue, None)


def test_task_latency_from_the_real_worker(client, public_tenant, celery_worker):
    from tests.probe_tasks import probe_ping

    task = "tests.probe_tasks.probe_ping"
    before = _count(_scrape(client), "incubator_task_duration_seconds", task=task,
                    state="success")
    assert probe_ping.delay().get(timeout=30) == "pong"
    # The worker records the time after it stored the result: wait for the sample.
    wait_for(lambda: _count(_scrape(client), "incubator_task_duration_seconds", task=task,
                            state="success") == before + 1, timeout=15)
    families = _scrape(client)
    labels = {name for s in families["incubator_task_duration_seconds"].samples
              for name in s.labels}
    assert labels == {"task", "state", "le"}


# --- Under gunicorn: two worker processes, one total ----------------------------------------------
def _free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def _get(port: str, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"Host": "localhost", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def gunicorn_two_workers(django_db_setup, django_db_blocker, tmp_path):
    """`make run`'s web command (gunicorn, two workers, its config module) on the test
    database, with a data folder of its own; yields the port and that folder."""
    from django.conf import settings

    from tenants import services

    with django_db_blocker.unblock():
        database_url = _database_url()
        # Committed (no test transaction here): a transactional test's flush may have run.
        services.public_tenant_ensure(domains=[settings.BASE_DOMAIN])
    data_dir = tmp_path / "data"
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
           "DATABASE_URL": database_url, "DATA_DIR": str(data_dir), "SPARE_POOL_SIZE": "0",
           "CELERY_BROKER_URL": "memory://localhost/", "WEB_CONCURRENCY": "2"}
    command = launcher.web_command(_free_port())
    assert command[command.index("--workers") + 1] == "2"
    port = command[command.index("--bind") + 1].rsplit(":", 1)[1]
    log = open(tmp_path / "web.log", "w+")  # noqa: SIM115 - closed below
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", int(port)), timeout=0.5).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "web.log").read_text()
                time.sleep(0.2)
        yield port, data_dir, server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()


def test_gunicorn_workers_samples_add_up(gunicorn_two_workers):
    port, data_dir, server = gunicorn_two_workers
    web = data_dir / "metrics" / "web"
    sent = 0
    statuses: list[int] = []

    def batch() -> None:
        def hit() -> None:
            for _ in range(4):
                statuses.append(_get(port, "/floor/")[0])

        threads = [threading.Thread(target=hit) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # Concurrent requests until both workers have answered some (each writes its own file).
    for _ in range(10):
        batch()
        sent += 24
        if len(list(web.glob("histogram_*.db"))) >= 2:
            break
    assert statuses == [200] * sent
    assert len(list(web.glob("histogram_*.db"))) == 2, "one worker answered everything"

    status, body = _get(port, "/metrics")
    assert status == 200
    families = _families(body.decode())
    assert _count(families, REQUESTS, view="floor", method="GET", status="2xx") == sent
    # Through the proxy (its X-Forwarded-For): refused.
    assert _get(port, "/metrics", {"X-Forwarded-For": "203.0.113.7"})[0] == 403

    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=20) == 0
