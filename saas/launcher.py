"""`make run`: database, migrations, demo data, then the web server, a Celery worker and beat.

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


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True, env=env)


def main() -> int:
    env = dict(os.environ)
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
        commands = [
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            [sys.executable, "-m", "celery", "-A", "saas", "worker", "-l", "info",
             "--concurrency", "2", "--without-mingle", "--without-gossip"],
            [sys.executable, "-m", "celery", "-A", "saas", "beat", "-l", "info"],
        ]
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
