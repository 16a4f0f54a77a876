"""In Chromium, phone size: the tables of many short cells (the fortress index's monthly
settlement, the acting-secretary schedule, the handbook's versions) keep each cell on its own
lines: a branch name, a month or a status is never broken a character a line; the table
scrolls sideways inside its box instead of widening the page."""

import datetime
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from toolkit.acting.services import acting_appoint
from toolkit.documents.models import Edition, HandbookRender, RenderStatus
from toolkit.indices import fortress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For every cell: how many lines its text takes, and how many it was written with (<br>).
LINES_JS = """(selector) => [...document.querySelectorAll(selector + ' td, ' + selector + ' th')]
  .filter((cell) => cell.textContent.trim()).map((cell) => {
    // The tops of the text's line boxes (text nodes only: a badge's padding is not a line),
    // those a few pixels apart counted as one line.
    const tops = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0 && !tops.some((top) => Math.abs(top - rect.top) < 6)) {
          tops.push(rect.top);
        }
      }
    }
    return {text: cell.textContent.trim().replace(/\\s+/g, ' '), lines: tops.length,
            written: cell.querySelectorAll('br').length + 1};
  })"""


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login(page, site, username):
    page.context.clear_cookies()
    page.goto(site + "/login/")
    page.get_by_label("手机号或用户名").fill(username)
    page.get_by_label("密码").fill("pw-123456")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def _broken_cells(page, selector):
    cells = page.evaluate(LINES_JS, selector)
    assert cells, f"no table {selector}"
    return [cell for cell in cells if cell["lines"] > cell["written"]]


def test_short_cells_stay_whole_on_a_phone(phone, live_server, make_company,
                                          committed_schemas):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=6, branches=3)
    with schema_context("alpha"):
        for branch in org.branches:
            branch.name = f"{branch.name[:-3]}客户服务党支部"
            branch.save(update_fields=["name"])
        fortress.fortress_settle_quarter(start=datetime.date(2026, 4, 1))
        this_month = timezone.localdate().replace(day=1)
        acting_appoint(unit=org.branches[0], member=org.members[3], month=this_month,
                       by=org.admin)
        now = timezone.now()
        for edition in (Edition.FULL, Edition.MEMBER):
            HandbookRender.objects.create(
                edition=edition, status=RenderStatus.DONE, issued=True, pages=31,
                data_timestamp=now, finished_at=now, content_sha256="ab" * 32)
    site = _url(live_server, "alpha.localhost")
    _login(phone, site, "admin")
    for path, selector, name in (("/indices/fortress/", "#fortress-months", "fortress-months"),
                                 ("/acting/", "#acting-schedule", "acting-schedule"),
                                 ("/documents/", "#versions", "handbook-versions")):
        phone.goto(site + path)
        shoot(phone, f"phone-table-{name}")
        assert _broken_cells(phone, selector) == [], path
        # The page itself does not widen: the table's box scrolls.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_the_batch_page_keeps_its_companies_whole_on_a_phone(phone, live_server, make_company,
                                                             committed_schemas):
    """The staff's batch page (issuing toolkits): a company's name, its status and the button
    stay whole on a phone, the table scrolls in its box."""
    from accounts.models import Role
    from accounts.services import user_create
    from onboarding.models import IncubationBatch
    from onboarding.services import batch_enrol

    batch = IncubationBatch.objects.create(name="2026年春季孵化批次",
                                           starts_on=datetime.date(2026, 3, 1),
                                           ends_on=datetime.date(2026, 8, 31))
    for name, slug in (("星火物流有限公司", "xinghuo"), ("华联科技股份有限公司", "hualian")):
        batch_enrol(batch=batch, company=make_company(name=name, slug=slug))
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    public = _url(live_server, "localhost")
    phone.goto(public + "/login/")
    phone.get_by_label("用户名").fill("staff1")
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_load_state()
    phone.goto(f"{public}/batches/{batch.pk}/")
    shoot(phone, "phone-table-batch-companies")
    assert _broken_cells(phone, "#batch-companies") == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
