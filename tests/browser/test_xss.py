"""In Chromium: names typed by users that look like HTML stay text on every page that shows
them, charts and their tooltips included. No dialog opens, and the browser reports no
Content-Security-Policy violation."""

import datetime
import re
import time

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from accounts.models import AuditAction, Role
from accounts.services import audit_record, user_create
from onboarding.models import CompanyProgress
from tests.browser.conftest import shoot
from tests.browser.safety import watching
from tests.toolkit.conftest import build_org
from toolkit.arena.services import task_publish
from toolkit.life.services import meeting_create
from toolkit.mall.models import Reward
from toolkit.org.models import OrgUnit
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMG = '"><img src=x onerror=alert(1)>'
SCRIPT = "<script>alert(2)</script>"
SVG = "'><svg onload=alert(3)>"


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login(page, site, username):
    page.goto(site + "/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("pw-123456")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def _hostile_company(make_company):
    company = make_company(name=f"{IMG}公司", slug="alpha")
    org = build_org("alpha", members=6)
    with schema_context("alpha"):
        OrgUnit.objects.filter(pk=org.committee.pk).update(name=f"{SCRIPT}党委")
        OrgUnit.objects.filter(pk=org.branches[0].pk).update(name=f"{IMG}支部")
        OrgUnit.objects.filter(pk=org.branches[1].pk).update(name=f"{SVG}支部")
        for index, member in enumerate(org.members):
            member.user.full_name = [IMG, SCRIPT, SVG][index % 3] + str(index)
            member.user.save(update_fields=["full_name"])
            points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=10 + index)
        secretary = org.members[0]
        task = task_publish(publisher=org.branches[0], title=f"{IMG}任务",
                            description=f"{SCRIPT}说明", points=10, places=2,
                            by=secretary.user,
                            deadline=timezone.now() + datetime.timedelta(days=3))
        Reward.objects.create(name=f"{SVG}奖品", cost=5, stock=3)
        now = timezone.now()
        meeting = meeting_create(unit=org.branches[0], kind="theme_day", title=f"{IMG}会议",
                                 location=SCRIPT, agenda=SVG, by=secretary.user,
                                 starts_at=now - datetime.timedelta(minutes=5),
                                 ends_at=now + datetime.timedelta(hours=1))
    CompanyProgress.objects.update_or_create(company=company, defaults={"members": 6})
    return company, org, task, meeting


def _hover_every_chart(page):
    """Shows the tooltip of every data item of every chart, then sweeps the mouse over each
    chart as a person would."""
    page.evaluate("""() => {
      document.querySelectorAll('.chart').forEach(el => {
        const chart = echarts.getInstanceByDom(el);
        if (!chart) return;
        chart.getModel().eachSeries((series, seriesIndex) => {
          for (let i = 0; i < series.getData().count(); i++) {
            chart.dispatchAction({type: 'showTip', seriesIndex: seriesIndex, dataIndex: i});
          }
        });
      });
    }""")
    for chart in page.locator(".chart").all():
        box = chart.bounding_box()
        if not box:
            continue
        for y in range(5, int(box["height"]), 22):
            for x in range(5, int(box["width"]), 40):
                page.mouse.move(box["x"] + x, box["y"] + y)


def _visit(page, url, watch, *, charts=False, shot=None):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.locator("img[src=x], svg[onload]").count() == 0, url
    if charts:
        expect(page.locator(".chart canvas").first).to_be_visible()
        _hover_every_chart(page)
    if shot:
        shoot(page, shot)


def test_hostile_names_stay_text_everywhere(browser, phone, live_server, make_company,
                                            committed_schemas):
    company, org, task, meeting = _hostile_company(make_company)
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    site, public = _url(live_server, "alpha.localhost"), _url(live_server, "localhost")
    watch, stop = watching()
    watch.attach(phone)
    try:
        _login(phone, site, "admin")
        _visit(phone, site + "/", watch)
        _visit(phone, site + "/org/", watch, charts=True, shot="xss-org-map")
        expect(phone.locator(".member-list")).to_contain_text(IMG + "0")
        _visit(phone, site + "/points/", watch)
        _visit(phone, site + "/dashboard/", watch, charts=True, shot="xss-dashboard")
        _visit(phone, site + "/arena/", watch)
        _visit(phone, site + f"/arena/{task.pk}/", watch)
        expect(phone.locator("main")).to_contain_text(SCRIPT + "说明")
        _visit(phone, site + "/mall/", watch)
        _visit(phone, site + "/mall/manage/", watch)
        _visit(phone, site + "/life/", watch)
        _visit(phone, site + f"/life/{meeting.pk}/", watch, shot="xss-meeting")
        expect(phone.locator("h1")).to_have_text(IMG + "会议")
        _visit(phone, site + "/life/compliance/", watch)
        _visit(phone, site + "/setup/", watch)
        _visit_account_pages(phone, site, watch, org)

        member = org.members[2]
        phone.context.clear_cookies()
        _login(phone, site, member.user.username)
        _visit(phone, site + "/", watch)
        _visit(phone, site + "/org/", watch, charts=True)

        phone.context.clear_cookies()
        _login(phone, public, "staff1")
        _visit(phone, public + "/overview/", watch, charts=True, shot="xss-staff-overview")
        _visit(phone, public + "/companies/", watch)
        expect(phone.locator("main")).to_contain_text(IMG + "公司")
        _visit(phone, public + f"/companies/{company.pk}/", watch)
        time.sleep(0.5)  # reports are POSTed by the browser after the fact
    finally:
        stop()
    assert watch.problems() == []


def _visit_account_pages(phone, site, watch, org):
    """The pages wave 2 added that show names: members, audit, activation and its printed
    sheet (for a member not yet activated), and login lockouts (of a hostile username typed
    at the login form)."""
    newcomer = org.members[4]
    with schema_context("alpha"):
        newcomer.user.set_unusable_password()
        newcomer.user.save(update_fields=["password"])
        audit_record(actor=org.admin, target=newcomer.user, action=AuditAction.MEMBER_EDITED,
                     detail=f"姓名: {SCRIPT} → {IMG}")
    typist = Client(HTTP_HOST="alpha.localhost", REMOTE_ADDR="10.0.0.9")
    for _ in range(6):
        typist.post("/login/", {"username": IMG, "password": "wrong"})
    _visit(phone, site + "/members/", watch, shot="xss-members")
    expect(phone.locator("main")).to_contain_text(newcomer.user.full_name)
    _visit(phone, site + f"/members/{newcomer.pk}/", watch)
    _visit(phone, site + "/members/audit/", watch)
    expect(phone.locator("main")).to_contain_text(f"{SCRIPT} → {IMG}")
    _visit(phone, site + "/members/activation/", watch)
    phone.locator("form.invite button[value=print]").first.click()
    phone.wait_for_load_state("networkidle")
    expect(phone.locator(".code-card .code-name").first).to_have_text(newcomer.user.full_name)
    shoot(phone, "xss-activation-sheet")
    _visit(phone, site + "/security/lockouts/", watch)
    expect(phone.locator("main")).to_contain_text(IMG)


def test_the_policy_blocks_an_injected_inline_script_and_reports_it(phone, live_server,
                                                                    make_company,
                                                                    committed_schemas):
    """The check above is only worth something if a violation would be seen: inject markup
    the way a bug would, and the browser refuses it and reports it."""
    make_company(name="甲公司", slug="alpha")
    site = _url(live_server, "alpha.localhost")
    watch, stop = watching()
    watch.attach(phone)
    try:
        phone.goto(site + "/login/")
        phone.evaluate("""() => { document.body.insertAdjacentHTML('beforeend',
            '<img src=x onerror="alert(1)">'); }""")
        phone.wait_for_timeout(1500)
    finally:
        stop()
    assert watch.dialogs == []
    assert watch.console and watch.reports
