"""Load benchmark: the running server (gunicorn as `make run` starts it) under 20 concurrent
logged-in members of many companies, on loopback, at 10 and at 1,000 companies.

    python bench/load.py            # DATABASE_URL's server, or `make bench` (embedded)

Each of the 20 clients is a thread with one keep-alive connection; it goes round its share of
the companies' members and asks, in turn, for the member home, the task list, the leaderboard,
an API list (the leaderboard's, with the member's token) and the floor (/floor/, a bare view
with one query through the same middleware): the floor is timed in the same run, so the ratio
says what the product's pages cost above what any request costs on this machine now.

Companies are made the fast way (the template's SQL replayed), each with a committee, a branch,
five members, three tasks and some points; members are logged in by sessions written to their
company's schema (no password hashing in the timed part). The last line is

    load: home p95 <ms> ms vs floor <ms> ms (<r>x) at <n> companies; at 10: <ms> ms

Its own database (<name>_bench) and data folder are dropped at the end.
Knobs: BENCH_SIZES (default "10,1000"), BENCH_REQUESTS (measured requests per page and size,
default 200), BENCH_CLIENTS (20); the server's environment passes through (DB_CONN_MAX_AGE,
TENANT_LIMIT_SET_CALLS, WEB_CONCURRENCY, WEB_THREADS; BENCH_SETTINGS names another settings
module for the server, as docs/decisions/0029 did to time a connection pool).
"""

import datetime
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchdb import ROOT, database_drop, setup

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10,1000").split(",")]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
MEMBERS = 5
PAGES = {"home": "/", "tasks": "/arena/", "leaderboard": "/points/",
         "api": "/api/v1/points/leaderboard/", "floor": "/floor/"}


def company_make(number: int, password: str) -> list[tuple[str, str, str]]:
    """One company the fast way, with an organisation and activity; returns its members'
    (host, session key, API token)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_tenants.utils import schema_context
    from knox.models import AuthToken

    from accounts.models import Role, User
    from tenants import services
    from tenants.models import CompanyStatus
    from toolkit.arena import services as arena
    from toolkit.org.models import Member, OrgUnit, Position, UnitKind
    from toolkit.points.models import RuleCode
    from toolkit.points.services import points_award

    slug = f"load{number}"
    company = services.company_create(name=f"负载公司{number}", slug=slug)
    services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    services.company_provision(company_id=company.pk, use_pool=False)
    members = []
    with schema_context(slug):
        committee = OrgUnit.objects.create(name="党委", kind=UnitKind.COMMITTEE)
        branch = OrgUnit.objects.create(name="第一党支部", kind=UnitKind.BRANCH,
                                        parent=committee, order=1)
        admin = User.objects.create(username="admin", full_name="管理员",
                                    role=Role.COMPANY_ADMIN, password=password)
        for index in range(MEMBERS):
            mobile = f"139{number:04d}{index:04d}"
            user = User.objects.create(username=mobile, mobile=mobile, full_name=f"党员{index}",
                                       role=Role.MEMBER, password=password)
            members.append(Member.objects.create(
                user=user, unit=branch,
                position=Position.SECRETARY if index == 0 else Position.MEMBER))
        deadline = timezone.now() + datetime.timedelta(days=14)
        for title in ("整理党员档案", "撰写学习心得", "组织志愿服务"):
            arena.task_publish(publisher=branch, title=title, description="", points=20,
                               places=3, deadline=deadline, by=admin)
        for member in members:
            points_award(member=member, rule=RuleCode.STUDY)
        logins = []
        for member in members:
            session = SessionStore()
            session[SESSION_KEY] = str(member.user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = member.user.get_session_auth_hash()
            session.create()
            token = AuthToken.objects.create(member.user)[1]
            logins.append((f"{slug}.localhost", session.session_key, token))
    return logins


def server_start(env: dict, port: int, log: Path) -> subprocess.Popen:
    from saas import launcher

    launcher.static_collect(env)
    with open(log, "w") as out:
        server = subprocess.Popen(launcher.web_command(str(port)), cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server did not start:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.3)
    raise SystemExit("the server did not start in 60 s")


def server_stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, 15)  # gunicorn's graceful stop, workers included
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()


class Client(threading.Thread):
    """One member at a time of its share of the logins, one keep-alive connection."""

    def __init__(self, port: int, logins: list, rounds: int, warmup: int, seed: int):
        super().__init__(daemon=True)
        self.port, self.logins, self.rounds, self.warmup = port, logins, rounds, warmup
        self.rng = random.Random(seed)
        self.times: dict[str, list[float]] = {page: [] for page in PAGES}
        self.errors: list[str] = []

    def request(self, connection, page: str, login) -> float:
        host, session_key, token = login
        headers = {"Host": host, "Cookie": f"sessionid={session_key}"}
        if page == "api":
            headers = {"Host": host, "Authorization": f"Token {token}"}
        started = time.perf_counter()
        connection.request("GET", PAGES[page], headers=headers)
        response = connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            self.errors.append(f"{page} {host}: {response.status} {body[:200]!r}")
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
        return elapsed

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        pages = list(PAGES)
        for round_number in range(self.warmup + self.rounds):
            self.rng.shuffle(pages)  # no page always first after a switch of company
            login = self.rng.choice(self.logins)
            for page in pages:
                elapsed = self.request(connection, page, login)
                if round_number >= self.warmup:
                    self.times[page].append(elapsed)
        connection.close()


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000


def load_run(port: int, logins: list) -> dict:
    rounds = max(1, REQUESTS // CLIENTS)
    shares = [logins[i::CLIENTS] or logins for i in range(CLIENTS)]
    clients = [Client(port, share, rounds, warmup=2, seed=i) for i, share in enumerate(shares)]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    took = time.perf_counter() - started
    errors = [error for client in clients for error in client.errors]
    if errors:
        raise SystemExit(f"{len(errors)} requests failed, e.g. {errors[:3]}")
    result = {page: p95([t for client in clients for t in client.times[page]]) for page in PAGES}
    result["rps"] = sum(len(c.times[p]) for c in clients for p in PAGES) / took
    return result


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    os.environ["DATA_DIR"] = str(data_dir)
    setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    password = make_password("bench-load-1")
    database_url = os.environ["DATABASE_URL"]
    env = dict(os.environ, DATABASE_URL=database_url, DATA_DIR=str(data_dir), DEBUG="0",
               SPARE_POOL_SIZE="0", SECRET_KEY=settings.SECRET_KEY,
               CELERY_BROKER_URL="memory://localhost/", CELERY_RESULT_BACKEND="cache+memory://")
    env["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS", "saas.settings")
    port = 18000 + os.getpid() % 1000
    logins: list = []
    results = {}
    server = None
    try:
        for size in SIZES:
            started = time.perf_counter()
            while len(logins) < size * MEMBERS:
                logins += company_make(len(logins) // MEMBERS + 1, password)
            print(f"{size} companies made in {time.perf_counter() - started:.0f} s", flush=True)
            connection.close()
            if server is None:
                server = server_start(env, port, data_dir / "web.log")
            results[size] = load_run(port, logins)
            r = results[size]
            print(f"at {size} companies, p95: " + ", ".join(
                f"{page} {r[page]:.0f} ms" for page in PAGES) + f"; {r['rps']:.0f} requests/s",
                flush=True)
    finally:
        if server is not None:
            server_stop(server)
        connection.close()
        database_drop(database_url)
        shutil.rmtree(data_dir, ignore_errors=True)
    last, first = results[SIZES[-1]], results[SIZES[0]]
    ratio = last["home"] / last["floor"]
    print(f"load: home p95 {last['home']:.0f} ms vs floor {last['floor']:.0f} ms ({ratio:.1f}x) "
          f"at {SIZES[-1]} companies; at {SIZES[0]}: {first['home']:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
