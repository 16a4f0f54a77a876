"""组织生活 and 党费 over the API, beyond reading meetings (api/life.py): a member asks for leave,
reads and declares their dues; a secretary or the admin schedules meetings, records attendance,
keeps minutes, decides leave, records dues payments and sees who is behind.

Every view validates with the page's own form (so a field error says what the page says) and
calls the page's service; the services' refusals reach the client through api/errors.py."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.forms import form_valid
from api.life import MeetingOut
from api.permissions import MANAGER, MEMBER
from toolkit.life import selectors, services
from toolkit.life.forms import (
    DuesPaymentForm,
    DuesProfileForm,
    LeaveForm,
    MinutesForm,
)
from toolkit.life.models import DuesCategory, LeaveRequest, Meeting
from toolkit.org.models import Member
from toolkit.org.selectors import member_ids_in


def _visible_meeting(request, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("unit"), pk=meeting_id)
    if not selectors.meeting_visible_to(user=request.user, meeting=meeting):
        raise PermissionDenied  # another branch's meeting, as on the page
    return meeting


def _managed_meeting(request, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("unit"), pk=meeting_id)
    if not selectors.meeting_managed_by(user=request.user, meeting=meeting):
        raise PermissionDenied
    return meeting


# -- Schema-only shapes (the forms validate) ---------------------------------------------------

class LeaveIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class MinutesIn(serializers.Serializer):
    minutes = serializers.CharField(allow_blank=True)


class AttendanceIn(serializers.Serializer):
    member = serializers.IntegerField()


class DecisionIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])


class DuesProfileIn(serializers.Serializer):
    category = serializers.ChoiceField(choices=DuesCategory.choices)
    monthly_wage = serializers.DecimalField(max_digits=10, decimal_places=2, required=False,
                                            allow_null=True)


class DuesPaymentIn(serializers.Serializer):
    member = serializers.IntegerField()
    month = serializers.CharField(help_text="YYYY-MM")


# -- Output ------------------------------------------------------------------------------------

class MemberName(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.get_full_name")


class LeaveOut(serializers.ModelSerializer):
    member = MemberName()
    # pending / approved / rejected (a plain string: spares the schema a second "status" enum)
    status = serializers.CharField()

    class Meta:
        model = LeaveRequest
        fields = ["id", "meeting", "member", "reason", "status", "created_at", "decided_at"]


class AttendanceOut(serializers.Serializer):
    meeting = serializers.IntegerField(source="meeting_id")
    member = MemberName()
    method = serializers.CharField()


class DuesPaymentOut(serializers.Serializer):
    id = serializers.IntegerField()
    member = serializers.IntegerField(source="member_id")
    month = serializers.DateField(format="%Y-%m")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    paid_at = serializers.DateTimeField()
    on_time = serializers.BooleanField()


class MyDuesOut(serializers.Serializer):
    category = serializers.CharField(allow_null=True)
    monthly_wage = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    due_day = serializers.IntegerField()
    behind = serializers.ListField(child=serializers.DateField(format="%Y-%m"))
    payments = DuesPaymentOut(many=True)


class ArrearsOut(serializers.Serializer):
    member = MemberName()
    unit = serializers.CharField(source="member.unit.name", allow_null=True)
    months = serializers.ListField(child=serializers.DateField(format="%Y-%m"))


# -- Member ------------------------------------------------------------------------------------

class LeaveRequestView(APIView):
    """POST: the member asks for leave (the page's form and leave_request). GET: the meeting's
    pending requests, for whoever runs it."""

    def get_permissions(self):
        return [p() for p in (MEMBER if self.request.method == "POST" else MANAGER)]

    @extend_schema(request=LeaveIn, responses={201: LeaveOut}, summary="Ask for leave")
    def post(self, request, meeting_id: int):
        meeting = _visible_meeting(request, meeting_id)
        form = LeaveForm(request.data)
        if not form.is_valid():  # the page answers a missing reason with this refusal
            raise services.CheckinRefused(_("请写明请假理由。"),
                                          code="leave_reason_missing")
        leave = services.leave_request(meeting=meeting, member=request.member,
                                       reason=form.cleaned_data["reason"])
        leave = LeaveRequest.objects.select_related("member__user").get(pk=leave.pk)
        return Response(LeaveOut(leave).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=LeaveOut(many=True), summary="A meeting's pending leave requests")
    def get(self, request, meeting_id: int):
        meeting = _managed_meeting(request, meeting_id)
        return Response(LeaveOut(selectors.pending_leaves(meeting=meeting), many=True).data)


class MyDues(APIView):
    permission_classes = MEMBER

    @extend_schema(responses=MyDuesOut, summary="My dues: amount, months behind, payments")
    def get(self, request):
        return Response(MyDuesOut(_my_dues(request.member)).data)


def _my_dues(member: Member) -> dict:
    profile = getattr(member, "dues_profile", None)
    return {"category": profile.category if profile else None,
            "monthly_wage": profile.monthly_wage if profile else None,
            "amount": selectors.member_monthly_dues(member=member),
            "due_day": selectors.settings_row().due_day,
            "behind": selectors.months_behind(member=member),
            "payments": selectors.dues_payments_of(member=member)[:12]}


class DuesDeclare(APIView):
    permission_classes = MEMBER
    throttle_scope = "api-write"

    @extend_schema(request=DuesProfileIn, responses=MyDuesOut,
                   summary="Declare my dues category and monthly wage")
    def post(self, request):
        services.dues_profile_save(member=request.member,
                                   **form_valid(DuesProfileForm(request.data)))
        member = Member.objects.select_related("user", "dues_profile").get(pk=request.member.pk)
        return Response(MyDuesOut(_my_dues(member)).data)


# -- Manager -----------------------------------------------------------------------------------

class AttendanceRecord(APIView):
    permission_classes = MANAGER
    throttle_scope = "api-write"

    @extend_schema(request=AttendanceIn, responses={201: AttendanceOut},
                   summary="Record a member's attendance by hand")
    def post(self, request, meeting_id: int):
        meeting = _visible_meeting(request, meeting_id)
        data = AttendanceIn(data=request.data)
        data.is_valid(raise_exception=True)
        member = get_object_or_404(Member.objects.select_related("user"),
                                   pk=data.validated_data["member"])
        attendance = services.attendance_record(meeting=meeting, member=member, by=request.user)
        return Response(AttendanceOut(attendance).data, status=status.HTTP_201_CREATED)


class Minutes(APIView):
    permission_classes = MANAGER
    throttle_scope = "api-write"

    @extend_schema(request=MinutesIn, responses=MeetingOut, summary="Save a meeting's minutes")
    def put(self, request, meeting_id: int):
        meeting = _visible_meeting(request, meeting_id)
        data = form_valid(MinutesForm(request.data))
        meeting = services.meeting_minutes_save(meeting=meeting, minutes=data["minutes"],
                                                by=request.user)
        return Response(MeetingOut(meeting).data)


class LeaveDecide(APIView):
    permission_classes = MANAGER
    throttle_scope = "api-write"

    @extend_schema(request=DecisionIn, responses=LeaveOut, summary="Approve or refuse leave")
    def post(self, request, leave_id: int):
        leave = get_object_or_404(LeaveRequest.objects.select_related("member__user"),
                                  pk=leave_id)
        data = DecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        leave = services.leave_decide(leave=leave, by=request.user,
                                      approve=data.validated_data["decision"] == "approve")
        return Response(LeaveOut(leave).data)


class DuesPaymentRecord(APIView):
    permission_classes = MANAGER
    throttle_scope = "api-write"

    @extend_schema(request=DuesPaymentIn, responses={201: DuesPaymentOut},
                   summary="Record a month's dues for a member of a unit I run")
    def post(self, request):
        form = DuesPaymentForm(request.data,
                               member_ids=member_ids_in(unit_ids=request.managed))
        payment = services.dues_payment_record(by=request.user, **form_valid(form))
        return Response(DuesPaymentOut(payment).data, status=status.HTTP_201_CREATED)


class DuesBehind(generics.ListAPIView):
    """Who has not paid which of the months due, in the units the caller runs."""

    permission_classes = MANAGER
    serializer_class = ArrearsOut

    def get_queryset(self):
        return selectors.members_behind(unit_ids=self.request.managed)
