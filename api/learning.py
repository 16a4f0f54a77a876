"""Shared training over the API (toolkit.learning): my courses, a course with its lessons and
my progress, opening a lesson, the player's heartbeat, exams, my 学时. The same services and
selectors as the pages: answers never leave before submitting, the server decides completion."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import MEMBER
from tenants.selectors import current_company
from toolkit.learning import exams, selectors, services
from toolkit.learning.models import Enrolment, ExamAttempt, HoursEntry


class EnrolmentOut(serializers.ModelSerializer):
    course_id = serializers.IntegerField()
    title = serializers.CharField(source="course.title")
    category = serializers.CharField(source="course.category")
    # 已撤回: the trainer withdrew the delivery; history kept, no new progress (0038).
    withdrawn = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = ["course_id", "title", "category", "source", "required", "opens_on", "due_on",
                  "started_at", "completed_at", "best_score", "withdrawn"]

    def get_withdrawn(self, enrolment) -> bool:
        return enrolment.pk in self.context.get("withdrawn", ())


def _enrolment(request, course_id) -> Enrolment:
    enrolment = selectors.enrolment_of(member=request.member, course_id=course_id)
    if enrolment is None:
        raise Http404
    return enrolment


class MyCourses(APIView):
    """我的课程: required courses first (nearest due date first), then the others."""

    permission_classes = MEMBER

    @extend_schema(responses=EnrolmentOut(many=True), summary="My courses")
    def get(self, request):
        services.enrolments_sync(member=request.member)
        enrolments = list(selectors.enrolments_of(member=request.member))
        withdrawn = selectors.enrolments_withdrawn(enrolments=enrolments,
                                                   company=current_company())
        return Response(EnrolmentOut(enrolments, many=True,
                                     context={"withdrawn": withdrawn}).data)


class LessonOut(serializers.Serializer):
    id = serializers.IntegerField(source="lesson.pk")
    uid = serializers.UUIDField(source="lesson.uid")
    kind = serializers.CharField(source="lesson.kind")
    title = serializers.CharField(source="lesson.title")
    hours = serializers.DecimalField(source="lesson.hours", max_digits=4, decimal_places=1)
    duration_seconds = serializers.IntegerField(source="lesson.duration_seconds",
                                                allow_null=True)
    position_seconds = serializers.SerializerMethodField()
    percent = serializers.IntegerField()
    done = serializers.BooleanField()

    def get_position_seconds(self, row) -> int:
        return row.progress.position_seconds if row.progress else 0


class ChapterOut(serializers.Serializer):
    title = serializers.CharField(source="chapter.title")
    lessons = LessonOut(many=True)


class CourseOut(serializers.Serializer):
    enrolment = EnrolmentOut()
    summary = serializers.CharField()
    version = serializers.IntegerField()
    percent = serializers.IntegerField()
    chapters = ChapterOut(many=True)


class CourseDetail(APIView):
    permission_classes = MEMBER

    @extend_schema(responses=CourseOut, summary="A course of mine: chapters, lessons, progress")
    def get(self, request, course_id):
        enrolment = _enrolment(request, course_id)
        version = enrolment.version or selectors.version_published_latest(course_id=course_id)
        if version is None:
            raise Http404
        outline = selectors.course_outline(version=version, enrolment=enrolment)
        withdrawn = selectors.enrolments_withdrawn(enrolments=[enrolment],
                                                   company=current_company())
        return Response(CourseOut({
            "enrolment": enrolment, "summary": enrolment.course.summary,
            "version": version.number, "percent": selectors.outline_percent(outline=outline),
            "chapters": outline}, context={"withdrawn": withdrawn}).data)


class LessonOpenOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    media_url = serializers.CharField(allow_blank=True)
    body_html = serializers.CharField(allow_blank=True)
    duration_seconds = serializers.IntegerField(allow_null=True)
    position_seconds = serializers.IntegerField()
    watched_seconds = serializers.IntegerField()
    completed = serializers.BooleanField()


class LessonOpen(APIView):
    """Opening a lesson starts the course (its version is pinned) and completes a text or a
    document; answers where to resume."""

    permission_classes = MEMBER

    @extend_schema(request=None, responses=LessonOpenOut, summary="Open a lesson")
    def post(self, request, course_id, lesson_id):
        enrolment = services.enrolment_start(enrolment=_enrolment(request, course_id))
        lesson = selectors.lesson_in_version(version=enrolment.version, lesson_id=lesson_id)
        if lesson is None:
            raise Http404
        progress = services.lesson_open(enrolment=enrolment, lesson=lesson)
        media = reverse("learning:media", args=[lesson.pk]) if lesson.media else ""
        return Response(LessonOpenOut({
            "id": lesson.pk, "kind": lesson.kind, "title": lesson.title, "media_url": media,
            "body_html": lesson.body_html, "duration_seconds": lesson.duration_seconds,
            "position_seconds": progress.position_seconds,
            "watched_seconds": progress.watched_seconds,
            "completed": progress.completed_at is not None}).data)


class HeartbeatIn(serializers.Serializer):
    # Seconds, with fractions: a short clip's last fraction of a second counts too.
    position = serializers.FloatField(min_value=0, max_value=10**7)


class HeartbeatOut(serializers.Serializer):
    position_seconds = serializers.IntegerField()
    watched_seconds = serializers.IntegerField()
    completed = serializers.BooleanField()


class Heartbeat(APIView):
    """The player's beat, every ~10 s while playing: where playback is."""

    permission_classes = MEMBER

    @extend_schema(request=HeartbeatIn, responses=HeartbeatOut, summary="Playback heartbeat")
    def post(self, request, course_id, lesson_id):
        # The page's limit, on the same counter: beats for many lessons at once cannot add up
        # to more than the player would send (30 a minute for all of a member's lessons).
        if is_ratelimited(request, group="learning-heartbeat", key="user", rate="30/m",
                          increment=True):
            raise Throttled(detail=_("短时间内请求次数过多，请稍等几分钟再试。"))
        data = HeartbeatIn(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = _enrolment(request, course_id)
        lesson = (selectors.lesson_in_version(version=enrolment.version, lesson_id=lesson_id)
                  if enrolment.version_id else None)
        if lesson is None:
            raise Http404
        beat = services.lesson_heartbeat(enrolment=enrolment, lesson=lesson,
                                         position_seconds=data.validated_data["position"])
        return Response(HeartbeatOut(beat).data)


class QuestionOut(serializers.Serializer):
    """Text and options only: never the answer or the explanation before submitting."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField())


class AttemptOut(serializers.Serializer):
    id = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True)
    questions = QuestionOut(many=True)
    attempts_left = serializers.IntegerField(allow_null=True)


class ExamStart(APIView):
    permission_classes = MEMBER

    @extend_schema(request=None, responses=AttemptOut, summary="Start (or resume) an exam")
    def post(self, request, course_id, lesson_id):
        enrolment = _enrolment(request, course_id)
        lesson = (selectors.lesson_in_version(version=enrolment.version, lesson_id=lesson_id)
                  if enrolment.version_id else None)
        if lesson is None:
            raise Http404
        attempt = exams.exam_start(enrolment=enrolment, lesson=lesson)
        return Response(AttemptOut({
            "id": attempt.pk, "started_at": attempt.started_at, "deadline": attempt.deadline,
            "questions": exams.attempt_questions(attempt=attempt),
            "attempts_left": exams.attempts_left(enrolment=enrolment, lesson=lesson)}).data)


class ExamSubmitIn(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=200),
                                    max_length=20),
        help_text="question id → chosen option indices, [true|false], or the filled text")


class MarkedOut(serializers.Serializer):
    question_id = serializers.IntegerField(source="question.pk")
    correct = serializers.BooleanField()
    explanation = serializers.CharField(source="question.explanation")


class ExamResultOut(serializers.Serializer):
    score = serializers.IntegerField(source="attempt.score")
    passed = serializers.BooleanField(source="attempt.passed")
    attempts_left = serializers.IntegerField(allow_null=True)
    marked = MarkedOut(many=True)


class ExamSubmit(APIView):
    permission_classes = MEMBER

    @extend_schema(request=ExamSubmitIn, responses=ExamResultOut, summary="Submit an exam")
    def post(self, request, attempt_id):
        data = ExamSubmitIn(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = get_object_or_404(ExamAttempt, pk=attempt_id,
                                    enrolment__member=request.member)
        result = exams.exam_submit(attempt=attempt, answers=data.validated_data["answers"])
        return Response(ExamResultOut(result).data)


class HoursEntryOut(serializers.ModelSerializer):
    class Meta:
        model = HoursEntry
        fields = ["id", "source", "hours", "occurred_on", "title"]


class MyHoursOut(serializers.Serializer):
    year = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    required = serializers.DecimalField(max_digits=5, decimal_places=1)
    entries = HoursEntryOut(many=True)


class MyHours(APIView):
    permission_classes = MEMBER

    @extend_schema(responses=MyHoursOut, summary="My 学时 this year against the requirement")
    def get(self, request):
        year = timezone.localdate().year
        return Response(MyHoursOut({
            "year": year, "hours": selectors.hours_in_year(member=request.member, year=year),
            "required": selectors.hours_required(member=request.member,
                                                 settings=selectors.learning_settings()),
            "entries": selectors.hours_entries_of(member=request.member, year=year)[:200],
        }).data)
