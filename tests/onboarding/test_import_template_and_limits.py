"""The template's example row is never imported; every value that passes the preview fits
its database column."""

import io

import pytest
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from accounts.models import User
from onboarding.company import import_services
from onboarding.company.models import ImportStatus
from onboarding.company.roster import RosterUnreadable, template_xlsx
from tests.onboarding.rosters import csv_bytes, xlsx
from tests.onboarding.test_member_import import admin, company  # noqa: F401 - fixtures
from toolkit.org.models import Member


def _preview(data: bytes, name: str = "名单.xlsx"):
    return import_services.member_import_preview(data=data, file_name=name,
                                         uploaded_by=User.objects.get(username="admin"))


def test_the_untouched_template_imports_nobody_and_reports_no_row(admin):  # noqa: F811
    with schema_context("alpha"), pytest.raises(RosterUnreadable, match="只有示例行"):
        _preview(template_xlsx())
    with schema_context("alpha"):
        assert Member.objects.count() == 0


def test_rows_filled_in_under_the_example_are_imported_and_the_example_is_not(admin):  # noqa: F811
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    workbook.active.append(["王芳", "女", "13900000002", "第二党支部", "预备党员", "2025-06-30",
                            ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with schema_context("alpha"):
        job = _preview(buffer.getvalue())
        assert (job.total_rows, job.errors) == (1, [])
        job = import_services.member_import_confirm(job=job)
        assert job.status == ImportStatus.DONE
        assert list(Member.objects.values_list("user__full_name", flat=True)) == ["王芳"]


@pytest.mark.parametrize("make_file", [xlsx, csv_bytes])
def test_a_name_longer_than_its_column_is_reported_in_the_preview(admin, make_file):  # noqa: F811
    long_name = "张" * 60
    limit = User._meta.get_field("full_name").max_length
    rows = [[long_name, "男", "13900000001", "第一党支部", "正式党员", "2015-07-01", ""],
            ["李娜", "女", "13900000003", "第一党支部", "", "", ""]]
    with schema_context("alpha"):
        job = _preview(make_file(rows))
        assert [e["row"] for e in job.errors] == [2]
        assert f"姓名超过 {limit} 个字" in job.errors[0]["message"]
        job = import_services.member_import_confirm(job=job)
        assert job.status == ImportStatus.DONE and job.failure == ""
        assert list(Member.objects.values_list("user__full_name", flat=True)) == ["李娜"]
