"""In Chromium, phone size: a member follows a group and nominates themselves, the admin
approves on the nominations page, the member publishes a work; a participant reports progress
with evidence on a service project and sees the totals; nothing is wider than the phone."""

import datetime
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from toolkit.groups import services as groups
from toolkit.groups.models import GroupKind
from toolkit.projects import services as projects
from toolkit.projects.models import FigureKind, ProjectKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login(page, site, username):
    page.context.clear_cookies()
    page.goto(site + "/login/")
    page.get_by_label("手机号或用户名").fill(username)
    page.get_by_label("密码").fill("pw-123456")
    page.get_by_role("button", name="登录").click()


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_groups_and_projects_on_a_phone(phone, live_server, make_company, committed_schemas,
                                        tmp_path):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=4, branches=1)
    me = org.members[2]
    today = timezone.localdate()
    with schema_context("alpha"):
        group = groups.group_create(by=org.admin, name="青年网红宣讲团",
                                    kind=GroupKind.INFLUENCER, theme="用短视频讲好党员故事",
                                    leader=org.members[1])
        project = projects.project_create(
            by=org.admin, name="百县千品·高山茶", kind=ProjectKind.COUNTY_PRODUCTS,
            goal="帮助对口县销售农产品", starts_on=today - datetime.timedelta(days=3),
            ends_on=today + datetime.timedelta(days=30))
        projects.figure_define(by=org.admin, project=project, name="销售量", unit="斤",
                               kind=FigureKind.WEIGHT)
    site = _url(live_server, "alpha.localhost")
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)

    _login(phone, site, me.user.username)
    phone.goto(f"{site}/groups/{group.pk}/")
    phone.locator("#follow").click()
    expect(phone.locator("#unfollow")).to_be_visible()
    phone.get_by_text("提名成员").click()
    phone.get_by_label("被提名人").select_option(str(me.pk))
    phone.get_by_label("提名理由").fill("自荐：擅长短视频")
    phone.get_by_role("button", name="提名", exact=True).click()
    expect(phone.locator(".flash")).to_contain_text("等待党委审批")
    _fits(phone)
    shoot(phone, "groups-detail-phone")

    _login(phone, site, "admin")
    phone.goto(f"{site}/groups/nominations/")
    expect(phone.locator("#nominations")).to_contain_text("自荐：擅长短视频")
    _fits(phone)
    phone.get_by_role("button", name="批准", exact=True).click()
    expect(phone.locator(".flash")).to_contain_text("已批准")

    _login(phone, site, me.user.username)
    phone.goto(f"{site}/groups/{group.pk}/works/new/")
    phone.get_by_label("类型").select_option("service")
    phone.get_by_label("标题").fill("社区义诊")
    phone.get_by_label("内容").fill("为社区老人量血压")
    phone.get_by_label("附件（图片、PDF 或 MP4）").set_input_files(str(photo))
    phone.get_by_role("button", name="发布", exact=True).click()
    expect(phone.locator("#works")).to_contain_text("社区义诊")
    _fits(phone)

    phone.goto(f"{site}/projects/{project.pk}/")
    phone.locator("#join").click()
    phone.get_by_text("报送进展").click()
    phone.get_by_label("日期").fill(today.isoformat())
    phone.get_by_label("说明").fill("食堂采购对接")
    phone.get_by_label("销售量（斤）").fill("320")
    phone.get_by_label("证明材料（图片或 PDF）").set_input_files(str(photo))
    phone.get_by_role("button", name="报送", exact=True).click()
    expect(phone.locator("#figures")).to_contain_text("320")
    _fits(phone)
    shoot(phone, "project-detail-phone")
    phone.goto(f"{site}/projects/")
    expect(phone.locator("#project-totals")).to_contain_text("320")
    phone.goto(f"{site}/groups/")
    expect(phone.locator("#groups")).to_contain_text("青年网红宣讲团")
    _fits(phone)
    shoot(phone, "groups-list-phone")
    phone.goto(f"{site}/dashboard/")
    expect(phone.locator("#dashboard-projects")).to_contain_text("320")
    expect(phone.locator("#dashboard-groups")).to_contain_text("青年网红宣讲团")
    _fits(phone)
