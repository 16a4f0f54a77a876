"""Rosters for the import tests, written the way an admin's spreadsheet program would."""

import csv
import io

from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import Workbook

from accounts.models import Role
from accounts.services import user_create
from onboarding.company import import_services
from onboarding.company.models import ImportStatus, MemberImport
from toolkit.org.models import UnitKind
from toolkit.org.services import unit_create

HEADER = ["姓名", "性别", "手机号", "所在支部", "政治面貌", "入党日期", "职务"]


def xlsx(rows: list[list], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], header: list[str] = HEADER, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def import_confirmed(*, rows: int) -> MemberImport:
    """In alpha (made by the caller): an admin, one branch and a previewed import of `rows`
    members, confirmed (importing, queued now) as the admin leaves it: what the worker writes."""
    with schema_context("alpha"):
        admin = user_create(username="admin", password="pw-123456", full_name="管理员",
                            role=Role.COMPANY_ADMIN)
        unit_create(name="第一党支部", kind=UnitKind.BRANCH)
        roster = [[f"党员{i}", "男", f"1390000{i:04d}", "第一党支部", "正式党员", "2010-07-01", ""]
                  for i in range(1, rows + 1)]
        job = import_services.member_import_preview(data=csv_bytes(roster), file_name="名单.csv",
                                                    uploaded_by=admin)
        assert len(job.good_rows) == rows
        MemberImport.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING,
                                                      queued_at=timezone.now())
    return job
