"""Migrations at scale: `manage.py migrate_schemas` with nothing to do, then with a real
migration (a column and an index added to the points ledger, bench/scaleapp), over 1,000
company schemas plus the warm pool's spares and the template.

    python bench/migrate.py          # DATABASE_URL's server, or `make bench` (embedded)

Companies are made the fast way (the template's SQL replayed), each with a member and a few
ledger entries. Both runs are the real command in its own process, timed from start to exit;
the per-schema times are the ones it reports. Afterwards every company schema, every spare and
the template have the column, and a company made after the migration has it too (the
template's SQL was rebuilt). Last line:

    migrate: noop <s> s, real <s> s at <n> companies, p95 per schema <ms> ms

Knobs: BENCH_COMPANIES (1000), MIGRATE_PROCESSES (2, the command's pool). Its own database
(<name>_bench) is dropped at the end.
"""

import os
import re
import subprocess
import sys
import time

from benchdb import ROOT, database_drop, setup

COMPANIES = int(os.environ.get("BENCH_COMPANIES", "1000"))
SPARES = 3
SUMMARY = re.compile(r"(\d+) schemas migrated in [\d.]+ s, per schema p50 (\d+) ms, p95 (\d+) ms")


def companies_make(count: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from tenants import services
    from tenants.models import CompanyStatus
    from toolkit.org.models import Member, OrgUnit, UnitKind
    from toolkit.points.models import RuleCode
    from toolkit.points.services import points_award

    password = make_password("bench-migrate-1")
    started = time.perf_counter()
    for number in range(1, count + 1):
        slug = f"mig{number}"
        company = services.company_create(name=f"迁移公司{number}", slug=slug)
        services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
        services.company_provision(company_id=company.pk, use_pool=False)
        with schema_context(slug):
            unit = OrgUnit.objects.create(name="第一党支部", kind=UnitKind.BRANCH)
            user = User.objects.create(username="m1", full_name="党员", role=Role.MEMBER,
                                       password=password)
            member = Member.objects.create(user=user, unit=unit)
            for _ in range(5):
                points_award(member=member, rule=RuleCode.STUDY, amount=1)
        if number % 100 == 0:
            print(f"  {number} companies made ({time.perf_counter() - started:.0f} s)",
                  flush=True)
    services.spare_pool_refill(size=SPARES)


def migrate_run(state: str) -> tuple[float, str]:
    env = dict(os.environ, BENCH_MIGRATION_STATE=state, SPARE_POOL_SIZE=str(SPARES))
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "manage.py", "migrate_schemas", "-v", "1"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"migrate_schemas failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return took, result.stdout


def column_everywhere() -> int:
    """Schemas (companies, spares, template) whose ledger has the new column."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.columns "
                       "WHERE table_name = 'points_ledgerentry' AND column_name = 'bench_note'")
        return cursor.fetchone()[0]


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.migrate_settings"
    os.environ["BENCH_MIGRATION_STATE"] = "before"
    setup()
    from django.db import connection

    from tenants import services
    from tenants.models import CompanyStatus

    database_url = os.environ["DATABASE_URL"]
    try:
        started = time.perf_counter()
        companies_make(COMPANIES)
        print(f"{COMPANIES} companies made in {time.perf_counter() - started:.0f} s", flush=True)
        connection.close()

        noop, out = migrate_run("before")
        up_to_date = re.search(r"(\d+) company and spare schemas up to date, 0 to migrate", out)
        assert up_to_date and int(up_to_date.group(1)) == COMPANIES + SPARES, out[-2000:]
        print(f"no-op migrate over {COMPANIES + SPARES} schemas: {noop:.1f} s", flush=True)

        real, out = migrate_run("after")
        progress = [line for line in out.splitlines() if re.match(r"^\[\d+/\d+\] ", line)]
        summary = SUMMARY.search(out)
        assert summary and int(summary.group(1)) == COMPANIES + SPARES, out[-2000:]
        print(f"real migrate: {len(progress)} progress lines, e.g. {progress[len(progress) // 2]}"
              f"; {summary.group(0)}", flush=True)

        # Every company, spare and the template; then a company made now, from the template.
        assert column_everywhere() == COMPANIES + SPARES + 1, column_everywhere()
        company = services.company_create(name="迁移之后", slug="after-migrate")
        services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
        services.company_provision(company_id=company.pk, use_pool=False)
        assert column_everywhere() == COMPANIES + SPARES + 2
        again, out = migrate_run("after")
        assert re.search(r"up to date, 0 to migrate", out), out[-2000:]
        print(f"after it, a no-op again: {again:.1f} s; the template and spares are current")
    finally:
        connection.close()
        database_drop(database_url)
    print(f"migrate: noop {noop:.1f} s, real {real:.1f} s at {COMPANIES} companies, "
          f"p95 per schema {int(summary.group(3))} ms")


if __name__ == "__main__":
    main()
