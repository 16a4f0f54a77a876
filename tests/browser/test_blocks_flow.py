"""In Chromium, phone size: a 5S block is created, its pairing changed, and it is verified by
the QR code of its signage, opened with no sign-in (paired names masked)."""

import base64
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
_FETCH = """async (url) => {
  const response = await fetch(url);
  const bytes = new Uint8Array(await response.arrayBuffer());
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return [response.headers.get("content-type"), btoa(text)];
}"""


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def test_a_block_is_created_changed_and_verified_by_its_qr_code(
        phone, browser, live_server, make_company, committed_schemas, tmp_path):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=2, branches=1)
    me = org.members[1]
    site = _url(live_server, "alpha.localhost")

    phone.goto(site + "/login/")
    phone.get_by_label("手机号或用户名").fill(me.user.username)
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    phone.get_by_role("link", name="5S 区块链").first.click()
    phone.locator("#block-new").click()
    phone.get_by_label("区块名称").fill("三楼东区")
    phone.get_by_label("区域范围").fill("3F 东区 A1–A8 工位")
    phone.get_by_label("结对职工（每行一人：姓名 部门）").fill(
        "张三 生产部\n李四 质检部\n王五 仓储部")
    phone.locator("#block-create").click()
    expect(phone.locator("#block-verified")).to_contain_text("1 条记录")

    phone.get_by_text("调整结对职工").click()
    phone.get_by_label("结对职工（每行一人：姓名 部门）").fill(
        "张三 生产部\n李四 质检部\n赵六 设备部\n钱七 行政部")
    phone.locator("#pairing-save").click()
    expect(phone.locator("#block-verified")).to_contain_text("2 条记录")
    expect(phone.locator("#block-paired")).to_contain_text("钱七")
    shoot(phone, "blocks-changed")

    # The signage's QR code, read as a phone's camera would read the printed sheet.
    href = phone.get_by_role("link", name="打印标识牌（A5）").get_attribute("href")
    # Fetched by the page itself (its session; the browser resolves the company's host).
    kind, body = phone.evaluate(_FETCH, href)
    assert kind == "application/pdf"
    (tmp_path / "sign.pdf").write_bytes(base64.b64decode(body))
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "sign.pdf"),
                    str(tmp_path / "sign")], check=True)
    scanned = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "sign.png")],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert "/blocks/q/" in scanned

    stranger = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                   locale="zh-CN")
    page = stranger.new_page()
    page.goto(scanned)
    expect(page.locator("#public-verified")).to_contain_text("2 条记录")
    expect(page.locator("#public-paired")).to_contain_text("钱*")
    expect(page.locator("#public-paired")).not_to_contain_text("钱七")
    expect(page.locator("#public-responsible")).to_have_text(me.user.full_name)
    shoot(page, "blocks-public")
    stranger.close()
