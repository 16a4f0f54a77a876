"""扫码党课 offline, in Chromium at phone size: the company site is an installable app
(manifest, icons, a service worker controlling the page); a member saves a lesson, the network
is cut (every request of the browser context aborted, the service worker's own included), the
lesson is reloaded from the phone's cache and plays (its Range requests answered from the
cached file), the beats made meanwhile are queued; with the network back they reach the
database once. The saved-lessons page lists the lesson with its size and removes it."""

import re

import pytest
from django_tenants.utils import schema_context

from tests.browser.conftest import shoot
from tests.toolkit.conftest import build_org
from tests.toolkit.learning.conftest import (  # noqa: F401 - the shared media root fixture
    _shared_media_root,
    course_build,
    media_files_make,
)
from tests.toolkit.learning.helpers import enrolled
from toolkit.learning.models import LessonProgress, OfflineBeat, OfflineSave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECONDS = 12  # long enough to play for a few seconds offline


@pytest.fixture(scope="module")
def media_files(tmp_path_factory) -> dict[str, bytes]:
    return media_files_make(tmp_path_factory.mktemp("offline-media"), seconds=SECONDS)


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _play_for(page, seconds: float) -> float:
    """Plays the lesson's media (muted) for a while; returns how far currentTime moved."""
    return page.evaluate("""(ms) => new Promise((done, fail) => {
        const media = document.getElementById('media');
        media.muted = true;
        const from = media.currentTime;
        media.play().then(() => setTimeout(() => {
            media.pause();
            done(media.currentTime - from);
        }, ms), fail);
    })""", int(seconds * 1000))


def test_saved_lesson_plays_offline_and_its_progress_arrives_later(
        phone, live_server, make_company, committed_schemas, media_files):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=3)
    member = org.members[2]
    built = course_build(kinds=("video",), media=media_files, duration=SECONDS)
    enrolled(built, member)
    video = built.lessons["video"]
    site = _url(live_server, "alpha.localhost")
    context = phone.context
    violations = []
    phone.on("console", lambda m: violations.append(m.text)
             if "Content Security Policy" in m.text else None)

    phone.goto(site + "/login/")
    phone.get_by_label("手机号或用户名").fill(member.user.username)
    phone.get_by_label("密码").fill("pw-123456")
    phone.get_by_role("button", name="登录").click()

    # Installable: the manifest names the company, with icons (a maskable one) that load.
    manifest = phone.evaluate("""() => fetch(document.querySelector('link[rel=manifest]').href)
        .then(r => r.json())""")
    assert manifest["name"] == "甲公司" and manifest["lang"] == "zh-Hans"
    assert manifest["display"] == "standalone" and manifest["scope"] == "/"
    assert any(i["purpose"] == "maskable" and i["sizes"] == "512x512" for i in manifest["icons"])
    assert phone.evaluate("""(icons) => Promise.all(icons.map(i => fetch(i.src)
        .then(r => r.ok && r.headers.get('content-type') === 'image/png')))""",
                          manifest["icons"]) == [True] * len(manifest["icons"])

    lesson_url = site + f"/learning/course/{built.course.pk}/lesson/{video.pk}/"
    phone.goto(lesson_url)
    phone.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert phone.evaluate("() => navigator.serviceWorker.controller.scriptURL") == site + "/sw.js"
    # Chromium's own verdict: the manifest parses and the site could be installed (a test
    # browser context counts as incognito, the one reason it gives otherwise).
    cdp = context.new_cdp_session(phone)
    assert cdp.send("Page.getAppManifest")["errors"] == []
    reasons = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [r["errorId"] for r in reasons if r["errorId"] != "in-incognito"] == []
    phone.get_by_role("button", name="保存到离线").click()
    phone.wait_for_function(
        "() => document.getElementById('offline-status').textContent.includes('MB')")
    shoot(phone, "offline-lesson-saved-phone")
    with schema_context("alpha"):
        assert OfflineSave.objects.filter(member=member, lesson_id=video.pk).exists()

    # The network goes: every request of the context fails, the service worker's too.
    blocked = []
    context.route("**/*", lambda route: (blocked.append(route.request.url), route.abort()))
    assert phone.evaluate("() => fetch('/floor/').then(() => 'up', () => 'down')") == "down"
    media_answers = []
    phone.on("response", lambda r: media_answers.append((r.status, r.from_service_worker))
             if f"/learning/media/{video.pk}/" in r.url else None)
    phone.reload()
    phone.wait_for_function("() => document.getElementById('media').readyState >= 1")
    assert phone.locator("h1.lesson-title").inner_text() == video.title
    assert phone.evaluate("() => document.getElementById('player').dataset.saved") == "1"
    assert _play_for(phone, 2.5) >= 1.5  # it really plays, from the phone's cache
    assert media_answers and all(a == (206, True) for a in media_answers), media_answers
    # The worker's ranges, as the server's (toolkit/learning/media.py) would answer them.
    size = len(media_files["mp4"])
    answers = phone.evaluate("""(url) => Promise.all(
        ['bytes=0-9', 'bytes=-10', 'bytes=5-', 'bytes=999999999-', 'bytes=0-1,4-5'].map(
            range => fetch(url, {headers: {Range: range}}).then(r => r.arrayBuffer().then(
                b => [r.status, r.headers.get('content-range'), b.byteLength]))))""",
                             f"/learning/media/{video.pk}/")
    last = size - 1
    assert answers == [[206, f"bytes 0-9/{size}", 10],
                       [206, f"bytes {size - 10}-{last}/{size}", 10],
                       [206, f"bytes 5-{last}/{size}", size - 5], [416, f"bytes */{size}", 0],
                       [200, None, size]]
    phone.wait_for_function("""() => OfflineLessons.waiting().then(n => n >= 1)""")
    queued = phone.evaluate("() => OfflineLessons.waiting()")
    assert queued >= 2  # the play and pause beats at least
    assert any("/heartbeat/" in url for url in blocked)
    shoot(phone, "offline-lesson-playing-offline-phone")
    with schema_context("alpha"):
        assert not LessonProgress.objects.filter(lesson_id=video.pk,
                                                 watched_seconds__gt=0).exists()

    # The network is back: the queue is synced, once.
    context.unroute("**/*")
    phone.evaluate("() => OfflineLessons.flush()")
    phone.wait_for_function("() => OfflineLessons.waiting().then(n => n === 0)")
    with schema_context("alpha"):
        progress = LessonProgress.objects.get(lesson_id=video.pk)
        assert progress.watched_seconds >= 1 and progress.position_seconds >= 1
        assert OfflineBeat.objects.filter(member=member).count() == queued

    # The saved-lessons page: the lesson, its size, and its removal.
    phone.goto(site + "/learning/saved/")
    row = phone.locator("li.saved-lesson")
    row.first.wait_for()
    assert row.count() == 1 and video.title in row.inner_text()
    size = int(row.locator("small").get_attribute("data-bytes"))
    assert size >= len(media_files["mp4"])
    width = phone.viewport_size["width"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= width
    shoot(phone, "offline-storage-phone")
    row.get_by_role("button", name="删除").click()
    phone.wait_for_function("() => document.querySelectorAll('li.saved-lesson').length === 0")
    assert phone.locator("#saved-empty").is_visible()
    assert phone.evaluate("() => caches.keys()") == []

    # Saved again, then the member logs out: the phone keeps nothing of theirs.
    phone.goto(lesson_url)
    phone.get_by_role("button", name="保存到离线").click()
    phone.wait_for_function(
        "() => document.getElementById('offline-status').textContent.includes('MB')")
    assert phone.evaluate("() => caches.keys()") != []
    phone.get_by_role("button", name="退出").click()
    phone.wait_for_url(lambda url: "/learning/" not in url)
    phone.wait_for_load_state()
    assert phone.evaluate("() => caches.keys()") == []
    assert violations == []


def test_another_companys_site_keeps_its_own_cache(phone, live_server, make_company,
                                                   committed_schemas):
    """Cache names carry the host and the schema; the worker and manifest are per company."""
    make_company(name="甲公司", slug="alpha")
    make_company(name="乙公司", slug="beta")
    names = {}
    for slug, name in (("alpha", "甲公司"), ("beta", "乙公司")):
        site = _url(live_server, f"{slug}.localhost")
        phone.goto(site + "/login/")
        names[slug] = phone.evaluate("() => OfflineLessons.cacheName")
        worker = phone.evaluate("""() => fetch('/sw.js').then(r => r.text().then(t =>
            [r.headers.get('service-worker-allowed'), t]))""")
        assert worker[0] == "/" and f'"schema": "{slug}"' in worker[1]
        assert phone.evaluate("() => fetch('/manifest.webmanifest').then(r => r.json())")[
            "name"] == name
    assert names["alpha"].endswith(":alpha") and names["beta"].endswith(":beta")
    assert names["alpha"] != names["beta"]


WECHAT_UA = ("Mozilla/5.0 (Linux; Android 13; V2171A) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20240301 "
             "MMWEBID/1234 MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64 Weixin "
             "NetType/WIFI Language/zh_CN ABI/arm64")


def test_without_a_service_worker_the_lesson_plays_online(browser, live_server, make_company,
                                                          committed_schemas, media_files):
    """An in-app browser without service workers (WeChat's, as far as Chromium can stand in
    for it: its user agent, workers blocked): no save button, the lesson plays online and its
    beats arrive as usual."""
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=3)
    member = org.members[2]
    built = course_build(kinds=("video",), media=media_files, duration=SECONDS)
    enrolled(built, member)
    video = built.lessons["video"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, locale="zh-CN", user_agent=WECHAT_UA,
                                  service_workers="block")
    phone = context.new_page()
    try:
        site = _url(live_server, "alpha.localhost")
        phone.goto(site + "/login/")
        phone.get_by_label("手机号或用户名").fill(member.user.username)
        phone.get_by_label("密码").fill("pw-123456")
        phone.get_by_role("button", name="登录").click()
        phone.goto(site + f"/learning/course/{built.course.pk}/lesson/{video.pk}/")
        phone.wait_for_function("() => document.getElementById('media').readyState >= 1")
        assert phone.evaluate("() => navigator.serviceWorker.controller") is None
        assert not phone.locator("#save-offline").is_visible()
        assert _play_for(phone, 2.5) >= 1.5
        phone.wait_for_timeout(800)
        with schema_context("alpha"):
            assert LessonProgress.objects.get(lesson_id=video.pk).position_seconds >= 1
    finally:
        context.close()
