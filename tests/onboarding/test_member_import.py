import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.services import user_create
from billing.limits import PlanLimitRefused
from onboarding.company import import_services
from onboarding.company.models import ImportStatus, MemberImport
from onboarding.company.roster import RosterUnreadable
from onboarding.models import CompanyEvent, CompanyProgress, EventKind
from tenants.models import Company
from tests.billing.helpers import member_limit_set_all
from tests.onboarding.rosters import csv_bytes, xlsx
from toolkit.org.models import Member, MemberStatus, OrgUnit, Position, UnitKind
from toolkit.org.services import unit_create

GOOD = [
    ["张伟", "男", "13900000001", "第一党支部", "正式党员", "2015-07-01", "书记"],
    ["王芳", "女", "13900000002", "第二党支部", "预备党员", "2025/06/30", ""],
    ["李娜", "", "13900000003", "第一党支部", "", "2010年7月1日", ""],
]
BAD = [
    ["刘强", "男", "13900000004", "不存在的支部", "正式党员", "2015-07-01", ""],  # unknown branch
    ["陈静", "女", "13900000001", "第一党支部", "正式党员", "2016-07-01", ""],  # duplicate mobile
    ["杨洋", "男", "13900000005", "第二党支部", "正式党员", "2016-13-45", ""],  # bad date
    ["", "男", "13900000006", "第二党支部", "正式党员", "2016-07-01", ""],  # missing name
    ["赵敏", "女", "1390000", "第二党支部", "团员", "2099-01-01", "老板"],  # several at once
]


@pytest.fixture
def company(make_company):
    company = make_company(name="甲公司", slug="alpha")
    with schema_context("alpha"):
        top = unit_create(name="甲公司党委", kind=UnitKind.COMMITTEE)
        unit_create(name="第一党支部", kind=UnitKind.BRANCH, parent=top)
        unit_create(name="第二党支部", kind=UnitKind.BRANCH, parent=top)
    return company


@pytest.fixture
def admin(company):
    with schema_context("alpha"):
        return user_create(username="admin", password="pw-123456", full_name="管理员",
                           role=Role.COMPANY_ADMIN)


def _preview(data: bytes, name: str = "名单.xlsx"):
    return import_services.member_import_preview(data=data, file_name=name,
                                         uploaded_by=User.objects.get(username="admin"))


def gbk_csv(rows):
    return csv_bytes(rows, encoding="gb18030")


@pytest.mark.parametrize("make_file", [xlsx, csv_bytes, gbk_csv])
def test_preview_reports_every_bad_row_with_its_reason(admin, make_file):
    with schema_context("alpha"):
        job = _preview(make_file(GOOD + BAD))
    assert job.total_rows == 8 and len(job.good_rows) == 3
    errors = {e["row"]: e["message"] for e in job.errors}
    assert set(errors) == {5, 6, 7, 8, 9}
    assert "支部“不存在的支部”不存在" in errors[5]
    assert "手机号与第 2 行重复" in errors[6]
    assert "入党日期“2016-13-45”无效" in errors[7]
    assert "缺少姓名" in errors[8]
    for reason in ("手机号“1390000”格式不对", "政治面貌“团员”无法识别", "晚于今天",
                   "职务“老板”无法识别"):
        assert reason in errors[9]
    with schema_context("alpha"):
        assert Member.objects.count() == 0  # a preview writes no member


def test_confirm_imports_the_good_rows_and_reimport_does_not_duplicate(admin, company):
    with schema_context("alpha"):
        job = import_services.member_import_confirm(job=_preview(xlsx(GOOD + BAD)))
        assert (job.status, job.created_count, job.updated_count) == (ImportStatus.DONE, 3, 0)
        zhang = Member.objects.select_related("user", "unit").get(user__mobile="13900000001")
        assert (zhang.user.full_name, zhang.unit.name, zhang.position, str(zhang.joined_on)) == (
            "张伟", "第一党支部", Position.SECRETARY, "2015-07-01")
        wang = Member.objects.get(user__mobile="13900000002")
        assert (wang.status, wang.position) == (MemberStatus.PROBATIONARY, Position.PROBATIONARY)

        fixed = [row[:] for row in GOOD]
        fixed[1][3] = "第一党支部"  # 王芳 moves branch
        again = import_services.member_import_confirm(job=_preview(xlsx(fixed)))
        assert (again.created_count, again.updated_count) == (0, 3)
        assert Member.objects.count() == 3 and User.objects.filter(role=Role.MEMBER).count() == 3
        assert Member.objects.get(user__mobile="13900000002").unit.name == "第一党支部"
    assert CompanyProgress.objects.get(company=company).members == 3
    # Each import is a milestone in the incubator's roll-up (announced by the company's site).
    assert list(CompanyEvent.objects.filter(company=company, kind=EventKind.MEMBERS_IMPORTED)
                .order_by("pk").values_list("note", flat=True)) == [
        "新增 3 人，更新 0 人", "新增 0 人，更新 3 人"]


def test_confirm_writes_all_or_nothing(admin, monkeypatch):
    from toolkit.org import services as org_services

    real = org_services.members_bulk_upsert

    def fail_after_first_chunk(*, rows, on_progress=None, chunk=1000):
        real(rows=rows[:2], chunk=2)
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_services, "members_bulk_upsert", fail_after_first_chunk)
    with schema_context("alpha"):
        job = import_services.member_import_confirm(job=_preview(xlsx(GOOD)))
        assert job.status == ImportStatus.FAILED
        assert "没有写入任何人" in job.failure and "disk full" in job.failure
        assert Member.objects.count() == 0  # the two written before the failure are gone too


def test_a_file_over_the_plans_member_limit_is_refused_whole(admin, company, monkeypatch):
    member_limit_set_all(2)
    with schema_context("alpha"), pytest.raises(PlanLimitRefused) as caught:
        _preview(csv_bytes(GOOD))  # three new people, two places
    assert caught.value.code == "member_limit_reached"
    assert str(caught.value) == ("已达到套餐“试用版”的党员上限 2 人，不能再增加党员。"
                                 "请管理员在“套餐与账单”（/billing/）升级套餐。")
    with schema_context("alpha"):
        assert not MemberImport.objects.exists() and not Member.objects.exists()
        assert len(_preview(csv_bytes(GOOD[:2])).good_rows) == 2  # two fit


def test_the_limit_is_checked_again_at_confirm_and_nothing_is_written(admin, company,
                                                                      monkeypatch):
    with schema_context("alpha"):
        job = _preview(csv_bytes(GOOD))
        member_limit_set_all(2)
        job = import_services.member_import_confirm(job=job)
        assert job.status == ImportStatus.FAILED
        assert job.failure == ("已达到套餐“试用版”的党员上限 2 人，不能再增加党员。"
                               "请管理员在“套餐与账单”（/billing/）升级套餐。")
        assert not Member.objects.exists() and User.objects.filter(role=Role.MEMBER).count() == 0


def test_the_upload_page_shows_the_plans_limit(client, admin, company, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    member_limit_set_all(2)
    client.post("/login/", {"username": "admin", "password": "pw-123456"},
                HTTP_HOST="alpha.localhost")
    upload = SimpleUploadedFile("名单.csv", csv_bytes(GOOD), "text/csv")
    page = client.post("/setup/members/", {"file": upload}, HTTP_HOST="alpha.localhost")
    assert page.status_code == 200
    assert "已达到套餐“试用版”的党员上限 2 人" in page.content.decode()


@pytest.mark.parametrize("data, message", [
    (b"", "文件是空的"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不支持这种文件类型"),
    (b"PK\x03\x04 this is not really a spreadsheet", "不是有效的 .xlsx"),
    ("姓名,性别,手机号,所在支部\n".encode(), "没有党员数据"),
    ("名字,电话\n张伟,13900000001\n".encode(), "表头缺少：所在支部"),
    (b"a,b\n1,2\n", "表头缺少：姓名、手机号、所在支部"),
    (b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d,x\n" + b"a" * 5000 + b"\x00", "不支持这种文件类型"),
])
def test_a_file_that_cannot_be_used_is_refused_whole(admin, data, message):
    with schema_context("alpha"), pytest.raises(RosterUnreadable, match=message):
        _preview(data, name="名单.xlsx")


def test_upload_page_shows_the_preview_and_confirms(client, admin):
    client.post("/login/", {"username": "admin", "password": "pw-123456"},
                HTTP_HOST="alpha.localhost")
    template = client.get("/setup/members/template.xlsx", HTTP_HOST="alpha.localhost")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("名单.csv", csv_bytes(GOOD + BAD[:1]), "text/csv")
    response = client.post("/setup/members/", {"file": upload}, HTTP_HOST="alpha.localhost",
                           follow=True)
    body = response.content.decode()
    assert "不存在的支部" in body and "确认导入 3 人" in body
    job_url = response.redirect_chain[-1][0]
    connection.set_schema_to_public()
    done = client.post(job_url, HTTP_HOST="alpha.localhost", follow=True).content.decode()
    assert "新增 3 人" in done
    with schema_context("alpha"):
        assert Member.objects.count() == 3


def test_wrong_file_type_is_an_error_on_the_upload_field(client, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post("/login/", {"username": "admin", "password": "pw-123456"},
                HTTP_HOST="alpha.localhost")
    fake = SimpleUploadedFile("名单.xlsx", b"%PDF-1.7\n\x00\x01binary", "application/pdf")
    body = client.post("/setup/members/", {"file": fake}, HTTP_HOST="alpha.localhost"
                       ).content.decode()
    assert "不支持这种文件类型" in body


def test_setup_wizard_builds_the_tree_with_secretaries(client, admin):
    client.post("/login/", {"username": "admin", "password": "pw-123456"},
                HTTP_HOST="alpha.localhost")
    with schema_context("alpha"):
        top = OrgUnit.objects.get(kind=UnitKind.COMMITTEE)
    client.post("/setup/", {"kind": "branch", "name": "第三党支部", "parent": top.pk,
                            "secretary_name": "孙丽", "secretary_mobile": "13900000009"},
                HTTP_HOST="alpha.localhost")
    bad = client.post("/setup/", {"kind": "group", "name": "孤立小组"},
                      HTTP_HOST="alpha.localhost").content.decode()
    assert "不能设在" in bad
    with schema_context("alpha"):
        third = OrgUnit.objects.get(name="第三党支部")
        assert third.secretary.user.full_name == "孙丽"
        assert third.secretary.position == Position.SECRETARY
        assert not OrgUnit.objects.filter(name="孤立小组").exists()
    assert CompanyProgress.objects.get(company=Company.objects.get(slug="alpha")).branches == 3


def test_real_spreadsheets_numbers_dates_headers_and_row_numbers(admin):
    """As Excel leaves them: a title row, header variants, a mobile typed as a number, date
    cells and an Excel date serial, blank rows; errors name the sheet's own row numbers."""
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["甲公司党员名单（2026年）"])
    sheet.append(["姓 名", "性别", "手机号码*", "所在党支部", "政治面貌", "入党时间", "职务"])
    sheet.append(["张伟", "男", 13900000001, "第一党支部", "正式党员",
                  datetime.datetime(2015, 7, 1), "书记"])
    sheet.append([])
    sheet.append(["王芳", "女", 13900000002, "第二党支部", "正式党员", 42186, ""])  # 2015-07-01
    sheet.append(["李娜", "女", 13900000003, "第三党支部", "正式党员", "", ""])
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    with schema_context("alpha"):
        job = _preview(buffer.getvalue())
    assert [(r["mobile"], r["joined_on"]) for r in job.good_rows] == [
        ("13900000001", "2015-07-01"), ("13900000002", "2015-07-01")]
    assert [e["row"] for e in job.errors] == [6]  # the sheet's row 6, counting the blank one


def test_a_branch_name_used_twice_in_the_tree_is_reported(admin):
    with schema_context("alpha"):
        other = OrgUnit.objects.get(name="第二党支部")
        OrgUnit.objects.create(name="第一党支部", kind=UnitKind.GROUP, parent=other)
        job = _preview(csv_bytes(GOOD[:1]))
    assert "有多个“第一党支部”" in job.errors[0]["message"]


def test_a_branch_deleted_between_preview_and_confirm_fails_cleanly(client, admin):
    with schema_context("alpha"):
        unit_create(name="临时支部", kind=UnitKind.BRANCH)
        job = _preview(csv_bytes([["孙丽", "女", "13900000009", "临时支部", "", "", ""]]))
        OrgUnit.objects.filter(name="临时支部").delete()
    client.post("/login/", {"username": "admin", "password": "pw-123456"},
                HTTP_HOST="alpha.localhost")
    connection.set_schema_to_public()
    page = client.post(f"/setup/members/imports/{job.pk}/", HTTP_HOST="alpha.localhost",
                       follow=True)
    assert page.status_code == 200
    assert "有支部被删除" in page.content.decode()
    with schema_context("alpha"):
        assert Member.objects.count() == 0
