"""Prometheus metrics (docs/decisions/0036-metrics.md): request latency, task latency and queue
depth, for every process of the installation at once.

Gunicorn's workers and Celery's pool processes each write their samples to memory-mapped files
(prometheus_client's multiprocess mode) under METRICS_DIR/<group>/ — `web` for gunicorn (its
master wipes it on start), `worker-<node>` for each Celery worker (wiped by that worker on
start), `other` for anything else (a management command, the tests, runserver). A scrape of
/metrics, served by any web process, adds them all up; the queue depth is read from the broker
at that moment. Labels name the view, the method and the status class, or the task: never a
company, a host or a path, so a thousand companies make no more series than one.
"""

import glob
import logging
import os
import threading
import time
from pathlib import Path

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METHODS = {"GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUEST_SECONDS = Histogram(
    "incubator_http_request_duration_seconds",
    "Time to answer a request, by view (URL name), method and status class.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TASK_SECONDS = Histogram(
    "incubator_task_duration_seconds",
    "Time a Celery task ran, by task name and outcome (success, failure, retry).",
    ["task", "state"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600),
)


# --- Requests ----------------------------------------------------------------------------------
def view_label(request, path: str) -> str:
    """The URL's name (or the view's dotted path when it has none): a closed set, fixed by the
    code. What the middleware answered itself gets a fixed word."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    if path == "/healthz":
        return "healthz"
    if path == "/metrics":
        return "metrics"
    from django.conf import settings

    if path.startswith(settings.STATIC_URL) or path == "/favicon.ico":
        return "static"
    return "unmatched"  # 404s, unknown hosts, redirects made before the URL resolution


def request_observe(*, request, status: int, seconds: float) -> None:
    method = request.method if request.method in METHODS else "other"
    REQUEST_SECONDS.labels(view_label(request, request.path), method,
                           f"{status // 100}xx").observe(seconds)


# --- Tasks (Celery's task_prerun and task_postrun, saas/celery.py) -----------------------------
_task_started: dict[str, float] = {}
_task_lock = threading.Lock()


def task_started(*, task_id: str) -> None:
    with _task_lock:
        _task_started[task_id] = time.perf_counter()


def task_finished(*, task_id: str, task_name: str, state: str | None) -> None:
    with _task_lock:
        started = _task_started.pop(task_id, None)
    if started is not None:
        TASK_SECONDS.labels(task_name, (state or "unknown").lower()).observe(
            time.perf_counter() - started)


# --- The scrape ----------------------------------------------------------------------------------
class AllGroupsCollector(MultiProcessCollector):
    """Every group's files under METRICS_DIR, added up (counters and histograms summed)."""

    def __init__(self, metrics_dir: Path | str):  # noqa: D107 - no registry: collected by hand
        self._metrics_dir = str(metrics_dir)

    def collect(self):
        files = glob.glob(os.path.join(self._metrics_dir, "*", "*.db"))
        return self.merge(files, accumulate=True)


class QueueDepthCollector:
    """Messages waiting in each queue, asked of the broker at scrape time: a few LLENs in one
    round trip on Redis; on the filesystem broker (docs/decisions/0002), the queue folder's
    file names."""

    def __init__(self, app):
        self.app = app

    def collect(self):
        depth = GaugeMetricFamily("incubator_queue_depth",
                                  "Messages waiting in the broker, by queue.", labels=["queue"])
        try:
            counts, unacked = queue_depths(self.app)
        except Exception as error:  # a scrape still reports the rest
            logger.warning("queue depth unavailable: %s", error)
            return
        for queue, count in sorted(counts.items()):
            depth.add_metric([queue], count)
        yield depth
        if unacked is not None:
            yield GaugeMetricFamily("incubator_tasks_unacked",
                                    "Messages a worker has taken and not yet acknowledged.",
                                    value=unacked)


def _queue_names(app) -> list[str]:
    """The default queue and every queue this app has declared (task_queues, or a queue a
    message was sent to by name)."""
    names = {app.conf.task_default_queue or "celery"}
    names.update(app.amqp.queues.keys())
    return sorted(names)


_redis_clients: dict = {}


def queue_depths(app) -> tuple[dict[str, int], int | None]:
    from django.conf import settings

    url = app.conf.broker_url or ""
    names = _queue_names(app)
    if url.startswith("filesystem://"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        counts = dict.fromkeys(names, 0)
        with os.scandir(folder) as entries:  # <ms>_<uuid>.<queue>.msg
            for entry in entries:
                rest = entry.name.partition(".")[2]
                if rest.endswith(".msg"):
                    queue = rest[:-4]
                    counts[queue] = counts.get(queue, 0) + 1
        return counts, None
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = _redis_clients.get(url)
        if client is None:
            client = _redis_clients[url] = redis.Redis.from_url(
                url, socket_timeout=1, socket_connect_timeout=1)
        # kombu's Redis transport: one list per queue and priority step (0 is the bare name).
        steps = (app.conf.broker_transport_options or {}).get("priority_steps", [0, 3, 6, 9])
        pipe = client.pipeline(transaction=False)
        for name in names:
            for step in steps:
                pipe.llen(name if step == 0 else f"{name}\x06\x16{step}")
        pipe.hlen("unacked")
        replies = pipe.execute()
        counts = {name: sum(replies[i * len(steps):(i + 1) * len(steps)])
                  for i, name in enumerate(names)}
        return counts, replies[-1]
    return {}, None  # memory:// (the benchmarks' server) and others: nothing to ask


def metrics_text(*, app) -> bytes:
    """Every process's samples and the queues' depth, in Prometheus' text format."""
    from django.conf import settings

    registry = CollectorRegistry(auto_describe=False)
    registry.register(AllGroupsCollector(settings.METRICS_DIR))
    registry.register(QueueDepthCollector(app))
    return generate_latest(registry)


# --- Who may scrape ------------------------------------------------------------------------------
def scrape_allowed(request) -> bool:
    """With METRICS_TOKEN set: whoever sends `Authorization: Bearer <token>`. Without it: only
    a scraper on this machine talking to gunicorn directly (loopback, and no proxy's
    X-Forwarded-For: through the HTTPS proxy every request comes from loopback)."""
    import hmac
    import ipaddress

    from django.conf import settings

    from core.client_ip import client_ip

    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    if "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META:
        return False
    try:
        return ipaddress.ip_address(client_ip(request)).is_loopback
    except ValueError:
        return False
