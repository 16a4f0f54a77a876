"""共享党课 pages: the library (ranked), a lecturer's lessons, upload, review, a lesson in the
same player as training lessons, its share link, its protected media with Range."""

import json
import math

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from core.errors import Refused, refusal_to_form
from toolkit.learning import member_lessons as services
from toolkit.learning import member_lessons_selectors as selectors
from toolkit.learning.media import ranged_file_response
from toolkit.learning.member_lessons_forms import (
    MemberLessonForm,
    MemberLessonResubmitForm,
    ReviewForm,
)
from toolkit.learning.models import MemberLesson, MemberLessonStatus
from toolkit.org.access import company_user_required, manager_required, member_required
from toolkit.org.models import Member
from toolkit.org.selectors import manages_any_unit


@company_user_required
def library(request):
    order = request.GET.get("order", "completions")
    topic = request.GET.get("topic", "").replace("\x00", "")[:40]
    return render(request, "learning/member/library.html", {
        "lessons": selectors.library(order=order, topic=topic)[:100],
        "order": order, "topic": topic, "topics": selectors.topics(),
        "may_review": manages_any_unit(user=request.user),
        "orders": [("completions", _("完成最多")), ("views", _("观看最多")), ("new", _("最新"))]})


@company_user_required
def lecturer(request, member_id):
    person = get_object_or_404(Member.objects.select_related("user"), pk=member_id)
    mine = request.member is not None and request.member.pk == person.pk
    return render(request, "learning/member/lecturer.html", {
        "person": person, "mine": mine,
        "lessons": selectors.lessons_of_lecturer(lecturer=person, published_only=not mine)})


@member_required
def upload(request):
    form = MemberLessonForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.member_lesson_upload(
                member=request.member, title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"], topic=form.cleaned_data["topic"],
                upload=form.cleaned_data["media"])
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("已提交，等待支部书记审核。"))
            return redirect("learning:ml_lesson", uid=lesson.uid)
    return render(request, "learning/member/upload.html", {"form": form})


@manager_required
def review_list(request):
    return render(request, "learning/member/review.html", {
        "lessons": selectors.lessons_to_review(user=request.user), "form": ReviewForm()})


@require_POST
@manager_required
def review(request, uid):
    lesson = _lesson(uid)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
        return redirect("learning:ml_review")
    services.member_lesson_review(lesson=lesson, by=request.user,
                                  decision=form.cleaned_data["decision"],
                                  note=form.cleaned_data["note"])  # a refusal: flashed, back
    messages.success(request, _("已审核。"))
    return redirect("learning:ml_review")


def _lesson(uid) -> MemberLesson:
    lesson = selectors.lesson_by_uid(uid=uid)
    if lesson is None:
        raise Http404
    return lesson


def _may_see(request, lesson: MemberLesson) -> bool:
    return services.may_watch(user=request.user, member=request.member, lesson=lesson)


@company_user_required
def lesson_detail(request, uid):
    lesson = _lesson(uid)
    if not _may_see(request, lesson):
        raise Http404
    view = None
    if request.member is not None:
        sharer = None
        if request.GET.get("s"):
            sharer = services.share_sharer_of(token=request.GET["s"], lesson=lesson)
        view = services.member_lesson_open(lesson=lesson, member=request.member, sharer=sharer)
    published = lesson.status == MemberLessonStatus.APPROVED
    share_url = ""
    if published and request.member is not None:
        token = services.share_token_make(lesson=lesson, sharer=request.member)
        share_url = request.build_absolute_uri(
            reverse("learning:ml_lesson", kwargs={"uid": lesson.uid}) + "?s=" + token)
    return render(request, "learning/member/lesson.html", {
        "lesson": lesson, "view": view, "published": published, "share_url": share_url,
        "may_print": published and manages_any_unit(user=request.user),
        "may_offer": published and request.user.is_company_admin,
        "may_review": lesson.status == MemberLessonStatus.PENDING
        and services.may_review(user=request.user, lesson=lesson),
        "review_form": ReviewForm(),
        "resubmit_form": MemberLessonResubmitForm(initial={
            "title": lesson.title, "topic": lesson.topic, "summary": lesson.summary})
        if lesson.status == MemberLessonStatus.RETURNED and request.member is not None
        and request.member.pk == lesson.lecturer_id else None})


@require_POST
@member_required
def resubmit(request, uid):
    """The lecturer mends a returned lesson's words and sends it back for review."""
    lesson = _lesson(uid)
    if lesson.lecturer_id != request.member.pk:
        raise Http404  # someone else's lesson: nothing to resubmit
    form = MemberLessonResubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写标题和主题。"))
        return redirect("learning:ml_lesson", uid=lesson.uid)
    services.member_lesson_resubmit(lesson=lesson, member=request.member,
                                    **form.cleaned_data)  # a refusal: flashed, back
    messages.success(request, _("已重新提交，等待支部书记审核。"))
    return redirect("learning:ml_lesson", uid=lesson.uid)


@require_POST
@member_required
@ratelimit(group="learning-heartbeat", key="user", rate="30/m")
def heartbeat(request, uid):
    lesson = _lesson(uid)
    if not _may_see(request, lesson):
        raise Http404
    try:
        position = float(json.loads(request.body or b"{}").get("position", 0))  # fractions kept
        if not math.isfinite(position):
            raise ValueError(position)
    except (ValueError, TypeError, AttributeError, OverflowError):
        return JsonResponse({"code": "invalid", "message": "position"}, status=400)
    try:
        beat = services.member_lesson_heartbeat(lesson=lesson, member=request.member,
                                                position_seconds=position)
    except Refused as refusal:
        return JsonResponse({"code": refusal.code, "message": refusal.message}, status=400)
    return JsonResponse({"position": beat.position, "watched": beat.watched,
                         "completed": beat.completed})


@company_user_required
def media(request, uid):
    lesson = _lesson(uid)
    if not _may_see(request, lesson) or not lesson.media:
        raise Http404
    return ranged_file_response(request, storage=lesson.media.storage, name=lesson.media.name,
                                content_type=lesson.media_type or "application/octet-stream")


@require_POST
@company_user_required
def offer(request, uid):
    lesson = _lesson(uid)
    services.member_lesson_offer(lesson=lesson, by=request.user)  # a refusal: flashed, back
    messages.success(request, _("已提供给孵化器，培训师可以采用到共享课程库。"))
    return redirect("learning:ml_lesson", uid=lesson.uid)
