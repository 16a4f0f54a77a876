"""Issue 10's whole path in Chromium, on phone-size pages, with a real Celery worker: a trainer
builds a course (a real ffmpeg-made video and a quiz from the question bank) through the
workspace's pages, publishes it and delivers it to a batch; a member of a company in that batch
watches the video (Range requests answered 206), seeks, leaves, comes back where they stopped,
watches it to the end and passes the quiz; hours and points go up, the worker issues the
certificate, which downloads as a PDF and the public register calls valid; the trainer's
roll-up shows the completion."""

import datetime
import re
import subprocess

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from accounts.models import Role
from accounts.services import user_create
from onboarding.services import batch_create, batch_enrol
from tests.browser.conftest import shoot
from tests.browser.safety import watching
from tests.toolkit.conftest import build_org
from tests.worker import wait_for
from toolkit.learning.completion import ROLLUP_PENDING_KEY
from toolkit.learning.models import Enrolment, ExamAttempt, HoursEntry, LessonProgress
from training.models import (
    BatchTrainer,
    CompanyCourseRollup,
    Course,
    Lesson,
    LessonKind,
    Question,
)

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

VIDEO_SECONDS = 3
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN"}
QUESTIONS = (  # text, options, the right one's letter
    ("党的最高领导机关是？", ["中央书记处", "党的全国代表大会和它所产生的中央委员会",
                             "中央军事委员会"], "B"),
    ("党员的党龄从何时算起？", ["递交入党申请书之日", "成为发展对象之日",
                               "预备期满转为正式党员之日"], "C"),
)


@pytest.fixture(scope="session")
def clip(tmp_path_factory) -> str:
    """A real 3-second MP4 made with ffmpeg (video only, so its length is exactly 3.0 s)."""
    path = tmp_path_factory.mktemp("flow-media") / "党章导读.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                    f"testsrc=size=160x120:rate=10:duration={VIDEO_SECONDS}",
                    "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-y", str(path)],
                   check=True, timeout=60)
    return str(path)


@pytest.fixture(scope="session")
def pdf_fonts():
    """The PDF renderer's font subsets, built before the clock starts: a fresh checkout builds
    them on its first render (about a minute, once; `make fonts`), which is not what the
    certificate's 30-second wait below measures."""
    from core.pdf.fonts import fonts_ensure

    return fonts_ensure()


def _url(live_server, host: str) -> str:
    return re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)


def _login(page, url: str, username: str) -> None:
    page.goto(url + "/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("pw-123456")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"{username} could not log in"


def _poll(page, url: str, ready, timeout: float = 30.0):
    """Reloads `url` until `ready(page)` is true (work the worker does in the background)."""
    def look():
        page.goto(url)
        if ready(page):
            return True
        page.wait_for_timeout(500)
        return False

    return wait_for(look, timeout=timeout)


def _build_course(page, public: str, clip: str, batch_name: str) -> Course:
    """The trainer's part, page by page."""
    for text, options, letter in QUESTIONS:
        page.goto(public + "/training/questions/new/")
        page.get_by_label("题型").select_option("single")
        page.get_by_label("题干").fill(text)
        page.get_by_label("选项").fill("\n".join(options))
        page.get_by_label("答案").fill(letter)
        page.get_by_label("解析").fill("见党章")
        page.get_by_label("类别").select_option("charter")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("main")).to_contain_text(text)

    page.goto(public + "/training/courses/new/")
    page.get_by_label("课程名称").fill("学习新党章")
    page.get_by_label("类别").select_option("charter")
    page.get_by_label("简介").fill("党章导读与随堂测验")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("学习新党章")
    course = Course.objects.get(title="学习新党章")
    page.get_by_placeholder("新章节名称").fill("总纲")
    page.get_by_role("button", name="添加章节").click()
    expect(page.locator("section.chapter h3")).to_contain_text("总纲")

    page.locator(".add-lesson a[href$='/lessons/video/']").click()
    page.get_by_label("课时名称").fill("党章导读")
    page.get_by_label("学时").fill("1.0")
    page.get_by_label("文件").set_input_files(clip)
    page.get_by_role("button", name="保存").click()
    # The workspace checked the file by its content and read its length with ffprobe.
    expect(page.locator("ol.lessons")).to_contain_text(f"{VIDEO_SECONDS} 秒")

    page.locator(".add-lesson a[href$='/lessons/quiz/']").click()
    page.get_by_label("课时名称").fill("随堂测验")
    page.get_by_label("学时").fill("0.5")
    for text, _options, _letter in QUESTIONS:
        page.get_by_label(text).check()
    page.get_by_label("抽题数").fill(str(len(QUESTIONS)))
    page.get_by_label("限时（分钟）").fill("10")
    page.get_by_label("及格分").fill("60")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ol.lessons")).to_contain_text("随堂测验")

    page.get_by_label("版本说明").fill("首版")
    page.get_by_role("button", name="发布 v1").click()
    expect(page.locator("main")).to_contain_text("已发布")
    shoot(page, "training-flow-course")

    page.get_by_role("button", name="下发课程").click()
    page.get_by_label(batch_name).check()
    page.get_by_label("截止日期").fill(
        (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="下发").click()
    expect(page.locator("h1")).to_have_text("学习新党章")
    return course


def _media(page):
    return page.locator("#media")


def _media_ready(page) -> None:
    page.wait_for_function("() => document.getElementById('media').readyState >= 1")
    page.evaluate("() => { document.getElementById('media').muted = true; }")


def test_a_trainer_builds_and_delivers_and_a_member_learns_on_a_phone(
        browser, live_server, celery_worker, make_company, committed_schemas, clip, pdf_fonts,
        tmp_path):
    today = timezone.localdate()
    batch = batch_create(name="第三期孵化批次", starts_on=today - datetime.timedelta(days=30),
                         ends_on=today + datetime.timedelta(days=300))
    company = make_company(name="甲公司", slug="alpha")
    batch_enrol(batch=batch, company=company)
    org = build_org("alpha", members=3)
    member = org.members[2]
    trainer = user_create(username="trainer1", password="pw-123456", full_name="李培训",
                          role=Role.TRAINER)
    BatchTrainer.objects.create(batch=batch, trainer=trainer)
    public, site = _url(live_server, "localhost"), _url(live_server, "alpha.localhost")
    watch, stop = watching()
    desk_context = browser.new_context(**PHONE)
    phone_context = browser.new_context(**PHONE, accept_downloads=True)
    for context in (desk_context, phone_context):
        context.set_default_timeout(20_000)
    desk, phone = desk_context.new_page(), phone_context.new_page()
    watch.attach(desk)
    watch.attach(phone)
    try:
        # 1. The trainer builds the course and delivers it to the batch.
        _login(desk, public, "trainer1")
        course = _build_course(desk, public, clip, batch.name)
        video = Lesson.objects.get(chapter__version__course=course, kind=LessonKind.VIDEO)
        quiz = Lesson.objects.get(chapter__version__course=course, kind=LessonKind.QUIZ)
        assert video.duration_seconds == VIDEO_SECONDS

        # 2. The member: before any learning, their hours and points.
        _login(phone, site, member.user.username)
        phone.goto(site + "/points/mine/")
        points_before = int(phone.locator("#my-balance").inner_text())
        phone.goto(site + "/learning/hours/")
        assert phone.locator("#hours-total").inner_text().strip() in ("0", "0.0")
        # The delivery reached the company through the worker (the enrolment task).
        _poll(phone, site + "/learning/", lambda p: p.get_by_role("link", name="学习新党章")
              .count() > 0)
        shoot(phone, "training-flow-mine")
        phone.get_by_role("link", name="学习新党章").click()
        # Listening before the lesson opens: a clip this short can arrive whole in the first
        # ranged response, before the page is even ready, and seeking then asks for nothing.
        ranges = []
        phone.on("response", lambda r: ranges.append((r.request.headers.get("range"), r.status))
                 if f"/learning/media/{video.pk}/" in r.url else None)
        phone.get_by_role("link", name="党章导读").click()
        _media_ready(phone)
        phone.evaluate("() => document.getElementById('media').play()")
        phone.wait_for_function("() => document.getElementById('media').currentTime >= 1.3",
                                timeout=10_000)
        phone.evaluate("() => document.getElementById('media').pause()")  # a beat is sent

        def stored_position():
            with schema_context("alpha"):
                row = LessonProgress.objects.filter(lesson_id=video.pk).first()
            return row is not None and row.position_seconds >= 1 and row

        position = wait_for(stored_position, timeout=10).position_seconds
        # The player asks for ranges (the first load, and seeking when it needs bytes): 206.
        phone.evaluate("""() => new Promise(done => {
            const media = document.getElementById('media');
            media.addEventListener('seeked', () => done(), {once: true});
            media.currentTime = 2.5;
        })""")
        assert any(header and status == 206 for header, status in ranges), ranges

        # Leaving and coming back: playback resumes where the server last heard it was.
        phone.goto(site + "/learning/")
        phone.goto(site + f"/learning/course/{course.pk}/lesson/{video.pk}/")
        _media_ready(phone)
        phone.wait_for_function(
            f"() => Math.abs(document.getElementById('media').currentTime - {position}) < 0.5")

        # Watching on to the end; a member who has not reached 90 % yet (each beat credits at
        # most the wall-clock time since the one before) plays it once more.
        for _attempt in range(3):
            phone.evaluate("""() => new Promise(done => {
                const media = document.getElementById('media');
                media.addEventListener('ended', () => done(), {once: true});
                media.play();
            })""")
            try:
                expect(phone.locator("#lesson-done")).to_be_visible(timeout=5_000)
                break
            except AssertionError:
                continue
        expect(phone.locator("#lesson-done")).to_be_visible()
        with schema_context("alpha"):
            progress = LessonProgress.objects.get(lesson_id=video.pk)
            assert progress.completed_at is not None
            assert progress.watched_seconds >= 0.9 * VIDEO_SECONDS
        shoot(phone, "training-flow-video")

        # The video's completion queued the company's roll-up; the worker ran it.
        def rollup(completed: int):
            row = CompanyCourseRollup.objects.filter(company=company, course=course).first()
            return row is not None and row.started == 1 and row.completed == completed and row

        wait_for(lambda: rollup(0), timeout=30)
        # The worker's cache is its own (its DATA_DIR), so the "refresh pending" mark its task
        # cleared there is still set in this process's: clear it here, as the shared cache of a
        # real deployment would have, so the completion below queues the next refresh.
        with schema_context("alpha"):
            cache.delete(ROLLUP_PENDING_KEY)

        # The quiz: the answers are read from the database, and the page never held them.
        phone.goto(site + f"/learning/course/{course.pk}/lesson/{quiz.pk}/")
        phone.get_by_role("button", name="开始答题").click()
        expect(phone.locator("form.exam-form fieldset")).to_have_count(len(QUESTIONS))
        with schema_context("alpha"):
            attempt = ExamAttempt.objects.get(lesson_id=quiz.pk, submitted_at__isnull=True)
        questions = Question.objects.in_bulk(attempt.question_ids)
        html = phone.content()
        assert "见党章" not in html and "checked" not in html
        assert '"answer"' not in html and "data-answer" not in html
        shoot(phone, "training-flow-quiz")
        for question_id in attempt.question_ids:
            right = questions[question_id].answer[0]
            phone.locator(f"input[name=q{question_id}][value='{right}']").check()
        phone.get_by_role("button", name="交卷").click()
        expect(phone.locator("main")).to_contain_text("100")
        with schema_context("alpha"):
            enrolment = Enrolment.objects.get(member=member, course=course)
            assert enrolment.completed_at is not None and enrolment.best_score == 100

        # 3. Hours and points went up.
        phone.goto(site + "/learning/hours/")
        expect(phone.locator("#hours-total")).to_have_text("1.5")
        with schema_context("alpha"):
            assert HoursEntry.objects.filter(member=member).count() == 2
        phone.goto(site + "/points/mine/")
        assert int(phone.locator("#my-balance").inner_text()) > points_before
        # The worker issued the certificate; it downloads as a PDF.
        _poll(phone, site + "/certificates/",
              lambda p: p.get_by_role("link", name="下载 PDF").count() > 0)
        expect(phone.locator("#certificates")).to_contain_text("学习新党章")
        shoot(phone, "training-flow-certificate")
        with phone.expect_download() as download:
            phone.get_by_role("link", name="下载 PDF").click()
        pdf = tmp_path / "certificate.pdf"
        download.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                              text=True, timeout=30).stdout
        assert member.user.full_name in text and "学习新党章" in text
        number = re.search(r"certificate-([\w-]+)\.pdf", download.value.suggested_filename)[1]

        # 4. The public register says it is valid.
        verify = browser.new_context(**PHONE).new_page()
        verify.goto(public + f"/verify/{number}/")
        expect(verify.get_by_role("status")).to_have_text("此证书有效")
        expect(verify.locator("#verify")).to_contain_text(member.user.full_name)
        shoot(verify, "training-flow-verify")
        verify.context.close()

        # 5. The completion queued another roll-up; the trainer's page shows it.
        wait_for(lambda: rollup(1), timeout=30)
        desk.goto(public + f"/training/rollups/?course={course.pk}")
        row = desk.locator("tr", has_text="甲公司").first
        expect(row).to_be_visible()
        cells = row.locator("td").all_inner_texts()  # assigned, started, completed (rate)
        assigned = rollup(1).assigned
        assert cells[1:3] == [str(assigned), "1"], cells
        assert cells[3].split()[:2] == ["1", f"{round(100 / assigned)}%"], cells
        shoot(desk, "training-flow-rollups")
    finally:
        stop()
        desk_context.close()
        phone_context.close()
    assert watch.problems() == []
