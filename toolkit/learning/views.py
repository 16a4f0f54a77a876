"""我的课程, a course, a lesson and its player, heartbeats, quizzes and exams, the protected
media. Members only see courses they are enrolled on; media only of this company's courses."""

import json
import math

import nh3
from csp.constants import SELF
from csp.decorators import csp_replace
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from core.errors import Refused
from tenants.selectors import current_company
from toolkit.learning import exams, selectors, services
from toolkit.learning.media import ranged_file_response
from toolkit.learning.models import Enrolment, ExamAttempt
from toolkit.org.access import company_user_required, member_required
from training.models import (
    ASSESSED_KINDS,
    TIMED_KINDS,
    Course,
    Lesson,
    LessonKind,
    VersionStatus,
)


@member_required
def my_courses(request):
    services.enrolments_sync(member=request.member)
    enrolments = list(selectors.enrolments_of(member=request.member))
    withdrawn = selectors.enrolments_withdrawn(enrolments=enrolments, company=current_company())
    for enrolment in enrolments:
        enrolment.withdrawn = enrolment.pk in withdrawn
    return render(request, "learning/my_courses.html", {
        "required": [e for e in enrolments if e.required],
        "others": [e for e in enrolments if not e.required],
        "today": timezone.localdate(),
    })


def _enrolment(request, course_id, *, withdrawn: bool = False):
    """The member's enrolment; `withdrawn`: with whether it is 已撤回 (the services refuse
    progress on it whatever the page shows)."""
    enrolment = selectors.enrolment_of(member=request.member, course_id=course_id)
    if enrolment is None:
        raise Http404  # not this member's course (or not this company's)
    if withdrawn:
        enrolment.withdrawn = selectors.enrolment_withdrawn(enrolment=enrolment,
                                                            company=current_company())
    return enrolment


@member_required
def course_detail(request, course_id):
    enrolment = _enrolment(request, course_id, withdrawn=True)
    version = enrolment.version or selectors.version_published_latest(course_id=course_id)
    if version is None:
        raise Http404
    outline = selectors.course_outline(version=version, enrolment=enrolment)
    return render(request, "learning/course.html", {
        "enrolment": enrolment, "course": enrolment.course, "version": version,
        "outline": outline, "percent": selectors.outline_percent(outline=outline),
    })


@member_required
def lesson_detail(request, course_id, lesson_id):
    enrolment = _enrolment(request, course_id, withdrawn=True)
    if enrolment.withdrawn:
        return _lesson_withdrawn(request, enrolment, lesson_id)
    enrolment = services.enrolment_start(enrolment=enrolment)
    lesson = selectors.lesson_in_version(version=enrolment.version, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    progress = services.lesson_open(enrolment=enrolment, lesson=lesson)
    context = {"enrolment": enrolment, "course": enrolment.course, "lesson": lesson,
               "progress": progress, "timed": lesson.kind in TIMED_KINDS,
               "assessed": lesson.kind in ASSESSED_KINDS, "kinds": LessonKind,
               # Sanitised when the trainer saved it; cleaned again here, in case a row came
               # another way (an import, the shell).
               "body": mark_safe(nh3.clean(lesson.body_html)) if lesson.body_html else ""}
    outline = selectors.course_outline(version=enrolment.version, enrolment=enrolment)
    rows = [row.lesson for chapter in outline for row in chapter.lessons]
    at = next(i for i, row in enumerate(rows) if row.pk == lesson.pk)
    context["next_lesson"] = rows[at + 1] if at + 1 < len(rows) else None
    if lesson.kind in ASSESSED_KINDS:
        context.update(_exam_context(enrolment, lesson))
    return render(request, "learning/lesson.html", context)


def _lesson_withdrawn(request, enrolment, lesson_id):
    """A lesson of a course withdrawn by the trainer (已撤回): what the member did, kept, and
    nothing to play or take (its media are no longer served)."""
    version = enrolment.version or selectors.version_published_latest(
        course_id=enrolment.course_id)
    lesson = (selectors.lesson_in_version(version=version, lesson_id=lesson_id)
              if version else None)
    if lesson is None:
        raise Http404
    progress = enrolment.progress.filter(lesson=lesson).first() if enrolment.pk else None
    past = [a for a in selectors.attempts_of(enrolment=enrolment, lesson=lesson)
            if a.submitted_at is not None]
    return render(request, "learning/lesson_withdrawn.html", {
        "enrolment": enrolment, "course": enrolment.course, "lesson": lesson,
        "progress": progress, "past": past})


def _exam_context(enrolment, lesson) -> dict:
    attempts = selectors.attempts_of(enrolment=enrolment, lesson=lesson)
    now = timezone.now()
    open_attempt = next((a for a in attempts if a.submitted_at is None
                         and (a.deadline is None or a.deadline > now)), None)
    left = (max(0, int((open_attempt.deadline - now).total_seconds()))
            if open_attempt and open_attempt.deadline else None)
    return {
        "attempt": open_attempt,
        # Text and options only: the page never carries an answer before submitting.
        "questions": exams.attempt_questions(attempt=open_attempt) if open_attempt else [],
        "past": [a for a in attempts if a.submitted_at is not None],
        "attempts_left": exams.attempts_left(enrolment=enrolment, lesson=lesson),
        # The countdown starts from the server's deadline (the server refuses a late paper).
        "seconds_left": left,
        "clock": f"{left // 60:02d}:{left % 60:02d}" if left is not None else "",
    }


@require_POST
@member_required
@ratelimit(group="learning-heartbeat", key="user", rate="30/m")  # the player beats 6 a minute
def heartbeat(request, course_id, lesson_id):
    """The player's beat: {"position": seconds}. Answers the credited figures."""
    enrolment = _enrolment(request, course_id)
    lesson = selectors.lesson_in_version(version=enrolment.version, lesson_id=lesson_id) \
        if enrolment.version_id else None
    if lesson is None:
        raise Http404
    try:
        position = float(json.loads(request.body or b"{}").get("position", 0))  # fractions kept
        if not math.isfinite(position):
            raise ValueError(position)
    except (ValueError, TypeError, AttributeError, OverflowError):
        return JsonResponse({"code": "invalid", "message": "position"}, status=400)
    try:
        beat = services.lesson_heartbeat(enrolment=enrolment, lesson=lesson,
                                         position_seconds=position)
    except Refused as refusal:
        return JsonResponse({"code": refusal.code, "message": refusal.message}, status=400)
    return JsonResponse({"position": beat.position_seconds, "watched": beat.watched_seconds,
                         "completed": beat.completed})


@require_POST
@member_required
def exam_start(request, course_id, lesson_id):
    enrolment = _enrolment(request, course_id)
    lesson = get_object_or_404(Lesson.objects.select_related("chapter"), pk=lesson_id)
    exams.exam_start(enrolment=enrolment, lesson=lesson)  # a refusal: flashed, back
    return redirect("learning:lesson", course_id=course_id, lesson_id=lesson_id)


def answers_from_post(post, question_ids: list[int]) -> dict:
    """The answer form's fields q<id> (one value or several) as {question id: values}."""
    answers = {}
    for key in post:
        if key.startswith("q") and key[1:].isdigit():
            answers[key[1:]] = post.getlist(key)
    for pk in question_ids:
        answers.setdefault(str(pk), [])
    return answers


@require_POST
@member_required
def exam_submit(request, course_id, lesson_id, attempt_id):
    enrolment = _enrolment(request, course_id)
    attempt = get_object_or_404(ExamAttempt, pk=attempt_id, enrolment=enrolment,
                                lesson_id=lesson_id)
    answers = answers_from_post(request.POST, attempt.question_ids)
    result = exams.exam_submit(attempt=attempt, answers=answers)
    lesson = Lesson.objects.get(pk=lesson_id)
    return render(request, "learning/exam_result.html", {
        "enrolment": enrolment, "course": enrolment.course, "lesson": lesson, "result": result})


# A PDF lesson shows in an <iframe> on the lesson page: this site may frame it, no other.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
@company_user_required
def lesson_media(request, lesson_id):
    """A lesson's file, only when its course is delivered to or adopted by this company."""
    # Published versions only: a trainer's draft is nobody's to open yet.
    lesson = get_object_or_404(Lesson.objects.select_related("chapter__version"), pk=lesson_id,
                               chapter__version__status=VersionStatus.PUBLISHED)
    if not lesson.media or not selectors.company_has_course(
            company=current_company(), course_id=lesson.chapter.version.course_id):
        raise Http404
    return ranged_file_response(request, storage=lesson.media.storage, name=lesson.media.name,
                                content_type=lesson.media_type or "application/octet-stream")


@company_user_required
def course_cover(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    # A withdrawn course's members still see it in their list, with its cover.
    if not course.cover or not (
            selectors.company_has_course(company=current_company(), course_id=course.pk)
            or Enrolment.objects.filter(course_id=course.pk).exists()):
        raise Http404
    return ranged_file_response(request, storage=course.cover.storage, name=course.cover.name,
                                content_type="image/" + (course.cover.name.rsplit(".", 1)[-1]
                                                         .lower().replace("jpg", "jpeg")))
