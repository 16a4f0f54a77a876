# ruff: noqa: F811 - the fixtures imported below are used as arguments
"""In Chromium: the trainer's session page shows the rotating check-in QR code (it has a size,
zbarimg decodes a screenshot of it), a trainee's phone opens it on the public site, picks their
company, logs in on the company's site and checks in; the hours land in their company, the
trainer's list shows them and its xlsx export opens. A company outside the batch is refused,
and another batch's trainer cannot see the list."""

import io
import re
import subprocess

import pytest
from django_tenants.utils import schema_context
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.browser.safety import watching
from tests.training.offline.conftest import (  # noqa: F401 - fixtures
    _shared_media_root,
    batch,
    orgs,
    other_batch,
    other_trainer,
    session,
    trainer,
)
from toolkit.learning.models import HoursEntry, HoursSource
from training.models import SessionAttendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login_form(page, username):
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("pw-123456")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def _decode(page, tmp_path) -> str:
    qr = page.locator("#session-qr")
    expect(qr).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.getElementById('session-qr'); return i.complete; }")
    assert qr.evaluate("img => img.naturalWidth") > 0
    assert qr.evaluate("img => img.getBoundingClientRect().width") >= 200
    picture = tmp_path / "session-qr.png"
    qr.screenshot(path=str(picture))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(picture)], capture_output=True,
                             text=True, timeout=30)
    assert decoded.returncode == 0, decoded.stderr
    return decoded.stdout.strip()


def test_a_trainee_checks_in_by_the_decoded_qr_code(browser, phone, live_server, committed_schemas,
                                                    orgs, session, other_trainer, tmp_path):
    public = _url(live_server, "localhost")
    trainee = orgs["alpha"].members[2]
    watch, stop = watching()
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                               accept_downloads=True)
    screen = desk.new_page()
    watch.attach(screen)
    watch.attach(phone)
    try:
        screen.goto(public + "/login/")
        _login_form(screen, session.trainer.username)
        screen.goto(public + f"/training/sessions/{session.pk}/")
        shoot(screen, "offline-session-qr")
        link = _decode(screen, tmp_path)
        assert link.startswith(public + "/checkin/")

        phone.goto(link)
        expect(phone.locator("#companies")).not_to_contain_text("丙公司")
        shoot(phone, "offline-checkin-pick")
        phone.get_by_role("button", name="甲公司").click()
        phone.wait_for_load_state()
        assert phone.url.startswith(_url(live_server, "alpha.localhost") + "/login/")
        _login_form(phone, trainee.user.username)
        expect(phone.locator("h1")).to_have_text(session.title)
        phone.get_by_role("button", name="确认签到").click()
        expect(phone.locator("h1")).to_have_text("签到成功")
        expect(phone.get_by_role("status")).to_contain_text("3.0")
        shoot(phone, "offline-checkin-done")
        with schema_context("alpha"):
            entry = HoursEntry.objects.get(member=trainee)
        assert (entry.source, entry.hours) == (HoursSource.OFFLINE, session.hours)

        screen.reload()
        expect(screen.locator("#attendance")).to_contain_text(trainee.user.full_name)
        with screen.expect_download() as download:
            screen.locator("#attendance-export").click()
        sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
        names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
        assert names == [trainee.user.full_name]

        # A trainee of a company outside the batch: not listed, and refused if they try.
        token = link.rstrip("/").rsplit("/", 1)[1]
        phone.goto(public + f"/checkin/{token}/gamma/")
        expect(phone.get_by_role("alert")).to_contain_text("不在本次培训的批次中")
        assert SessionAttendance.objects.count() == 1

        # Another batch's trainer sees neither the session nor its list.
        other = browser.new_context(locale="zh-CN").new_page()
        other.goto(public + "/login/")
        _login_form(other, other_trainer.username)
        answer = other.goto(public + f"/training/sessions/{session.pk}/")
        assert answer.status == 404
        assert trainee.user.full_name not in other.content()
        other.context.close()
    finally:
        stop()
        desk.close()
    assert watch.problems() == []
