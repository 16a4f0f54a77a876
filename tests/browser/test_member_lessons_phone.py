"""In Chromium at phone size: a member uploads a 微党课 from the upload page, the branch
secretary approves it from the review page, and the library lists it; no page is wider than
the phone. Screenshots land in test-artifacts/."""

import re

import pytest

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from tests.toolkit.learning.conftest import media_files_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def test_upload_review_and_library_on_a_phone(phone, live_server, make_company,
                                              committed_schemas, tmp_path):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=4)
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
