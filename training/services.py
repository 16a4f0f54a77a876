"""Authoring the catalogue: courses, their versions, chapters and lessons.

A course is edited as its one draft version; publishing freezes it. Every change to a chapter
or lesson goes through `_editable`, which refuses a published version: a learner's version never
changes under them. Editing a published course starts the next draft, a deep copy whose lessons
keep their `uid` (progress and printed QR codes survive). Courses are retired, never deleted."""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from training.media_checks import MediaInfo, image_checked, media_checked
from training.models import (
    ASSESSED_KINDS,
    TIMED_KINDS,
    Chapter,
    Course,
    CourseVersion,
    Lesson,
    LessonKind,
    VersionStatus,
)
from training.rich_text import html_clean

MEDIA_KINDS = {LessonKind.VIDEO, LessonKind.AUDIO, LessonKind.DOCUMENT}


class CatalogueRefused(Refused):
    """An authoring step the catalogue will not take; the message says why."""


def _stored_name(folder: str, upload) -> str:
    # The trainer's file name stays out of the path: a random name, the real extension.
    suffix = PurePosixPath(upload.name or "").suffix.lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


@transaction.atomic
def course_create(*, title: str, category: str, tags: str = "", summary: str = "",
                  open_to_adopt: bool = True, cover=None, by) -> Course:
    """A new course with its first draft (v1)."""
    course = Course(title=title.strip(), category=category, tags=tags.strip(),
                    summary=summary.strip(), open_to_adopt=open_to_adopt, created_by=by)
    if cover:
        image_checked(cover)
        course.cover.save(_stored_name("covers", cover), cover, save=False)
    course.save()
    CourseVersion.objects.create(course=course, number=1)
    return course


@transaction.atomic
def course_update(*, course: Course, title: str, category: str, tags: str = "",
                  summary: str = "", open_to_adopt: bool = True, cover=None) -> Course:
    """The course's identity (title, category, cover…) is not versioned: it is how the course
    is listed, in every version."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    course.title, course.category = title.strip(), category
    course.tags, course.summary, course.open_to_adopt = tags.strip(), summary.strip(), open_to_adopt
    if cover:
        image_checked(cover)
        course.cover.save(_stored_name("covers", cover), cover, save=False)
    course.save()
    return course


@transaction.atomic
def course_retire(*, course: Course) -> Course:
    """Off the catalogue for new deliveries and adoptions; learners who started finish it."""
    Course.objects.filter(pk=course.pk, retired_at__isnull=True).update(retired_at=timezone.now())
    course.refresh_from_db()
    return course


@transaction.atomic
def course_restore(*, course: Course) -> Course:
    Course.objects.filter(pk=course.pk).update(retired_at=None)
    course.refresh_from_db()
    return course


@transaction.atomic
def course_draft(*, course: Course) -> CourseVersion:
    """The course's draft: the one there is, or the next version copied from the latest
    published one (chapters, lessons with their uid, files and question pools)."""
    Course.objects.select_for_update().get(pk=course.pk)  # two editors at once: one draft
    draft = CourseVersion.objects.filter(course=course, status=VersionStatus.DRAFT).first()
    if draft is not None:
        return draft
    latest = (CourseVersion.objects.filter(course=course).order_by("-number").first())
    draft = CourseVersion.objects.create(course=course, number=(latest.number + 1) if latest else 1)
    if latest is not None:
        _copy_content(source=latest, target=draft)
    return draft


def _copy_content(*, source: CourseVersion, target: CourseVersion) -> None:
    for chapter in source.chapters.prefetch_related("lessons__questions"):
        lessons = list(chapter.lessons.all())
        chapter.pk, chapter.version = None, target
        chapter.save()
        for lesson in lessons:
            pool = list(lesson.questions.all())
            lesson.pk, lesson.chapter = None, chapter  # the uid is kept on purpose
            lesson._prefetched_objects_cache = {}  # else set() compares with the old pool
            lesson.save()
            lesson.questions.set(pool)


@transaction.atomic
def course_publish(*, course: Course, by, note: str = "") -> CourseVersion:
    """Freezes the draft as the course's newest published version."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    draft = CourseVersion.objects.filter(course=course, status=VersionStatus.DRAFT).first()
    if draft is None:
        raise CatalogueRefused(_("没有待发布的草稿。"), code="no_draft")
    if course.retired_at is not None:
        raise CatalogueRefused(_("课程已停用，请先恢复再发布。"), code="course_retired")
    problems = version_problems(version=draft)
    if problems:
        raise CatalogueRefused(_("还不能发布：%(problems)s") % {"problems": "；".join(problems)},
                               code="draft_incomplete")
    draft.status, draft.note = VersionStatus.PUBLISHED, note.strip()[:200]
    draft.published_at, draft.published_by = timezone.now(), by
    draft.save()
    return draft


def version_problems(*, version: CourseVersion) -> list[str]:
    """What keeps a draft from being published (shown on the editor too)."""
    lessons = list(Lesson.objects.filter(chapter__version=version).prefetch_related("questions"))
    if not lessons:
        return [_("至少需要一个课时")]
    problems = []
    for lesson in lessons:
        if lesson.kind in MEDIA_KINDS and not lesson.media:
            problems.append(_("“%(title)s”还没有上传文件") % {"title": lesson.title})
        if lesson.kind == LessonKind.TEXT and not lesson.body_html.strip():
            problems.append(_("“%(title)s”还没有正文") % {"title": lesson.title})
        if lesson.kind in ASSESSED_KINDS:
            pool = sum(1 for q in lesson.questions.all() if q.retired_at is None)
            if pool < (lesson.question_count or 1):
                problems.append(_("“%(title)s”的题库只有 %(pool)s 题，少于抽题数") % {
                    "title": lesson.title, "pool": pool})
    return problems


def _editable(version: CourseVersion) -> CourseVersion:
    version = CourseVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise CatalogueRefused(_("已发布的版本不能修改：请编辑课程，系统会生成新的草稿版本。"),
                               code="version_published")
    return version


@transaction.atomic
def chapter_save(*, version: CourseVersion, title: str, chapter: Chapter | None = None
                 ) -> Chapter:
    version = _editable(version)
    if chapter is None:
        last = version.chapters.aggregate(last=Max("order"))["last"]
        return Chapter.objects.create(version=version, title=title.strip(),
                                      order=0 if last is None else last + 1)
    chapter.title = title.strip()
    chapter.save(update_fields=["title"])
    return chapter


@transaction.atomic
def chapter_remove(*, chapter: Chapter) -> None:
    _editable(chapter.version)
    chapter.delete()  # a draft's chapter: no learner has it


@transaction.atomic
def chapter_move(*, chapter: Chapter, up: bool) -> None:
    version = _editable(chapter.version)
    _swap(list(version.chapters.all()), chapter.pk, up)


@transaction.atomic
def lesson_move(*, lesson: Lesson, up: bool) -> None:
    _editable(lesson.chapter.version)
    _swap(list(lesson.chapter.lessons.all()), lesson.pk, up)


def _swap(rows: list, pk: int, up: bool) -> None:
    """Renumbers the rows 0..n-1 with the one named moved one place up or down."""
    index = next((i for i, row in enumerate(rows) if row.pk == pk), None)
    other = None if index is None else index - 1 if up else index + 1
    if index is None or other is None or not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for order, row in enumerate(rows):
        if row.order != order:
            row.order = order
            row.save(update_fields=["order"])


@transaction.atomic
def lesson_remove(*, lesson: Lesson) -> None:
    _editable(lesson.chapter.version)
    lesson.delete()  # its file stays: an earlier version's copy of the lesson may use it


@transaction.atomic
def lesson_save(*, chapter: Chapter, kind: str, title: str, hours: Decimal,
                lesson: Lesson | None = None, upload=None, body_html: str = "",
                questions=None, question_count: int | None = None,
                time_limit_minutes: int | None = None, pass_score: int | None = None,
                attempts_allowed: int | None = None) -> Lesson:
    """Adds or changes a lesson of a draft. Files are checked by content (and measured) before
    anything is stored; rich text is cleaned; a quiz or exam needs a pool at least as large as
    the number of questions it draws."""
    _editable(chapter.version)
    if lesson is None:
        last = chapter.lessons.aggregate(last=Max("order"))["last"]
        lesson = Lesson(chapter=chapter, kind=kind, order=0 if last is None else last + 1)
    elif lesson.chapter_id != chapter.pk or lesson.kind != kind:
        raise CatalogueRefused(_("课时不属于这个章节。"), code="lesson_mismatch")
    lesson.title, lesson.hours = title.strip(), hours
    if kind in MEDIA_KINDS:
        if upload:
            _media_store(lesson, upload, media_checked(upload, kind=kind))
        elif not lesson.media:
            raise CatalogueRefused(code="media_missing", fields={"upload": [_("请上传文件。")]})
    if kind == LessonKind.TEXT:
        lesson.body_html = html_clean(body_html)
        if not lesson.body_html.strip():
            raise CatalogueRefused(code="text_empty", fields={"body_html": [_("请填写正文。")]})
    if kind in ASSESSED_KINDS:
        _assessment_set(lesson, questions, question_count, time_limit_minutes, pass_score,
                        attempts_allowed)
    lesson.save()
    if kind in ASSESSED_KINDS and questions is not None:
        lesson.questions.set(questions)
    return lesson


def _media_store(lesson: Lesson, upload, info: MediaInfo) -> None:
    lesson.media.save(_stored_name("lessons", upload), upload, save=False)
    lesson.media_type, lesson.media_bytes = info.mime, info.size
    lesson.duration_seconds = info.duration_seconds if lesson.kind in TIMED_KINDS else None
    lesson.page_count = info.page_count


def _assessment_set(lesson, questions, count, minutes, pass_score, attempts) -> None:
    pool = [q for q in (questions or []) if q.retired_at is None]
    if not count or count < 1:
        raise CatalogueRefused(code="question_count_invalid",
                               fields={"question_count": [_("抽题数至少为 1。")]})
    if len(pool) < count:
        raise CatalogueRefused(code="question_pool_too_small", fields={"questions": [
            _("已选 %(pool)s 题，少于抽题数 %(count)s。") % {"pool": len(pool), "count": count}]})
    if pass_score is None or not 0 <= pass_score <= 100:
        raise CatalogueRefused(code="pass_score_invalid",
                               fields={"pass_score": [_("及格分在 0 到 100 之间。")]})
    lesson.question_count, lesson.time_limit_minutes = count, minutes or None
    lesson.pass_score, lesson.attempts_allowed = pass_score, attempts or None
