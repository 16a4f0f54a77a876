"""先锋指数 over the API: the member's own index this quarter, their history, and the stars
(toolkit.indices.selectors, as the pages)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import COMPANY_USER, MEMBER
from toolkit.indices import selectors
from toolkit.indices.models import MemberIndex, Step


class IndexOut(serializers.ModelSerializer):
    quarter = serializers.CharField(source="quarter.label")
    step = serializers.ChoiceField(choices=Step.choices)
    self_deadline = serializers.DateField(source="quarter.self_deadline")
    breakdown = serializers.DictField(child=serializers.CharField())

    class Meta:
        model = MemberIndex
        fields = ["id", "quarter", "step", "draft", "adjustment", "adjust_reason", "final",
                  "star", "self_assessment", "self_deadline", "breakdown"]


class MineOut(serializers.Serializer):
    index = IndexOut(allow_null=True)


class Mine(APIView):
    permission_classes = MEMBER

    @extend_schema(responses=MineOut, summary="My vanguard index for the latest quarter")
    def get(self, request):
        result = selectors.result_of(member=request.member, quarter=selectors.latest_quarter())
        return Response(MineOut({"index": result}).data)


class History(generics.ListAPIView):
    """My vanguard index quarter by quarter, newest first."""

    permission_classes = MEMBER
    serializer_class = IndexOut

    def get_queryset(self):
        return selectors.history_of(member=self.request.member)


class StarOut(serializers.Serializer):
    quarter = serializers.CharField(source="quarter.label")
    member_id = serializers.IntegerField()
    name = serializers.CharField(source="member.user.full_name")
    unit = serializers.CharField(source="unit.name", default="")
    final = serializers.DecimalField(max_digits=10, decimal_places=2)


class Stars(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=StarOut(many=True), summary="党员之星 of the latest quarter")
    def get(self, request):
        return Response(StarOut(selectors.stars(), many=True).data)
