"""Member import benchmark: a generated 10,000-row .xlsx into a fresh company, through the
same two steps an admin takes (upload and check, then confirm), timed end to end.

    python bench/member_import.py        # DATABASE_URL's server, or `make bench` (embedded)

Last line: `import: 10000 rows in <s> s`.
"""

import io
import os
import random
import time

from benchdb import setup

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))


def roster(rows: int) -> bytes:
    from openpyxl import Workbook

    from demo.names import chinese_names
    from onboarding.company.roster import HEADERS

    rng = random.Random(7)
    names = chinese_names(min(rows, 2000), seed=11)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("党员名单")
    sheet.append(HEADERS)
    for index in range(rows):
        joined = f"{rng.randint(1990, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        sheet.append([names[index % len(names)], rng.choice(["男", "女"]), f"13{index:09d}",
                      f"第{index % 20 + 1}党支部", rng.choice(["正式党员", "预备党员"]), joined,
                      ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    setup()
    from django.conf import settings
    from django_tenants.utils import schema_context

    from accounts.models import Role
    from accounts.services import user_create
    from onboarding.company import import_services
    from tenants import services
    from tenants.models import CompanyStatus, Plan
    from toolkit.org.models import Member, UnitKind
    from toolkit.org.services import unit_create

    company = services.company_create(name="导入基准公司", slug="importbench",
                                      plan=Plan.PROFESSIONAL)
    services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    services.company_provision(company_id=company.pk, use_pool=False)
    data = roster(ROWS)
    with schema_context(company.schema_name):
        admin = user_create(username="admin", password="bench-2026!", full_name="管理员",
                            role=Role.COMPANY_ADMIN)
        top = unit_create(name="党委", kind=UnitKind.COMMITTEE)
        for n in range(1, 21):
            unit_create(name=f"第{n}党支部", kind=UnitKind.BRANCH, parent=top)
        started = time.perf_counter()
        job = import_services.member_import_preview(data=data, file_name="bench.xlsx",
                                                    uploaded_by=admin)
        checked = time.perf_counter()
        # Inline here, so the write itself is timed; the site hands a file this large to Celery.
        settings.IMPORT_ASYNC_THRESHOLD = ROWS + 1
        import_services.member_import_confirm(job=job)
        finished = time.perf_counter()
        members = Member.objects.count()
    assert members == ROWS and not job.errors, (members, job.errors[:3])
    print(f"check (read + validate) {checked - started:.1f} s, "
          f"write {finished - checked:.1f} s, {len(data) / 1e6:.1f} MB file")
    print(f"import: {ROWS} rows in {finished - started:.1f} s")


if __name__ == "__main__":
    main()
