"""In Chromium: the secretary's screen shows the check-in QR code (it has a size), a phone
decodes it (zbarimg reads a screenshot of it), opening the link changes nothing, and the button
checks the member in."""

import datetime
import re
import subprocess

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.browser.safety import watching
from tests.toolkit.conftest import build_org
from toolkit.life.models import Attendance
from toolkit.life.services import meeting_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login(page, site, username):
    page.goto(site + "/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("pw-123456")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_the_qr_code_shows_decodes_and_checks_in(browser, phone, live_server, make_company,
                                                 committed_schemas, tmp_path):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=4)
    secretary, member = org.members[0], org.members[2]  # both in 第1党支部
    now = timezone.now()
    with schema_context("alpha"):
        meeting = meeting_create(unit=org.branches[0], kind="theme_day", title="主题党日",
                                 starts_at=now - datetime.timedelta(minutes=5),
                                 ends_at=now + datetime.timedelta(hours=1), by=secretary.user)
    site = _url(live_server, "alpha.localhost")
    watch, stop = watching()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    screen = desk.new_page()
    watch.attach(screen)
    watch.attach(phone)
    try:
        _login(screen, site, secretary.user.username)
        screen.goto(site + f"/life/{meeting.pk}/")
        qr = screen.locator("#checkin-qr")
        expect(qr).to_be_visible()
        screen.wait_for_function(
            "() => { const i = document.getElementById('checkin-qr'); return i.complete; }")
        natural = qr.evaluate("img => img.naturalWidth")
        rendered = qr.evaluate("img => img.getBoundingClientRect().width")
        assert natural > 0 and rendered > 0
        shoot(screen, "checkin-qr-screen")
        picture = tmp_path / "qr.png"
        qr.screenshot(path=str(picture))
        decoded = subprocess.run(["zbarimg", "--raw", "-q", str(picture)], capture_output=True,
                                 text=True, timeout=30)
        assert decoded.returncode == 0, decoded.stderr
        link = decoded.stdout.strip()
        assert link.startswith(site + "/life/checkin/")

        _login(phone, site, member.user.username)
        phone.goto(link)
        expect(phone.locator("h1")).to_have_text("主题党日")
        with schema_context("alpha"):
            assert not Attendance.objects.filter(meeting=meeting, member=member).exists()
        shoot(phone, "checkin-confirm")
        phone.get_by_role("button", name="确认签到").click()
        expect(phone.get_by_role("status")).to_contain_text("主题党日")
        expect(phone.locator("h1")).to_have_text("签到成功")
        with schema_context("alpha"):
            assert Attendance.objects.filter(meeting=meeting, member=member).exists()
    finally:
        stop()
        desk.close()
    assert watch.problems() == []
