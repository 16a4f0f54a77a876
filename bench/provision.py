"""Provisioning benchmark: the project's cold creation and warm-pool activation against stock
django-tenants (migrations), measured in one run on one database.

    python bench/provision.py            # DATABASE_URL's server, or `make bench` (embedded)

It uses its own database (<name>_bench, dropped and re-made), fills it with 200 companies,
times 50 of each way, then does it again at 350 companies to show nothing grows with the
count. The last line is the summary the README quotes.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "50"))
FIRST, SECOND = 200, 350


def bench_database_url() -> str:
    import psycopg2

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/incubator")
    parsed = urlparse(base)
    name = parsed.path.lstrip("/") + "_bench"
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunparse(parsed._replace(path=f"/{name}"))


def setup() -> None:
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")
    # Refill requests are published in-process and dropped: no worker of the developer's
    # must act on this database.
    os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
    os.environ["CELERY_RESULT_BACKEND"] = "cache+memory://"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def p50(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


_counter = iter(range(1, 10**6))


def new_company():
    from tenants import services
    from tenants.models import CompanyStatus

    n = next(_counter)
    company = services.company_create(name=f"基准公司{n}", slug=f"bench{n}")
    return services.company_transition(company=company, to=CompanyStatus.PROVISIONING)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cold_one() -> float:
    from tenants import services

    company = new_company()
    return timed(lambda: services.company_provision(company_id=company.pk, use_pool=False))


def stock_one() -> float:
    # What Company.save() does with auto_create_schema=True: CREATE SCHEMA, then migrations.
    company = new_company()
    return timed(lambda: company.create_schema(check_if_exists=True, verbosity=0))


def activate_one() -> float:
    from tenants import services

    company = new_company()
    return timed(lambda: services.company_provision(company_id=company.pk))


def round_at(count: int) -> dict:
    from tenants import services
    from tenants.selectors import companies

    while companies().count() < count:
        cold_one()
    services.spare_pool_refill(size=SAMPLES)  # the pool is made before the clock starts
    result = {"n": companies().count()}
    result["cold"] = p50([cold_one() for _ in range(SAMPLES)])
    result["stock"] = p50([stock_one() for _ in range(SAMPLES)])
    result["activate"] = p50([activate_one() for _ in range(SAMPLES)])
    return result


def line(r: dict) -> str:
    return (f"provision: cold {r['stock'] / r['cold']:.1f}x stock (cold p50 {r['cold']:.0f} ms, "
            f"stock p50 {r['stock']:.0f} ms), activate p50 {r['activate']:.1f} ms, "
            f"at {r['n']} companies")


def main() -> None:
    setup()
    from tenants.services import public_tenant_ensure

    public_tenant_ensure(domains=["localhost"])
    first = round_at(FIRST)
    print(line(first), flush=True)
    second = round_at(SECOND)
    growth = ", ".join(f"{key} x{second[key] / first[key]:.2f}"
                       for key in ("cold", "stock", "activate"))
    print(f"growth {first['n']}→{second['n']} companies: {growth}")
    print(line(second))


if __name__ == "__main__":
    main()
