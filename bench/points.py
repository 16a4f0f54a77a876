"""Points benchmark: concurrent awards with the hash chain intact, the monthly close of
10,000 members, and the leaderboard page's query count at 30 and at 3,000 members.

    python bench/points.py        # DATABASE_URL's server, or `make bench` (embedded)

Last line: `points: <n> awards/s with 8 writers, close of 10000 members <ms> ms,
leaderboard <q> queries`.
"""

import multiprocessing
import os
import random
import time

from benchdb import setup

WRITERS = int(os.environ.get("BENCH_WRITERS", "8"))
AWARDS_PER_WRITER = int(os.environ.get("BENCH_AWARDS", "300"))
CLOSE_MEMBERS = 10_000


def company_with_members(slug: str, members: int, branches: int = 10):
    from django.contrib.auth.hashers import make_password
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from tenants import services
    from tenants.models import CompanyStatus
    from toolkit.org.models import Member, OrgUnit, UnitKind

    company = services.company_create(name=f"积分基准{slug}", slug=slug)
    services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    services.company_provision(company_id=company.pk, use_pool=False)
    password = make_password("bench-2026!")
    with schema_context(company.schema_name):
        units = [OrgUnit.objects.create(name=f"第{i}党支部", kind=UnitKind.BRANCH, order=i)
                 for i in range(1, branches + 1)]
        users = User.objects.bulk_create([
            User(username=f"1{n:010d}", mobile=f"1{n:010d}", full_name=f"党员{n}",
                 role=Role.MEMBER, password=password) for n in range(members)])
        Member.objects.bulk_create([Member(user=u, unit=units[i % branches])
                                    for i, u in enumerate(users)])
    return company


def _writer(args) -> int:
    schema, member_ids, seed = args
    from django.db import connection
    from django_tenants.utils import schema_context

    from toolkit.org.models import Member
    from toolkit.points.services import points_award

    rng = random.Random(seed)
    connection.close()  # a connection of its own, not the parent's
    with schema_context(schema):
        members = list(Member.objects.filter(pk__in=member_ids))
        for _ in range(AWARDS_PER_WRITER):
            points_award(member=rng.choice(members), rule="task_accepted",
                         amount=rng.randint(1, 20))
    connection.close()
    return AWARDS_PER_WRITER


def awards_per_second(company) -> float:
    from django.db import connections
    from django_tenants.utils import schema_context

    from toolkit.org.models import Member
    from toolkit.points.ledger import chain_check
    from toolkit.points.models import PointRule

    with schema_context(company.schema_name):
        PointRule.objects.filter(code="task_accepted").update(daily_cap=None, monthly_cap=None)
        ids = list(Member.objects.values_list("id", flat=True))
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(WRITERS) as pool:
        started = time.perf_counter()
        done = sum(pool.map(_writer, [(company.schema_name, ids, n) for n in range(WRITERS)]))
        elapsed = time.perf_counter() - started
    with schema_context(company.schema_name):
        check = chain_check()
    assert check.intact and check.entries == done, check
    print(f"awards: {done} by {WRITERS} processes in {elapsed:.2f} s; chain intact "
          f"({check.entries} entries)")
    return done / elapsed


def close_ms(company) -> float:
    from django_tenants.utils import schema_context

    from toolkit.org.models import Member
    from toolkit.periods import previous_month
    from toolkit.points.close import monthly_close
    from toolkit.points.models import MonthlyTotal, RankingSnapshot

    month = previous_month()
    rng = random.Random(3)
    with schema_context(company.schema_name):
        MonthlyTotal.objects.bulk_create([
            MonthlyTotal(member_id=pk, month=month, points=rng.randint(0, 300))
            for pk in Member.objects.values_list("id", flat=True)])
        started = time.perf_counter()
        close = monthly_close(month=month)
        elapsed = (time.perf_counter() - started) * 1000
        snapshots = RankingSnapshot.objects.filter(month=month).count()
    assert close.members == CLOSE_MEMBERS
    print(f"close: {close.members} members, {snapshots} ranking rows in {elapsed:.0f} ms")
    return elapsed


def leaderboard_queries(company) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    from accounts.models import User
    from toolkit.org.models import Member
    from toolkit.points.services import points_award

    host = f"{company.slug}.localhost"
    with schema_context(company.schema_name):
        for member in Member.objects.all()[:50]:
            points_award(member=member, rule="study")
        user = User.objects.order_by("id").first()
    client = Client()
    client.post("/login/", {"username": user.username, "password": "bench-2026!"},
                HTTP_HOST=host)
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/points/?period=year", HTTP_HOST=host)
    connection.set_schema_to_public()
    assert response.status_code == 200, response.status_code
    return len(queries)


def main() -> None:
    setup()
    small = company_with_members("lbsmall", 30, branches=3)
    large = company_with_members("lblarge", 3000)
    rate = awards_per_second(large)
    big = company_with_members("closebench", CLOSE_MEMBERS)
    ms = close_ms(big)
    q_small, q_large = leaderboard_queries(small), leaderboard_queries(large)
    print(f"leaderboard page: {q_small} queries at 30 members, {q_large} at 3000")
    queries = q_small if q_small == q_large else f"{q_small}≠{q_large}"
    print(f"points: {rate:.0f} awards/s with {WRITERS} writers, close of {CLOSE_MEMBERS} "
          f"members {ms:.0f} ms, leaderboard {queries} queries")


if __name__ == "__main__":
    main()
