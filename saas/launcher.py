"""`make run`: database, migrations, demo data, static files, then the web server (gunicorn,
as in production, with DEBUG off unless DEBUG=1), a Celery worker and beat.

Ctrl-C stops every process started here (and the embedded PostgreSQL if started here);
the data under .data/ stays for the next run.
"""

import os
import signal
import subprocess
import sys
import time

from saas.embedded_db import EmbeddedPostgres

PORT = os.environ.get("PORT", "8000")
# Loopback by default: the demo's passwords are printed in the README. HOST=0.0.0.0 to share it.
HOST = os.environ.get("HOST", "127.0.0.1")
# Two cores: two processes (one can crash or block without the other) of four threads each;
# a request mostly waits on PostgreSQL, so threads keep the cores busy.
WEB_WORKERS = os.environ.get("WEB_CONCURRENCY", "2")
WEB_THREADS = os.environ.get("WEB_THREADS", "4")


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True, env=env)


def web_command(port: str) -> list[str]:
    """Gunicorn serving saas.wsgi; WhiteNoise (a middleware) serves the collected static files.
    Access log on stdout; on SIGTERM it finishes the requests under way (10 s at most). No
    control socket: its default path is per user (~/.gunicorn), shared by every checkout."""
    return [sys.executable, "-m", "gunicorn", "saas.wsgi", "--bind", f"{HOST}:{port}",
            "--workers", WEB_WORKERS, "--threads", WEB_THREADS, "--access-logfile", "-",
            "--graceful-timeout", "10", "--no-control-socket", "-c", "python:saas.gunicorn_conf"]


def static_collect(env: dict) -> None:
    """Into STATIC_ROOT (DATA_DIR/staticfiles), as production does: with DEBUG off WhiteNoise
    serves only collected files, so the dev server runs what production runs."""
    manage("collectstatic", "--noinput", "-v", "0", env=env)


def child_env(environ) -> dict:
    """The environment of every process started here. PORT is always in it: settings read it
    (PUBLIC_PORT) for the links that leave the page, such as a certificate's QR code and the
    e-mails; without it `make run` on its default port printed http://localhost/verify/…"""
    env = dict(environ)
    env.setdefault("PORT", PORT)
    return env


def main() -> int:
    env = child_env(os.environ)
    database = None
    if not env.get("DATABASE_URL"):
        database = EmbeddedPostgres()
        started = database.start()
        env["DATABASE_URL"] = database.url
        print(f"Embedded PostgreSQL {'started' if started else 'already running'}: {database.url}")
        if not started:
            database = None  # someone else's server: leave it running
    children: list[subprocess.Popen] = []

    def stop(*_args) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()  # the worker's own warm shutdown stops its pool
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        if database is not None:
            database.stop()
            print("Embedded PostgreSQL stopped; data kept in .data/pg")

    # Ctrl-C (also when started in the background, where SIGINT arrives ignored) and SIGTERM
    # both end in the `finally` below.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("demo_seed", "--port", PORT, env=env)
        static_collect(env)
        commands = [
            web_command(PORT),
            [sys.executable, "-m", "celery", "-A", "saas", "worker", "-l", "info",
             "--concurrency", "2", "--without-mingle", "--without-gossip"],
            [sys.executable, "-m", "celery", "-A", "saas", "beat", "-l", "info"],
        ]
        if not env.get("STRIPE_SECRET_KEY"):  # billing without a Stripe account (0027)
            store = os.path.join(env.get("DATA_DIR", ".data"), "localstripe.pickle")
            commands.append([sys.executable, "-m", "saas.localstripe_run",
                             env.get("LOCALSTRIPE_PORT", "8420"), store])
        for command in commands:
            children.append(subprocess.Popen(command, env=env, start_new_session=True))
        print(f"\nServing http://localhost:{PORT}/ and http://<company>.localhost:{PORT}/ "
              "with a Celery worker and beat. Ctrl-C stops everything.\n")
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("A process exited; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…")
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
