from decimal import Decimal

import pytest

from training import selectors, services
from training.models import Lesson, LessonKind, VersionStatus
from training.rich_text import html_clean
from training.services import CatalogueRefused


@pytest.mark.django_db
def test_a_published_versions_lessons_cannot_be_changed(published_course):
    v1 = selectors.version_published_latest(course=published_course)
    lesson = selectors.lessons_of(version=v1).first()
    with pytest.raises(CatalogueRefused) as refused:
        services.lesson_save(chapter=lesson.chapter, lesson=lesson, kind=lesson.kind,
                             title="改过的标题", hours=Decimal("9"), body_html="<p>新</p>")
    assert refused.value.code == "version_published"
    for step in (lambda: services.lesson_remove(lesson=lesson),
                 lambda: services.lesson_move(lesson=lesson, up=False),
                 lambda: services.chapter_save(version=v1, title="新章"),
                 lambda: services.chapter_remove(chapter=lesson.chapter)):
        with pytest.raises(CatalogueRefused):
            step()
    lesson.refresh_from_db()
    assert lesson.title == "导读" and lesson.hours == Decimal("1.0")
    assert Lesson.objects.filter(chapter__version=v1).count() == 2


@pytest.mark.django_db
def test_editing_a_published_course_makes_v2_keeping_lesson_uids(published_course, trainer):
    v1 = selectors.version_published_latest(course=published_course)
    v1_lessons = list(selectors.lessons_of(version=v1))
    draft = services.course_draft(course=published_course)
    assert draft.number == 2 and draft.status == VersionStatus.DRAFT
    assert services.course_draft(course=published_course) == draft  # one draft, not two
    copies = list(selectors.lessons_of(version=draft))
    assert [c.uid for c in copies] == [lesson.uid for lesson in v1_lessons]
    assert {c.pk for c in copies}.isdisjoint({lesson.pk for lesson in v1_lessons})
    quiz = next(c for c in copies if c.kind == LessonKind.QUIZ)
    assert quiz.questions.count() == 3  # the pool came along
    text = copies[0]
    services.lesson_save(chapter=text.chapter, lesson=text, kind=text.kind, title="导读（修订）",
                         hours=Decimal("1.5"), body_html="<p>修订</p>")
    v2 = services.course_publish(course=published_course, by=trainer)
    assert v2.number == 2
    assert selectors.version_published_latest(course=published_course) == v2
    assert selectors.lessons_of(version=v1).first().title == "导读"  # v1 untouched
    assert selectors.lessons_of(version=v2).first().title == "导读（修订）"


@pytest.mark.django_db
def test_publish_refuses_an_incomplete_draft(trainer):
    from training.models import Category

    course = services.course_create(title="空课", category=Category.THEORY, by=trainer)
    with pytest.raises(CatalogueRefused) as refused:
        services.course_publish(course=course, by=trainer)
    assert refused.value.code == "draft_incomplete"


@pytest.mark.django_db
def test_a_quiz_needs_a_pool_as_large_as_it_draws(published_course):
    draft = services.course_draft(course=published_course)
    quiz = selectors.lessons_of(version=draft).get(kind=LessonKind.QUIZ)
    with pytest.raises(CatalogueRefused) as refused:
        services.lesson_save(chapter=quiz.chapter, lesson=quiz, kind=quiz.kind, title="测验",
                             hours=Decimal("0.5"), questions=list(quiz.questions.all()),
                             question_count=5, pass_score=60)
    assert refused.value.code == "question_pool_too_small"


@pytest.mark.django_db
def test_a_retired_course_stays_and_cannot_be_delivered_or_published(published_course, trainer):
    services.course_retire(course=published_course)
    published_course.refresh_from_db()
    assert published_course.retired_at is not None
    assert published_course not in selectors.courses_open()
    services.course_draft(course=published_course)
    with pytest.raises(CatalogueRefused):
        services.course_publish(course=published_course, by=trainer)


def test_rich_text_loses_scripts_and_event_handlers():
    dirty = ('<p onclick="steal()">党章<script>alert(1)</script></p>'
             '<img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">链接</a>'
             '<iframe src="https://evil.example"></iframe><p style="color:red">红</p>')
    clean = html_clean(dirty)
    for bad in ("script", "onclick", "onerror", "javascript:", "iframe", "style", "alert"):
        assert bad not in clean, bad
    assert "<p>党章</p>" in clean and '<img src="x.png">' in clean and "红" in clean


@pytest.mark.django_db
def test_a_text_lesson_is_stored_clean(trainer):
    from training.models import Category

    course = services.course_create(title="图文", category=Category.THEORY, by=trainer)
    chapter = services.chapter_save(version=services.course_draft(course=course), title="一")
    lesson = services.lesson_save(chapter=chapter, kind=LessonKind.TEXT, title="正文",
                                  hours=Decimal("1"),
                                  body_html='<p>好</p><img src="a.png" onerror="alert(1)">')
    assert lesson.body_html == '<p>好</p><img src="a.png">'


@pytest.mark.django_db
def test_the_editor_shows_a_published_version_read_only(trainer_client, published_course):
    page = trainer_client.get(f"/training/courses/{published_course.pk}/", HTTP_HOST="localhost")
    assert page.status_code == 200
    html = page.content.decode()
    assert "随堂测验" in html and "/lessons/" in html
    assert "/change/" not in html  # no move/remove buttons on a published version
    response = trainer_client.post(f"/training/courses/{published_course.pk}/draft/",
                                   HTTP_HOST="localhost")
    assert response.status_code == 302
    page = trainer_client.get(f"/training/courses/{published_course.pk}/", HTTP_HOST="localhost")
    assert "/change/" in page.content.decode()
