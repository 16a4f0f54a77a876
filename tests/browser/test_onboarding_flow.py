"""The whole onboarding path in Debian's Chromium, with a real worker:
apply → staff approve → provisioning finishes → invitation link → admin sets password →
builds two branches → imports a file with good and bad rows → sees the errors → fixes →
imports."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from accounts.services import user_create
from tests.browser.conftest import shoot
from tests.onboarding.rosters import xlsx

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROSTER = [
    ["周建国", "男", "13712345678", "运营党支部", "正式党员", "2012-07-01", "书记"],
    ["林晓梅", "女", "13712345679", "技术党支部", "预备党员", "2025-06-30", ""],
    ["陈志强", "男", "13712345680", "技术党支部", "正式党员", "2018-07-01", ""],
]
BAD = [["吴敏", "女", "13712345681", "财务党支部", "正式党员", "2019-07-01", ""],
       ["郑凯", "男", "137123", "运营党支部", "正式党员", "2019-02-30", ""]]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def test_from_application_to_an_imported_roster(browser, phone, live_server, celery_worker,
                                                public_tenant, committed_schemas):
    public = _url(live_server, "localhost")
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)

    # The applicant, on a phone.
    phone.goto(public + "/")
    phone.get_by_role("button", name="申请入驻").click()
    phone.get_by_label("公司名称").fill("星火物流有限公司")
    phone.get_by_label("统一社会信用代码").fill("91350100M000100Y44")  # a wrong check character
    phone.get_by_label("所属行业").select_option("logistics")
    phone.get_by_label("联系人").fill("周建国")
    phone.get_by_label("手机号").fill("13712345678")
    phone.get_by_label("电子邮箱").fill("zhou@example.cn")
    phone.get_by_label("已建立党组织").check()
    phone.get_by_label("党员人数").fill("46")
    phone.get_by_label("党支部数").fill("2")
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.get_by_role("alert")).to_contain_text("校验位不正确")
    shoot(phone, "apply-error")
    phone.get_by_label("统一社会信用代码").fill("91350100M000100Y43")
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.get_by_role("heading", name="申请已提交")).to_be_visible()
    celery_worker.mail_containing("已收到星火物流有限公司的入驻申请")

    # Staff approve on a desktop; the worker provisions the site.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk = staff.new_page()
    desk.set_default_timeout(20_000)
    desk.goto(public + "/login/")
    desk.get_by_label("用户名").fill("staff1")
    desk.get_by_label("密码").fill("pw-123456")
    desk.get_by_role("button", name="登录").click()
    desk.goto(public + "/applications/?status=submitted")
    desk.get_by_role("link", name="星火物流有限公司").click()
    expect(desk.get_by_label("子域名")).to_have_value("xinghuowuliu")
    desk.get_by_label("子域名").fill("xinghuo")
    desk.get_by_role("button", name="批准并开通站点").click()
    expect(desk.locator("#status")).to_have_text("运行中", timeout=60_000)
    shoot(desk, "application-approved")
    staff.close()

    # The admin follows the link from the invitation e-mail.
    mail = celery_worker.mail_containing("/invite/", timeout=60)
    link = re.search(r"http://xinghuo\.localhost:\d+/invite/\S+/", mail).group(0)
    admin_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    admin = admin_context.new_page()
    admin.set_default_timeout(20_000)
    admin.goto(link)
    admin.locator("input[name=new_password1]").fill("Xinghuo-2026!")
    admin.locator("input[name=new_password2]").fill("Xinghuo-2026!")
    admin.get_by_role("button", name="设置密码并开始").click()
    expect(admin.get_by_role("heading", name="党组织架构")).to_be_visible()

    # Two branches under a committee.
    _add_unit(admin, "党委", "星火物流党委", parent=None)
    _add_unit(admin, "党支部", "运营党支部", parent="星火物流党委")
    _add_unit(admin, "党支部", "技术党支部", parent="星火物流党委")
    expect(admin.get_by_label("党组织")).to_contain_text("技术党支部")
    shoot(admin, "setup-org")

    # A roster with good and bad rows: every bad row is listed.
    admin.get_by_role("button", name="下一步：导入党员").click()
    _upload(admin, xlsx(ROSTER + BAD))
    errors = admin.locator("#import-errors")
    expect(errors).to_contain_text("支部“财务党支部”不存在")
    expect(errors).to_contain_text("手机号“137123”格式不对")
    expect(errors).to_contain_text("入党日期“2019-02-30”无效")
    shoot(admin, "import-preview-errors")

    # Fixed, uploaded again, confirmed.
    fixed = ROSTER + [["吴敏", "女", "13712345681", "运营党支部", "正式党员", "2019-07-01", ""],
                      ["郑凯", "男", "13712345682", "运营党支部", "正式党员", "2019-02-28", ""]]
    admin.get_by_role("link", name="重新上传").click()
    _upload(admin, xlsx(fixed))
    expect(admin.locator("#error-count")).to_have_text("0")
    admin.get_by_role("button", name="确认导入 5 人").click()
    # 周建国 is the admin (same mobile): the account is reused, and becomes a member too.
    expect(admin.get_by_role("status")).to_contain_text("新增 5 人，更新 0 人")
    shoot(admin, "import-done")
    admin_context.close()


def _add_unit(page, kind: str, name: str, parent: str | None) -> None:
    page.get_by_label("类型").select_option(label=kind)
    page.get_by_label("名称").fill(name)
    if parent:
        page.get_by_label("上级组织").select_option(label=parent)
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"已添加“{name}”")


def _upload(page, data: bytes) -> None:
    page.get_by_label("党员名单（.xlsx 或 .csv）").set_input_files(
        files=[{"name": "党员名单.xlsx", "mimeType": XLSX, "buffer": data}])
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("#good-count")).to_be_visible()
