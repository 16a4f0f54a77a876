"""Provisioning benchmark: the project's cold creation and warm-pool activation against stock
django-tenants (migrations), measured in one run on one database.

    python bench/provision.py            # DATABASE_URL's server, or `make bench` (embedded)

It uses its own database (<name>_bench, dropped and re-made), fills it with 200 companies,
times 50 of each way, then does it again at 350 companies to show nothing grows with the
count. The last line is the summary the README quotes.
"""

import os
import statistics
import time

from benchdb import setup

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "50"))
FIRST, SECOND = 200, 350


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
    first = round_at(FIRST)
    print(line(first), flush=True)
    second = round_at(SECOND)
    growth = ", ".join(f"{key} x{second[key] / first[key]:.2f}"
                       for key in ("cold", "stock", "activate"))
    print(f"growth {first['n']}→{second['n']} companies: {growth}")
    print(line(second))


if __name__ == "__main__":
    main()
