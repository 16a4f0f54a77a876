"""Who I am, and my home page's data (toolkit.home.selectors.member_home)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import COMPANY_USER, MEMBER
from toolkit.home.selectors import member_home


class MeOut(serializers.Serializer):
    id = serializers.IntegerField(source="user.pk")
    name = serializers.CharField(source="user.full_name")
    mobile = serializers.CharField(source="user.mobile")
    role = serializers.CharField(source="user.role")
    member_id = serializers.IntegerField(source="member.pk", allow_null=True, default=None)
    unit = serializers.CharField(source="member.unit.name", allow_null=True, default=None)


class MeView(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=MeOut, summary="The signed-in user")
    def get(self, request):
        return Response(MeOut({"user": request.user, "member": request.member}).data)


class ClaimBrief(serializers.Serializer):
    id = serializers.IntegerField()
    task_id = serializers.IntegerField()
    task = serializers.CharField(source="task.title")
    status = serializers.CharField()


class MeetingBrief(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    starts_at = serializers.DateTimeField()
    location = serializers.CharField()


class HomeOut(serializers.Serializer):
    balance = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True)
    open_tasks = serializers.IntegerField()
    open_claims = ClaimBrief(many=True)
    meetings = MeetingBrief(many=True)
    dues_amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    dues_behind = serializers.ListField(child=serializers.DateField())


class HomeView(APIView):
    permission_classes = MEMBER

    @extend_schema(responses=HomeOut, summary="The member home's data")
    def get(self, request):
        return Response(HomeOut(member_home(member=request.member)).data)
