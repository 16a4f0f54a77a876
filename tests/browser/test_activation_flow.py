"""In Chromium, with a real worker: the admin imports three members through the import page
and prints their activation codes; one member's QR code is read off the printed page's image,
opened on a phone, confirmed with the SMS code the worker texted (the console/file backend
writes it under the worker's DATA_DIR), a password is set and the member sees their home.
Another member, who never used their code, gets in through 忘记密码."""

import re
import subprocess
import uuid

import pytest
from django.contrib.auth.hashers import make_password
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from accounts.models import Role, User
from tests.browser.conftest import ARTIFACTS, shoot
from tests.onboarding.rosters import xlsx
from tests.worker import wait_for
from toolkit.org.models import OrgUnit, UnitKind

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROSTER = [
    ["林晓梅", "女", "13712345679", "技术党支部", "预备党员", "2025-06-30", ""],
    ["陈志强", "男", "13712345680", "技术党支部", "正式党员", "2018-07-01", ""],
    ["吴敏", "女", "13712345681", "运营党支部", "正式党员", "2019-07-01", ""],
]
PASSWORD = "Xinghuo-2026!"


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


@pytest.fixture
def fresh_limits(settings):
    # The live server runs in this process: a cache of this test's own, so counters left by an
    # earlier run (the file cache under .data/) cannot hold the SMS back.
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key"}}


def sms_code(worker, mobile: str, seen: int = 0) -> str:
    """The code in the worker's SMS file for this company (one file per schema)."""
    log = worker.mail_dir.parent / "sms" / "xinghuo.log"

    def find():
        lines = [line for line in (log.read_text(encoding="utf-8").splitlines()
                                   if log.exists() else []) if f"\t{mobile}\t" in line]
        return lines[seen] if len(lines) > seen else None

    return re.search(r"验证码 (\d{6})", wait_for(find, timeout=60)).group(1)


def decode_qr(element, name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    element.screenshot(path=str(path))
    result = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, f"zbarimg could not read the QR code: {result.stderr}"
    return result.stdout.strip()


def test_import_print_scan_activate_and_reset(browser, phone, live_server, celery_worker,
                                             make_company, committed_schemas, fresh_limits):
    make_company(name="星火物流有限公司", slug="xinghuo")
    with schema_context("xinghuo"):
        committee = OrgUnit.objects.create(name="星火物流党委", kind=UnitKind.COMMITTEE)
        for order, name in enumerate(["运营党支部", "技术党支部"], start=1):
            OrgUnit.objects.create(name=name, kind=UnitKind.BRANCH, parent=committee, order=order)
        User.objects.create(username="admin", full_name="周建国", role=Role.COMPANY_ADMIN,
                            password=make_password("pw-123456"))
    site = _url(live_server, "xinghuo.localhost")

    # (1) The admin imports three members through the import page.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    admin = desk.new_page()
    admin.set_default_timeout(20_000)
    admin.goto(site + "/login/")
    admin.get_by_label("手机号或用户名").fill("admin")
    admin.get_by_label("密码").fill("pw-123456")
    admin.get_by_role("button", name="登录").click()
    admin.goto(site + "/setup/members/")
    admin.get_by_label("党员名单（.xlsx 或 .csv）").set_input_files(
        files=[{"name": "党员名单.xlsx", "mimeType": XLSX, "buffer": xlsx(ROSTER)}])
    admin.get_by_role("button", name="上传并检查").click()
    admin.get_by_role("button", name="确认导入 3 人").click()
    expect(admin.get_by_role("status")).to_contain_text("新增 3 人")

    # (2) Next: activation. Nobody is in yet; the admin prints everyone's codes.
    admin.get_by_role("button", name="下一步：邀请党员激活账号").click()
    expect(admin.locator("#total-members")).to_have_text("3")
    expect(admin.locator("#total-active")).to_have_text("0")
    shoot(admin, "activation-overview")
    admin.get_by_label("全部未激活的党员").get_by_role("button", name="打印激活码").click()
    cards = admin.locator(".code-card")
    expect(cards).to_have_count(3)
    card = cards.filter(has_text="林晓梅")
    expect(card).to_contain_text("技术党支部")
    qr = card.locator("img.code-qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 0
    assert qr.bounding_box()["width"] > 0
    shoot(admin, "activation-sheet")
    admin.emulate_media(media="print")
    shoot(admin, "activation-sheet-print")
    assert admin.locator(".topbar").is_hidden()

    # (3) The member scans the QR code: read off the page's own image.
    link = decode_qr(qr, "activation-qr")
    assert re.fullmatch(rf"{re.escape(site)}/activate/[A-Z0-9]{{10}}/", link), link
    phone.goto(link)
    expect(phone.locator("#activation-who")).to_contain_text("林晓梅")
    expect(phone.locator("#activation-who")).to_contain_text("137****5679")
    phone.get_by_role("button", name="获取短信验证码").click()
    expect(phone.get_by_role("status")).to_have_text("验证码已发送至 137****5679。")
    phone.get_by_label("短信验证码").fill(sms_code(celery_worker, "13712345679"))
    phone.get_by_label("新密码", exact=True).fill(PASSWORD)
    phone.get_by_label("再次输入新密码").fill(PASSWORD)
    shoot(phone, "activation-confirm")
    phone.get_by_role("button", name="激活并登录").click()
    expect(phone.get_by_role("heading", name="您好，林晓梅")).to_be_visible()
    expect(phone.locator("#home-balance")).to_be_visible()
    shoot(phone, "activation-home")

    # The code is spent; the new password works.
    phone.get_by_role("button", name="退出").click()
    phone.goto(link)
    expect(phone.locator("#activation-refusal")).to_contain_text("已经激活")
    phone.goto(site + "/login/")
    phone.get_by_label("手机号或用户名").fill("13712345679")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", name="您好，林晓梅")).to_be_visible()
    phone.get_by_role("button", name="退出").click()

    admin.emulate_media(media="screen")
    admin.goto(site + "/members/activation/")
    expect(admin.locator("#total-active")).to_have_text("1")
    desk.close()

    # Another member lost the printed code: 忘记密码 on the login page gets them in.
    phone.goto(site + "/login/")
    phone.get_by_role("link", name="忘记密码？").click()
    phone.get_by_label("手机号").fill("13712345681")
    phone.get_by_role("button", name="获取短信验证码").click()
    expect(phone.get_by_role("status")).to_have_text(
        "如果 137****5681 是本单位登记的手机号，验证码已发送。")
    phone.get_by_label("短信验证码").fill(sms_code(celery_worker, "13712345681"))
    phone.get_by_label("新密码", exact=True).fill(PASSWORD)
    phone.get_by_label("再次输入新密码").fill(PASSWORD)
    shoot(phone, "password-reset")
    phone.get_by_role("button", name="设置新密码并登录").click()
    expect(phone.get_by_role("heading", name="您好，吴敏")).to_be_visible()
