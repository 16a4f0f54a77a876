"""Saving a lesson for offline listening (what the service worker is to cache), syncing the
beats the player queued offline, and the storage page that lists what is saved."""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from core.errors import Refused
from tenants.selectors import current_company
from toolkit.learning import offline_lessons
from toolkit.org.access import member_required


def _refused(refusal: Refused, status: int = 400) -> JsonResponse:
    return JsonResponse({"code": refusal.code, "message": refusal.message}, status=status)


@require_POST
@member_required
def save(request, course_id, lesson_id):
    """Answers what to cache: the lesson page, its file and the course's cover, each a URL of
    this company's protected views (the browser fetches them with the member's session, so
    it can only cache what the member may open)."""
    try:
        saved = offline_lessons.lesson_offline_save(member=request.member, course_id=course_id,
                                                    lesson_id=lesson_id)
    except Refused as refusal:
        return _refused(refusal, status=404)
    lesson, course = saved.lesson, saved.enrolment.course
    urls = [reverse("learning:lesson", args=[course.pk, lesson.pk])]
    if lesson.media:
        urls.append(reverse("learning:media", args=[lesson.pk]))
    if course.cover:
        urls.append(reverse("learning:cover", args=[course.pk]))
    return JsonResponse({
        # The key names the company's schema too: one browser, two companies, never mixed.
        "key": f"{current_company().schema_name}:lesson:{course.pk}:{lesson.pk}",
        "user": request.user.pk, "title": lesson.title, "course": course.title, "page": urls[0], "urls": urls,
        "saved_at": saved.saved_at.isoformat()})


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
    return render(request, "learning/offline_storage.html",
                  {"schema": current_company().schema_name})
