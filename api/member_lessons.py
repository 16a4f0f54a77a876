"""共享党课 over the API: the ranked library, upload, review, opening a lesson (with a share
token, and the caller's own share link), the player's heartbeat. The same services and rules
as the pages (toolkit.learning.member_lessons)."""

import uuid

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import COMPANY_USER, MANAGER, MEMBER
from toolkit.learning import member_lessons as services
from toolkit.learning import member_lessons_selectors as selectors
from toolkit.learning.models import MemberLesson, MemberLessonStatus


class MemberLessonOut(serializers.ModelSerializer):
    lecturer_id = serializers.IntegerField()
    lecturer = serializers.CharField(source="lecturer.user.full_name")
    media_url = serializers.SerializerMethodField()
    qr_url = serializers.SerializerMethodField()

    class Meta:
        model = MemberLesson
        fields = ["uid", "title", "summary", "topic", "kind", "duration_seconds", "status",
                  "review_note", "lecturer_id", "lecturer", "published_at", "view_count",
                  "completion_count", "media_url", "qr_url"]

    def get_media_url(self, lesson) -> str:
        return reverse("learning:ml_media", kwargs={"uid": lesson.uid})

    def get_qr_url(self, lesson) -> str:
        return reverse("learning:stable", kwargs={"uid": lesson.uid})


class LessonLibraryQuery(serializers.Serializer):
    order = serializers.ChoiceField(choices=list(selectors.RANKINGS), required=False,
                                    default="completions")
    topic = serializers.CharField(required=False, default="", max_length=40)


class LessonUploadIn(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    topic = serializers.CharField(max_length=40)
    summary = serializers.CharField(max_length=1000, required=False, default="",
                                    allow_blank=True)
    media = serializers.FileField()


def _lesson(uid: str) -> MemberLesson:
    # A plain <str:uid> in the route: the API walker's "1" must reach the permission check.
    try:
        uid = uuid.UUID(uid)
    except ValueError:
        raise Http404 from None
    lesson = selectors.lesson_by_uid(uid=uid)
    if lesson is None:
        raise Http404
    return lesson


class Library(APIView):
    """The published library, ranked by completions (default), views, or newest; a member
    uploads a lesson by POSTing multipart (title, topic, summary, media)."""

    permission_classes = COMPANY_USER
    parser_classes = [MultiPartParser]  # a phone's recording, as a form upload

    def get_permissions(self):
        return [p() for p in (MEMBER if self.request.method == "POST" else COMPANY_USER)]

    @extend_schema(parameters=[LessonLibraryQuery], responses=MemberLessonOut(many=True),
                   summary="Shared lessons library")
    def get(self, request):
        query = LessonLibraryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(MemberLessonOut(selectors.library(**query.validated_data)[:100],
                                        many=True).data)

    @extend_schema(request={"multipart/form-data": LessonUploadIn},
                   responses={201: MemberLessonOut}, summary="Upload a member lesson")
    def post(self, request):
        data = LessonUploadIn(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = services.member_lesson_upload(
            member=request.member, title=data.validated_data["title"],
            summary=data.validated_data["summary"], topic=data.validated_data["topic"],
            upload=data.validated_data["media"])
        return Response(MemberLessonOut(lesson).data, status=201)


class ReviewQueue(APIView):
    permission_classes = MANAGER

    @extend_schema(responses=MemberLessonOut(many=True), summary="Lessons waiting for my review")
    def get(self, request):
        return Response(MemberLessonOut(selectors.lessons_to_review(user=request.user),
                                        many=True).data)


class LessonReviewIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[MemberLessonStatus.APPROVED,
                                                MemberLessonStatus.RETURNED,
                                                MemberLessonStatus.REJECTED])
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class Review(APIView):
    permission_classes = MANAGER

    @extend_schema(request=LessonReviewIn, responses=MemberLessonOut, summary="Review a lesson")
    def post(self, request, uid):
        data = LessonReviewIn(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = services.member_lesson_review(lesson=_lesson(uid), by=request.user,
                                               **data.validated_data)
        return Response(MemberLessonOut(lesson).data)


class LessonOpenIn(serializers.Serializer):
    share_token = serializers.CharField(required=False, default="", allow_blank=True,
                                        max_length=500)


class MemberLessonOpenOut(serializers.Serializer):
    lesson = MemberLessonOut()
    position_seconds = serializers.IntegerField()
    watched_seconds = serializers.IntegerField()
    completed = serializers.BooleanField()
    share_url = serializers.CharField(allow_blank=True)


class Open(APIView):
    """Opening a lesson; `share_token` is the `s` of the share link that brought the member.
    Answers the member's own share link for it when it is published."""

    permission_classes = MEMBER

    @extend_schema(request=LessonOpenIn, responses=MemberLessonOpenOut,
                   summary="Open a member lesson")
    def post(self, request, uid):
        lesson = _lesson(uid)
        if not services.may_watch(user=request.user, member=request.member, lesson=lesson):
            raise Http404
        data = LessonOpenIn(data=request.data)
        data.is_valid(raise_exception=True)
        token = data.validated_data["share_token"]
        sharer = services.share_sharer_of(token=token, lesson=lesson) if token else None
        view = services.member_lesson_open(lesson=lesson, member=request.member, sharer=sharer)
        share_url = ""
        if lesson.status == MemberLessonStatus.APPROVED:
            share_url = request.build_absolute_uri(
                reverse("learning:ml_lesson", kwargs={"uid": lesson.uid}) + "?s="
                + services.share_token_make(lesson=lesson, sharer=request.member))
        return Response(MemberLessonOpenOut({
            "lesson": lesson, "position_seconds": view.position_seconds,
            "watched_seconds": view.watched_seconds, "completed": view.completed_at is not None,
            "share_url": share_url}).data)


class LessonBeatIn(serializers.Serializer):
    # Seconds, with fractions: a short clip's last fraction of a second counts too.
    position = serializers.FloatField(min_value=0, max_value=10**7)


class LessonBeatOut(serializers.Serializer):
    position_seconds = serializers.IntegerField()
    watched_seconds = serializers.IntegerField()
    completed = serializers.BooleanField()


class Heartbeat(APIView):
    permission_classes = MEMBER

    @extend_schema(request=LessonBeatIn, responses=LessonBeatOut, summary="Member lesson heartbeat")
    def post(self, request, uid):
        lesson = _lesson(uid)
        if not services.may_watch(user=request.user, member=request.member, lesson=lesson):
            raise Http404
        data = LessonBeatIn(data=request.data)
        data.is_valid(raise_exception=True)
        beat = services.member_lesson_heartbeat(
            lesson=lesson, member=request.member, position_seconds=data.validated_data["position"])
        return Response(LessonBeatOut({"position_seconds": beat.position,
                                 "watched_seconds": beat.watched,
                                 "completed": beat.completed}).data)

