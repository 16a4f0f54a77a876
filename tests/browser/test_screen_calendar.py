"""In Chromium at 1920×1080: the big screen's calendar in a busy month shows the meetings still
to come, each on its row in full view (a long title took two lines, and the panel's last rows
were cut off at its bottom)."""

import datetime
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from toolkit.life.models import Meeting, MeetingKind
from toolkit.screen.panels import CALENDAR_ROWS
from toolkit.screen.services import display_token_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def test_the_calendar_rows_all_show_on_the_screen(browser, live_server, make_company,
                                                  committed_schemas):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=3, branches=1)
    now = timezone.now()
    # The rest of the month: minutes apart, so they stay in it whatever the day.
    with schema_context("alpha"):
        for n in range(1, 9):
            starts = now + datetime.timedelta(minutes=n)
            Meeting.objects.create(kind=MeetingKind.LESSON, unit=org.branches[0],
                                   title=f"学习贯彻党的二十届三中全会精神专题党课（第{n}讲）",
                                   created_by=org.admin, starts_at=starts,
                                   ends_at=starts + datetime.timedelta(hours=1))
        raw = display_token_create(by=org.admin, name="大厅")[1]
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(_url(live_server, "alpha.localhost") + f"/screen/d/{raw}/")
        rows = page.locator("#panel-calendar li")
        rows.first.wait_for()
        assert rows.count() == CALENDAR_ROWS
        shoot(page, "screen-calendar-1920x1080")
        panel = page.locator("#panel-calendar .panel-body").bounding_box()
        for index in range(CALENDAR_ROWS):
            box = rows.nth(index).bounding_box()
            assert box["y"] + box["height"] <= panel["y"] + panel["height"] + 0.5, index
        assert "第1讲" in rows.first.inner_text()
        # A long title is cut with an ellipsis, never by widening its column: the three
        # right-hand columns stay as wide as each other.
        widths = [page.locator(f"#panel-{key}").bounding_box()["width"]
                  for key in ("ranking", "stars", "fortress", "calendar")]
        assert max(widths) - min(widths) <= 1, widths
    finally:
        context.close()
