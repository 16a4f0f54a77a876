"""Gunicorn's settings beyond the command line (`-c python:saas.gunicorn_conf`, as `make run`
and deploy/systemd/incubator-web.service start it): the Prometheus multiprocess folder.

The master wipes METRICS_DIR/web/ before its workers start and points them at it; when a worker
exits, its live gauges are dropped (its counters and histograms stay: totals never go back).
docs/decisions/0036-metrics.md. No Django here: the master does not load the application.

The access log's lines end with the host (which picks the company) and the request id that
saas.middleware gave the response (the proxy's X-Request-ID, or a new one), so an access line
and the application's lines about the same request share it (docs/deploy.md, Logs).
"""

access_log_format = ('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
                     'host=%({host}i)s request=%({x-request-id}o)s %(M)sms')


def on_starting(server) -> None:
    from saas.metrics_files import group_dir_use, metrics_dir_from_env

    group_dir_use(metrics_dir_from_env(), "web", wipe=True)


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
