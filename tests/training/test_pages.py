"""The workspace through its pages: a trainer builds a course by form posts, the way a browser
would, and the pages refuse what the services refuse."""

import io

import pytest
from PIL import Image

from tests.training.conftest import upload
from training.models import Course, Lesson, VersionStatus

HOST = {"HTTP_HOST": "localhost"}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_trainer_builds_and_publishes_a_course_through_the_pages(trainer_client, small_mp4):
    response = trainer_client.post("/training/courses/new/", {
        "title": "党务实务入门", "category": "practice", "tags": "实务", "summary": "入门",
        "open_to_adopt": "on", "cover": upload("cover.png", _png(), "image/png")}, **HOST)
    course = Course.objects.get(title="党务实务入门")
    assert response.status_code == 302 and course.cover
    assert trainer_client.get(f"/training/courses/{course.pk}/cover/", **HOST).status_code == 200
    trainer_client.post(f"/training/courses/{course.pk}/chapters/", {"title": "第一章"}, **HOST)
    chapter = course.versions.get().chapters.get()
    response = trainer_client.post(f"/training/chapters/{chapter.pk}/lessons/text/", {
        "title": "导读", "hours": "1.5",
        "body_html": '<p>读原文</p><script>alert(1)</script><img src="a.png" onerror="x()">'},
        **HOST)
    assert response.status_code == 302
    lesson = Lesson.objects.get(title="导读")
    assert lesson.body_html == '<p>读原文</p><img src="a.png">'
    response = trainer_client.post(f"/training/chapters/{chapter.pk}/lessons/video/", {
        "title": "视频", "hours": "0.5", "upload": upload("v.mp4", small_mp4, "video/mp4")},
        **HOST)
    assert response.status_code == 302
    video = Lesson.objects.get(title="视频")
    assert video.duration_seconds == 2
    media = trainer_client.get(f"/training/lessons/{video.pk}/media/", **HOST)
    assert media.status_code == 200 and b"".join(media.streaming_content) == small_mp4
    trainer_client.post(f"/training/lessons/{video.pk}/change/", {"action": "up"}, **HOST)
    video.refresh_from_db()
    lesson.refresh_from_db()
    assert video.order < lesson.order
    response = trainer_client.post(f"/training/courses/{course.pk}/publish/", {"note": "首版"},
                                   **HOST)
    assert course.versions.get().status == VersionStatus.PUBLISHED
    # The published lesson's page has no form, and a post to it changes nothing.
    page = trainer_client.get(f"/training/lessons/{lesson.pk}/", **HOST).content.decode()
    assert "<form method=\"post\" enctype" not in page
    response = trainer_client.post(f"/training/lessons/{lesson.pk}/", {
        "title": "改", "hours": "9", "body_html": "<p>改</p>"}, **HOST)
    assert response.status_code == 400
    assert "已发布的版本不能修改" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.title == "导读"


@pytest.mark.django_db
def test_a_disguised_video_upload_is_refused_on_the_form(trainer_client, trainer):
    from training import services
    from training.models import Category

    course = services.course_create(title="课", category=Category.THEORY, by=trainer)
    chapter = services.chapter_save(version=services.course_draft(course=course), title="一")
    response = trainer_client.post(f"/training/chapters/{chapter.pk}/lessons/video/", {
        "title": "假视频", "hours": "1", "upload": upload("fake.mp4", b"hello " * 500,
                                                          "video/mp4")}, **HOST)
    assert response.status_code == 400
    assert "不是视频文件" in response.content.decode()
    assert not Lesson.objects.filter(title="假视频").exists()


@pytest.mark.django_db
def test_the_question_template_downloads_as_xlsx(trainer_client):
    from openpyxl import load_workbook

    response = trainer_client.get("/training/questions/template.xlsx", **HOST)
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active["A2"].value == "题型"


@pytest.mark.django_db
def test_staff_use_the_workspace_too(client, staff, published_course):
    from tests.training.conftest import signed_in

    signed_in(client, "staff1")
    page = client.get(f"/training/courses/{published_course.pk}/", **HOST)
    assert page.status_code == 200 and "学习党章" in page.content.decode()
    assert client.get("/training/trainers/", **HOST).status_code == 200


@pytest.mark.django_db
def test_the_workspace_speaks_english(trainer_client, published_course):
    trainer_client.cookies["django_language"] = "en"
    for url in ("/training/", "/training/courses/", f"/training/courses/{published_course.pk}/",
                "/training/questions/", "/training/rollups/"):
        html = trainer_client.get(url, **HOST).content.decode()
        assert "Training workspace" in html and "培训工作台" not in html, url
    # A request leaves its language active in this thread: back to Chinese for the next tests.
    trainer_client.cookies["django_language"] = "zh-hans"
    assert "培训工作台" in trainer_client.get("/training/", **HOST).content.decode()


@pytest.mark.django_db
def test_the_workspace_finds_a_reported_certificate_by_its_number(trainer_client, client):
    """Trainers can revoke a certificate from its verify page; the workspace's home has the
    box that takes a number someone reported to that page."""
    home = trainer_client.get("/training/", **HOST).content.decode()
    assert 'action="/training/certificates/find/"' in home and "证书查验与撤销" in home
    found = trainer_client.get("/training/certificates/find/", {"number": " 2026abcd12 "},
                               **HOST)
    assert found.status_code == 302 and found.url == "/verify/2026ABCD12/"
    empty = trainer_client.get("/training/certificates/find/", {"number": "  "}, **HOST)
    assert empty.status_code == 302 and empty.url == "/training/"
    client.logout()
    anonymous = client.get("/training/certificates/find/", {"number": "2026ABCD12"}, **HOST)
    assert anonymous.status_code in (302, 403) and "/verify/" not in anonymous.get("Location", "")


@pytest.mark.django_db
def test_every_workspace_page_has_the_workspace_styles(trainer_client):
    """The workspace's menu wraps whole words only with training.css: 公司推荐的微党课 went
    without it and broke its menu a character a line on a phone."""
    for path in ("/training/", "/training/courses/", "/training/questions/",
                 "/training/deliveries/", "/training/rollups/", "/training/sessions/",
                 "/training/offered/", "/training/courses/new/"):
        page = trainer_client.get(path, **HOST)
        assert page.status_code == 200, path
        body = page.content.decode()
        assert 'class="training-nav"' in body and "css/training" in body, path


@pytest.mark.django_db
def test_a_deliverys_dates_stay_whole_on_a_phone(trainer_client, trainer, batches,
                                                 published_course):
    """下发记录 on a phone: each date on its own line, never broken at its hyphens."""
    import datetime
    from pathlib import Path

    from django.conf import settings
    from django.utils import timezone

    from training.delivery_services import course_deliver

    opens = timezone.localdate()
    due = opens + datetime.timedelta(days=30)
    course_deliver(course=published_course, by=trainer, batches=[batches[0]], opens_on=opens,
                   due_on=due)
    page = trainer_client.get("/training/deliveries/", **HOST).content.decode()
    assert f'<td class="dates">{opens:%Y-%m-%d}<br>– {due:%Y-%m-%d}</td>' in page
    css = Path(settings.BASE_DIR, "static/css/training.css").read_text()
    assert "main table td.dates { white-space: nowrap; }" in css
