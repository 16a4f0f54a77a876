"""扫码党课 offline over the API (toolkit.learning.offline_lessons): an app saves a lesson for
offline listening (recorded: progress may not claim a time before it) and syncs the beats it
queued meanwhile. The same services as the pages: each queued beat has the app's own id and
counts once; a lesson the member does not take is refused for every item naming it."""

import uuid

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import MEMBER
from toolkit.learning import offline_lessons


class SavedOut(serializers.Serializer):
    saved_at = serializers.DateTimeField()


class SaveCourseLesson(APIView):
    """Save a lesson of one of my courses for offline listening."""

    permission_classes = MEMBER

    @extend_schema(request=None, responses=SavedOut, summary="Save a lesson for offline use")
    def post(self, request, course_id, lesson_id):
        target = offline_lessons.course_lesson_target(member=request.member,
                                                      course_id=course_id,
                                                      lesson_id=lesson_id, start=True)
        saved_at = offline_lessons.lesson_offline_save(member=request.member, target=target)
        return Response(SavedOut({"saved_at": saved_at}).data)


class SaveMemberLesson(APIView):
    """Save a member lesson (共享党课) I may watch for offline listening."""

    permission_classes = MEMBER

    @extend_schema(request=None, responses=SavedOut,
                   summary="Save a member lesson for offline use")
    def post(self, request, uid):
        try:
            uid = uuid.UUID(uid)
        except ValueError:
            raise Http404 from None
        target = offline_lessons.member_lesson_target(member=request.member, uid=uid)
        saved_at = offline_lessons.lesson_offline_save(member=request.member, target=target)
        return Response(SavedOut({"saved_at": saved_at}).data)


class QueuedBeatIn(serializers.Serializer):
    """One beat queued offline: a lesson of a course (course and lesson) or a member lesson
    (member_lesson, its uid). Checked item by item by the service, not here: one bad item
    must not refuse the rest."""

    id = serializers.UUIDField(help_text="the app's own id for this beat; a replay counts once")
    at = serializers.DateTimeField(help_text="when it was played, with its UTC offset")
    position = serializers.IntegerField(min_value=0)
    course = serializers.IntegerField(required=False)
    lesson = serializers.IntegerField(required=False)
    member_lesson = serializers.UUIDField(required=False)


class SyncIn(serializers.Serializer):
    items = QueuedBeatIn(many=True)


class SyncResultOut(serializers.Serializer):
    id = serializers.CharField()
    status = serializers.ChoiceField(choices=["accepted", "duplicate", "refused"])
    code = serializers.CharField(help_text="why it was refused (a refusal code), else empty")


class SyncOut(serializers.Serializer):
    results = SyncResultOut(many=True)


class Sync(APIView):
    """Beats played offline, oldest first or not (the server sorts them): each is accepted,
    a duplicate (already counted), or refused with a code."""

    permission_classes = MEMBER

    @extend_schema(request=SyncIn, responses=SyncOut, summary="Sync progress made offline")
    def post(self, request):
        if is_ratelimited(request, group="learning-offline-sync", key="user", rate="30/m",
                          increment=True):
            raise Throttled(detail=_("短时间内请求次数过多，请稍等几分钟再试。"))
        items = request.data.get("items") if isinstance(request.data, dict) else None
        results = offline_lessons.offline_progress_sync(member=request.member, items=items)
        return Response(SyncOut({"results": results}).data)
