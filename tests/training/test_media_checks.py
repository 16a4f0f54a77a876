from decimal import Decimal

import pytest

from tests.training.conftest import upload
from training import services
from training.media_checks import MediaRefused, media_checked, pdf_page_count
from training.models import Category, LessonKind


def test_a_real_mp4_gets_its_duration_from_ffprobe(small_mp4):
    info = media_checked(upload("clip.mp4", small_mp4), kind="video")
    assert info.mime == "video/mp4"
    assert info.duration_seconds == 2
    assert info.size == len(small_mp4)


def test_a_text_file_renamed_mp4_is_refused():
    with pytest.raises(MediaRefused) as refused:
        media_checked(upload("lesson.mp4", b"just some text, not a video\n" * 50), kind="video")
    assert refused.value.code == "media_type_not_allowed"


def test_bytes_that_look_like_mp4_but_do_not_play_are_refused(small_mp4):
    broken = small_mp4[:64] + b"\x00" * 2000  # the header of an mp4, then nothing playable
    with pytest.raises(MediaRefused) as refused:
        media_checked(upload("broken.mp4", broken), kind="video")
    assert refused.value.code == "media_unplayable"


def test_a_video_is_not_accepted_as_an_audio_lesson_when_it_has_no_sound(tmp_path):
    import subprocess

    path = tmp_path / "silent.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=duration=1:size=32x32:rate=5", "-c:v", "libx264", "-y", str(path)],
                   check=True, timeout=60)
    with pytest.raises(MediaRefused):
        media_checked(upload("talk.m4a", path.read_bytes()), kind="audio")


def test_an_oversized_file_is_refused_before_it_is_read(monkeypatch, small_mp4):
    monkeypatch.setitem(__import__("training.media_checks", fromlist=["LIMITS"]).LIMITS,
                        "video", ({"video/mp4"}, 1000, "video"))
    with pytest.raises(MediaRefused) as refused:
        media_checked(upload("clip.mp4", small_mp4), kind="video")
    assert refused.value.code == "media_too_large"


def test_pdf_pages_are_counted_and_a_renamed_file_is_not_a_pdf():
    from weasyprint import HTML

    pdf = HTML(string="<p>一</p><p style='page-break-before: always'>二</p>"
                      "<p style='page-break-before: always'>三</p>").write_pdf()
    assert pdf_page_count(pdf) == 3
    assert media_checked(upload("slides.pdf", pdf), kind="document").page_count == 3
    with pytest.raises(MediaRefused):
        media_checked(upload("slides.pdf", b"<html>not a pdf</html>" * 10), kind="document")


@pytest.mark.django_db
def test_a_video_lesson_stores_its_file_in_shared_storage_with_its_length(trainer, small_mp4):
    course = services.course_create(title="视频课", category=Category.THEORY, by=trainer)
    chapter = services.chapter_save(version=services.course_draft(course=course), title="一")
    lesson = services.lesson_save(chapter=chapter, kind=LessonKind.VIDEO, title="片头",
                                  hours=Decimal("0.5"), upload=upload("片头.mp4", small_mp4))
    assert lesson.duration_seconds == 2 and lesson.media_type == "video/mp4"
    assert lesson.media.name.startswith("lessons/") and "片头" not in lesson.media.name
    assert lesson.media.storage.exists(lesson.media.name)
    from django.conf import settings

    assert lesson.media.path.startswith(str(settings.SHARED_MEDIA_ROOT))


@pytest.mark.django_db
def test_a_cover_that_is_not_an_image_is_refused(trainer):
    with pytest.raises(MediaRefused) as refused:
        services.course_create(title="课", category=Category.THEORY, by=trainer,
                               cover=upload("cover.png", b"%PDF-1.4 not an image" * 20))
    assert refused.value.code == "cover_not_an_image"
