"""组织生活 over the API: the meetings a user may see (the access rule meetings_visible_to), one
meeting, and checking in with the code the meeting's QR carries."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from api.forms import form_valid
from api.permissions import COMPANY_USER, MANAGER, MEMBER
from core.ratelimits import configured_rate
from toolkit.life import selectors, services
from toolkit.life.forms import MeetingForm
from toolkit.life.models import Meeting, MeetingKind


class MeetingOut(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")

    class Meta:
        model = Meeting
        fields = ["id", "kind", "title", "unit", "starts_at", "ends_at", "location", "agenda"]


class MeetingIn(serializers.Serializer):
    """Described for the schema; the page's MeetingForm validates."""

    unit = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(max_length=100)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=100, required=False)
    agenda = serializers.CharField(required=False)


class MeetingList(generics.ListAPIView):
    """GET: the meetings the user may see. POST: a secretary or the admin schedules one for a
    unit they run (the page's form and meeting_create)."""

    serializer_class = MeetingOut
    ordering_fields = ["starts_at"]
    ordering = ["-starts_at"]

    def get_permissions(self):
        return [p() for p in (MANAGER if self.request.method == "POST" else COMPANY_USER)]

    def get_queryset(self):
        return selectors.meetings_visible_to(user=self.request.user)

    @extend_schema(request=MeetingIn, responses={201: MeetingOut}, summary="Schedule a meeting")
    def post(self, request):
        data = form_valid(MeetingForm(request.data, unit_ids=request.managed))
        meeting = services.meeting_create(by=request.user, **data)
        return Response(MeetingOut(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetail(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=MeetingOut, summary="A meeting the user may see")
    def get(self, request, meeting_id: int):
        meeting = get_object_or_404(Meeting.objects.select_related("unit"), pk=meeting_id)
        if not selectors.meeting_visible_to(user=request.user, meeting=meeting):
            raise PermissionDenied  # another branch's meeting, as on the page
        return Response(MeetingOut(meeting).data)


class CheckinIn(serializers.Serializer):
    code = serializers.CharField(max_length=200)


class CheckinOut(serializers.Serializer):
    meeting = MeetingOut()


class Checkin(APIView):
    permission_classes = MEMBER

    @extend_schema(request=CheckinIn, responses={201: CheckinOut},
                   summary="Check in with a meeting's code")
    def post(self, request):
        # The page's rate limits, on the same counters (groups checkin-ip and checkin-user).
        for group, key in (("checkin-ip", "ip"), ("checkin-user", _user_key)):
            if is_ratelimited(request, group=group, key=key, rate=configured_rate,
                              increment=True):
                raise Throttled(detail=_("短时间内请求次数过多，请稍等几分钟再试。"))
        data = CheckinIn(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = services.attendance_checkin(code=data.validated_data["code"],
                                                 member=request.member)
        return Response(CheckinOut({"meeting": attendance.meeting}).data,
                        status=status.HTTP_201_CREATED)


def _user_key(group, request) -> str:
    return str(request.user.pk)
