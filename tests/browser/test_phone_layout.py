"""In Chromium at phone size: controls fit the screen and show their whole text."""

import re

import pytest
from django_tenants.utils import schema_context

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def test_the_ranking_filters_fit_a_phone(phone, live_server, make_company, committed_schemas):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=4)
    with schema_context("alpha"):
        org.branches[0].name = "信息技术与数字化运营党支部"  # a long but real-looking name
        org.branches[0].save(update_fields=["name"])
    site = _url(live_server, "alpha.localhost")
    phone.goto(site + "/login/")
    phone.get_by_label("手机号或用户名").fill(org.members[0].user.username)
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    phone.goto(site + f"/points/?period=month&unit={org.branches[0].pk}")
    shoot(phone, "leaderboard-filters-phone")

    width = phone.viewport_size["width"]
    for name in ("period", "unit"):
        box = phone.locator(f"select[name={name}]").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
        # The chosen option's text is shown whole: the box is as wide as the text needs.
        fits = phone.locator(f"select[name={name}]").evaluate("""select => {
            const probe = document.createElement('span');
            const style = getComputedStyle(select);
            probe.style.font = style.font;
            probe.style.whiteSpace = 'nowrap';
            probe.textContent = select.options[select.selectedIndex].text;
            document.body.appendChild(probe);
            const needed = probe.getBoundingClientRect().width + parseFloat(style.paddingLeft)
                           + parseFloat(style.paddingRight);
            probe.remove();
            return {needed, has: select.clientWidth, scroll: select.scrollWidth};
        }""")
        assert fits["scroll"] <= fits["has"] and fits["needed"] <= fits["has"], (name, fits)
    assert phone.evaluate("document.documentElement.scrollWidth") <= width


def test_the_500_page_is_styled_on_a_phone(phone, live_server, public_tenant):
    from unittest import mock

    with mock.patch("saas.views.company_counts_by_status", side_effect=RuntimeError("boom")):
        response = phone.goto(_url(live_server, "localhost") + "/")
    assert response.status == 500
    shoot(phone, "server-error-phone")
    assert phone.locator("h1").inner_text() == "服务器出错了"
    # The stylesheets loaded: the top bar is party red, not an unstyled page.
    assert phone.locator("header.topbar").evaluate(
        "el => getComputedStyle(el).backgroundColor") == "rgb(183, 28, 28)"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_toolkit_menu_of_an_admin_leaves_the_phone_s_first_screen_to_the_page(
        phone, live_server, make_company, committed_schemas):
    """The admin's 25 links wrapped into rows 56 px apart (Pico's nav spacing): 330 px of an
    844 px screen before the page's heading. Whole words, tight rows, nothing off the side."""
    make_company(name="甲公司", slug="alpha")
    build_org("alpha", members=4)
    site = _url(live_server, "alpha.localhost")
    phone.goto(site + "/login/")
    phone.get_by_label("手机号或用户名").fill("admin")
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    phone.goto(site + "/dashboard/")
    shoot(phone, "toolkit-menu-admin-phone")

    menu = phone.locator("nav.toolkit")
    links = menu.locator("a")
    assert links.count() >= 20
    rows = links.evaluate_all("""links => links.map(a => {
        const r = a.getBoundingClientRect();
        const text = document.createRange();
        text.selectNodeContents(a);
        const lines = new Set([...text.getClientRects()].map(box => Math.round(box.top)));
        return {top: Math.round(r.top), height: r.height, right: r.right, lines: lines.size};
    })""")
    assert all(link["lines"] == 1 for link in rows), rows  # whole words, one line each
    assert all(link["right"] <= 390 for link in rows), rows
    tops = sorted({link["top"] for link in rows})
    assert len(tops) <= 7, tops
    assert max(b - a for a, b in zip(tops, tops[1:], strict=False)) <= 36, tops  # tight rows
    assert all(link["height"] >= 20 for link in rows)  # still a finger's target
    heading = phone.locator("main h1").bounding_box()
    assert heading["y"] < 300, heading
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
