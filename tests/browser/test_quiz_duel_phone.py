"""In Chromium at phone size: two members of a company play a duel (双人对战), each on their own
phone, the page polling the server once a second; the first correct answer takes each point
and the winner is shown on both phones. The admin's bank page fits the phone too."""

import re

import pytest
from django_tenants.utils import schema_context

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from tests.toolkit.quiz.conftest import bank_make
from toolkit.quiz.models import Duel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    context.set_default_timeout(20_000)
    return context.new_page()


def _sign_in(page, site, username):
    page.goto(site + "/login/")
    page.get_by_label("手机号或用户名").fill(username)
    page.get_by_label("密码").fill("pw-123456")
    page.get_by_role("button", name="登录").click()


def _right_label(question) -> str:
    if question.kind in ("single", "multiple"):
        return [str(question.order.index(i)) for i in question.answer]
    if question.kind == "true_false":
        return ["true" if question.answer[0] else "false"]
    return None


def _answer(page, question, right: bool):
    values = _right_label(question)
    if values is None:
        page.fill("#duel-question input[name=answer]", question.answer[0] if right else "不知道")
    elif right:
        for value in values:
            page.check(f"#duel-question input[name=answer][value='{value}']")
    else:
        wrong = page.locator("#duel-question input[name=answer]").evaluate_all(
            "(inputs, right) => inputs.map(i => i.value).filter(v => !right.includes(v))",
            values)
        page.check(f"#duel-question input[name=answer][value='{wrong[0]}']")
    page.get_by_role("button", name="提交答案").click()


def test_two_members_play_a_duel_on_their_phones(browser, live_server, make_company,
                                                 committed_schemas):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=4)
    bank_make("alpha")
    site = _url(live_server, "alpha.localhost")
    a, b = _phone(browser), _phone(browser)
    _sign_in(a, site, org.members[2].user.username)
    _sign_in(b, site, org.members[3].user.username)
    a.goto(site + "/quiz/")
    a.get_by_role("button", name="发起对战").click()
    a.wait_for_url(re.compile(r"/quiz/duels/\d+/$"))
    a.wait_for_function("() => document.getElementById('duel-status').textContent.includes('等待')")
    b.goto(site + "/quiz/")
    shoot(b, "quiz-duel-invitation")
    b.get_by_role("button", name="应战").click()
    b.wait_for_url(re.compile(r"/quiz/duels/\d+/$"))
    with schema_context("alpha"):
        duel = Duel.objects.get()
    for position in range(1, duel.question_count + 1):
        for page in (a, b):
            page.wait_for_function(
                "(p) => !document.getElementById('duel-question').hidden && "
                "document.querySelector('#duel-question legend').textContent.startsWith(p + '.')",
                arg=str(position), timeout=15_000)
        with schema_context("alpha"):
            question = duel.questions.get(position=position)
        if position == 1:
            assert a.evaluate("document.documentElement.scrollWidth") <= 390
            shoot(a, "quiz-duel-question")
        _answer(a, question, right=True)
        _answer(b, question, right=position % 2 == 0)  # b is right, but slower, every other
    for page in (a, b):
        page.wait_for_function(
            "() => /赢了|获胜/.test(document.getElementById('duel-status').textContent)")
    assert "你赢了" in a.locator("#duel-status").inner_text()
    assert "对手获胜" in b.locator("#duel-status").inner_text()
    assert f"{duel.question_count} : 0" in a.locator("#duel-score").inner_text()
    assert a.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(a, "quiz-duel-finished")
    admin = _phone(browser)
    _sign_in(admin, site, "admin")
    admin.goto(site + "/quiz/manage/")
    assert admin.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(admin, "quiz-manage")
