"""今天我来当书记 over the API: the schedule, applying, the committee office's queue,
decisions and assignments, and the duty log (toolkit.acting, as the pages)."""

import datetime

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import COMPANY_USER, MEMBER
from toolkit.acting import selectors, services
from toolkit.acting.models import ActingApplication, ApplicationStatus, DutyKind
from toolkit.org.models import Member, OrgUnit
from toolkit.org.selectors import committee_office


class AppointmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    unit_id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.name")
    member_id = serializers.IntegerField()
    member = serializers.CharField(source="member.user.full_name")
    month = serializers.DateField()


class ApplicationOut(serializers.Serializer):
    id = serializers.IntegerField()
    member_id = serializers.IntegerField()
    member = serializers.CharField(source="member.user.full_name")
    unit_id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.name")
    month = serializers.DateField()
    note = serializers.CharField()
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    reason = serializers.CharField()


class ApplyIn(serializers.Serializer):
    unit_id = serializers.IntegerField()
    month = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class DecideIn(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class AssignIn(serializers.Serializer):
    unit_id = serializers.IntegerField()
    member_id = serializers.IntegerField()
    month = serializers.DateField()


class DutyIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DutyKind.choices)
    text = serializers.CharField(max_length=500)


class DutyOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DutyKind.choices)
    text = serializers.CharField()
    points = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class Schedule(generics.ListAPIView):
    """Acting secretaries from this month on (visible to everyone)."""

    permission_classes = COMPANY_USER
    serializer_class = AppointmentOut

    def get_queryset(self):
        return selectors.appointments()


class Applications(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=ApplicationOut(many=True),
                   summary="The office's pending applications, or a member's own")
    def get(self, request):
        if committee_office(user=request.user):
            rows = selectors.applications_pending()
        elif request.member is not None:
            rows = selectors.applications_of(member=request.member)
        else:
            rows = []
        return Response(ApplicationOut(rows, many=True).data)


class Apply(APIView):
    permission_classes = MEMBER
    throttle_scope = "api-write"

    @extend_schema(request=ApplyIn, responses={201: ApplicationOut},
                   summary="Apply to act as secretary for a month")
    def post(self, request):
        data = ApplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        unit = get_object_or_404(OrgUnit, pk=data.validated_data["unit_id"])
        application = services.acting_apply(member=request.member, unit=unit,
                                            month=data.validated_data["month"],
                                            note=data.validated_data["note"])
        return Response(ApplicationOut(application).data, status=status.HTTP_201_CREATED)


def _office(request) -> None:
    if not committee_office(user=request.user):
        raise PermissionDenied


class Decide(APIView):
    permission_classes = COMPANY_USER
    throttle_scope = "api-write"

    @extend_schema(request=DecideIn, responses=ApplicationOut,
                   summary="Approve or turn down an application (the committee office)")
    def post(self, request, application_id: int):
        _office(request)
        application = get_object_or_404(ActingApplication, pk=application_id)
        data = DecideIn(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.acting_decide(application=application, by=request.user,
                                             **data.validated_data)
        return Response(ApplicationOut(application).data)


class Assign(APIView):
    permission_classes = COMPANY_USER
    throttle_scope = "api-write"

    @extend_schema(request=AssignIn, responses={201: AppointmentOut},
                   summary="Assign a month's acting secretary (the committee office)")
    def post(self, request):
        _office(request)
        data = AssignIn(data=request.data)
        data.is_valid(raise_exception=True)
        unit = get_object_or_404(OrgUnit, pk=data.validated_data["unit_id"])
        member = get_object_or_404(Member, pk=data.validated_data["member_id"])
        month: datetime.date = data.validated_data["month"]
        appointment = services.acting_appoint(unit=unit, member=member, month=month,
                                              by=request.user)
        return Response(AppointmentOut(appointment).data, status=status.HTTP_201_CREATED)


class Duty(APIView):
    permission_classes = MEMBER

    @extend_schema(responses=DutyOut(many=True), summary="My duty log this month")
    def get(self, request):
        appointment = selectors.appointment_now(member=request.member)
        rows = selectors.duty_log(appointment=appointment) if appointment else []
        return Response(DutyOut(rows, many=True).data)

    @extend_schema(request=DutyIn, responses={201: DutyOut},
                   summary="Record a piece of this month's work (scores by rule)")
    def post(self, request):
        data = DutyIn(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.duty_log_add(member=request.member, **data.validated_data)
        return Response(DutyOut(entry).data, status=status.HTTP_201_CREATED)
