"""Load benchmark: the running server (gunicorn as `make run` starts it) under 20 concurrent
logged-in members of many companies, on loopback, at 10 and at 1,000 companies.

    python bench/load.py                  # DATABASE_URL's server, or `make bench` (embedded)
    python bench/load.py --companies 200  # a shorter run; --small sets the small size (10)

Each of the 20 clients is a thread with one keep-alive connection; it asks, in turn, for the
member home, the task list, the leaderboard, an API list (the leaderboard's, with the member's
token) and the floor (/floor/, a bare view with one query through the same middleware): the
floor is timed in the same run, so the ratio says what the product's pages cost above what any
request costs on this machine now.

The two sizes are compared within one run. On a shared machine the load changes from one
minute to the next, so timing 10 companies first and 1,000 later compared the machine, not the
size. After a short phase with only the first 10 companies made (printed, for reference), the
installation grows to all of them and every client alternates its rounds: one round as a member
of the first 10 companies (the small working set), the next as a member of any of the 1,000,
against the same server at the same moments. Both sets live in the same installation, so the
small set also carries what 1,000 schemas cost the catalogue; what differs is how many companies
the server's connections, caches and PostgreSQL's per-backend relation caches go round.

Companies are made the fast way (the template's SQL replayed), each with a committee, a branch,
five members, three tasks and some points; members are logged in by sessions written to their
company's schema (no password hashing in the timed part). The last line is

    load: home p95 <ms> ms vs floor <ms> ms (<r>x) at <n> companies; at 10: <ms> ms

(both p95 of the alternating phase; the floor is the 1,000-company rounds'). Its own database
(<name>_bench) and data folder are dropped at the end.
Knobs: BENCH_SIZES ("10,1000", as --small and --companies), BENCH_REQUESTS (measured requests
per page and size, default 200), BENCH_CLIENTS (20); the server's environment passes through
(DB_CONN_MAX_AGE, TENANT_LIMIT_SET_CALLS, WEB_CONCURRENCY, WEB_THREADS; BENCH_SETTINGS names
another settings module for the server, as docs/decisions/0029 did to time a connection pool).
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
    """One member at a time, one keep-alive connection. `sets` are the client's shares of the
    logins, one per size; round r is timed against sets[r % len(sets)], so with two sets the
    sizes alternate round by round."""

    def __init__(self, port: int, sets: list[list], rounds: int, warmup: int, seed: int):
        super().__init__(daemon=True)
        self.port, self.sets, self.rounds, self.warmup = port, sets, rounds, warmup
        self.rng = random.Random(seed)
        self.times: list[dict[str, list[float]]] = [{page: [] for page in PAGES} for _ in sets]
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
        kinds = len(self.sets)
        for round_number in range((self.warmup + self.rounds) * kinds):
            self.rng.shuffle(pages)  # no page always first after a switch of company
            kind = round_number % kinds
            login = self.rng.choice(self.sets[kind])
            for page in pages:
                elapsed = self.request(connection, page, login)
                if round_number >= self.warmup * kinds:
                    self.times[kind][page].append(elapsed)
        connection.close()


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000


def load_run(port: int, login_sets: list[list]) -> list[dict]:
    """All clients at once; one result (p95 per page, requests/s) per set of logins."""
    rounds = max(1, REQUESTS // CLIENTS)
    shares = [[logins[i::CLIENTS] or logins for logins in login_sets] for i in range(CLIENTS)]
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
    results = []
    for kind in range(len(login_sets)):
        result = {page: p95([t for client in clients for t in client.times[kind][page]])
                  for page in PAGES}
        result["rps"] = sum(len(c.times[kind][p]) for c in clients for p in PAGES) / took
        results.append(result)
    return results


def result_line(label: str, r: dict) -> str:
    return f"{label}, p95: " + ", ".join(
        f"{page} {r[page]:.0f} ms" for page in PAGES) + f"; {r['rps']:.0f} requests/s"


def sizes_read() -> tuple[int, int]:
    import argparse

    sizes = [int(n) for n in os.environ.get("BENCH_SIZES", "10,1000").split(",")]
    small, large = sizes[0], sizes[-1]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, default=large, help="the large size (1000)")
    parser.add_argument("--small", type=int, default=small, help="the small size (10)")
    options = parser.parse_args()
    if not 0 < options.small <= options.companies:
        parser.error("--small must be at least 1 and at most --companies")
    return options.small, options.companies


def main() -> None:
    small, large = sizes_read()
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
    server = None

    def grow(size: int) -> None:
        started = time.perf_counter()
        while len(logins) < size * MEMBERS:
            logins.extend(company_make(len(logins) // MEMBERS + 1, password))
        print(f"{size} companies made in {time.perf_counter() - started:.0f} s", flush=True)
        connection.close()

    try:
        grow(small)
        server = server_start(env, port, data_dir / "web.log")
        (alone,) = load_run(port, [logins])
        print(result_line(f"at {small} companies alone (for reference, another moment)", alone),
              flush=True)
        at_small = at_large = alone  # one size (BENCH_SIZES=10, as 0029 timed connections)
        if large > small:
            grow(large)
            hot = logins[:small * MEMBERS]
            started = time.perf_counter()
            at_small, at_large = load_run(port, [hot, list(logins)])
            print(f"alternating rounds ({time.perf_counter() - started:.0f} s, same server, "
                  "same moments):", flush=True)
            print(result_line(f"  members of the first {small} of {large} companies", at_small))
            print(result_line(f"  members of any of the {large} companies", at_large),
                  flush=True)
    finally:
        if server is not None:
            server_stop(server)
        connection.close()
        database_drop(database_url)
        shutil.rmtree(data_dir, ignore_errors=True)
    ratio = at_large["home"] / at_large["floor"]
    print(f"within 1.2x of {small}: {at_large['home'] / at_small['home']:.2f}x", flush=True)
    print(f"load: home p95 {at_large['home']:.0f} ms vs floor {at_large['floor']:.0f} ms "
          f"({ratio:.1f}x) at {large} companies; at {small}: {at_small['home']:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
