"""Saving a lesson for offline listening (what the service worker is to cache), syncing the
beats the player queued offline, and the storage page that lists what is saved."""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from core.errors import Refused
from tenants.selectors import current_company
from toolkit.learning import offline_lessons
from toolkit.org.access import member_required


def _refused(refusal: Refused, status: int = 400) -> JsonResponse:
    return JsonResponse({"code": refusal.code, "message": refusal.message}, status=status)


def _saved(request, *, key: str, title: str, course: str, urls: list[str]) -> JsonResponse:
    # The key names the company's schema too: one browser, two companies, never mixed.
    return JsonResponse({"key": f"{current_company().schema_name}:{key}",
                         "user": request.user.pk, "title": title, "course": course,
                         "page": urls[0], "urls": urls})


@require_POST
@member_required
def save(request, course_id, lesson_id):
    """Answers what to cache: the lesson page, its file and the course's cover, each a URL of
    this company's protected views (the browser fetches them with the member's session, so
    it can only cache what the member may open)."""
    try:
        target = offline_lessons.course_lesson_target(member=request.member, course_id=course_id,
                                                      lesson_id=lesson_id, start=True)
        offline_lessons.lesson_offline_save(member=request.member, target=target)
    except Refused as refusal:
        return _refused(refusal, status=404)
    lesson, course = target.lesson, target.enrolment.course
    urls = [reverse("learning:lesson", args=[course.pk, lesson.pk])]
    if lesson.media:
        urls.append(reverse("learning:media", args=[lesson.pk]))
    if course.cover:
        urls.append(reverse("learning:cover", args=[course.pk]))
    return _saved(request, key=f"lesson:{course.pk}:{lesson.pk}", title=lesson.title,
                  course=course.title, urls=urls)


@require_POST
@member_required
def save_member_lesson(request, uid):
    """The same for a member lesson (共享党课): its page and its file."""
    try:
        target = offline_lessons.member_lesson_target(member=request.member, uid=uid)
        offline_lessons.lesson_offline_save(member=request.member, target=target)
    except Refused as refusal:
        return _refused(refusal, status=404)
    lesson = target.member_lesson
    return _saved(request, key=f"shared:{lesson.uid}", title=lesson.title,
                  course=_("共享党课"),
                  urls=[reverse("learning:ml_lesson", args=[lesson.uid]),
                        reverse("learning:ml_media", args=[lesson.uid])])


@require_POST
@member_required
@ratelimit(group="learning-offline-sync", key="user", rate="30/m")
def sync(request):
    """{"items": [{id, course, lesson, position, at}, …]} → {"results": [{id, status, code}]}.
    The member is the signed-in one: an item names no member."""
    try:
        items = json.loads(request.body or b"{}").get("items")
    except (ValueError, AttributeError):
        return JsonResponse({"code": "invalid", "message": "items"}, status=400)
    try:
        results = offline_lessons.offline_progress_sync(member=request.member, items=items)
    except Refused as refusal:
        return _refused(refusal)
    return JsonResponse({"results": [{"id": r.id, "status": r.status, "code": r.code}
                                     for r in results]})


@never_cache
@member_required
def storage(request):
    """The saved lessons, read from the phone's caches by offline.js (the server does not
    know what a phone still keeps)."""
    return render(request, "learning/offline_storage.html")
