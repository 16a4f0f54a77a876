"""In Chromium at phone size (390x844): the learning and quiz forms carry no ASCII colon after
their labels, as the rest of the site; the exam counts down from the server's deadline; the
撤回 of 下发记录 shows without scrolling sideways."""

import re

import pytest

from accounts.models import Role
from accounts.services import user_create
from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from tests.toolkit.learning.conftest import (  # noqa: F401 - the shared media root fixture
    VIDEO_SECONDS,
    _shared_media_root,
    course_build,
    media_files_make,
)
from tests.toolkit.learning.helpers import enrolled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS_JS = """() => [...document.querySelectorAll('main label')].map(
  (label) => [...label.childNodes].filter((n) => n.nodeType === 3)
    .map((n) => n.textContent).join('').trim()).filter(Boolean)"""


@pytest.fixture(scope="module")
def media_files(tmp_path_factory) -> dict[str, bytes]:
    return media_files_make(tmp_path_factory.mktemp("made-media"))


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login(page, site, username):
    page.context.clear_cookies()
    page.goto(site + "/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("pw-123456")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, username


def test_forms_countdown_and_withdraw_fit_a_phone(phone, live_server, make_company,
                                                  committed_schemas, media_files):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=3)
    built = course_build(media=media_files, duration=VIDEO_SECONDS)
    enrolled(built, org.members[2])
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    width = phone.viewport_size["width"]
    site, public = _url(live_server, "alpha.localhost"), _url(live_server, "localhost")

    for username, name, path in (
            (org.members[2].user.username, "learning-upload-phone", "/learning/shared/upload/"),
            (org.admin.username, "learning-settings-phone", "/learning/manage/"),
            (org.admin.username, "quiz-manage-phone", "/quiz/manage/")):
        _login(phone, site, username)
        phone.goto(site + path)
        labels = phone.evaluate(LABELS_JS)
        assert labels, name
        assert not [text for text in labels if text.endswith((":", "："))], (name, labels)
        shoot(phone, name)
        assert phone.evaluate("document.documentElement.scrollWidth") <= width, name

    _login(phone, site, org.members[2].user.username)
    phone.goto(site + f"/learning/course/{built.course.pk}/lesson/{built.lessons['exam'].pk}/")
    phone.get_by_role("button", name="开始答题").click()
    phone.wait_for_load_state()
    clock = phone.locator("#exam-clock")
    first = clock.text_content()
    assert re.fullmatch(r"(09:5\d|10:00)", first), first
    phone.wait_for_function(
        f"() => document.getElementById('exam-clock').textContent < '{first}'", timeout=5000)
    shoot(phone, "learning-exam-countdown-phone")

    _login(phone, public, "staff1")
    phone.goto(public + "/training/deliveries/")
    button = phone.get_by_role("button", name="撤回").first
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    shoot(phone, "training-deliveries-phone")
