"""Quiz benchmark: 50 players answer a round over HTTP against the production server
(gunicorn, as saas/launcher.py starts it, on loopback), timed against the floor view
(/floor/, one query through the same middleware) in the same run.

    python bench/quiz.py        # DATABASE_URL's server, or `make bench` (embedded)

Last line: `quiz: <n> answers/s with 50 concurrent players, <f> % of floor, p95 <ms> ms vs
floor <ms> ms, points awarded <a> of <e> expected`. Each player answers the questions of a
special round one request at a time (each answer's response carries the next question); the
floor is asked the same number of times by the same 50 threads. Player i answers its first
i mod (Q+1) questions right and the rest wrong, so the points expected follow from the rule
alone: min(right x points, daily cap, monthly cap) each. The bench's own database
(<name>_bench) is dropped at the end.
"""

import datetime
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

from benchdb import ROOT, setup

PLAYERS = int(os.environ.get("BENCH_PLAYERS", "50"))
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "30"))
BANK = QUESTIONS + 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def company_make():
    """One company the fast way (a prepared schema), its members, its bank, a special round,
    and a knox token per player (made directly: logging 50 people in is not what is timed)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from django_tenants.utils import schema_context
    from knox.models import AuthToken

    from accounts.models import Role, User
    from tenants import services
    from tenants.models import CompanyStatus
    from toolkit.org.models import Member, OrgUnit, UnitKind
    from toolkit.quiz.models import BankQuestion, Source
    from toolkit.quiz.services import round_publish

    services.spare_pool_refill(size=1)
    company = services.company_create(name="问答基准", slug="quizbench")
    services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    company = services.company_provision(company_id=company.pk)
    password = make_password("bench-2026!")
    with schema_context(company.schema_name):
        unit = OrgUnit.objects.create(name="第一党支部", kind=UnitKind.BRANCH)
        users = User.objects.bulk_create([
            User(username=f"1380000{n:04d}", mobile=f"1380000{n:04d}", full_name=f"选手{n}",
                 role=Role.MEMBER, password=password) for n in range(PLAYERS)])
        members = Member.objects.bulk_create([Member(user=u, unit=unit) for u in users])
        BankQuestion.objects.bulk_create([
            BankQuestion(kind="single", text=f"基准题 {n}", options=["甲", "乙", "丙", "丁"],
                         answer=[n % 4], explanation=f"解析 {n}") for n in range(BANK)])
        now = timezone.now()
        quiz_round = round_publish(title="基准专场", opens_at=now,
                                   closes_at=now + datetime.timedelta(hours=2),
                                   question_count=QUESTIONS, seconds_per_question=300,
                                   source=Source.OWN)
        tokens = [AuthToken.objects.create(user=m.user)[1] for m in members]
    return company, quiz_round, members, tokens


def server_start(port: int) -> subprocess.Popen:
    from saas.launcher import web_command

    env = dict(os.environ, DEBUG="0")
    command = [part for part in web_command(str(port)) if part != "-"]
    command = [c for c in command if c != "--access-logfile"]  # no log line per request
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(server.stderr.read().decode()[-2000:]) from None
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


class Player:
    """One keep-alive connection to the server, as one phone would use."""

    def __init__(self, port: int, host: str, token: str | None = None):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Host": host, "Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Token {token}"

    def call(self, method: str, path: str, body=None) -> tuple[int, dict]:
        payload = json.dumps(body) if body is not None else None
        try:
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # gunicorn closed the idle keep-alive connection (after 2 s) as we sent: the
            # request was not read. Once more on a new connection; an answer that had been
            # taken would come back refused (quiz_already_answered) and fail the run.
            self.connection.close()
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else {})

    def fresh(self) -> None:
        self.connection.close()  # the next call connects anew


def _run_all(work) -> float:
    """Runs work(i) in PLAYERS threads started together; the wall time in seconds."""
    barrier = threading.Barrier(PLAYERS + 1)
    errors: list[BaseException] = []

    def run(i):
        barrier.wait()
        try:
            work(i)
        except BaseException as error:  # reported below, the run is void
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PLAYERS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def floor_timed(port: int, host: str) -> tuple[float, list[float]]:
    latencies: list[list[float]] = [[] for _ in range(PLAYERS)]
    clients = [Player(port, host) for _ in range(PLAYERS)]

    def work(i):
        for _ in range(QUESTIONS):
            started = time.perf_counter()
            status, _body = clients[i].call("GET", "/floor/")
            latencies[i].append(time.perf_counter() - started)
            assert status == 200, status

    wall = _run_all(work)
    flat = [x for per in latencies for x in per]
    return len(flat) / wall, flat


def rights_of(company, attempt_ids: list[int]) -> dict[int, dict[int, int]]:
    """attempt id → {position: the shown position of the right option} (the bench peeks in
    the database, which a player cannot; the API never tells before the answer)."""
    from django_tenants.utils import schema_context

    from toolkit.quiz.models import AttemptQuestion

    found: dict[int, dict[int, int]] = {a: {} for a in attempt_ids}
    with schema_context(company.schema_name):
        for asked in AttemptQuestion.objects.filter(attempt_id__in=attempt_ids):
            found[asked.attempt_id][asked.position] = asked.order.index(asked.answer[0])
    return found


def quiz_timed(port, host, quiz_round, tokens, company) -> tuple[float, list[float]]:
    clients = [Player(port, host, token) for token in tokens]
    firsts: list[dict] = [{} for _ in range(PLAYERS)]

    def start(i):
        status, body = clients[i].call("POST", f"/api/v1/quiz/rounds/{quiz_round.pk}/start/")
        assert status == 200, (status, body)
        firsts[i] = body

    _run_all(start)
    rights = rights_of(company, [body["attempt"]["id"] for body in firsts])
    for client in clients:
        client.fresh()
    latencies: list[list[float]] = [[] for _ in range(PLAYERS)]

    def work(i):
        attempt_id = firsts[i]["attempt"]["id"]
        question, right_ones = firsts[i]["question"], i % (QUESTIONS + 1)
        while question:
            right = rights[attempt_id][question["position"]]
            shown = right if question["position"] <= right_ones else (right + 1) % 4
            started = time.perf_counter()
            status, body = clients[i].call(
                "POST", f"/api/v1/quiz/attempts/{attempt_id}/answer/",
                {"position": question["position"], "answer": [str(shown)]})
            latencies[i].append(time.perf_counter() - started)
            assert status == 200, (status, body)
            question = body["next"]

    wall = _run_all(work)
    flat = [x for per in latencies for x in per]
    return len(flat) / wall, flat


def points_check(company, members) -> tuple[int, int]:
    """(awarded, expected): the ledger's quiz_special entries against the rule's arithmetic."""
    from django.db.models import Sum
    from django_tenants.utils import schema_context

    from toolkit.points.models import LedgerEntry, PointRule

    with schema_context(company.schema_name):
        rule = PointRule.objects.get(code="quiz_special")
        caps = [c for c in (rule.daily_cap, rule.monthly_cap) if c is not None]
        expected = sum(min([(i % (QUESTIONS + 1)) * rule.points, *caps])
                       for i in range(len(members)))
        awarded = LedgerEntry.objects.filter(rule_code="quiz_special").aggregate(
            total=Sum("amount"))["total"] or 0
    return awarded, expected


def database_drop(url: str) -> None:
    from urllib.parse import urlparse, urlunparse

    import psycopg2
    from django.db import connections

    connections.close_all()
    parsed = urlparse(url)
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] * 1000


def main() -> None:
    setup()
    company, quiz_round, members, tokens = company_make()
    host = company.domains.first().domain
    port = _free_port()
    server = server_start(port)
    try:
        Player(port, host).call("GET", "/floor/")  # both workers up, imports done
        floor_rate, floor_latencies = floor_timed(port, host)
        rate, latencies = quiz_timed(port, host, quiz_round, tokens, company)
    finally:
        server.terminate()
        server.wait(timeout=20)
    awarded, expected = points_check(company, members)
    database_drop(os.environ["DATABASE_URL"])
    print(f"floor: {floor_rate:.0f} requests/s, p95 {p95(floor_latencies):.0f} ms; "
          f"{len(latencies)} answers", file=sys.stderr)
    print(f"quiz: {rate:.0f} answers/s with {PLAYERS} concurrent players, "
          f"{100 * rate / floor_rate:.0f} % of floor, p95 {p95(latencies):.0f} ms vs floor "
          f"{p95(floor_latencies):.0f} ms, points awarded {awarded} of {expected} expected")


if __name__ == "__main__":
    main()
