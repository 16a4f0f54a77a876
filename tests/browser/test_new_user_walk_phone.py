"""What a new user saw wrong at phone size, in zh and en: clipped chart labels, charts of
nothing, Chinese punctuation in English, buttons touching, text run together."""

import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login(phone, site: str, username: str, *, english: bool = False) -> None:
    phone.goto(site + "/login/")
    phone.get_by_label("手机号或用户名").fill(username)
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(r"^(?!.*/login/)"))
    if english:
        _to_english(phone)


def _to_english(phone) -> None:
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("button", name="Log out")).to_be_visible()


def _redeem(member, name: str = "党建主题笔记本") -> None:
    from toolkit.mall.models import Redemption, Reward
    from toolkit.periods import month_start
    from toolkit.points.models import RuleCode
    from toolkit.points.services import points_award

    reward = Reward.objects.create(name=name, cost=30, stock=10)
    points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=100)
    entry = points_award(member=member, rule=RuleCode.REDEMPTION, amount=-30)
    Redemption.objects.create(member=member, reward=reward, month=month_start(),
                              ledger_entry=entry)


# The chart's drawn text (ECharts paints on a canvas): every label's box, in the chart's
# own pixels, beside the chart's size.
_LABELS = """id => {
  const chart = echarts.getInstanceByDom(document.getElementById(id));
  const texts = chart.getZr().storage.getDisplayList()
    .filter(el => el.style && typeof el.style.text === "string" && el.style.text !== "")
    .map(el => {
      const r = el.getBoundingRect().clone();
      const m = el.getComputedTransform();
      if (m) { r.applyTransform(m); }
      return {text: el.style.text, x: r.x, y: r.y, w: r.width, h: r.height};
    });
  return {width: chart.getWidth(), height: chart.getHeight(), texts};
}"""


@pytest.mark.parametrize("english", [False, True])
def test_the_dashboard_s_bar_labels_are_inside_the_chart(
        phone, live_server, make_company, committed_schemas, english):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=4)
    with schema_context("alpha"):
        _redeem(org.members[1])
        _redeem(org.members[2], "保温杯")
    site = _url(live_server, "alpha.localhost")
    _login(phone, site, "admin", english=english)
    phone.goto(site + "/dashboard/")
    phone.locator("#rewards-chart canvas").first.wait_for()
    phone.wait_for_timeout(1500)  # the charts grow in for a second
    shoot(phone, f"dashboard-labels-{'en' if english else 'zh'}-phone")
    for chart in ("rewards-chart", "points-chart"):
        drawn = phone.evaluate(_LABELS, chart)
        values = [t for t in drawn["texts"] if t["text"] in ("2", "100", "30", "70")]
        assert values, drawn  # the value label is drawn
        for t in drawn["texts"]:
            assert t["y"] >= 0 and t["y"] + t["h"] <= drawn["height"], (chart, t)
            assert t["x"] >= 0 and t["x"] + t["w"] <= drawn["width"], (chart, t)


def test_a_branch_with_nothing_due_yet_is_drawn_as_a_dash_not_a_percent(
        phone, live_server, make_company, committed_schemas):
    import datetime

    from toolkit.life.models import ComplianceRule, MeetingKind
    from toolkit.life.services import meeting_create

    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=4)
    with schema_context("alpha"):
        # No warning days: nothing is due until held, whatever the day of the month.
        ComplianceRule.objects.update(warn_days=0, every_months=1)
        now = timezone.now()
        meeting_create(unit=org.branches[1], kind=MeetingKind.COMMITTEE, title="支委会",
                       starts_at=now - datetime.timedelta(seconds=1),
                       ends_at=now + datetime.timedelta(hours=1), by=org.admin)
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    site = _url(live_server, "alpha.localhost")
    _login(phone, site, "admin")
    phone.goto(site + "/dashboard/")
    phone.locator("#compliance-chart canvas").first.wait_for()
    phone.wait_for_timeout(1500)  # the charts grow in for a second
    shoot(phone, "dashboard-compliance-not-due-phone")
    drawn = phone.evaluate(_LABELS, "compliance-chart")
    texts = [t["text"] for t in drawn["texts"]]
    assert "—" in texts and "100%" in texts and "0%" not in texts, texts
    for t in drawn["texts"]:
        assert t["x"] >= 0 and t["x"] + t["w"] <= drawn["width"], t  # "100%" not cut off
    assert phone.locator("#compliance-not-due").inner_text() == "—：本月尚无到期事项"
    assert not errors


def test_a_new_company_s_dashboard_says_there_is_no_data_yet(
        phone, live_server, make_company, committed_schemas):
    make_company(name="甲公司", slug="alpha")
    build_org("alpha", members=4)  # members and branches, nothing scored, held or redeemed
    site = _url(live_server, "alpha.localhost")
    _login(phone, site, "admin")
    phone.goto(site + "/dashboard/")
    shoot(phone, "dashboard-empty-phone")
    for chart in ("points-chart", "top-chart", "rewards-chart", "compliance-chart"):
        assert phone.locator(f"#{chart}").count() == 0, chart  # no empty axes drawn
        assert phone.locator(f"#{chart}-empty").inner_text() == "暂无数据。"
    _to_english(phone)
    assert phone.locator("#points-chart-empty").inner_text() == "No data yet."


def test_the_home_s_member_stars_line_is_punctuated_in_the_page_s_language(
        phone, live_server, make_company, committed_schemas):
    from unittest import mock

    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=4)
    site = _url(live_server, "alpha.localhost")
    with mock.patch("toolkit.home.views.indices.star_quarters_of",
                    return_value=["2026Q3", "2026Q2"]):
        _login(phone, site, org.members[1].user.username)
        assert phone.locator("#home-star").inner_text() == "★ 党员之星：2026Q3、2026Q2"
        _to_english(phone)
        shoot(phone, "home-stars-en-phone")
        assert phone.locator("#home-star").inner_text() == "★ Member stars: 2026Q3, 2026Q2"


def test_the_arena_s_publish_button_and_review_link_stand_apart(
        phone, live_server, make_company, committed_schemas):
    make_company(name="甲公司", slug="alpha")
    build_org("alpha", members=4)
    site = _url(live_server, "alpha.localhost")
    _login(phone, site, "admin")
    phone.goto(site + "/arena/")
    shoot(phone, "arena-actions-phone")
    button = phone.get_by_role("button", name="发布任务").bounding_box()
    link = phone.get_by_role("link", name="待审核", exact=True).bounding_box()
    beside = link["y"] < button["y"] + button["height"] and link["x"] > button["x"]
    gap = link["x"] - (button["x"] + button["width"]) if beside else link["y"] - (
        button["y"] + button["height"])
    assert gap >= 8, (button, link)


def test_my_redemptions_keep_the_reward_apart_from_its_date_in_english(
        phone, live_server, make_company, committed_schemas):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=4)
    member = org.members[1]
    with schema_context("alpha"):
        _redeem(member)
    site = _url(live_server, "alpha.localhost")
    _login(phone, site, member.user.username, english=True)
    phone.goto(site + "/mall/")
    shoot(phone, "mall-redemptions-en-phone")
    row = phone.locator("#my-redemptions li").first
    expect(row).to_contain_text(timezone.localdate().strftime("%Y-%m-%d"))
    name = row.locator("span").first
    date = row.get_by_text(timezone.localdate().strftime("%Y-%m-%d"))
    status = row.get_by_text("to be handed out")
    boxes = {"date": date.bounding_box(), "status": status.bounding_box()}
    text = name.evaluate("""el => { const r = document.createRange();
        r.selectNodeContents(el.firstChild);
        const lines = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
        const box = r.getBoundingClientRect();
        return {lines: lines.size, x: box.x, y: box.y, width: box.width, height: box.height,
                text: el.firstChild.textContent}; }""")
    # The reward's name reads whole, on one line.
    assert text["text"] == "党建主题笔记本" and text["lines"] == 1, text
    for what, box in boxes.items():  # nothing runs into it, on its line or below
        apart = (box["x"] >= text["x"] + text["width"] + 8
                 or box["y"] >= text["y"] + text["height"])
        assert apart, (what, box, text)
