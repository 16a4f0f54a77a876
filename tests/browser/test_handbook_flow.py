"""In Chromium, with a real worker: staff issue the toolkit from the batch page, the handbook
renders in the company's schema; the company admin re-renders it, watches the progress bar
and downloads the handbook; staff download it from the batch page."""

import datetime
import re
import subprocess

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from accounts.services import user_create
from onboarding.models import IncubationBatch
from onboarding.services import batch_enrol
from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_staff_issue_the_toolkit_and_the_admin_downloads_the_handbook(
        browser, live_server, celery_worker, make_company, committed_schemas, tmp_path):
    company = make_company(name="星火物流有限公司", slug="xinghuo")
    build_org("xinghuo", members=40, branches=4)
    batch = IncubationBatch.objects.create(name="2026年春季孵化批次",
                                           starts_on=datetime.date(2026, 3, 1),
                                           ends_on=datetime.date(2026, 8, 31))
    batch_enrol(batch=batch, company=company)
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    public, site = _url(live_server, "localhost"), _url(live_server, "xinghuo.localhost")

    # Staff issue the toolkit; the worker renders it in the company's schema.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                accept_downloads=True)
    desk = staff.new_page()
    desk.set_default_timeout(20_000)
    desk.goto(public + "/login/")
    desk.get_by_label("用户名").fill("staff1")
    desk.get_by_label("密码").fill("pw-123456")
    desk.get_by_role("button", name="登录").click()
    desk.goto(f"{public}/batches/{batch.pk}/")
    cell = desk.locator(f"#toolkit-{company.pk}")
    cell.get_by_role("button", name="发放").click()
    expect(cell).to_contain_text("已发放")
    # No reload by hand: while the company reports its render running, progress.js polls the
    # batch page's JSON and reloads it when the handbook is done.
    expect(cell.locator("a.handbook-link")).to_contain_text("页", timeout=90_000)
    shoot(desk, "handbook-issued")
    with desk.expect_download() as download:
        cell.locator("a.handbook-link").click()
    staff_copy = tmp_path / "staff.pdf"
    download.value.save_as(staff_copy)
    assert "星火物流有限公司" in _text(staff_copy) and "2026年春季孵化批次" in _text(staff_copy)
    staff.close()

    # The company's admin re-renders it, sees the progress, and downloads the new version.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  accept_downloads=True)
    admin = context.new_page()
    admin.set_default_timeout(20_000)
    admin.goto(site + "/login/")
    admin.get_by_label("手机号或用户名").fill("admin")
    admin.get_by_label("密码").fill("pw-123456")
    admin.get_by_role("button", name="登录").click()
    admin.get_by_role("link", name="工具包手册").click()
    expect(admin.locator("#versions")).to_contain_text("孵化器发放")
    admin.get_by_role("button", name="重新生成").click()
    progress = admin.locator(".render-progress progress").first
    expect(progress).to_be_visible()
    shoot(admin, "handbook-progress")
    # progress.js polls the JSON and reloads the page when the render ends.
    expect(admin.locator(".render-progress")).to_have_count(0, timeout=90_000)
    expect(admin.locator("#versions tbody tr").first).to_contain_text("已完成")
    shoot(admin, "handbook-versions")
    with admin.expect_download() as download:
        admin.locator("#download-full").click()
    path = tmp_path / "admin.pdf"
    download.value.save_as(path)
    text = _text(path)
    assert "党建工具包手册" in text and "星火物流有限公司" in text and "党员名册" in text
    context.close()
