"""In Chromium at phone size, with a real worker: a member uploads a 微党课 from the upload
page, the branch secretary approves it from the review page, and the library lists it; a
colleague shares it and another watches it through the share link, so the lecturer's and the
sharer's balances change; then the daily quiz is played to a score. No page is wider than the
phone. Screenshots land in test-artifacts/."""

import re

import pytest
from django_tenants.utils import schema_context

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from tests.toolkit.learning.conftest import media_files_make
from tests.toolkit.quiz.conftest import bank_make
from toolkit.points.selectors import balance_of
from toolkit.quiz.models import AttemptQuestion

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _sign_in(phone, site, username):
    phone.context.clear_cookies()
    phone.goto(site + "/login/")
    phone.get_by_label("手机号或用户名").fill(username)
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()


def _fits(phone):
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390


def _balances(org) -> list[int]:
    with schema_context("alpha"):
        return [balance_of(member=member) for member in org.members]


def test_upload_review_share_watch_and_the_daily_quiz_on_a_phone(
        phone, live_server, celery_worker, make_company, committed_schemas, tmp_path):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=5)
    bank_make("alpha")
    clip = tmp_path / "talk.mp4"
    clip.write_bytes(media_files_make(tmp_path)["mp4"])
    site = _url(live_server, "alpha.localhost")
    _sign_in(phone, site, org.members[2].user.username)
    phone.goto(site + "/learning/shared/upload/")
    phone.get_by_label("标题").fill("三分钟讲党章")
    phone.get_by_label("主题").fill("党章")
    phone.get_by_label("简介").fill("用身边的例子讲党章第一章。")
    phone.set_input_files("input[type=file]", str(clip))
    _fits(phone)
    shoot(phone, "member-lesson-upload")
    phone.get_by_role("button", name="提交审核").click()
    phone.wait_for_url(re.compile(r"/learning/shared/[0-9a-f-]{36}/$"))
    assert "待审核" in phone.content()
    _fits(phone)
    _sign_in(phone, site, org.members[0].user.username)  # branch 1's secretary
    phone.goto(site + "/learning/shared/review/")
    _fits(phone)
    shoot(phone, "member-lesson-review")
    phone.get_by_label("审核结果").select_option("approved")
    phone.get_by_role("button", name="提交审核结果").click()
    phone.goto(site + "/learning/shared/")
    assert "三分钟讲党章" in phone.content()
    _fits(phone)
    shoot(phone, "member-lesson-library")
    phone.get_by_role("link", name="三分钟讲党章").click()
    phone.wait_for_function("() => document.getElementById('media').readyState >= 1")
    _fits(phone)
    shoot(phone, "member-lesson-player")
    lecturer, sharer, viewer = 2, 3, 4
    before = _balances(org)
    assert before[lecturer] > 0  # the approval paid the lecturer

    # 3. A colleague shares the lesson; another watches it to the end through the link.
    _sign_in(phone, site, org.members[sharer].user.username)
    phone.goto(site + "/learning/shared/")
    phone.get_by_role("link", name="三分钟讲党章").click()
    share_url = phone.locator("#share-url").input_value()
    shoot(phone, "member-lesson-share")
    _sign_in(phone, site, org.members[viewer].user.username)
    phone.goto(re.sub(r"^https?://[^/]+", site, share_url))
    phone.wait_for_function("() => document.getElementById('media').readyState >= 1")
    # The player reports on play, on pause and at the end; the server credits the time
    # between, as far as the position moved: the pause counts for nothing, so the viewer
    # goes back to the start and watches the clip through. Whole seconds are credited and
    # 90 % of a 4-second clip is all 4 of them: a little slower than real time, the
    # stretch between the two beats' arrivals is 4 s whatever the network's jitter.
    phone.evaluate("() => { const m = document.getElementById('media'); m.muted = true; "
                   "return m.play(); }")
    phone.wait_for_timeout(300)
    phone.evaluate("() => document.getElementById('media').pause()")
    phone.wait_for_timeout(1500)  # a pause to read the title
    phone.evaluate("""() => new Promise(done => {
        const media = document.getElementById('media');
        media.addEventListener('ended', () => done(), {once: true});
        media.currentTime = 0;
        media.playbackRate = 0.8;
        media.play();
    })""")

    # 4. Both balances change: the sharer's now too.
    for _ in range(50):
        after = _balances(org)
        if after[sharer] > before[sharer]:
            break
        phone.wait_for_timeout(200)
    assert after[sharer] > before[sharer] and after[lecturer] == before[lecturer]

    # 5. The daily quiz, played to a score: each question served, answered, explained.
    phone.goto(site + "/quiz/")
    _fits(phone)
    shoot(phone, "quiz-home")
    phone.locator(".quiz-round").first.get_by_role("button", name="开始答题").click()
    for position in range(1, 6):
        assert phone.locator("input[name=position]").input_value() == str(position)
        with schema_context("alpha"):
            asked = AttemptQuestion.objects.get(attempt__member=org.members[viewer],
                                                position=position)
        if asked.kind in ("single", "multiple"):
            for index in asked.answer:
                phone.check(f"input[name=answer][value='{asked.order.index(index)}']")
        elif asked.kind == "true_false":
            phone.check(f"input[name=answer][value='{str(asked.answer[0]).lower()}']")
        else:
            phone.fill("input[name=answer]", asked.answer[0])
        _fits(phone)
        if position == 1:
            shoot(phone, "quiz-question")
        phone.get_by_role("button", name="提交答案").click()
        assert "回答正确" in phone.locator("#quiz-verdict").inner_text()
        if position < 5:
            phone.get_by_role("button", name="下一题").click()
    assert "本轮答对 5/5，获得 15 积分" in phone.locator("#quiz-score").inner_text()
    phone.get_by_role("button", name="查看结果与排行").click()
    _fits(phone)
    shoot(phone, "quiz-result")
    assert _balances(org)[viewer] == after[viewer] + 15
