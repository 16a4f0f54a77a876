"""In Chromium at phone size: the player plays, seeks with Range requests (206), reports its
position to the server, resumes where the member left off, and fits the screen."""

import re

import pytest
from django_tenants.utils import schema_context

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from tests.toolkit.learning.conftest import (  # noqa: F401 - the shared media root fixture
    VIDEO_SECONDS,
    _shared_media_root,
    course_build,
    media_files_make,
)
from tests.toolkit.learning.helpers import enrolled
from toolkit.learning.models import LessonProgress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def media_files(tmp_path_factory) -> dict[str, bytes]:
    return media_files_make(tmp_path_factory.mktemp("made-media"))


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def test_video_plays_seeks_reports_and_resumes_on_a_phone(phone, live_server, make_company,
                                                          committed_schemas, media_files):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=3)
    member = org.members[2]
    built = course_build(media=media_files, duration=VIDEO_SECONDS)
    enrolled(built, member)
    video = built.lessons["video"]
    site = _url(live_server, "alpha.localhost")
    statuses = []
    phone.on("response", lambda r: statuses.append(r.status)
             if f"/learning/media/{video.pk}/" in r.url else None)
    phone.goto(site + "/login/")
    phone.get_by_label("手机号或用户名").fill(member.user.username)
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()
    lesson_url = site + f"/learning/course/{built.course.pk}/lesson/{video.pk}/"
    phone.goto(lesson_url)
    phone.wait_for_function("() => document.getElementById('media').readyState >= 1")
    phone.evaluate("""() => new Promise(done => {
        const media = document.getElementById('media');
        media.muted = true;
        media.addEventListener('seeked', () => done(), {once: true});
        media.currentTime = 2.5;
    })""")
    phone.evaluate("() => document.getElementById('media').play()")
    phone.wait_for_timeout(600)
    phone.evaluate("() => document.getElementById('media').pause()")  # a beat is sent
    phone.wait_for_function("() => document.getElementById('watched') !== null")
    phone.wait_for_timeout(800)
    with schema_context("alpha"):
        progress = LessonProgress.objects.get(lesson_id=video.pk)
    assert progress.position_seconds >= 2
    assert 206 in statuses or 200 in statuses
    shoot(phone, "learning-player-phone")
    width = phone.viewport_size["width"]
    box = phone.locator("#media").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert phone.evaluate("document.documentElement.scrollWidth") <= width
    # Opening the lesson again resumes where playback stopped.
    phone.goto(lesson_url)
    phone.wait_for_function("() => document.getElementById('media').currentTime >= 2")
    for name, url in (("learning-mine-phone", "/learning/"),
                      ("learning-course-phone", f"/learning/course/{built.course.pk}/"),
                      ("learning-exam-phone", f"/learning/course/{built.course.pk}/lesson/"
                                              f"{built.lessons['exam'].pk}/")):
        phone.goto(site + url)
        if name == "learning-exam-phone":
            phone.get_by_role("button", name="开始答题").click()
        shoot(phone, name)
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= width, name
